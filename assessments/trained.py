"""The one definition of "trained" (DESIGN.md): an enrolment is trained when it is not withdrawn,
its attendance rate (sessions present / sessions of the cohort held, excused counted absent,
``associations.selectors.with_attendance``) reaches the cohort's threshold and, where the
cohort's programme requires it (``ProgrammePage.requires_post_test``), every post-test of the
programme's modules is passed.

Everything here is counted by the database (subqueries, or aggregates grouped by enrolment), so
counting trained persons over a million attendance rows never loads them. Every page and report
that says "trained" calls ``with_trained`` or ``trained_counts``, or, for one cohort's page,
``cohort_trained_rows``: the same rule applied to one row of counts per enrolment (tested to
agree with ``with_trained``)."""

import datetime
import math
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import Attempt, Quiz
from assessments.models.quizzes import source_language
from associations.models import Person
from associations.selectors import cohort_attendance_counts, with_attendance


def _count(queryset):
    """How many rows ``queryset`` (correlated with the outer enrolment) has, as a subquery."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values("kind")
            .annotate(n=Count("pk", distinct=True))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _programme_post_tests(programme=None):
    """Post-tests (source language) of the modules of ``programme`` or, by default, of the
    programme of the outer enrolment's cohort."""
    if programme is None:
        path, depth = OuterRef("cohort__programme__path"), OuterRef("cohort__programme__depth")
    else:
        path, depth = programme.path, programme.depth
    return Quiz.objects.filter(
        kind=Quiz.Kind.POST,
        locale__language_code=source_language(),
        module__path__startswith=path,
        module__depth=depth + 1,
    )


def with_trained(enrolments, *, today=None):
    """``enrolments`` annotated with the attendance figures of ``with_attendance`` and with
    ``post_tests_required`` (0 when the programme does not require them), ``post_tests_taken``,
    ``post_tests_passed`` and ``trained`` (a boolean the database computes)."""
    post_tests = _programme_post_tests()
    submitted = Attempt.objects.filter(
        quiz=OuterRef("pk"), enrolment=OuterRef(OuterRef("pk")), submitted_at__isnull=False
    )
    queryset = with_attendance(enrolments, today=today).annotate(
        requires_post_test=Coalesce(
            F("cohort__programme__requires_post_test"), Value(False), output_field=BooleanField()
        ),
        post_tests_count=_count(post_tests),
        post_tests_taken=_count(post_tests.filter(Exists(submitted))),
        post_tests_passed=_count(post_tests.filter(Exists(submitted.filter(passed=True)))),
    )
    # In whole numbers (present x 100 >= held x threshold): exactly 75 % is reached.
    attendance_reached = Q(sessions_held__gt=0) & Q(
        GreaterThanOrEqual(
            F("sessions_present") * 100, F("sessions_held") * F("cohort__attendance_threshold")
        )
    )
    tests_passed = Q(requires_post_test=False) | (
        Q(post_tests_count__gt=0) & Q(post_tests_passed__gte=F("post_tests_count"))
    )
    return queryset.annotate(
        trained=Case(
            When(Q(withdrawn_on__isnull=True) & attendance_reached & tests_passed, then=True),
            default=False,
            output_field=BooleanField(),
        )
    )


@dataclass
class TrainedRow:
    """One enrolment with the figures ``with_trained`` annotates, for ``not_trained_reasons``
    and the templates, and its person's name (``person``, as ``str`` of the person gives it)."""

    pk: int
    person_id: int
    person: str
    withdrawn_on: datetime.date | None
    cohort: object
    sessions_held: int
    sessions_present: int
    sessions_excused: int
    requires_post_test: bool
    post_tests_count: int
    post_tests_taken: int
    post_tests_passed: int

    @property
    def attendance_rate(self):
        return self.sessions_present * 100.0 / self.sessions_held if self.sessions_held else None

    @property
    def trained(self):
        """``with_trained``'s rule on these figures."""
        return (
            self.withdrawn_on is None
            and self.sessions_held > 0
            and self.sessions_present * 100 >= self.sessions_held * self.cohort.attendance_threshold
            and (
                not self.requires_post_test
                or (self.post_tests_count > 0 and self.post_tests_passed >= self.post_tests_count)
            )
        )


def cohort_trained_rows(cohort, enrolments, *, today=None):
    """``with_trained`` for ``enrolments`` (a queryset of enrolments of ``cohort``, already
    scoped by the caller), as ``TrainedRow``s in the queryset's order: the same figures, counted
    by aggregates grouped by enrolment over the whole cohort (five queries at most whatever its
    size) instead of six subqueries per enrolment, which a 500-person cohort's page felt."""
    rows = enrolments.values_list(
        "pk", "person_id", "person__first_name", "person__last_name", "withdrawn_on"
    )
    held, marks = cohort_attendance_counts(cohort, today=today)
    programme = cohort.programme if cohort.programme_id else None
    post_tests_count, attempts = 0, {}
    if programme is not None:
        post_tests = _programme_post_tests(programme)
        post_tests_count = post_tests.count()
        if post_tests_count:
            attempts = {
                enrolment_id: (taken, passed)
                for enrolment_id, taken, passed in Attempt.objects.filter(
                    enrolment__cohort=cohort, quiz__in=post_tests, submitted_at__isnull=False
                )
                .order_by()
                .values("enrolment_id")
                .annotate(
                    taken=Count("quiz_id", distinct=True),
                    passed=Count("quiz_id", distinct=True, filter=Q(passed=True)),
                )
                .values_list("enrolment_id", "taken", "passed")
            }
    requires_post_test = bool(programme is not None and programme.requires_post_test)
    return [
        TrainedRow(
            pk=pk,
            person_id=person_id,
            # The model's own __str__, on the values alone (no model instance per row).
            person=Person.__str__(SimpleNamespace(first_name=first_name, last_name=last_name)),
            withdrawn_on=withdrawn_on,
            cohort=cohort,
            sessions_held=held,
            sessions_present=marks.get(pk, (0, 0))[0],
            sessions_excused=marks.get(pk, (0, 0))[1],
            requires_post_test=requires_post_test,
            post_tests_count=post_tests_count,
            post_tests_taken=attempts.get(pk, (0, 0))[0],
            post_tests_passed=attempts.get(pk, (0, 0))[1],
        )
        for pk, person_id, first_name, last_name, withdrawn_on in rows
    ]


def sessions_short(enrolment):
    """How many more sessions present ``enrolment`` (annotated by ``with_trained``) needs to
    reach its cohort's threshold; 0 when reached."""
    needed = math.ceil(enrolment.sessions_held * enrolment.cohort.attendance_threshold / 100)
    return max(0, needed - enrolment.sessions_present)


def not_trained_reasons(enrolment):
    """Why an enrolment annotated by ``with_trained`` is not trained, in the user's language
    (an empty list when it is trained)."""
    if enrolment.trained:
        return []
    reasons = []
    if enrolment.withdrawn_on is not None:
        reasons.append(_("withdrawn"))
    if not enrolment.sessions_held:
        reasons.append(_("no session held yet"))
    elif short := sessions_short(enrolment):
        reasons.append(
            ngettext(
                "attendance short by %(n)d session",
                "attendance short by %(n)d sessions",
                short,
            )
            % {"n": short}
        )
    if enrolment.requires_post_test:
        if not enrolment.post_tests_count:
            reasons.append(_("post-test required but none written yet"))
        elif enrolment.post_tests_taken < enrolment.post_tests_count:
            reasons.append(_("post-test missing"))
        if enrolment.post_tests_passed < enrolment.post_tests_taken:
            reasons.append(_("post-test failed"))
    return reasons


def trained_counts(enrolments, *, today=None):
    """``{"persons": distinct persons trained, "participations": enrolments trained}`` among
    ``enrolments``, in two queries whatever their number."""
    trained = with_trained(enrolments, today=today).filter(trained=True)
    return {
        "persons": trained.values("person_id").distinct().count(),
        "participations": trained.count(),
    }
