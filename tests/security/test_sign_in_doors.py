"""One way to sign in (allauth), and no staff session past the second factor it did not pass.

Each test here failed on the code of issue 5: Wagtail's own login and password views were live
and the MFA middleware only asked whether a TOTP authenticator existed."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document

from tests.factories import PASSWORD, UserFactory, coordinator_of, participant, trainer

pytestmark = pytest.mark.django_db

PREFIXES = ["", "/en", "/ar"]


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def superuser():
    user = UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def test_the_wagtail_admin_login_view_signs_no_one_in(client, superuser):
    """The superuser has TOTP: Wagtail's form took e-mail and password and skipped it."""
    response = client.post(
        "/admin/login/?next=/admin/users/", {"username": superuser.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=%2Fadmin%2Fusers%2F"
    assert not signed_in(client)
    assert client.get("/admin/login/").url == reverse("account_login")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_wagtail_front_end_login_view_signs_no_one_in_in_any_language(client, prefix):
    """An unverified address was let in by /_util/login/, with no rate limit."""
    user = UserFactory(email="nonverifie@example.org", verified=False)
    response = client.post(f"{prefix}/_util/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == f"{prefix}/comptes/login/"
    assert not signed_in(client)


def test_an_outside_next_is_dropped(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response.url == reverse("account_login")


@pytest.mark.parametrize(
    "path",
    [
        "/admin/password_reset/",
        "/admin/password_reset/done/",
        "/admin/password_reset/confirm/MQ/abc-def/",
        "/admin/password_reset/complete/",
    ],
)
def test_wagtail_password_reset_sends_nothing_and_points_to_allauth(client, mailoutbox, path):
    UserFactory(email="oubli@example.org")
    response = client.post(path, {"email": "oubli@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("account_reset_password")
    assert mailoutbox == []


def test_wagtail_manages_neither_passwords_nor_email_addresses(settings):
    assert settings.WAGTAIL_PASSWORD_MANAGEMENT_ENABLED is False
    assert settings.WAGTAIL_PASSWORD_RESET_ENABLED is False
    assert settings.WAGTAIL_EMAIL_MANAGEMENT_ENABLED is False


def test_a_trainer_cannot_change_their_login_address_in_the_wagtail_account_page(client, world):
    teacher = trainer(email="formatrice@example.org")
    client.force_login(teacher)
    page = client.get("/admin/account/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="email"' not in html and 'name="name_email-email"' not in html
    client.post(
        "/admin/account/",
        {
            "name_email-first_name": "A",
            "name_email-last_name": "B",
            "name_email-email": "autre@example.org",
            "email": "autre@example.org",
        },
    )
    teacher.refresh_from_db()
    assert teacher.email == "formatrice@example.org"


@pytest.mark.parametrize("path", ["/admin/", "/admin/nulle-part/", "/admin/pages/"])
def test_logged_out_admin_requests_end_on_allauths_login(client, path):
    response = client.get(path, follow=True)
    final_path = response.redirect_chain[-1][0]
    assert final_path.startswith(reverse("account_login"))
    assert response.status_code == 200


# --- the second factor, whatever the door ----------------------------------------------------


@pytest.fixture
def staff_mfa_required(settings):
    settings.RENFORT_REQUIRE_STAFF_MFA = True


@pytest.fixture
def document(db):
    return Document.objects.create(
        title="Guide", file=ContentFile(b"%PDF-1.4 guide", name="guide.pdf")
    )


def entry_points(document):
    return [
        "/admin/",
        "/admin/users/",
        "/admin/api/main/documents/",
        "/admin/api/main/pages/",
        document.url,
        "/mon-espace/",
        "/organisations/",
        "/ar/organisations/",
        "/cohortes/",
        "/",
    ]


def staff_users(world):
    return {
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "coordinator": coordinator_of(world["mono"]),
        "trainer": trainer(),
    }


@pytest.mark.parametrize("role", ["superuser", "coordinator", "trainer"])
def test_a_staff_session_that_did_not_pass_totp_is_closed_at_every_entry_point(
    client, world, staff_mfa_required, document, role
):
    user = staff_users(world)[role]
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    for path in entry_points(document):
        client.force_login(user)  # as any side door would
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(reverse("account_login") + "?next="), path
        assert not signed_in(client), path


@pytest.mark.parametrize("role", ["superuser", "coordinator", "trainer"])
def test_staff_without_totp_reach_nothing_but_its_set_up(
    client, world, staff_mfa_required, document, role
):
    user = staff_users(world)[role]
    client.force_login(user)
    for path in entry_points(document):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url == reverse("mfa_activate_totp"), path


def test_a_session_that_passed_totp_goes_everywhere_its_role_allows(
    client, world, staff_mfa_required, document
):
    from allauth.account.internal.flows.login import record_authentication
    from django.test import RequestFactory

    user = coordinator_of(world["mono"])
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    session = client.session
    request = RequestFactory().get("/")
    request.session = session
    record_authentication(request, user, "mfa", id=1, type="totp")
    session.save()
    for path in ["/admin/", "/mon-espace/", "/organisations/", "/admin/api/main/pages/"]:
        assert client.get(path).status_code == 200, path
    assert signed_in(client)


def test_participants_are_not_asked_for_a_second_factor(client, world, staff_mfa_required):
    client.force_login(participant())
    assert client.get("/mon-espace/").status_code == 200
