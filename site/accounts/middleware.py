from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from associations.scope import is_staff_role


class RequireStaffMFAMiddleware:
    """When ``RENFORT_REQUIRE_STAFF_MFA`` is on, a trainer, coordinator or administrator without
    a TOTP authenticator is sent to set one up before reaching any other page."""

    allowed_url_names = (
        "mfa_activate_totp",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "account_logout",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.RENFORT_REQUIRE_STAFF_MFA and self._must_enrol(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_enrol(self, request):
        user = request.user
        if not user.is_authenticated or not is_staff_role(user):
            return False
        allowed = [reverse(name) for name in self.allowed_url_names]
        if request.path in allowed or request.path.startswith(settings.STATIC_URL):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
