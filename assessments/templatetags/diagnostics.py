"""Score formatting as filters (cheaper than an include per table cell)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

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


@register.simple_tag
def radar_chart(chart):
    """The radar chart of ``assessments.charts.radar`` as SVG, built once in Python: the same
    markup ``includes/radar.html`` drew with a template loop per ring, axis and series."""
    rings = format_html_join(
        "", '<polygon class="ring" points="{}"/>', ((r,) for r in chart["rings"])
    )
    axes = format_html_join(
        "",
        '<line class="axis" x1="{0}" y1="{0}" x2="{1}" y2="{2}"/>\n'
        '    <text class="axis-number" x="{3}" y="{4}" text-anchor="{5}">{6}</text>',
        (
            (chart["centre"], a["x"], a["y"], a["label_x"], a["label_y"], a["anchor"], a["number"])
            for a in chart["axes"]
        ),
    )
    series = format_html_join(
        "",
        '<polygon class="serie {}" points="{}"><title>{}</title></polygon>',
        ((s["css_class"], s["points"], s["label"]) for s in chart["series"]),
    )
    legend = format_html_join(
        "",
        '<li><span class="swatch {}"></span>{}</li>',
        ((s["css_class"], s["label"]) for s in chart["series"]),
    )
    return format_html(
        '<figure class="radar">\n'
        '  <svg viewBox="0 0 {0} {0}" role="img" aria-labelledby="radar-title" direction="ltr"'
        ' class="radar-svg">\n'
        '    <title id="radar-title">{1}</title>\n'
        "    {2}\n"
        "    {3}\n"
        "    {4}\n"
        "  </svg>\n"
        "  <figcaption>\n"
        '    <ul class="legend">{5}</ul>\n'
        "  </figcaption>\n"
        "</figure>\n",
        chart["size"],
        gettext("Scores per dimension, 0 to 100"),
        rings,
        axes,
        series,
        legend,
    )
