"""Security headers on every response (issue 5): a strict Content-Security-Policy on the site's
own pages, inline code only in the Wagtail admin, and a Permissions-Policy."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


@pytest.mark.parametrize("path", ["/", "/ar/", "/comptes/login/", "/healthz"])
def test_the_sites_own_pages_get_the_strict_policy(client, path):
    response = client.get(path)
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_only_the_wagtail_admin_may_run_inline_code(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    policy = directives(client.get("/admin/"))
    assert "'unsafe-inline'" in policy["script-src"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert "'unsafe-inline'" not in directives(client.get("/mon-espace/"))["script-src"]


def test_the_admin_does_not_call_home(settings):
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False
