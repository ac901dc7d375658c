"""Django's ``ModelBackend`` reads a user's permissions in two queries (their own, then their
groups'), on the first permission check of a request. This one, listed first, reads both in
one SQL statement (a ``UNION``) into the same per-user-object cache (``_perm_cache``) the
``ModelBackend`` and allauth's backend read: they answer from it without a query. It
authenticates nobody: signing in, and the backend recorded in sessions, stay as they were
(``get_user`` is the ``ModelBackend``'s, for sessions a test's ``force_login`` opens)."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router


def _permission_rows(user):
    """(app label, codename) of the permissions ``user`` holds, their own and their groups',
    in one SQL statement (written out: the ORM's two-queryset ``UNION`` costs more to compile
    than to run)."""
    own = type(user)._meta.get_field("user_permissions")
    groups = type(user)._meta.get_field("groups")
    group_perms = Group._meta.get_field("permissions")
    using = router.db_for_read(Permission)
    q = connections[using].ops.quote_name
    permissions = q(Permission._meta.db_table)
    content_types = q(ContentType._meta.db_table)
    join_type = f"JOIN {content_types} ct ON ct.{q('id')} = p.{q('content_type_id')}"
    sql = (
        f"SELECT ct.{q('app_label')}, p.{q('codename')} FROM {permissions} p {join_type} "
        f"JOIN {q(own.m2m_db_table())} up ON up.{q(own.m2m_reverse_name())} = p.{q('id')} "
        f"WHERE up.{q(own.m2m_column_name())} = %s "
        "UNION "
        f"SELECT ct.{q('app_label')}, p.{q('codename')} FROM {permissions} p {join_type} "
        f"JOIN {q(group_perms.m2m_db_table())} gp "
        f"ON gp.{q(group_perms.m2m_reverse_name())} = p.{q('id')} "
        f"JOIN {q(groups.m2m_db_table())} ug "
        f"ON ug.{q(groups.m2m_reverse_name())} = gp.{q(group_perms.m2m_column_name())} "
        f"WHERE ug.{q(groups.m2m_column_name())} = %s"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk])
        return cursor.fetchall()


class PermissionsInOneQueryBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                return super().get_all_permissions(user_obj)
            user_obj._perm_cache = {
                f"{app_label}.{codename}" for app_label, codename in _permission_rows(user_obj)
            }
        return user_obj._perm_cache
