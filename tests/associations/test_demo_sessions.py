"""The demo world's sessions and attendance: the figures a report shows are the seeds'."""

import pytest

from associations.models import Attendance, Cohort, CohortOrganisation, Enrolment, Session
from associations.selectors import with_attendance

pytestmark = pytest.mark.django_db


def test_the_lokossa_workshop_has_three_days_two_outside_facilitators_and_25_agents(demo):
    workshop = Cohort.objects.get(code="DDASM-M-2024-MS")
    sessions = list(workshop.sessions.order_by("date"))
    assert [s.date.isoformat() for s in sessions] == ["2024-11-20", "2024-11-21", "2024-11-22"]
    assert sorted(f.name for f in workshop.outside_facilitators.all()) == [
        "Bruno GBEHINTO",
        "Etienne ZANNOU",
    ]
    assert [f.name for f in sessions[0].outside_facilitators.all()] == ["Etienne ZANNOU"]
    assert "mobilisation sociale" in sessions[0].theme.lower()
    assert Attendance.objects.filter(session__cohort=workshop).count() == 75
    rates = [e.attendance_rate for e in with_attendance(workshop.enrolments.all())]
    assert len(rates) == 25 and min(rates) < 100 and sum(rates) / 25 > 80


def test_takwia_has_a_withdrawal_a_replacement_and_every_association_enrolled(demo):
    takwia = Cohort.objects.get(code="MY-TAKWIA-2026")
    assert Session.objects.filter(cohort=takwia).count() == 16
    withdrawn = Enrolment.objects.filter(cohort=takwia, withdrawn_on__isnull=False)
    assert withdrawn.count() == 2  # one left, one was replaced
    replacement = Enrolment.objects.get(cohort=takwia, replaces__isnull=False)
    assert replacement.replaces.withdrawn_on is not None
    assert replacement.organisation == replacement.replaces.organisation
    assert CohortOrganisation.objects.filter(cohort=takwia).count() == 50
    # 50 associations with 82 delegates, plus the one replacement.
    assert takwia.enrolments.count() == 83
    assert takwia.enrolments.values("organisation").distinct().count() == 50
    statuses = set(
        Attendance.objects.filter(session__cohort=takwia).values_list("status", flat=True)
    )
    assert "present" in statuses and len(statuses) >= 2


def test_the_other_seed_situations_are_cohorts(demo):
    segou = Cohort.objects.get(code="DGCT-SEG-2023-CAE")
    assert segou.sessions.count() == 4 and segou.territory.code == "ML-SEG"
    bankui = Cohort.objects.get(code="CRPS-BAN-2024-09")
    assert [p.acronym for p in bankui.partners.all()] == ["UNICEF"]
    assert bankui.sessions.first().date.isoformat() == "2024-09-11"
    assert Cohort.objects.get(code="DAS-AGD-EAQ").status == Cohort.Status.PLANNED
