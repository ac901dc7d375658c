"""Enrolment: capacity holds under a crowd, withdrawal and replacement keep history, attendance
is one row per person and session however often a tap is retried."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from associations.models import Attendance, Cohort, Enrolment, age_band, normalise_name
from associations.services import (
    attendance_record,
    cohort_organisation_enrol,
    enrolment_create,
    enrolment_replace,
    enrolment_withdraw,
)
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    trainer,
)


@pytest.mark.django_db
def test_enrolment_past_capacity_is_refused_in_french():
    cohort = CohortFactory(capacity=2)
    enrolment_create(cohort=cohort, person=PersonFactory())
    enrolment_create(cohort=cohort, person=PersonFactory())
    with pytest.raises(ValidationError) as refused:
        enrolment_create(cohort=cohort, person=PersonFactory())
    assert "complète" in refused.value.messages[0]
    assert Enrolment.objects.filter(cohort=cohort).count() == 2


@pytest.mark.django_db
def test_a_withdrawn_seat_can_be_taken_again_and_the_withdrawal_is_kept():
    cohort = CohortFactory(capacity=1)
    first = enrolment_create(cohort=cohort, person=PersonFactory())
    enrolment_withdraw(enrolment=first, reason="Déménagement")
    second = enrolment_create(cohort=cohort, person=PersonFactory())
    first.refresh_from_db()
    assert first.withdrawn_on is not None and first.withdrawal_reason == "Déménagement"
    assert {e.pk for e in cohort.enrolments.all()} == {first.pk, second.pk}


@pytest.mark.django_db
def test_replacement_keeps_both_enrolments_and_their_attendance():
    organisation = OrganisationFactory()
    cohort = CohortFactory(capacity=1)
    leaving = enrolment_create(cohort=cohort, person=PersonFactory(organisation=organisation))
    session = SessionFactory(cohort=cohort)
    attendance_record(session=session, enrolment=leaving, status="present", by=None)
    newcomer = PersonFactory(organisation=organisation)
    replacement = enrolment_replace(enrolment=leaving, person=newcomer, reason="Malade")
    leaving.refresh_from_db()
    assert replacement.replaces == leaving and leaving.replaced_by == replacement
    assert leaving.withdrawn_on is not None and leaving.withdrawal_reason == "Malade"
    assert Attendance.objects.filter(enrolment=leaving).count() == 1
    assert cohort.enrolments.count() == 2


@pytest.mark.django_db
def test_the_organisation_represented_does_not_follow_a_later_move():
    enrolment = enrolment_create(cohort=CohortFactory(), person=PersonFactory())
    before = enrolment.organisation
    person = enrolment.person
    person.organisation = OrganisationFactory()
    person.save()
    enrolment.refresh_from_db()
    assert enrolment.organisation == before


@pytest.mark.django_db
def test_a_person_cannot_be_enrolled_twice_nor_in_a_closed_cohort():
    cohort = CohortFactory()
    person = PersonFactory()
    enrolment_create(cohort=cohort, person=person)
    with pytest.raises(ValidationError):
        enrolment_create(cohort=cohort, person=person)
    with pytest.raises(ValidationError):
        enrolment_create(cohort=CohortFactory(status=Cohort.Status.CLOSED), person=person)


@pytest.mark.django_db
def test_an_organisation_is_enrolled_once():
    cohort, organisation = CohortFactory(), OrganisationFactory()
    assert cohort_organisation_enrol(
        cohort=cohort, organisation=organisation
    ) == cohort_organisation_enrol(cohort=cohort, organisation=organisation)


@pytest.mark.django_db
def test_a_retried_tap_leaves_one_attendance_row_with_the_last_status():
    enrolment = EnrolmentFactory()
    session = SessionFactory(cohort=enrolment.cohort)
    by = trainer()
    attendance_record(session=session, enrolment=enrolment, status="absent", by=by)
    attendance_record(session=session, enrolment=enrolment, status="present", by=by)
    attendance_record(session=session, enrolment=enrolment, status="present", by=by)
    assert list(Attendance.objects.values_list("status", flat=True)) == ["present"]


@pytest.mark.django_db
def test_attendance_is_refused_for_another_cohort_or_a_cancelled_session():
    enrolment = EnrolmentFactory()
    with pytest.raises(ValidationError):
        attendance_record(session=SessionFactory(), enrolment=enrolment, status="present", by=None)
    cancelled = SessionFactory(cohort=enrolment.cohort, cancelled=True)
    with pytest.raises(ValidationError):
        attendance_record(session=cancelled, enrolment=enrolment, status="present", by=None)


def test_names_are_normalised_and_age_bands_derived():
    assert normalise_name("  Association  AL-Amal ") == normalise_name("association al amal")
    assert normalise_name("Aïn Chkef") == "ain chkef"
    from datetime import date

    on = date(2026, 1, 1)
    assert [age_band(y, on=on) for y in (2004, 2001, 1990, 1980, 1972, 1960, None)] == [
        "15-24",
        "25-34",
        "35-44",
        "45-54",
        "45-54",
        "55+",
        "",
    ]


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_enrolments_for_30_seats_give_exactly_30():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises every write: the row lock is exercised on PostgreSQL only")
    cohort = CohortFactory(capacity=30)
    people = [PersonFactory(organisation=None) for _ in range(200)]
    workers = 25  # each thread opens its own connection; PostgreSQL allows 100 by default
    start = threading.Barrier(workers, timeout=60)
    outcomes = []

    def attempts(batch):
        from django.db import connection as thread_connection

        start.wait()  # all threads start their attempts together
        try:
            for person in batch:
                try:
                    enrolment_create(cohort=cohort, person=person)
                    outcomes.append("enrolled")
                except ValidationError:
                    outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=attempts, args=(people[i::workers],)) for i in range(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 200
    assert outcomes.count("enrolled") == 30
    assert Enrolment.objects.filter(cohort=cohort).count() == 30
