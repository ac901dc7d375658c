"""Writes of the associations app. Views, admin, commands and imports call these."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from associations.models import Role, RoleAssignment

# The Wagtail admin group that goes with each role (the group carries admin permissions).
ROLE_GROUP_NAMES = {Role.TRAINER: "Formateurs", Role.COORDINATOR: "Coordonnateurs"}


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
    return group


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
