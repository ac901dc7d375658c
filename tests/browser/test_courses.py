"""The courses journey in Chromium: a trainer writes a module with a lesson and submits it; a
coordinator approves and publishes; a participant reads it on a 375 px phone, marks it done and
sees the progress bar move; the Arabic lesson reads right to left. Screenshots are saved in
tests/artifacts/screenshots/."""

import time

import pytest
from playwright.sync_api import expect

from courses.models import LessonPage, ModulePage
from tests.courses.conftest import build_programme
from tests.factories import CohortFactory, EnrolmentFactory, coordinator_of, participant, trainer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE = {"width": 375, "height": 740}


def click_hidden(page, selector):
    """Buttons of the admin's footer sit in a dropdown: click them as the dropdown would."""
    with page.expect_navigation():
        page.locator(selector).first.evaluate("button => button.click()")
    page.wait_for_load_state()
    # The live server shares its SQLite connection with the test: wait for the admin's success
    # message before reading the database.
    expect(page.locator(".messages .success").first).to_be_visible()


def wait_until(condition, seconds=20, what=""):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_trainer_writes_coordinator_publishes_participant_reads(
    world, page, url, log_in, screenshot
):
    programme = build_programme(modules=1, lessons=1, title="Programme Mono")
    author = trainer()
    coordinator = coordinator_of(world["mono"])
    reader = participant()
    EnrolmentFactory(person=reader.person, cohort=CohortFactory(programme=programme))

    # The trainer writes a module and a lesson, and submits both for moderation.
    log_in(author)
    page.goto(url(f"/admin/pages/add/courses/modulepage/{programme.pk}/"))
    page.locator("#id_title").fill("Animer une causerie")
    page.locator("#id_number").fill("2")
    screenshot("1-trainer-module")
    click_hidden(page, 'button[name="action-submit"]')
    module = ModulePage.objects.get(title="Animer une causerie")
    page.goto(url(f"/admin/pages/add/courses/lessonpage/{module.pk}/"))
    page.locator("#id_title").fill("Les six étapes d'une causerie")
    page.locator("button.c-sf-add-button").first.click()
    page.get_by_role("option", name="Texte").first.click()
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    editor.type("Saluer, partir de ce que les gens savent, trois messages clés au plus.")
    page.locator("#id_estimated_minutes").fill("15")  # leaving the editor saves its text
    page.wait_for_function(
        "() => [...document.querySelectorAll('input[type=hidden]')]"
        ".some(input => input.value.includes('trois messages'))"
    )
    screenshot("2-trainer-lesson")
    click_hidden(page, 'button[name="action-submit"]')
    screenshot("2b-trainer-lesson-submitted")
    title = "Les six étapes d'une causerie"
    lesson = LessonPage.objects.get(title=title)
    assert not lesson.live and lesson.workflow_in_progress
    assert not ModulePage.objects.get(pk=module.pk).live
    page.context.clear_cookies()

    # A coordinator approves both: they are published.
    log_in(coordinator)
    for item in (module, lesson):
        page.goto(url(f"/admin/pages/{item.pk}/edit/"))
        click_hidden(
            page,
            'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])',
        )
    screenshot("3-coordinator-approved")
    assert LessonPage.objects.get(pk=lesson.pk).live
    assert ModulePage.objects.get(pk=module.pk).live
    page.context.clear_cookies()

    # The participant reads on a phone, marks the lesson done, sees the progress move.
    page.set_viewport_size(PHONE)
    log_in(reader)
    page.goto(url(programme.url))
    progress = page.locator("#my-progress + p progress")
    expect(progress).to_have_attribute("value", "0")
    expect(progress).to_have_attribute("max", "2")
    assert no_sideways_scroll(page)
    screenshot("4-participant-programme-before")
    page.goto(url(lesson.url))
    expect(page.locator("main h1")).to_have_text("Les six étapes d'une causerie")
    expect(page.locator("main")).to_contain_text("trois messages clés")
    assert no_sideways_scroll(page)
    screenshot("5-participant-lesson")
    with page.expect_navigation():
        page.get_by_role("button", name="Marquer comme terminée").click()
    expect(page.locator(".messages")).to_contain_text("terminée")
    page.goto(url(programme.url))
    expect(progress).to_have_attribute("value", "1")
    assert no_sideways_scroll(page)
    screenshot("6-participant-programme-after")


def test_arabic_lesson_reads_right_to_left(world, page, url, log_in, screenshot):
    from wagtail.models import Locale

    from tests.courses.conftest import home_page, lessons_of, modules_of

    programme = build_programme(modules=1, lessons=1, title="Programme Mono")
    reader = participant()
    EnrolmentFactory(person=reader.person, cohort=CohortFactory(programme=programme))
    arabic = Locale.objects.get_or_create(language_code="ar")[0]
    lesson = lessons_of(programme)[0]
    lesson.copy_for_translation(arabic, copy_parents=True)
    for source in (home_page(), programme, modules_of(programme)[0], lesson):
        copy = source.get_translation(arabic).specific
        if copy.alias_of_id:  # parents copied as live aliases
            continue
        if copy.translation_key == lesson.translation_key:
            copy.title = "مراحل الجلسة التوعوية"
            copy.body = [("paragraph", "<p>التحية، ثم الانطلاق مما يعرفه الناس.</p>")]
        copy.save_revision().publish()
    lesson_ar = lesson.get_translation(arabic)
    page.set_viewport_size(PHONE)
    log_in(reader)
    page.goto(url(LessonPage.objects.get(pk=lesson_ar.pk).url))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("main h1")).to_have_text("مراحل الجلسة التوعوية")
    assert page.evaluate("getComputedStyle(document.querySelector('main p')).direction") == "rtl"
    assert no_sideways_scroll(page)
    screenshot("ar")
