"""An editor's panel: is this page's translation behind its French source (or the other way
round)? Compares the latest revision dates, since simple_translation keeps no record."""

from wagtail.admin.panels import Panel
from wagtail.models import Locale


def translation_status(page):
    """For a source page: ``[(translation, is_stale)]``; for a translation: ``(source,
    is_stale)`` in a one-item list. A translation is stale when the source's latest revision is
    newer than the translation's."""
    if page.pk is None:
        return []
    source = page.get_translation_or_none(Locale.get_default())
    rows = []
    if source is None or source.pk == page.pk:
        for translation in page.get_translations().select_related("locale").order_by("locale"):
            rows.append((translation, _is_stale(page, translation), False))
    else:
        rows.append((source, _is_stale(source, page), True))
    return rows


def _is_stale(source, translation):
    source_at = source.latest_revision_created_at
    translated_at = translation.latest_revision_created_at
    return bool(source_at and translated_at and source_at > translated_at)


class TranslationStatusPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/translation_status_panel.html"

        def is_shown(self):
            return self.instance is not None and self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["rows"] = translation_status(self.instance)
            return context
