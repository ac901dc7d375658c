"""People without access to the Wagtail admin (participants, focal points) who open /admin/
are sent to their space with a message, instead of bouncing between the admin and sign-in."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class AdminAccessMiddleware:
    prefix = "/admin/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.path.startswith(self.prefix)
            and user is not None
            and user.is_authenticated
            and not user.has_perm("wagtailadmin.access_admin")
        ):
            messages.info(
                request,
                _(
                    "The administration is for trainers and coordinators. Here is your space: "
                    "your programmes, lessons and certificates are here."
                ),
            )
            return redirect("dashboard")
        return self.get_response(request)
