"""Writes of the associations app. Views, admin, commands and imports call these."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from associations.models import (
    Attendance,
    Cohort,
    CohortOrganisation,
    Enrolment,
    Role,
    RoleAssignment,
)

# The Wagtail admin group that goes with each role (the group carries admin permissions).
ROLE_GROUP_NAMES = {Role.TRAINER: "Formateurs", Role.COORDINATOR: "Coordonnateurs"}

# Training material (documents and images) lives in one collection, "Formations", under the
# root: the trainer and coordinator groups may add, edit and choose there and nowhere else, so
# whatever an administrator files elsewhere (the root included) stays out of their listings,
# choosers and admin API. Its files are served to signed-in users only; files in the root
# collection stay public.
TRAINING_COLLECTION_NAME = "Formations"
TRAINING_COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]


@transaction.atomic
def training_collection_ensure():
    """The "Formations" collection (made if missing), readable by signed-in users only."""
    from wagtail.models import Collection, CollectionViewRestriction

    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    collection = root.get_children().filter(name=TRAINING_COLLECTION_NAME).first()
    if collection is None:
        collection = root.add_child(instance=Collection(name=TRAINING_COLLECTION_NAME))
    CollectionViewRestriction.objects.get_or_create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


@transaction.atomic
def role_group_collections_ensure(*, group):
    """Give ``group`` the training collection's permissions, and none elsewhere (idempotent):
    Wagtail's own migrations grant ``choose_document`` on the root collection to the groups that
    exist when they run."""
    from wagtail.models import GroupCollectionPermission

    collection = training_collection_ensure()
    for app_label, codename in TRAINING_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
        )
    GroupCollectionPermission.objects.filter(group=group).exclude(collection=collection).delete()


# Model permissions each admin group holds, besides access to the admin. What rows they reach is
# still narrowed by the scope (the admin viewsets list only ``visible_to`` rows).
ROLE_GROUP_PERMISSIONS = {
    Role.COORDINATOR: {
        "associations": [
            f"{action}_{model}"
            for model in (
                "organisation",
                "person",
                "cohort",
                "session",
                "enrolment",
                "cohortorganisation",
                "outsidefacilitator",
                "attendance",
            )
            for action in ("add", "change", "delete", "view")
        ]
        + ["view_territory", "view_domain"],
    },
    Role.TRAINER: {
        "associations": ["view_cohort", "add_session", "change_session", "view_session"]
        + ["add_attendance", "change_attendance", "view_attendance"],
    },
}


def role_group_ensure(*, role):
    """The admin group of ``role`` (created with access to the Wagtail admin), or ``None`` for
    roles that never enter the admin."""
    name = ROLE_GROUP_NAMES.get(role)
    if name is None:
        return None
    group, _created = Group.objects.get_or_create(name=name)
    wanted = [("wagtailadmin", "access_admin")] + [
        (app_label, codename)
        for app_label, codenames in ROLE_GROUP_PERMISSIONS.get(role, {}).items()
        for codename in codenames
    ]
    have = set(group.permissions.values_list("content_type__app_label", "codename"))
    missing = [pair for pair in wanted if pair not in have]
    if missing:
        group.permissions.add(
            *[
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in missing
            ]
        )
        role_group_collections_ensure(group=group)
    return group


def role_groups_collections_ensure(**kwargs):
    """After ``migrate``: the training collection exists and the role groups made before it
    hold its permissions (connected to ``post_migrate``)."""
    from django.db import DEFAULT_DB_ALIAS

    if kwargs.get("using", DEFAULT_DB_ALIAS) != DEFAULT_DB_ALIAS:
        return
    training_collection_ensure()
    for group in Group.objects.filter(name__in=ROLE_GROUP_NAMES.values()):
        role_group_collections_ensure(group=group)


@transaction.atomic
def role_assign(*, user, role, territory=None, organisation=None):
    """Give ``user`` a role: a coordinator over ``territory`` and below, a focal point of
    ``organisation``, or a trainer. Idempotent: assigning the same role twice changes nothing."""
    if role == Role.COORDINATOR and territory is None:
        raise ValidationError(_("A coordinator must be attached to a territory."))
    if role == Role.FOCAL_POINT and organisation is None:
        raise ValidationError(_("A focal point must be attached to an organisation."))
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        territory=territory if role == Role.COORDINATOR else None,
        organisation=organisation if role == Role.FOCAL_POINT else None,
    )
    group = role_group_ensure(role=role)
    if group is not None:
        user.groups.add(group)
    user.__dict__.pop("_renfort_grants", None)
    return assignment


@transaction.atomic
def role_revoke(*, assignment):
    """Remove a role; the user leaves the role's admin group once no assignment of it remains."""
    user, role = assignment.user, assignment.role
    assignment.delete()
    group = role_group_ensure(role=role)
    if group is not None and not RoleAssignment.objects.filter(user=user, role=role).exists():
        user.groups.remove(group)
    user.__dict__.pop("_renfort_grants", None)


# Cohorts and enrolment ------------------------------------------------------------------------


def _locked(cohort):
    """The cohort row, locked until the transaction ends: enrolments into one cohort queue here,
    so two of them never both take the last seat."""
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


def _check_open(cohort):
    if cohort.status in (Cohort.Status.CLOSED, Cohort.Status.CANCELLED):
        raise ValidationError(
            _("Cohort %(code)s is %(status)s: no one can be enrolled in it any more.")
            % {"code": cohort.code, "status": cohort.get_status_display().lower()}
        )


def _check_seat(cohort):
    if cohort.capacity is None:
        return
    taken = Enrolment.objects.filter(cohort=cohort, withdrawn_on__isnull=True).count()
    if taken >= cohort.capacity:
        raise ValidationError(
            _(
                "Cohort %(code)s is full (%(capacity)s seats taken). Withdraw someone or raise "
                "the capacity before enrolling another person."
            )
            % {"code": cohort.code, "capacity": cohort.capacity},
            code="cohort_full",
        )


@transaction.atomic
def enrolment_create(*, cohort, person, organisation=None):
    """Enrol ``person`` in ``cohort``, representing ``organisation`` (their current one by
    default; kept on the enrolment so a later move does not rewrite history). The cohort row is
    locked, so its capacity holds however many enrol at once: past it, a ``ValidationError``."""
    cohort = _locked(cohort)
    _check_open(cohort)
    if Enrolment.objects.filter(cohort=cohort, person=person).exists():
        raise ValidationError(
            _("%(person)s is already enrolled in cohort %(code)s.")
            % {"person": person, "code": cohort.code},
            code="already_enrolled",
        )
    _check_seat(cohort)
    return Enrolment.objects.create(
        cohort=cohort,
        person=person,
        organisation=organisation if organisation is not None else person.organisation,
    )


@transaction.atomic
def enrolment_withdraw(*, enrolment, on=None, reason=""):
    """Record that ``enrolment``'s person left the cohort on ``on`` (today by default). The row
    stays, with its attendance: withdrawal is history, not deletion."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.withdrawn_on is not None:
        raise ValidationError(_("This person has already withdrawn from the cohort."))
    enrolment.withdrawn_on = on or timezone.localdate()
    enrolment.withdrawal_reason = reason
    enrolment.save(update_fields=["withdrawn_on", "withdrawal_reason"])
    return enrolment


@transaction.atomic
def enrolment_replace(*, enrolment, person, on=None, reason=""):
    """Withdraw ``enrolment``'s person on ``on`` and enrol ``person`` in their seat; the new
    enrolment names the one it replaces. Both rows are kept."""
    cohort = _locked(enrolment.cohort)
    _check_open(cohort)
    if Enrolment.objects.filter(cohort=cohort, person=person).exists():
        raise ValidationError(
            _("%(person)s is already enrolled in cohort %(code)s.")
            % {"person": person, "code": cohort.code},
            code="already_enrolled",
        )
    withdrawn = enrolment_withdraw(
        enrolment=enrolment,
        on=on,
        reason=reason or _("Replaced by %(person)s") % {"person": person},
    )
    return Enrolment.objects.create(
        cohort=cohort,
        person=person,
        organisation=person.organisation or withdrawn.organisation,
        replaces=withdrawn,
    )


@transaction.atomic
def cohort_organisation_enrol(*, cohort, organisation):
    """Enrol ``organisation`` as such in ``cohort`` (idempotent), so its own progress can be
    followed beside its delegates'."""
    _check_open(cohort)
    enrolled, _created = CohortOrganisation.objects.get_or_create(
        cohort=cohort, organisation=organisation
    )
    return enrolled


@transaction.atomic
def attendance_record(*, session, enrolment, status, by):
    """Mark ``enrolment`` present, absent or excused at ``session``. Idempotent: recording the
    same mark twice (a retried tap) leaves one row."""
    if enrolment.cohort_id != session.cohort_id:
        raise ValidationError(_("This person is not enrolled in the cohort of this session."))
    if session.cancelled:
        raise ValidationError(_("This session was cancelled: no attendance is taken."))
    if status not in Attendance.Status.values:
        raise ValidationError(_("Unknown attendance status."))
    attendance, _created = Attendance.objects.update_or_create(
        session=session,
        enrolment=enrolment,
        defaults={"status": status, "recorded_by": by},
    )
    return attendance


# Invitations ----------------------------------------------------------------------------------


@transaction.atomic
def account_invite(*, request, by, email, person=None, organisation=None):
    """Open an account for a participant (``person``) or a focal point of ``organisation``, both
    within ``by``'s scope, and e-mail the invitee allauth's link to set their own password. The
    account has no usable password until then: staff never choose or send one."""
    from allauth.account.internal import flows
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.tokens import default_token_generator

    from associations.models import Organisation, Person
    from associations.scope import visible_to

    if (person is None) == (organisation is None):
        raise ValidationError(_("Invite either a participant or a focal point."))
    target = person or organisation
    if not visible_to(by, type(target).objects.filter(pk=target.pk)).exists():
        raise ValidationError(_("You can only invite people of your own territory."))
    if person is not None and person.user_id:
        raise ValidationError(_("This person already has an account."))
    email = email.strip().lower()
    User = get_user_model()
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        raise ValidationError(_("An account already exists for this e-mail address."))
    user = User(email=email)
    if person is not None:
        user.first_name, user.last_name = person.first_name, person.last_name
    user.set_unusable_password()
    user.save()
    # The invitation reaches this address only: setting a password through it proves it.
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if person is not None:
        Person.objects.filter(pk=person.pk).update(user=user)
    else:
        role_assign(
            user=user,
            role=Role.FOCAL_POINT,
            organisation=Organisation.objects.get(pk=organisation.pk),
        )
    flows.password_reset.request_password_reset(request, email, [user], default_token_generator)
    return user
