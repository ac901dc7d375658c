from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from associations.scope import is_staff_role


def session_passed_mfa(request):
    """Whether this session (not merely this user) passed a second factor: allauth records each
    authentication step of a session, the second factor as method ``"mfa"``. A session opened by
    any other door (``force_login``, a forgotten login view) has no such record."""
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


class RequireStaffMFAMiddleware:
    """When ``RENFORT_REQUIRE_STAFF_MFA`` is on, a trainer, coordinator or administrator reaches
    no page until this session has passed TOTP: without an authenticator they are sent to set
    one up; with one, a session that did not pass it is closed and sent back to sign in."""

    allowed_url_names = (
        "mfa_activate_totp",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "account_logout",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (settings.RENFORT_REQUIRE_STAFF_MFA and self._applies(request)):
            return self.get_response(request)
        if session_passed_mfa(request):
            return self.get_response(request)
        if Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
            logout(request)
            login_url = reverse("account_login")
            return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
        if not self._is_setup_path(request):
            return redirect("mfa_activate_totp")
        response = self.get_response(request)
        self._record_activation(request, response)
        return response

    def _applies(self, request):
        if request.path.startswith(settings.STATIC_URL) or request.path == "/healthz":
            return False
        return request.user.is_authenticated and is_staff_role(request.user)

    def _record_activation(self, request, response):
        """Setting up TOTP proves the second factor (a valid code typed after the password was
        typed again): record it for this session as allauth does after a TOTP sign-in."""
        if not (
            request.method == "POST"
            and response.status_code == 302
            and request.path == reverse("mfa_activate_totp")
        ):
            return
        authenticator = Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is not None:
            record_authentication(
                request, request.user, "mfa", id=authenticator.pk, type="totp", activated=True
            )

    def _is_setup_path(self, request):
        return request.path in {reverse(name) for name in self.allowed_url_names}
