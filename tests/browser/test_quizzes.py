"""Knowledge tests in Chromium: a trainer builds a post-test in the Wagtail admin; a participant
takes it on a 375 px phone with the network cut and restored halfway (no answer lost); the
trainer types a paper pre-test result and reads the gain, in French and in Arabic."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessments.models import Answer, Attempt, Quiz
from assessments.quiz_content import quiz_create
from courses.models import ModulePage, ProgrammePage
from renfort.models import HomePage
from tests.browser.conftest import SCREENSHOTS
from tests.factories import CohortFactory, EnrolmentFactory, PersonFactory, participant, trainer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}
SHOTS = SCREENSHOTS  # tests/artifacts/screenshots/, beside the other journeys


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def workshop(world):
    home = HomePage.objects.get(slug="accueil", locale__language_code="fr")
    programme = home.add_child(
        instance=ProgrammePage(title="Mobilisation sociale", slug="mobilisation")
    )
    module = programme.add_child(
        instance=ModulePage(title="Techniques de mobilisation sociale", slug="techniques")
    )
    cohort = CohortFactory(
        code="DDASM-M-QUIZ",
        territory=world["mono"],
        programme=ProgrammePage.objects.get(pk=programme.pk),
    )
    facilitator = trainer(first_name="Etienne", last_name="Zannou")
    cohort.facilitators.add(facilitator)
    agent = participant(
        PersonFactory(first_name="Awa", last_name="Houngbo", organisation=world["org_lokossa"])
    )
    enrolment = EnrolmentFactory(cohort=cohort, person=agent.person)
    pre = quiz_create(
        module=module,
        kind="pre",
        title="Pré-test · Mobilisation sociale",
        items=[
            {"kind": "true_false", "text": "La carte des acteurs vient d'abord.", "answer": True},
            {"kind": "true_false", "text": "Informer suffit à mobiliser.", "answer": False},
            {"kind": "true_false", "text": "Les radios sont des relais.", "answer": True},
        ],
    )
    return {
        "cohort": cohort,
        "module": module,
        "trainer": facilitator,
        "agent": agent,
        "enrolment": enrolment,
        "pre": pre,
    }


def add_true_false(page, index, text, answer):
    """Append a true/false statement to the questions stream of the admin form."""
    page.locator("[data-streamfield-stream-container] button[title], .c-sf-add-button").last.click()
    page.locator("[role=option]", has_text=re.compile("Vrai ou faux|true or false", re.I)).click()
    page.locator(f"textarea[name='questions-{index}-value-text']").fill(text)
    page.select_option(f"select[name='questions-{index}-value-answer']", value=answer)


def test_build_take_offline_and_read_the_gain(workshop, page, url, log_in, screenshot):
    # 1. The trainer builds the post-test in the Wagtail admin.
    log_in(workshop["trainer"])
    page.goto(url("/admin/snippets/assessments/quiz/add/"))
    page.fill("input[name=title]", "Post-test · Mobilisation sociale")
    page.select_option("select[name=module]", label="Techniques de mobilisation sociale")
    page.select_option("select[name=kind]", value="post")
    page.fill("input[name=pass_mark]", "60")
    add_true_false(page, 0, "La carte des acteurs vient d'abord.", "true")
    add_true_false(page, 1, "Informer suffit à mobiliser.", "false")
    add_true_false(page, 2, "Les radios sont des relais.", "true")
    add_true_false(page, 3, "Le plaidoyer vise les ménages.", "false")
    shoot(page, "1-admin-post-test-fr")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    post = Quiz.objects.get(kind="post")
    assert len(post.questions) == 4

    # 2. The participant takes it on a phone; the network drops after two answers.
    context = page.context
    context.clear_cookies()
    page.set_viewport_size(PHONE)
    log_in(workshop["agent"])
    page.goto(url("/tests/"))
    page.locator(f"a[href$='/{post.pk}/']").click()
    page.locator("button[name=mode][value=one]").click()
    questions = page.locator("form.question")
    expect(questions.nth(0)).to_be_visible()
    expect(questions.nth(1)).to_be_hidden()
    next_button = page.locator(".quiz-nav button").nth(1)
    questions.nth(0).locator("input[value=true]").check()
    expect(questions.nth(0).locator(".saved")).to_contain_text("✓")
    next_button.click()
    questions.nth(1).locator("input[value=false]").check()
    expect(questions.nth(1).locator(".saved")).to_contain_text("✓")
    context.set_offline(True)
    next_button.click()
    questions.nth(2).locator("input[value=true]").check()
    next_button.click()
    questions.nth(3).locator("input[value=true]").check()  # wrong, on purpose
    expect(questions.nth(3)).to_have_class(re.compile("unsaved"))
    expect(page.locator("#quiz-offline")).to_be_visible()
    screenshot("offline")
    shoot(page, "2-phone-offline-fr")
    assert Answer.objects.count() == 2
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#quiz-offline")).to_be_hidden(timeout=15_000)
    assert Answer.objects.count() == 4
    page.locator("#quiz-finish button").click()
    expect(page.locator(".score.big")).to_contain_text("75")
    shoot(page, "3-phone-score-fr")
    attempt = Attempt.objects.get(quiz=post)
    assert (attempt.score, attempt.passed) == (Decimal("75.00"), True)

    # 3. The trainer types the paper pre-test and reads the gain (+35 from 40 to 75).
    context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(workshop["trainer"])
    cohort = workshop["cohort"]
    page.goto(url(f"/cohortes/{cohort.pk}/"))
    expect(page.locator("#tests")).to_be_visible()
    page.locator("#tests a[href$='/saisie/']").first.click()
    page.fill(f"input[name=s-{workshop['enrolment'].pk}]", "40")
    shoot(page, "4-paper-grid-fr")
    page.locator("form.paper-grid button[type=submit]").click()
    expect(page.locator("td.gain").first).to_have_text("+35")
    shoot(page, "5-results-fr")
    page.goto(url(f"/cohortes/{cohort.pk}/"))
    expect(page.locator("#tests")).to_contain_text("+35")
    shoot(page, "6-cohort-section-fr")
    page.goto(url(f"/ar/tests/cohortes/{cohort.pk}/"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("td.gain").first).to_have_text("+35")
    shoot(page, "7-results-ar")
    page.goto(url(f"/ar/tests/cohortes/{cohort.pk}/{workshop['pre'].pk}/saisie/"))
    shoot(page, "8-paper-grid-ar")
