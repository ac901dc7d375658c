"""Reference texts kept in three columns (French, Arabic, English): the page's language picks."""

from django.utils.translation import get_language


def translated(obj, field):
    """``obj.<field>`` in the active language (``<field>_ar``, ``<field>_en``), French when the
    translation is empty."""
    language = (get_language() or "fr")[:2]
    if language in ("ar", "en"):
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
    return getattr(obj, field)


def translated_row(row, field):
    """The same choice for a ``values()`` row (a dict)."""
    language = (get_language() or "fr")[:2]
    if language in ("ar", "en") and row.get(f"{field}_{language}"):
        return row[f"{field}_{language}"]
    return row[field]
