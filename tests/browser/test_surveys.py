"""Satisfaction surveys in Chromium: a participant answers on a 375 px phone (in French, then
another in Arabic, right to left), and the Mono coordinator reads the workshop's results from
the cohort page, in French and in Arabic. Screenshots go to tests/artifacts/screenshots/."""

import random
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from assessments.models import Questionnaire, SurveyParticipation, SurveyResponse
from assessments.survey_services import survey_answer_record, survey_expected_answers, survey_open
from associations.models import Cohort, OutsideFacilitator
from tests.factories import EnrolmentFactory, PersonFactory, coordinator_of, participant, trainer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def shot(screenshot):
    """A screenshot kept with the test artefacts."""
    return screenshot


@pytest.fixture
def workshop(world):
    """The Lokossa workshop: two facilitators (a trainer with an account, an outside one) and
    25 agents."""
    cohort = Cohort.objects.create(
        code="DDASM-M-2024-MS",
        title="Mobilisation sociale et suivi des projets et programmes",
        territory=world["mono"],
        start_date=date(2024, 11, 20),
        end_date=date(2024, 11, 22),
    )
    cohort.facilitators.add(trainer(first_name="Etienne", last_name="Zannou"))
    cohort.outside_facilitators.add(
        OutsideFacilitator.objects.create(name="Bruno GBEHINTO", territory=world["mono"])
    )
    enrolments = [
        EnrolmentFactory(cohort=cohort, person=PersonFactory(organisation=world["org_lokossa"]))
        for _n in range(25)
    ]
    return cohort, enrolments


def open_survey(cohort, opens_on, closes_on):
    return survey_open(
        cohort=cohort,
        questionnaire=Questionnaire.objects.get(is_default=True),
        occasion="workshop",
        opens_on=opens_on,
        closes_on=closes_on,
    )


def test_a_participant_answers_on_a_phone_in_french_then_another_in_arabic(
    workshop, page, url, log_in, shot
):
    cohort, enrolments = workshop
    survey = open_survey(cohort, date.today() - timedelta(days=1), date.today() + timedelta(days=6))
    # 7 items asked once (content 3, organisation 2, usefulness 2) + 3 facilitation items for
    # each of the 2 facilitators = 13 rating groups.
    assert len([q for q, _f in survey_expected_answers(survey) if q.kind == "likert"]) == 13
    page.set_viewport_size(PHONE)
    log_in(participant(enrolments[0].person))
    page.goto(url("/mon-espace/"))
    page.locator(f"a[href$='/evaluations/{survey.pk}/repondre/']").click()
    page.wait_for_load_state()
    groups = page.locator("fieldset.likert")
    expect(groups).to_have_count(13)
    # One block of facilitation questions per facilitator.
    expect(page.locator(".survey-section > legend", has_text="Etienne Zannou")).to_have_count(1)
    expect(page.locator(".survey-section > legend", has_text="Bruno GBEHINTO")).to_have_count(1)
    # Big enough to tap: every choice at least 44 px high, all five on one line of 375 px.
    box = groups.first.locator(".likert-choice span").first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot("phone-fr-empty")
    # Send with one group missing: told which, nothing lost.
    for index in range(12):
        groups.nth(index).locator(".likert-choice").nth(3).click()
    page.fill("textarea >> nth=0", "Les exercices pratiques sur le PTA.")
    page.locator("button.send").click()
    page.wait_for_load_state()
    expect(page.locator("fieldset.likert.invalid")).to_have_count(1)
    expect(page.locator("textarea >> nth=0")).to_have_value("Les exercices pratiques sur le PTA.")
    shot("phone-fr-missing-one")
    page.locator("fieldset.likert.invalid .likert-choice").nth(4).click()
    page.locator("button.send").click()
    page.wait_for_load_state()
    expect(page.locator(".survey-done")).to_be_visible()
    shot("phone-fr-thanks")
    assert SurveyResponse.objects.count() == 1 and SurveyParticipation.objects.count() == 1

    # A second participant, in Arabic: right to left, the questions in Arabic.
    page.context.clear_cookies()
    log_in(participant(enrolments[1].person))
    page.goto(url(f"/ar/evaluations/{survey.pk}/repondre/"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("تقييم التكوين من طرف المشاركين")
    expect(page.locator("legend", has_text="كانت أهداف التكوين واضحة.")).to_be_visible()
    groups = page.locator("fieldset.likert")
    first = groups.first.locator(".likert-choice span")
    # Right to left: 1 sits to the right of 5.
    assert first.nth(0).bounding_box()["x"] > first.nth(4).bounding_box()["x"]
    for index in range(13):
        groups.nth(index).locator(".likert-choice").nth(4).click()
    shot("phone-ar-filled")
    page.locator("button.send").click()
    page.wait_for_load_state()
    expect(page.locator(".survey-done")).to_be_visible()
    assert SurveyResponse.objects.count() == 2


def test_the_mono_coordinator_sees_the_workshop_results_in_french_and_arabic(
    world, workshop, page, url, log_in, shot
):
    cohort, _enrolments = workshop
    survey = open_survey(cohort, date(2024, 11, 22), date(2024, 11, 29))
    rng = random.Random(22)
    expected = survey_expected_answers(survey)
    for _n in range(22):
        survey_answer_record(
            survey=survey,
            answers={
                (q.pk, f.pk if f else None): (
                    rng.choice(["Très utile.", "Plus de temps pour les cas pratiques.", ""])
                    if q.kind == "text"
                    else rng.choices((2, 3, 4, 5), weights=(1, 2, 8, 8))[0]
                )
                for q, f in expected
            },
        )
    log_in(coordinator_of(world["mono"]))
    page.goto(url(f"/cohortes/{cohort.pk}/"))
    section = page.locator("#surveys")
    expect(section.locator(".rate")).to_be_visible()
    expect(section).to_contain_text("22")
    section.scroll_into_view_if_needed()
    shot("cohort-page-fr")
    section.locator(f"a[href$='/evaluations/{survey.pk}/resultats/']").click()
    page.wait_for_load_state()
    expect(page.locator(".response-count")).to_have_text("22")
    expect(page.locator(".satisfaction")).to_contain_text("%")
    expect(page.locator("#facilitators h3")).to_have_count(2)
    shot("results-fr")
    page.goto(url(f"/ar/evaluations/{survey.pk}/resultats/"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#items")).to_contain_text("كانت أهداف التكوين واضحة.")
    shot("results-ar")
