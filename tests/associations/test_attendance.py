"""Attendance rate (DESIGN.md): present / sessions held (dated today or before, not cancelled),
excused apart; modules followed in person through the Wagtail hook."""

from datetime import date

import pytest
from wagtail import hooks
from wagtail.models import Page

from associations.models import Attendance, Enrolment
from associations.selectors import attendance_rate, with_attendance
from courses.models import ModulePage, ProgrammePage
from tests.factories import (
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    SessionFactory,
    participant,
)

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 10)


def programme_with_modules(count):
    root = Page.get_first_root_node()
    programme = root.add_child(instance=ProgrammePage(title="Takwia", slug="takwia-test"))
    modules = [
        programme.add_child(instance=ModulePage(title=f"Module {n}", slug=f"module-{n}", number=n))
        for n in range(1, count + 1)
    ]
    return programme, modules


def test_the_rate_counts_held_sessions_only_and_excused_as_absent():
    enrolment = EnrolmentFactory()
    cohort = enrolment.cohort
    statuses = ["present", "present", "excused", "absent"]
    for day, status in enumerate(statuses, start=1):
        AttendanceFactory(
            session=SessionFactory(cohort=cohort, date=date(2025, 3, day)),
            enrolment=enrolment,
            status=status,
        )
    SessionFactory(cohort=cohort, date=date(2025, 3, 5), cancelled=True)  # not held
    SessionFactory(cohort=cohort, date=date(2025, 4, 1))  # not yet held
    row = with_attendance(Enrolment.objects.filter(pk=enrolment.pk), today=TODAY).get()
    assert (row.sessions_held, row.sessions_present, row.sessions_excused) == (4, 2, 1)
    assert row.attendance_rate == 50.0
    assert attendance_rate(enrolment, today=TODAY) == 50.0


def test_a_session_without_a_mark_counts_as_absent_and_no_session_gives_no_rate():
    enrolment = EnrolmentFactory()
    SessionFactory(cohort=enrolment.cohort, date=date(2025, 3, 1))
    assert attendance_rate(enrolment, today=TODAY) == 0.0
    assert attendance_rate(EnrolmentFactory(), today=TODAY) is None


def test_the_rate_is_one_query_over_a_queryset(django_assert_num_queries):
    cohort = CohortFactory()
    sessions = [SessionFactory(cohort=cohort, date=date(2025, 3, d)) for d in (1, 2)]
    for _ in range(5):
        enrolment = EnrolmentFactory(cohort=cohort)
        AttendanceFactory(session=sessions[0], enrolment=enrolment)
    with django_assert_num_queries(1):
        rates = [e.attendance_rate for e in with_attendance(cohort.enrolments.all(), today=TODAY)]
    assert rates == [50.0] * 5


def test_modules_covered_in_a_session_attended_are_followed_through_the_hook():
    _programme, modules = programme_with_modules(3)
    user = participant()
    enrolment = EnrolmentFactory(person=user.person)
    attended = SessionFactory(cohort=enrolment.cohort)
    attended.modules.set([modules[0]])
    missed = SessionFactory(cohort=enrolment.cohort)
    missed.modules.set([modules[1]])
    cancelled = SessionFactory(cohort=enrolment.cohort, cancelled=True)
    cancelled.modules.set([modules[2]])
    AttendanceFactory(session=attended, enrolment=enrolment, status=Attendance.Status.PRESENT)
    AttendanceFactory(session=missed, enrolment=enrolment, status=Attendance.Status.ABSENT)
    AttendanceFactory(session=cancelled, enrolment=enrolment, status=Attendance.Status.PRESENT)
    ids = [m.pk for m in modules]
    followed = set()
    for fn in hooks.get_hooks("courses_modules_followed"):
        followed |= set(fn(user, ids))
    assert followed == {modules[0].pk}
    other = participant()
    assert not any(set(fn(other, ids)) for fn in hooks.get_hooks("courses_modules_followed"))
