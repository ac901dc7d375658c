"""Signing in, signing out and resetting a password keep the user's language and direction,
and so do the e-mails they send."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ARABIC_SIGNED_OUT = "تم تسجيل خروجك."


def url_in(language, name, *args):
    with translation.override(language):
        return reverse(name, args=args)


def test_signing_out_from_an_arabic_page_lands_on_the_arabic_home_page(client):
    client.force_login(UserFactory())
    response = client.post(url_in("ar", "account_logout"), follow=True)
    assert response.redirect_chain[-1][0] == "/ar/"
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert ARABIC_SIGNED_OUT in html


@pytest.mark.parametrize(("language", "home"), [("fr", "/"), ("en", "/en/")])
def test_signing_out_keeps_french_and_english_too(client, language, home):
    client.force_login(UserFactory())
    response = client.post(url_in(language, "account_logout"))
    assert response.url == home


def test_signing_in_from_the_arabic_page_lands_on_the_arabic_space(client):
    user = UserFactory(email="agent.ar@example.org")
    response = client.post(
        url_in("ar", "account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response.url == "/ar/mon-espace/"


def test_an_arabic_page_asks_for_sign_in_in_arabic(client):
    response = client.get("/ar/mon-espace/")
    assert response.url.startswith("/ar/comptes/login/")
    page = client.get(response.url).content.decode()
    assert '<html lang="ar" dir="rtl">' in page


def test_a_wrong_password_on_the_arabic_page_is_answered_in_arabic(client):
    UserFactory(email="agent.ar@example.org")
    response = client.post(
        url_in("ar", "account_login"), {"login": "agent.ar@example.org", "password": "faux"}
    )
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "L’adresse e-mail" not in html


@pytest.mark.parametrize(
    ("language", "prefix", "subject_word"),
    [("ar", "/ar", "كلمة المرور"), ("en", "/en", "Password"), ("fr", "", "mot de passe")],
)
def test_the_password_reset_mail_speaks_the_language_it_was_asked_in(
    client, mailoutbox, language, prefix, subject_word
):
    UserFactory(email="oubli@example.org")
    response = client.post(
        url_in(language, "account_reset_password"), {"email": "oubli@example.org"}
    )
    assert response.status_code == 302
    assert response.url.startswith(f"{prefix}/comptes/")
    (message,) = mailoutbox
    assert subject_word.lower() in message.subject.lower()
    assert f"{prefix}/comptes/password/reset/key/" in message.body


def test_the_reset_link_opens_the_form_in_arabic_right_to_left(client, mailoutbox):
    UserFactory(email="oubli@example.org")
    client.post(url_in("ar", "account_reset_password"), {"email": "oubli@example.org"})
    link = next(w for w in mailoutbox[0].body.split() if "/ar/comptes/password/reset/key/" in w)
    form = client.get(link.split("testserver", 1)[-1], follow=True)
    html = form.content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_the_mail_keeps_the_request_language_even_if_something_switched_it(
    client, mailoutbox, monkeypatch
):
    """The adapter renders inside the request's language, whatever is active when it sends."""
    from renfort.accounts.adapter import AccountAdapter

    original = AccountAdapter.send_mail

    def send_after_a_switch(self, *args, **kwargs):
        with translation.override("fr"):
            return original(self, *args, **kwargs)

    monkeypatch.setattr(AccountAdapter, "send_mail", send_after_a_switch)
    UserFactory(email="oubli@example.org")
    client.post(url_in("ar", "account_reset_password"), {"email": "oubli@example.org"})
    assert "كلمة المرور" in mailoutbox[0].subject
    assert mail.outbox[0].body.count("/ar/comptes/password/reset/key/") == 1


def test_the_address_confirmation_mail_keeps_the_arabic_prefix(client, mailoutbox):
    UserFactory(email="nouveau@example.org", verified=False)
    client.post(
        url_in("ar", "account_login"), {"login": "nouveau@example.org", "password": PASSWORD}
    )
    (message,) = mailoutbox
    assert "/ar/comptes/confirm-email/" in message.body
    assert "البريد الإلكتروني" in message.subject
