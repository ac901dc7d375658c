"""Signing in: e-mail and password through allauth, verification, rate limits, MFA for staff."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory, coordinator_of, participant, trainer

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_user_signs_in_with_email_and_lands_on_their_space(client, world):
    user = coordinator_of(world["mono"], email="coordination@example.org")
    response = login(client, "coordination@example.org")
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    page = client.get(reverse("dashboard")).content.decode()
    assert "Mono" in page
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_is_refused_with_a_message_in_french(client):
    UserFactory(email="agent@example.org")
    response = login(client, "agent@example.org", "pas-le-bon")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "L’adresse e-mail ou le mot de passe sont incorrects" in response.content.decode()


def test_an_unverified_address_must_be_confirmed_first(client, mailoutbox):
    UserFactory(email="nouveau@example.org", verified=False)
    response = login(client, "nouveau@example.org")
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert mailoutbox and mailoutbox[0].to == ["nouveau@example.org"]


def test_repeated_failures_are_rate_limited(client):
    UserFactory(email="cible@example.org")
    for _ in range(5):
        login(client, "cible@example.org", "mauvais")
    response = login(client, "cible@example.org")
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_password_reset_sends_a_link(client, mailoutbox):
    UserFactory(email="oubli@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "oubli@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/comptes/password/reset/key/" in mailoutbox[0].body


def test_open_sign_up_is_closed_by_default(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "intrus@example.org", "password1": "Xy7-long-pass", "password2": "Xy7-long-pass"},
    )
    assert response.status_code == 200
    assert "signup_closed" in response.templates[0].name or "fermée" in response.content.decode()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="intrus@example.org").exists()


def test_the_wagtail_admin_login_goes_through_allauth(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_trainer_can_open_the_wagtail_admin_and_a_participant_cannot(client, world):
    client.force_login(trainer())
    assert client.get("/admin/").status_code == 200
    client.force_login(participant())
    assert client.get("/admin/").status_code == 302


@pytest.fixture
def staff_mfa_required(settings):
    settings.RENFORT_REQUIRE_STAFF_MFA = True


def test_staff_without_totp_are_sent_to_set_it_up_when_required(client, world, staff_mfa_required):
    client.force_login(coordinator_of(world["mono"]))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    # Setting up a second factor asks for the password again, which must not loop back.
    setup = client.get(reverse("mfa_activate_totp"), follow=True)
    assert setup.status_code == 200
    assert setup.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


def test_owning_totp_is_not_enough_the_session_must_have_passed_it(
    client, world, staff_mfa_required
):
    """A session opened by any door but allauth's second step (here ``force_login``) is closed
    and sent to sign in again, even though the user has an authenticator."""
    user = coordinator_of(world["mono"])
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=%2Fmon-espace%2F"
    assert "_auth_user_id" not in client.session


def test_participants_are_not_forced_into_mfa(client, world, staff_mfa_required):
    client.force_login(participant())
    assert client.get(reverse("dashboard")).status_code == 200


def test_staff_are_not_forced_into_mfa_when_the_setting_is_off(client, world):
    client.force_login(coordinator_of(world["mono"]))
    assert client.get(reverse("dashboard")).status_code == 200


def current_totp_code(secret):
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_a_coordinator_required_to_use_mfa_sets_it_up_and_then_signs_in_with_a_code(
    client, world, staff_mfa_required
):
    coordinator_of(world["mono"], email="coordo.mfa@example.org")
    assert login(client, "coordo.mfa@example.org").status_code == 302
    assert client.get(reverse("dashboard")).url == reverse("mfa_activate_totp")

    # allauth asks for the password again before any change to the second factor.
    assert client.get(reverse("mfa_activate_totp")).url.startswith(
        reverse("account_reauthenticate")
    )
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]
    activated = client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})
    assert activated.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200

    client.post(reverse("account_logout"))
    second_step = login(client, "coordo.mfa@example.org")
    assert second_step.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})
    assert client.get(reverse("dashboard")).status_code == 200


def test_every_user_can_reach_the_two_factor_settings(client, world):
    client.force_login(participant())
    assert client.get(reverse("mfa_index")).status_code == 200
