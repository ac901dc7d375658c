"""The one definition of "trained", against cases computed by hand."""

import datetime

import pytest
from django.utils import translation

from assessments.models import Attempt
from assessments.quiz_services import paper_result_record
from assessments.trained import (
    cohort_trained_rows,
    not_trained_reasons,
    trained_counts,
    with_trained,
)
from associations.models import Attendance, Enrolment
from tests.assessments.quiz_world import build_programme, build_quiz, cohort_of
from tests.factories import (
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English (the catalogue's msgids), whatever is compiled."""
    with translation.override("en"):
        yield


TODAY = datetime.date(2024, 11, 30)


def sessions(cohort, count, **kwargs):
    return [
        SessionFactory(cohort=cohort, date=datetime.date(2024, 11, 1 + n), **kwargs)
        for n in range(count)
    ]


def mark(enrolment, held, statuses):
    for session, status in zip(held, statuses, strict=False):
        AttendanceFactory(session=session, enrolment=enrolment, status=status)


def row(enrolment):
    return with_trained(Enrolment.objects.filter(pk=enrolment.pk), today=TODAY).get()


@pytest.fixture
def cohort():
    programme, _modules = build_programme()
    return cohort_of(programme, attendance_threshold=75)


def test_exactly_the_threshold_is_trained_one_less_is_not(cohort):
    held = sessions(cohort, 4)
    at_75 = EnrolmentFactory(cohort=cohort)
    mark(at_75, held, ["present", "present", "present", "absent"])
    at_50 = EnrolmentFactory(cohort=cohort)
    mark(at_50, held, ["present", "present", "absent", "absent"])
    assert row(at_75).trained is True
    assert not_trained_reasons(row(at_75)) == []
    short = row(at_50)
    assert short.trained is False
    assert not_trained_reasons(short) == ["attendance short by 1 session"]


def test_excused_absences_count_as_absences(cohort):
    held = sessions(cohort, 4)
    enrolment = EnrolmentFactory(cohort=cohort)
    mark(enrolment, held, ["present", "present", "excused", "excused"])
    result = row(enrolment)
    assert (result.sessions_present, result.sessions_excused) == (2, 2)
    assert result.trained is False
    assert not_trained_reasons(result) == ["attendance short by 1 session"]


def test_cancelled_and_future_sessions_are_not_held(cohort):
    held = sessions(cohort, 3)
    SessionFactory(cohort=cohort, date=datetime.date(2024, 11, 10), cancelled=True)
    SessionFactory(cohort=cohort, date=datetime.date(2024, 12, 15))
    enrolment = EnrolmentFactory(cohort=cohort)
    mark(enrolment, held, ["present", "present", "present"])
    result = row(enrolment)
    assert result.sessions_held == 3
    assert result.trained is True


def test_threshold_of_seven_sessions_rounds_up(cohort):
    # 75 % of 7 is 5.25: 5 sessions are short by one, 6 are enough.
    held = sessions(cohort, 7)
    five = EnrolmentFactory(cohort=cohort)
    mark(five, held, ["present"] * 5)
    six = EnrolmentFactory(cohort=cohort)
    mark(six, held, ["present"] * 6)
    assert not_trained_reasons(row(five)) == ["attendance short by 1 session"]
    assert row(six).trained is True


def test_withdrawn_enrolment_is_never_trained(cohort):
    held = sessions(cohort, 2)
    enrolment = EnrolmentFactory(cohort=cohort, withdrawn_on=datetime.date(2024, 11, 5))
    mark(enrolment, held, ["present", "present"])
    result = row(enrolment)
    assert result.trained is False
    assert not_trained_reasons(result) == ["withdrawn"]


def test_no_session_held_yet(cohort):
    SessionFactory(cohort=cohort, date=datetime.date(2025, 1, 10))
    enrolment = EnrolmentFactory(cohort=cohort)
    assert not_trained_reasons(row(enrolment)) == ["no session held yet"]


def test_post_test_required_missing_failed_passed():
    programme, modules = build_programme(requires_post_test=True)
    cohort = cohort_of(programme)
    quiz = build_quiz(modules[0], pass_mark=75)
    held = sessions(cohort, 2)
    missing, failed, passed = (EnrolmentFactory(cohort=cohort) for _ in range(3))
    for enrolment in (missing, failed, passed):
        mark(enrolment, held, ["present", "present"])
    by = UserFactory()
    paper_result_record(quiz=quiz, enrolment=failed, by=by, score=50)
    paper_result_record(quiz=quiz, enrolment=passed, by=by, score=75)
    assert not_trained_reasons(row(missing)) == ["post-test missing"]
    assert not_trained_reasons(row(failed)) == ["post-test failed"]
    assert row(passed).trained is True


def test_every_post_test_of_the_programme_must_be_passed():
    programme, modules = build_programme(requires_post_test=True)
    cohort = cohort_of(programme)
    first, second = build_quiz(modules[0]), build_quiz(modules[1])
    build_quiz(modules[0], kind="pre")  # pre-tests never count
    held = sessions(cohort, 1)
    enrolment = EnrolmentFactory(cohort=cohort)
    mark(enrolment, held, ["present"])
    by = UserFactory()
    paper_result_record(quiz=first, enrolment=enrolment, by=by, score=90)
    assert row(enrolment).post_tests_count == 2
    assert not_trained_reasons(row(enrolment)) == ["post-test missing"]
    paper_result_record(quiz=second, enrolment=enrolment, by=by, score=90)
    assert row(enrolment).trained is True


def test_post_test_not_required_ignores_results(cohort):
    quiz = build_quiz(cohort.programme.get_children().first().specific)
    held = sessions(cohort, 1)
    enrolment = EnrolmentFactory(cohort=cohort)
    mark(enrolment, held, ["present"])
    paper_result_record(quiz=quiz, enrolment=enrolment, by=UserFactory(), score=10)
    assert row(enrolment).trained is True


def test_required_but_no_post_test_written_is_said():
    programme, _modules = build_programme(requires_post_test=True)
    cohort = cohort_of(programme)
    enrolment = EnrolmentFactory(cohort=cohort)
    mark(enrolment, sessions(cohort, 1), ["present"])
    assert not_trained_reasons(row(enrolment)) == ["post-test required but none written yet"]


def test_persons_counted_once_participations_per_enrolment(cohort):
    programme = cohort.programme
    other = cohort_of(programme)
    held, held_other = sessions(cohort, 1), sessions(other, 1)
    first = EnrolmentFactory(cohort=cohort)
    mark(first, held, ["present"])
    again = EnrolmentFactory(cohort=other, person=first.person)
    mark(again, held_other, ["present"])
    absent = EnrolmentFactory(cohort=cohort)
    mark(absent, held, [Attendance.Status.ABSENT])
    counts = trained_counts(Enrolment.objects.all(), today=TODAY)
    assert counts == {"persons": 1, "participations": 2}


@pytest.mark.parametrize("size", [10, 60])
def test_queries_do_not_grow_with_enrolments(cohort, size, django_assert_num_queries):
    held = sessions(cohort, 3)
    for _ in range(size):
        mark(EnrolmentFactory(cohort=cohort), held, ["present", "absent", "present"])
    # The rows, then the two counts: the same for 10 or 60.
    with django_assert_num_queries(3):
        rows = list(
            with_trained(
                Enrolment.objects.filter(cohort=cohort).select_related("cohort"), today=TODAY
            )
        )
        trained_counts(Enrolment.objects.filter(cohort=cohort), today=TODAY)
    assert len(rows) == size
    assert not any(r.trained for r in rows)  # 2 of 3 is 66.7 %


def test_the_cohort_page_section_counts_and_lists_as_the_definition_says(cohort, monkeypatch):
    """The cohort page's « tests and trained » section counts from four columns per person:
    its figures and its list must be those of ``with_trained`` and ``not_trained_reasons``."""
    from django.test import RequestFactory
    from django.utils.html import escape

    from assessments import quiz_views
    from associations.selectors import cohort_enrolments

    monkeypatch.setattr(quiz_views, "SECTION_NOT_TRAINED", 2)
    held = sessions(cohort, 4)
    statuses = [
        ["present"] * 4,
        ["present", "present", "present", "absent"],
        ["present", "absent", "absent", "absent"],
        ["absent"] * 4,
        ["present", "present", "absent", "absent"],
    ]
    enrolments = [EnrolmentFactory(cohort=cohort) for _ in statuses]
    for enrolment, marks in zip(enrolments, statuses, strict=True):
        mark(enrolment, held, marks)
    withdrawn = enrolments[3]
    withdrawn.withdrawn_on = TODAY
    withdrawn.save()
    staff = UserFactory(is_superuser=True)
    request = RequestFactory().get("/")
    request.user = staff

    html = quiz_views.cohort_section(request, cohort)

    expected = list(with_trained(cohort_enrolments(staff, cohort, with_rates=False)))
    trained = [e for e in expected if e.trained]
    listed = [e for e in expected if not e.trained and e.withdrawn_on is None]
    assert (len(trained), len(listed)) == (2, 2)
    assert "Trained: 2 of 4 participants enrolled." in html
    assert "2 participants not trained yet, and why" in html
    for enrolment in listed[:2]:
        reasons = ", ".join(not_trained_reasons(enrolment))
        assert f'{escape(enrolment.person)} — <span class="not-trained">{reasons}</span>' in html
    assert escape(withdrawn.person) not in html
    assert "and 1 more" not in html
    monkeypatch.setattr(quiz_views, "SECTION_NOT_TRAINED", 1)
    html = quiz_views.cohort_section(request, cohort)
    assert escape(listed[0].person) in html and escape(listed[1].person) not in html
    assert "and 1 more" in html


FIGURES = [
    "sessions_held",
    "sessions_present",
    "sessions_excused",
    "attendance_rate",
    "requires_post_test",
    "post_tests_count",
    "post_tests_taken",
    "post_tests_passed",
    "trained",
]


@pytest.mark.parametrize("programme", ["post-test required", "post-test not required", None])
def test_cohort_trained_rows_give_the_figures_and_reasons_of_the_definition(programme):
    """The cohort page counts with grouped aggregates: on a varied cohort (withdrawals, a
    replacement, excused, cancelled and future sessions, failed, passed and open attempts),
    every figure, verdict and reason equals ``with_trained``'s, in the same order."""
    if programme is None:
        cohort = CohortFactory(attendance_threshold=60)
        quizzes = []
    else:
        built, modules = build_programme(requires_post_test=programme == "post-test required")
        cohort = cohort_of(built, attendance_threshold=60)
        quizzes = [build_quiz(modules[0]), build_quiz(modules[1], pass_mark=60)]
        build_quiz(modules[0], kind="pre")
    held = sessions(cohort, 5)
    cancelled = SessionFactory(cohort=cohort, date=datetime.date(2024, 11, 20), cancelled=True)
    future = SessionFactory(cohort=cohort, date=datetime.date(2024, 12, 20))
    other_cohort = CohortFactory()
    elsewhere = SessionFactory(cohort=other_cohort, date=datetime.date(2024, 11, 3))
    patterns = [
        ["present"] * 5,
        ["present", "present", "present", "absent", "absent"],  # exactly 60 %
        ["present", "present", "excused", "excused", "absent"],
        ["excused"] * 5,
        [],
        ["present", "absent"],
        ["present"] * 5,
        ["present", "present", "present", "present", "excused"],
    ]
    enrolments = [EnrolmentFactory(cohort=cohort) for _ in patterns]
    for enrolment, statuses in zip(enrolments, patterns, strict=True):
        mark(enrolment, held, statuses)
    # Marks that a held session of this cohort does not carry.
    for enrolment in enrolments[4:6]:
        mark(enrolment, [cancelled, future], ["present", "present"])
    mark(enrolments[5], [elsewhere], ["present"])
    withdrawn = enrolments[6]
    withdrawn.withdrawn_on = datetime.date(2024, 11, 15)
    withdrawn.save()
    replacement = EnrolmentFactory(cohort=cohort, replaces=withdrawn)
    mark(replacement, held[3:], ["present", "present"])
    mark(EnrolmentFactory(cohort=other_cohort), [elsewhere], ["present"])
    by = UserFactory()
    if quizzes:
        first, second = quizzes
        for enrolment in enrolments[:3] + [withdrawn, replacement]:
            paper_result_record(quiz=first, enrolment=enrolment, by=by, score=80)
        paper_result_record(quiz=second, enrolment=enrolments[0], by=by, score=90)
        paper_result_record(quiz=second, enrolment=enrolments[1], by=by, score=40)
        # A failed online attempt, then a passed one; an attempt still open.
        Attempt.objects.create(
            quiz=second,
            enrolment=enrolments[1],
            number=2,
            submitted_at=datetime.datetime(2024, 11, 25, tzinfo=datetime.UTC),
            score=70,
            passed=True,
        )
        Attempt.objects.create(quiz=second, enrolment=enrolments[2], number=1)
        paper_result_record(quiz=second, enrolment=enrolments[7], by=by, score=10)

    enrolments_of_cohort = Enrolment.objects.filter(cohort=cohort).order_by("pk")
    expected = list(with_trained(enrolments_of_cohort, today=TODAY).select_related("cohort"))
    rows = cohort_trained_rows(cohort, enrolments_of_cohort, today=TODAY)

    assert [row.pk for row in rows] == [e.pk for e in expected]
    for row, enrolment in zip(rows, expected, strict=True):
        assert [getattr(row, name) for name in FIGURES] == [
            getattr(enrolment, name) for name in FIGURES
        ], enrolment.pk
        assert not_trained_reasons(row) == not_trained_reasons(enrolment)
        assert row.person == str(enrolment.person)
    verdicts = [e.trained for e in expected]
    assert True in verdicts and verdicts.count(False) >= 4  # the cohort is varied indeed
