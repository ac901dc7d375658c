"""Score formatting as filters (cheaper than an include per table cell)."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
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


@register.simple_tag(takes_context=True)
def item_cards(context, diagnostic, items, can_edit):
    """The diagnostic's question cards (a dimension title before each new dimension), built once
    in Python: the markup the template loop drew, item by item and level by level, at a
    fraction of its cost (a diagnostic has about 60 items and 240 level texts)."""
    csrf = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', context.get("csrf_token")
    )
    texts = {
        "reached": gettext("Level reached"),
        "guidance": gettext("Evidence to look for"),
        "comment": gettext("Comment"),
        "save": gettext("Save"),
        "saved": gettext("Saved"),
        "not_answered": gettext("Not answered"),
        "add": gettext("Add a document or photo"),
        "send": gettext("Send"),
    }
    parts = []
    last_dimension = object()
    for item in items:
        response = item.response
        level_now = response.level if response is not None else None
        parts.append("\n  ")
        if item.dimension_id != last_dimension:
            last_dimension = item.dimension_id
            parts.append(format_html('<h2 class="dimension-title">{}</h2>', item.dimension.label))
        parts.append(
            format_html(
                '\n  <article class="card item-card" id="item-{}">\n'
                '    <h3 class="question" dir="auto">{}</h3>\n    ',
                item.pk,
                item.label,
            )
        )
        if can_edit:
            levels = format_html_join(
                "",
                '<label class="level"><input type="radio" name="level" value="{}"{}>'
                '<span class="level-number">{}</span><span dir="auto">{}</span></label>',
                (
                    (
                        level.level,
                        mark_safe(" checked") if level_now == level.level else "",
                        level.level,
                        level.label,
                    )
                    for level in item.level_list
                ),
            )
            guidance = format_html_join(
                "",
                '<li><strong>{}.</strong> <span dir="auto">{}</span></li>',
                (
                    (level.level, level.evidence_guidance)
                    for level in item.level_list
                    if level.evidence_guidance
                ),
            )
            parts.append(
                format_html(
                    '\n    <form method="post" action="{}" data-autosave>\n'
                    "      {}\n"
                    '      <fieldset class="levels"><legend>{}</legend>\n'
                    "        {}\n"
                    "      </fieldset>\n"
                    '      <details class="guidance"><summary>{}</summary>\n'
                    "        <ul>{}</ul>\n"
                    "      </details>\n"
                    '      <label class="comment">{}<textarea name="comment" rows="2"'
                    ' dir="auto">{}</textarea></label>\n'
                    '      <button type="submit">{}</button>\n'
                    '      <span class="save-status" data-status aria-live="polite">{}</span>\n'
                    "    </form>\n    ",
                    reverse("assessments:response_save", args=[diagnostic.pk, item.pk]),
                    csrf,
                    texts["reached"],
                    levels,
                    texts["guidance"],
                    guidance,
                    texts["comment"],
                    response.comment if response is not None else "",
                    texts["save"],
                    texts["saved"] if level_now else "",
                )
            )
        else:
            if level_now:
                labels = format_html_join(
                    "",
                    ' <span dir="auto">{}</span>',
                    ((level.label,) for level in item.level_list if level.level == level_now),
                )
                answer = format_html('<span class="level-number">{}</span>{}', level_now, labels)
            else:
                answer = format_html('<span class="muted">{}</span>', texts["not_answered"])
            comment = ""
            if response is not None and response.comment:
                comment = format_html(
                    '<p class="comment-text" dir="auto">{}</p>',
                    linebreaksbr(response.comment, autoescape=True),
                )
            parts.append(
                format_html(
                    '\n      \n      <p class="answer">{}</p>\n      {}\n      \n    ',
                    answer,
                    comment,
                )
            )
        parts.append("\n    ")
        evidence = list(response.evidence.all()) if response is not None else []
        if evidence:
            parts.append(
                format_html(
                    '<ul class="evidence">{}</ul>',
                    format_html_join(
                        "",
                        '<li><a href="{}">{}</a></li>',
                        (
                            (reverse("assessments:evidence_file", args=[e.pk]), e.original_name)
                            for e in evidence
                        ),
                    ),
                )
            )
        parts.append("\n    ")
        if can_edit:
            parts.append(
                format_html(
                    '\n    <form method="post" enctype="multipart/form-data" action="{}"'
                    ' class="evidence-form">{}\n'
                    '      <label>{} <input type="file" name="file" accept=".pdf,.docx,.xlsx,'
                    '.odt,.ods,.txt,.csv,.jpg,.jpeg,.png,.webp"></label>\n'
                    '      <button type="submit">{}</button>\n'
                    "    </form>\n    ",
                    reverse("assessments:evidence_upload", args=[diagnostic.pk, item.pk]),
                    csrf,
                    texts["add"],
                    texts["send"],
                )
            )
        parts.append("\n  </article>\n")
    return mark_safe("".join(str(part) for part in parts))
