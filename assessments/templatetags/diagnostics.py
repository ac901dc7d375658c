"""Score formatting as filters (cheaper than an include per table cell)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

DASH = mark_safe('<span class="muted">—</span>')

register = template.Library()


@register.filter
def score(value):
    """A 0-100 score rounded to a whole number, or a dash when there is none."""
    if value is None:
        return DASH
    return f"{value:.0f}"


@register.filter
def change(value):
    """A change in points with its sign, kept left-to-right inside Arabic text."""
    if value is None:
        return DASH
    rounded = round(value)
    if rounded > 0:
        return format_html('<span class="up" dir="ltr">+{}</span>', rounded)
    if rounded < 0:
        return format_html('<span class="down" dir="ltr">{}</span>', rounded)
    return "0"
