"""Wagtail admin: the funding partners snippet, in French; translation status in listings."""

from django.urls import reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import Partner
from courses.panels import translation_status


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = _("Partners")
    menu_name = "partners"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "acronym", "website"]
    search_fields = ["name", "acronym"]
    copy_view_enabled = False


register_snippet(PartnerViewSet)


@hooks.register("register_page_listing_buttons")
def translation_status_buttons(page, user, next_url=None):
    """In the admin's page listings, a page whose translation is behind its French source (or
    a translation whose source changed since) says so beside its title, linked to the page
    to update; the same rule as the editor's « Traductions » panel."""
    for other, is_stale, is_source in translation_status(page):
        if not is_stale:
            continue
        if is_source:
            label = _("Behind its French source")
        else:
            language = get_language_info(other.locale.language_code)["name_translated"]
            label = _("Translation to update: %(language)s") % {"language": language}
        yield ListingButton(
            label,
            url=reverse("wagtailadmin_pages:edit", args=[other.pk]),
            icon_name="warning",
            classname="translation-stale",
            attrs={"title": _("The French source changed after this translation was last edited")},
            priority=5,
        )
