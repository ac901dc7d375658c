"""Cohort journeys in Chromium: a coordinator creates a cohort in the admin and enrols (capacity
refused with a clear message), a trainer takes the roll of 30 people on a 375 px phone (and a
tap made offline is kept and sent once the network is back), the focal point sees the rate."""

from datetime import date

import pytest
from playwright.sync_api import expect

from associations.models import Attendance, Cohort
from tests.factories import (
    EnrolmentFactory,
    PersonFactory,
    SessionFactory,
    coordinator_of,
    focal_point_of,
    trainer,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}


def test_a_coordinator_creates_a_cohort_and_enrols_until_it_is_full(
    world, page, url, log_in, screenshot
):
    PersonFactory(first_name="Awa", last_name="Houngbo", organisation=world["org_lokossa"])
    PersonFactory(first_name="Koffi", last_name="Agbo", organisation=world["org_mono"])
    log_in(coordinator_of(world["mono"]))
    page.goto(url("/admin/cohorts/new/"))
    page.fill("input[name=code]", "DDASM-M-2025-01")
    page.fill("input[name=title]", "Suivi des projets et programmes")
    page.select_option("select[name=territory]", label="Mono")
    page.fill("input[name=capacity]", "1")
    expect(page.locator("select[name=territory] option", has_text="Moulay Yacoub")).to_have_count(0)
    screenshot("admin-form")
    page.locator("main form button[type=submit]", has_text="Créer").first.click()
    page.wait_for_load_state()
    cohort = Cohort.objects.get(code="DDASM-M-2025-01")
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(url(f"/cohortes/{cohort.pk}/"))
    # The picker searches as the coordinator types (htmx), in their territory only.
    page.locator("#id_person_q").press_sequentially("houn", delay=50)
    expect(page.locator("#matches-person label", has_text="Awa Houngbo")).to_be_visible()
    page.locator("#matches-person label", has_text="Awa Houngbo").click()
    screenshot("picker")
    page.get_by_role("button", name="Inscrire cette personne").click()
    expect(page.locator(".messages")).to_contain_text("Awa Houngbo")
    page.locator("#id_person_q").press_sequentially("agbo", delay=50)
    expect(page.locator("#matches-person label", has_text="Koffi Agbo")).to_be_visible()
    page.locator("#matches-person label", has_text="Koffi Agbo").click()
    page.get_by_role("button", name="Inscrire cette personne").click()
    expect(page.locator(".messages li.error")).to_contain_text("complète")
    screenshot("full")
    assert list(cohort.enrolments.values_list("person__last_name", flat=True)) == ["Houngbo"]
    assert blocked == []


@pytest.fixture
def roll(world):
    cohort = Cohort.objects.create(code="MONO-ROLL", title="Atelier", territory=world["mono"])
    session = SessionFactory(cohort=cohort, date=date(2024, 11, 20), theme="Mobilisation sociale")
    people = [
        PersonFactory(last_name=f"Agent{n:02d}", organisation=world["org_lokossa"])
        for n in range(30)
    ]
    enrolments = [EnrolmentFactory(cohort=cohort, person=p) for p in people]
    facilitator = trainer()
    cohort.facilitators.add(facilitator)
    return cohort, session, enrolments, facilitator


def test_a_trainer_takes_the_roll_of_30_on_a_phone(roll, page, url, log_in, screenshot):
    cohort, session, enrolments, facilitator = roll
    page.set_viewport_size(PHONE)
    log_in(facilitator)
    page.goto(url(f"/seances/{session.pk}/appel/"))
    rows = page.locator(".roll-row")
    expect(rows).to_have_count(30)
    for index in range(30):
        status = "Absent" if index in (4, 17) else "Présent"
        rows.nth(index).get_by_role("button", name=status, exact=True).click()
        expect(rows.nth(index).locator(".saved")).to_contain_text("Enregistré")
    screenshot("phone")
    marks = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    assert len(marks) == 30
    assert sorted(k for k, v in marks.items() if v == "absent") == [
        enrolments[4].pk,
        enrolments[17].pk,
    ]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375


def test_a_tap_made_offline_is_shown_unsaved_then_sent_when_back_online(
    roll, page, url, log_in, screenshot
):
    cohort, session, enrolments, facilitator = roll
    page.set_viewport_size(PHONE)
    log_in(facilitator)
    page.goto(url(f"/seances/{session.pk}/appel/"))
    first = page.locator(".roll-row").first
    page.context.set_offline(True)
    first.get_by_role("button", name="Présent", exact=True).click()
    expect(first).to_have_class("roll-row unsaved")
    expect(page.locator("#roll-offline")).to_be_visible()
    screenshot("offline")
    assert not Attendance.objects.filter(session=session).exists()
    page.context.set_offline(False)
    expect(page.locator(".roll-row").first.locator(".saved")).to_contain_text(
        "Enregistré", timeout=15_000
    )
    expect(page.locator("#roll-offline")).to_be_hidden()
    assert Attendance.objects.get(session=session, enrolment=enrolments[0]).status == "present"


def test_the_focal_point_sees_the_attendance_rate(roll, world, page, url, log_in, screenshot):
    cohort, session, enrolments, _facilitator = roll
    for enrolment in enrolments[:3]:
        Attendance.objects.create(session=session, enrolment=enrolment, status="present")
    log_in(focal_point_of(world["org_lokossa"]))
    page.goto(url(f"/organisations/{world['org_lokossa'].pk}/"))
    expect(page.locator("#cohorts")).to_contain_text("MONO-ROLL")
    expect(page.locator("#cohorts")).to_contain_text("10 %")  # 3 present of 30 delegates
    screenshot()
    page.goto(url(f"/ar/organisations/{world['org_lokossa'].pk}/"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    screenshot("ar")
