"""Wagtail admin: the funding partners snippet, in French."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import Partner


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
