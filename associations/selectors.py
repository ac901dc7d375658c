"""Reads of the associations app, always through the user's scope."""

import re
import unicodedata
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf, Replace
from django.utils import timezone
from django.utils.safestring import mark_safe

from associations.models import (
    Attendance,
    Cohort,
    CohortOrganisation,
    Enrolment,
    Organisation,
    Person,
    Session,
    Territory,
)
from associations.scope import grants_for, in_territory, visible_to
from courses.models import ModulePage


def organisations_for(user):
    """Organisations ``user`` may see, with their territory, in name order."""
    return visible_to(user, Organisation.objects.select_related("territory")).order_by("name")


def organisation_if_visible(user, organisation_id):
    """The organisation ``organisation_id`` if ``user`` may see it, else ``None``."""
    if organisation_id is None:
        return None
    return organisations_for(user).filter(pk=organisation_id).first()


def people_for(user):
    """People ``user`` may see, with their organisation."""
    return visible_to(user, Person.objects.select_related("organisation"))


def cohorts_for(user):
    """Cohorts ``user`` may see, with their territory and how many of their enrolments ``user``
    may see (a focal point counts their own people, not the whole cohort), in one query."""
    visible_enrolments = visible_to(user, Enrolment.objects.all()).values("pk")
    cohorts = Cohort.objects.select_related("territory").annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__in=visible_enrolments))
    )
    return visible_to(user, cohorts).order_by("-start_date", "code")


def coordinated_territories(user):
    """The territory nodes a coordinator is attached to, each with how many organisations,
    people and cohorts lie in it and below."""
    paths = grants_for(user).territory_paths
    territories = list(Territory.objects.filter(path__in=paths).order_by("path"))
    for territory in territories:
        territory.organisations_count = in_territory(Organisation.objects.all(), territory).count()
        territory.people_count = in_territory(Person.objects.all(), territory).count()
        territory.cohorts_count = in_territory(Cohort.objects.all(), territory).count()
    return territories


# Attendance -----------------------------------------------------------------------------------


def _count(queryset, group_by):
    """A subquery giving how many rows of ``queryset`` there are per ``group_by`` value."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def held_sessions(*, today=None):
    """Sessions already held: dated today or before, and not cancelled."""
    return Session.objects.filter(date__lte=today or timezone.localdate(), cancelled=False)


def with_attendance(enrolments, *, today=None):
    """``enrolments`` annotated, in the database, with ``sessions_held`` (sessions of their
    cohort dated today or before and not cancelled), ``sessions_present``, ``sessions_excused``
    and ``attendance_rate`` = present / held in percent (``None`` before any session is held).
    Excused absences count as absences for the rate and are shown apart. The one definition of
    the attendance rate: reports and the "trained" rule build on it."""
    held = held_sessions(today=today)
    marks = Attendance.objects.filter(enrolment=OuterRef("pk"), session__in=held)
    return enrolments.annotate(
        sessions_held=_count(held.filter(cohort=OuterRef("cohort")), "cohort"),
        sessions_present=_count(marks.filter(status=Attendance.Status.PRESENT), "enrolment"),
        sessions_excused=_count(marks.filter(status=Attendance.Status.EXCUSED), "enrolment"),
    ).annotate(
        attendance_rate=ExpressionWrapper(
            F("sessions_present") * 100.0 / NullIf(F("sessions_held"), 0),
            output_field=FloatField(),
        )
    )


def cohort_attendance_counts(cohort, *, today=None):
    """The figures of ``with_attendance`` for every enrolment of ``cohort`` at once, in two
    queries whatever its size (one count, one aggregate grouped by enrolment, instead of three
    subqueries per enrolment): ``(sessions_held, {enrolment id: (present, excused)})``, an
    enrolment without a mark on a held session being absent from the dict."""
    held = held_sessions(today=today)
    # Grouped by the enrolment's own key (walked in its index's order: no sorting for the
    # grouping); the filter on the joined marks keeps those of held sessions (a list of held
    # sessions checked per mark costs less than joining each mark's session).
    marks = (
        Enrolment.objects.filter(cohort=cohort, attendances__session__in=held)
        .order_by()
        .values("pk")
        .annotate(
            present=Count("attendances", filter=Q(attendances__status=Attendance.Status.PRESENT)),
            excused=Count("attendances", filter=Q(attendances__status=Attendance.Status.EXCUSED)),
        )
        .values_list("pk", "present", "excused")
    )
    return (
        held.filter(cohort=cohort).count(),
        {enrolment_id: (present, excused) for enrolment_id, present, excused in marks},
    )


def attendance_rate(enrolment, *, today=None):
    """The attendance rate of one enrolment, in percent, or ``None`` before any session."""
    return (
        with_attendance(Enrolment.objects.filter(pk=enrolment.pk), today=today)
        .values_list("attendance_rate", flat=True)
        .get()
    )


def in_person_followed_module_ids(user, module_ids):
    """Ids among ``module_ids`` of the modules covered in a non-cancelled session where
    ``user``'s person was marked present (the in-person half of "module followed")."""
    if not user.is_authenticated or not module_ids:
        return set()
    through = Session.modules.through
    return set(
        through.objects.filter(
            modulepage_id__in=list(module_ids),
            session__cancelled=False,
            session__attendances__status=Attendance.Status.PRESENT,
            session__attendances__enrolment__person__user=user,
        ).values_list("modulepage_id", flat=True)
    )


def enrolment_module_pairs(enrolment_ids):
    """``{enrolment id: set of module ids}`` followed in person by these enrolments (one query)."""
    through = Session.modules.through
    pairs = {}
    rows = through.objects.filter(
        session__cancelled=False,
        session__attendances__status=Attendance.Status.PRESENT,
        session__attendances__enrolment_id__in=list(enrolment_ids),
    ).values_list("session__attendances__enrolment_id", "modulepage_id")
    for enrolment_id, module_id in rows.distinct():
        pairs.setdefault(enrolment_id, set()).add(module_id)
    return pairs


def sessions_for(user):
    """Sessions ``user`` may see, with their cohort."""
    return visible_to(user, Session.objects.select_related("cohort"))


GRID_CELLS = {
    "present": '<td class="mark present">P</td>',
    "absent": '<td class="mark absent">A</td>',
    "excused": '<td class="mark excused">E</td>',
    "": '<td class="mark none">–</td>',
}


def cohort_page(user, cohort, *, enrolments_page):
    """What the cohort page shows, in a bounded number of queries whatever the cohort's size:
    the sessions (each with ``module_titles``), the organisations enrolled, and for the
    enrolments of ``enrolments_page`` (a page of ``cohort_enrolments``) their attendance grid
    row, the modules they followed in person and, when the page was fetched
    ``with_rates=False``, the attendance figures of ``with_attendance`` (``sessions_held``,
    ``sessions_present``, ``sessions_excused``, ``attendance_rate``) counted from the grid's
    marks, which is cheaper than three correlated subqueries per row and gives the same
    numbers."""
    sessions = list(cohort.sessions.all())
    # The titles of the modules each session covers: all the sessions table shows of them.
    titles = {}
    covered = Session.modules.through.objects.filter(session_id__in=[s.pk for s in sessions])
    for session_id, title in (
        covered.order_by("modulepage__path").values_list("session_id", "modulepage__title")
        if sessions
        else ()
    ):
        titles.setdefault(session_id, []).append(title)
    for session in sessions:
        session.module_titles = titles.get(session.pk, [])
    session_ids = [s.pk for s in sessions]
    today = timezone.localdate()
    held = [s.pk for s in sessions if s.date <= today and not s.cancelled]
    enrolments = list(enrolments_page)
    ids = [e.pk for e in enrolments]
    marks = {}  # {enrolment id: {session id: status}}
    for enrolment_id, session_id, status in Attendance.objects.filter(
        enrolment_id__in=ids
    ).values_list("enrolment_id", "session_id", "status"):
        marks.setdefault(enrolment_id, {})[session_id] = status
    followed = enrolment_module_pairs(ids)
    for enrolment in enrolments:
        own = marks.get(enrolment.pk, {})
        # The grid is the page's biggest part (people x sessions): its cells are constant
        # strings picked here, not thousands of template nodes.
        enrolment.grid = mark_safe("".join([GRID_CELLS[own.get(pk, "")] for pk in session_ids]))
        enrolment.modules_followed = len(followed.get(enrolment.pk, ()))
        if not hasattr(enrolment, "attendance_rate"):
            statuses = [own.get(pk) for pk in held]
            enrolment.sessions_held = len(held)
            enrolment.sessions_present = statuses.count(Attendance.Status.PRESENT)
            enrolment.sessions_excused = statuses.count(Attendance.Status.EXCUSED)
            enrolment.attendance_rate = (
                enrolment.sessions_present * 100.0 / len(held) if held else None
            )
    organisations = visible_to(
        user,
        CohortOrganisation.objects.filter(cohort=cohort).select_related("organisation"),
    ).order_by("organisation__name")
    return {
        "sessions": sessions,
        "enrolments": enrolments,
        "organisations": list(organisations),
        "modules": list(ModulePage.objects.child_of(cohort.programme).live())
        if cohort.programme_id
        else [],
    }


def cohort_enrolments(user, cohort, *, today=None, with_rates=True):
    """Enrolments of ``cohort`` that ``user`` may see, with person, organisation and (unless
    ``with_rates=False``: ``cohort_page`` then counts them) attendance annotations, active
    first, in name order."""
    enrolments = visible_to(
        user,
        Enrolment.objects.filter(cohort=cohort).select_related(
            "person", "organisation", "replaces__person"
        ),
    )
    if with_rates:
        enrolments = with_attendance(enrolments, today=today)
    return enrolments.order_by(
        F("withdrawn_on").asc(nulls_first=True), "person__last_name", "person__first_name"
    )


def cohort_detail_queryset(user):
    """Cohorts ``user`` may see, ready for the cohort page."""
    return visible_to(
        user,
        Cohort.objects.select_related("territory", "programme").prefetch_related(
            "facilitators", "outside_facilitators", "partners"
        ),
    )


def _expected_at(session):
    """Enrolments expected at ``session``: enrolled and not withdrawn before its date."""
    return (
        Enrolment.objects.filter(cohort_id=session.cohort_id)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=session.date))
        .order_by("person__last_name", "person__first_name")
    )


def roll_call_rows(session):
    """The people expected at ``session`` (enrolled and not withdrawn before its date), each
    with their current mark (``mark``: a status, or "" when none), in name order."""
    enrolments = list(_expected_at(session).select_related("person", "organisation"))
    marks = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    for enrolment in enrolments:
        enrolment.mark = marks.get(enrolment.pk, "")
    return enrolments


@dataclass(frozen=True)
class RollCallRow:
    """One line of the roll call: what the page shows of an enrolment (the roll call of a big
    cohort has hundreds: no model instances)."""

    pk: int
    person: str
    organisation: str
    mark: str


def roll_call_lines(session):
    """``roll_call_rows`` for the roll-call page: the same people in the same order, with the
    names the page shows (``str`` of the person and the organisation, as the tap's answer
    renders them), in two queries."""
    marks = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    rows = _expected_at(session).values_list(
        "pk",
        "person__first_name",
        "person__last_name",
        "organisation__name",
        "organisation__acronym",
    )
    return [
        RollCallRow(
            pk=pk,
            # The models' own __str__, on the values alone (no model instance per row).
            person=Person.__str__(SimpleNamespace(first_name=first_name, last_name=last_name)),
            organisation=Organisation.__str__(SimpleNamespace(name=name, acronym=acronym))
            if name is not None
            else "",
            mark=marks.get(pk, ""),
        )
        for pk, first_name, last_name, name, acronym in rows
    ]


def organisation_progress(user, organisation, *, today=None):
    """For an organisation's page: each cohort it takes part in (enrolled as such or through
    delegates), its delegates there, their attendance rate together (present / held over all of
    them) and the programme's modules followed in person by at least one delegate."""
    enrolments = with_attendance(
        visible_to(user, Enrolment.objects.filter(organisation=organisation)), today=today
    ).select_related("person", "cohort", "cohort__programme")
    by_cohort = {}
    for enrolment in enrolments:
        by_cohort.setdefault(enrolment.cohort, []).append(enrolment)
    for link in visible_to(
        user, CohortOrganisation.objects.filter(organisation=organisation).select_related("cohort")
    ):
        by_cohort.setdefault(link.cohort, [])
    followed = enrolment_module_pairs([e.pk for group in by_cohort.values() for e in group])
    modules_total = {}
    for cohort in by_cohort:
        if cohort.programme_id and cohort.programme_id not in modules_total:
            modules_total[cohort.programme_id] = (
                ModulePage.objects.child_of(cohort.programme).live().count()
            )
    rows = []
    for cohort, delegates in sorted(by_cohort.items(), key=lambda item: item[0].code):
        held = sum(e.sessions_held for e in delegates)
        present = sum(e.sessions_present for e in delegates)
        covered = set().union(*(followed.get(e.pk, set()) for e in delegates))
        rows.append(
            {
                "cohort": cohort,
                "delegates": delegates,
                "attendance_rate": present * 100 / held if held else None,
                "modules_followed": len(covered),
                "modules_total": modules_total.get(cohort.programme_id, 0),
            }
        )
    return rows


def participant_overview(person, *, today=None):
    """A participant's own record: their enrolments with attendance, the sessions they
    attended, the next sessions of their cohorts and the modules they followed in person."""
    today = today or timezone.localdate()
    enrolments = list(
        with_attendance(person.enrolments.select_related("cohort", "organisation"), today=today)
    )
    active_cohorts = [e.cohort_id for e in enrolments if e.withdrawn_on is None]
    attended = list(
        Session.objects.filter(
            attendances__enrolment__person=person,
            attendances__status=Attendance.Status.PRESENT,
        )
        .select_related("cohort")
        .order_by("-date")[:10]
    )
    upcoming = list(
        Session.objects.filter(cohort_id__in=active_cohorts, date__gt=today, cancelled=False)
        .select_related("cohort")
        .prefetch_related("modules")
        .order_by("date", "part")[:3]
    )
    followed = enrolment_module_pairs([e.pk for e in enrolments])
    modules = ModulePage.objects.filter(
        pk__in=set().union(*followed.values()) if followed else []
    ).order_by("title")
    return {
        "enrolments": enrolments,
        "attended": attended,
        "upcoming": upcoming,
        "modules_followed": list(modules),
    }


# Enrolment picker -----------------------------------------------------------------------------

PICKER_LIMIT = 20


def _digits(text):
    return "".join(c for c in text if c.isdigit())


# Letters that people type without their accents or hamza: "said" finds "Saïd", "الامل" finds
# "الأمل". Each becomes a class of its variants in a case-insensitive regex (SQLite and
# PostgreSQL both run it).
LETTER_VARIANTS = {
    "a": "aàâäáãå",
    "c": "cç",
    "e": "eéèêë",
    "i": "iîïíì",
    "n": "nñ",
    "o": "oôöóò",
    "u": "uùûüú",
    "y": "yÿ",
    "\u0627": "\u0627\u0623\u0625\u0622",  # alef with or without hamza, madda
    "\u064a": "\u064a\u0649",  # yaa and alef maqsura
    "\u0649": "\u064a\u0649",
    "\u0647": "\u0647\u0629",  # haa and taa marbuta at the end of a word
    "\u0629": "\u0647\u0629",
}


def _loose_pattern(word):
    """A regex matching ``word`` whatever its accents, hamza or case."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c)
    )
    return "".join(
        f"[{LETTER_VARIANTS[c]}]" if c in LETTER_VARIANTS else re.escape(c) for c in plain
    )


def enrolment_candidates(user, cohort, *, kind, query, limit=PICKER_LIMIT):
    """Who ``user`` may enrol in ``cohort`` and whose name (French or Arabic, first or last),
    acronym, phone or e-mail holds every word of ``query``: at most ``limit`` people
    (``kind="person"``) or organisations (``kind="organisation"``), not already enrolled, in
    name order. Returns ``(matches, more)``, ``more`` telling that others were left out."""
    words = query.split()
    if not words:
        return [], False
    if kind == "person":
        rows = people_for(user).exclude(enrolments__cohort=cohort)
        fields = ("first_name", "last_name", "email", "organisation__name", "organisation__name_ar")
        order = ("last_name", "first_name", "pk")
    else:
        rows = organisations_for(user).exclude(cohort_enrolments__cohort=cohort)
        fields = ("name", "name_ar", "acronym", "email")
        order = ("name", "pk")
    rows = rows.annotate(phone_digits=Replace(Replace("phone", Value(" ")), Value(".")))
    digits = _digits(query)
    if len(digits) >= 4 and not any(c.isalpha() for c in query):
        # A phone number, typed with or without its spaces.
        return _first(rows.filter(phone_digits__contains=digits), order, limit)
    for word in words:
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__iregex": _loose_pattern(word)})
        rows = rows.filter(match)
    return _first(rows, order, limit)


def _first(rows, order, limit):
    found = list(rows.order_by(*order)[: limit + 1])
    return found[:limit], len(found) > limit
