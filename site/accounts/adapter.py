from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import translation


def request_language(request):
    """The language of the page the user acted from (its /ar/, /en/ prefix, else French)."""
    return getattr(request, "LANGUAGE_CODE", None) or translation.get_language()


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by coordinators; open sign-up only where the deployment allows it.
    Signing out and the account e-mails keep the language the user was reading in."""

    def is_open_for_signup(self, request):
        return settings.ACCOUNT_ALLOW_REGISTRATION

    def get_logout_redirect_url(self, request):
        # ACCOUNT_LOGOUT_REDIRECT_URL "/" is the French home page: go to the user's language's.
        with translation.override(request_language(request)):
            url = resolve_url(settings.ACCOUNT_LOGOUT_REDIRECT_URL)
            return reverse("wagtail_serve", args=[""]) if url == "/" else url

    def send_mail(self, template_prefix, email, context_data):
        request = self.request or context.request
        with translation.override(request_language(request)):
            super().send_mail(template_prefix, email, context_data)
