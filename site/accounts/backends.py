"""Django's ``ModelBackend`` reads a user's permissions in two queries (their own, then their
groups'), on the first permission check of a request. This one, listed first, reads both in
one query (a ``UNION``) into the same per-user-object cache (``_perm_cache``) the
``ModelBackend`` and allauth's backend read: they answer from it without a query. It
authenticates nobody: signing in, and the backend recorded in sessions, stay as they were
(``get_user`` is the ``ModelBackend``'s, for sessions a test's ``force_login`` opens)."""

from django.contrib.auth.backends import ModelBackend


class PermissionsInOneQueryBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                return super().get_all_permissions(user_obj)
            own = self._get_user_permissions(user_obj).values_list(
                "content_type__app_label", "codename"
            )
            groups = self._get_group_permissions(user_obj).values_list(
                "content_type__app_label", "codename"
            )
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in own.order_by().union(groups.order_by())
            }
        return user_obj._perm_cache
