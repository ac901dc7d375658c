"""Writes of the associations app. Views, admin, commands and imports call these."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from associations.models import Role, RoleAssignment

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
    """Give ``group`` the training collection's permissions (idempotent)."""
    from wagtail.models import GroupCollectionPermission

    collection = training_collection_ensure()
    for app_label, codename in TRAINING_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
        )


def role_group_ensure(*, role):
    """The admin group of ``role`` (created with access to the Wagtail admin), or ``None`` for
    roles that never enter the admin."""
    name = ROLE_GROUP_NAMES.get(role)
    if name is None:
        return None
    group, created = Group.objects.get_or_create(name=name)
    if created:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
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
