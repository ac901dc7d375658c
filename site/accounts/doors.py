"""Wagtail's own sign-in doors, closed: each answers with a redirect to allauth's page (keeping
``next``), so there is one way in, with verification, rate limits and the second factor."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, re_path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.csrf import csrf_exempt


def _to(url_name):
    @csrf_exempt
    def view(request, *args, **kwargs):
        target = reverse(url_name)
        next_url = request.GET.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = f"{target}?{urlencode({'next': next_url})}"
        return redirect(target)

    view.__name__ = f"to_{url_name}"
    return view


def not_here(request, *args, **kwargs):
    """Wagtail's ``failwhale`` raises an error whose page says the team has been told, while no
    one is: gone."""
    raise Http404


admin_side_doors = [
    path("admin/failwhale/", not_here),
    path("admin/login/", _to("account_login")),
    re_path(r"^admin/password_reset/", _to("account_reset_password")),
]

frontend_side_doors = [
    path("_util/login/", _to("account_login")),
]
