from django import template
from django.template.defaultfilters import floatformat
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import date_format, get_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from associations.scope import is_staff_role

register = template.Library()


@register.filter
def staff_role(user):
    """Whether ``user`` is a trainer, coordinator or administrator (cohort pages are theirs)."""
    return is_staff_role(user)


ROLL_CALL_ROW = (
    '<li id="e{pk}" class="roll-row{marked}">\n'
    '  <form method="post" action="{action}" hx-post="{action}" hx-target="#e{pk}"'
    ' hx-swap="outerHTML">\n'
    '    {csrf}<input type="hidden" name="enrolment" value="{pk}">\n'
    '    <span class="who">{person}{organisation}</span>\n'
    '    <span class="taps">\n{buttons}\n    </span>\n'
    '    <span class="saved" aria-live="polite">{saved}</span>\n'
    "  </form>\n"
    "</li>"
)
TAP = (
    '      <button type="submit" name="status" value="{status}" class="tap {status}"'
    ' aria-pressed="{pressed}">{label}</button>'
)


def _roll_call_row_renderer(context, action):
    """A function rendering one roll-call row (a person, three taps): the roll call of a big
    cohort has hundreds, so the row is one Python format string, not an included template.
    What is the same for every row (labels, CSRF field, action) is computed once."""
    csrf = CsrfTokenNode().render(context)
    action = conditional_escape(action)
    labels = [
        ("present", conditional_escape(_("Present"))),
        ("absent", conditional_escape(_("Absent"))),
        ("excused", conditional_escape(_("Excused"))),
    ]
    saved = conditional_escape("✓ " + _("Saved"))

    def render(enrolment):
        mark = enrolment.mark
        organisation = enrolment.organisation
        return ROLL_CALL_ROW.format(
            pk=enrolment.pk,
            marked=" marked" if mark else "",
            action=action,
            csrf=csrf,
            person=conditional_escape(enrolment.person),
            organisation=format_html("<small>{}</small>", organisation) if organisation else "",
            buttons="\n".join(
                TAP.format(
                    status=status, pressed="true" if mark == status else "false", label=label
                )
                for status, label in labels
            ),
            saved=saved if mark else "",
        )

    return render


@register.simple_tag(takes_context=True)
def roll_call_row(context, enrolment, action):
    return mark_safe(_roll_call_row_renderer(context, action)(enrolment))


@register.simple_tag(takes_context=True)
def roll_call_rows(context, rows, action):
    render = _roll_call_row_renderer(context, action)
    return mark_safe("".join(render(enrolment) for enrolment in rows))


CLASS_LIST_ROW = (
    "<tr{withdrawn_class}>\n"
    '  <td><a href="{person_url}">{person}</a>{withdrawn}{withdraw_link}{replaces}</td>\n'
    "  <td>{organisation}</td>\n"
    "  <td>{rate}</td>\n"
    "  <td>{excused}</td>\n"
    "  <td>{modules_followed}{modules_total}</td>\n"
    "  {grid}\n"
    "</tr>"
)
_PK = 987654321987  # a placeholder reversed once, replaced per row


@register.simple_tag
def class_list_rows(enrolments, modules, can_enrol):
    """The rows of the cohort page's class list (name, organisation, rates, modules followed,
    attendance grid), one Python format string per row: 50 rows of 40 sessions make thousands
    of template nodes otherwise. ``enrolment.grid`` is built by ``cohort_page``."""
    person_url = reverse("associations:person_detail", args=[_PK])
    withdraw = format_html(  # escaped once; each row puts its own key in
        '<br><small><a href="{}">{}</a></small>',
        reverse("associations:enrolment_withdrawal", args=[_PK]),
        _("Withdraw or replace"),
    )
    modules_total = f" / {len(modules)}" if modules else ""
    rates = {}  # the same figures read the same: each formatted once (floatformat is slow)
    rows = []
    for enrolment in enrolments:
        withdrawn = ""
        if enrolment.withdrawn_on:
            withdrawn = format_html(
                "<br><small>{}{}</small>",
                _("Withdrawn on %(date)s")
                % {"date": date_format(enrolment.withdrawn_on, "SHORT_DATE_FORMAT")},
                format_html(" — {}", enrolment.withdrawal_reason)
                if enrolment.withdrawal_reason
                else "",
            )
        withdraw_link = ""
        if can_enrol and not enrolment.withdrawn_on:
            withdraw_link = withdraw.replace(str(_PK), str(enrolment.pk))
        replaces = ""
        if enrolment.replaces:
            replaces = format_html(
                "<br><small>{}</small>",
                _("Replaces %(person)s") % {"person": enrolment.replaces.person},
            )
        figures = (enrolment.attendance_rate, enrolment.sessions_present, enrolment.sessions_held)
        if enrolment.attendance_rate is None:
            rate = "–"
        elif figures in rates:
            rate = rates[figures]
        else:
            rate = rates[figures] = format_html(
                "{} % <small>({}/{})</small>",
                floatformat(enrolment.attendance_rate, 0),
                enrolment.sessions_present,
                enrolment.sessions_held,
            )
        rows.append(
            CLASS_LIST_ROW.format(
                withdrawn_class=' class="withdrawn"' if enrolment.withdrawn_on else "",
                person_url=person_url.replace(str(_PK), str(enrolment.person_id)),
                person=conditional_escape(enrolment.person),
                withdrawn=withdrawn,
                withdraw_link=withdraw_link,
                replaces=replaces,
                organisation=conditional_escape(enrolment.organisation or ""),
                rate=rate,
                excused=enrolment.sessions_excused,
                modules_followed=enrolment.modules_followed,
                modules_total=modules_total,
                grid=enrolment.grid,
            )
        )
    return mark_safe("\n".join(rows))


SESSION_ROW = (
    "<tr{cancelled_class}>\n"
    '  <td data-label="{date_label}">{date} · {part}{cancelled}</td>\n'
    '  <td data-label="{theme_label}">{theme}{modules}</td>\n'
    '  <td data-label="{place_label}">{place}</td>\n'
    '  <td data-label="{actions_label}">{links}</td>\n'
    "</tr>"
)


@register.simple_tag
def session_rows(sessions):
    """The rows of the cohort page's sessions table (date, theme and modules, place, roll-call,
    sign-in sheet and attendance spreadsheet links), built in Python like the class list.
    ``session.module_titles`` is set by ``cohort_page``."""
    # The links of a session, escaped once with a placeholder for its key (digits need no
    # escaping): each row only puts its own key in.
    links = format_html(
        '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}" download>{}</a>',
        reverse("associations:roll_call", args=[_PK]),
        _("Take the roll"),
        reverse("associations:sign_in_sheet", args=[_PK]),
        _("Sign-in sheet (PDF)"),
        reverse("associations:attendance_sheet", args=[_PK, "xlsx"]),
        _("Attendance sheet (XLSX)"),
    )
    cancelled_label = format_html(" ({})", _("cancelled"))
    # On a phone the table stacks into cards, each cell led by its column's name.
    labels = {
        "date_label": conditional_escape(_("Date")),
        "theme_label": conditional_escape(_("Theme and modules")),
        "place_label": conditional_escape(_("Place")),
        "actions_label": conditional_escape(_("Actions")),
    }
    short_date = get_format("SHORT_DATE_FORMAT")  # looked up once, not per row
    parts = {}  # the translated name of each part of the day, escaped once
    rows = []
    for session in sessions:
        if session.part not in parts:
            parts[session.part] = conditional_escape(session.get_part_display())
        titles = session.module_titles
        modules = ""
        if titles:
            modules = format_html(
                "{}{}", " — " if session.theme else "", ", ".join(str(t) for t in titles)
            )
        rows.append(
            SESSION_ROW.format(
                cancelled_class=' class="cancelled"' if session.cancelled else "",
                date=dateformat.format(session.date, short_date),
                part=parts[session.part],
                cancelled=cancelled_label if session.cancelled else "",
                theme=conditional_escape(session.theme),
                modules=modules,
                place=conditional_escape(session.place),
                links="" if session.cancelled else links.replace(str(_PK), str(session.pk)),
                **labels,
            )
        )
    return mark_safe("\n".join(rows))


@register.simple_tag
def grid_header(sessions):
    """The session columns of the attendance grid's header."""
    short_date = get_format("SHORT_DATE_FORMAT")
    return format_html_join(
        "",
        '<th class="day" title="{}">{}</th>',
        (
            (dateformat.format(s.date, short_date), dateformat.format(s.date, "d/m"))
            for s in sessions
        ),
    )
