"""Smoke journeys in Chromium: log in as every role, scoped pages, language switch, the Wagtail
admin and a failed login. Each journey leaves a full-page screenshot in
tests/artifacts/screenshots/ (git-ignored)."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    CohortFactory,
    PersonFactory,
    UserFactory,
    coordinator_of,
    focal_point_of,
    participant,
    trainer,
)

# serialized_rollback: the live server needs the Wagtail root, home page and Site created by
# migrations, which a transactional test would otherwise flush away after the first test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def as_coordinator(world):
    return coordinator_of(world["mono"]), "#my-territory", "Mono"


def as_trainer(world):
    user = trainer()
    cohort = CohortFactory(code="COH-BJ-2026-01", territory=world["mono"])
    cohort.facilitators.add(user)
    return user, "#my-cohorts", "COH-BJ-2026-01"


def as_focal_point(world):
    return focal_point_of(world["org_moulay"]), "#my-association", "Association Tafilalt"


def as_participant(world):
    person = PersonFactory(
        first_name="Aïcha", last_name="Benkirane", organisation=world["org_moulay"]
    )
    return participant(person=person), "#my-progress", "Aïcha Benkirane"


def as_administrator(world):
    user = UserFactory(is_superuser=True, is_staff=True)
    return user, "main section.card:has(a[href='/admin/'])", "Administration"


ROLES = {
    "coordinator": as_coordinator,
    "trainer": as_trainer,
    "focal_point": as_focal_point,
    "participant": as_participant,
    "administrator": as_administrator,
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_logs_in_and_lands_on_its_section(role, world, page, url, log_in, screenshot):
    user, section, expected = ROLES[role](world)
    log_in(user)
    expect(page).to_have_url(url("/mon-espace/"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(section)).to_be_visible()
    expect(page.locator(section)).to_contain_text(expected)
    screenshot()


def test_a_coordinator_of_mono_sees_mono_only(world, page, url, log_in, screenshot):
    log_in(coordinator_of(world["mono"]))
    page.goto(url("/organisations/"))
    main = page.locator("main")
    expect(main).to_contain_text("DDASM Mono")
    expect(main).to_contain_text("GUPS de Lokossa")
    expect(main).not_to_contain_text("Aplahoué")
    screenshot()

    couffo_org = world["org_aplahoue"]
    response = page.goto(url(f"/organisations/{couffo_org.pk}/"))
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("Aplahoué")
    screenshot("404")


def test_the_home_page_is_french_and_the_arabic_button_turns_it_rtl(page, url, screenshot):
    html = page.locator("html")
    page.goto(url("/"))
    expect(html).to_have_attribute("lang", "fr")
    expect(html).to_have_attribute("dir", "ltr")
    screenshot("fr")

    # Django's own name for Arabic is "العربيّة" (with a shadda): match the button by its value.
    arabic = page.locator("header form.languages button[name=language][value=ar]")
    expect(arabic).to_contain_text(re.compile("العرب"))
    arabic.click()
    expect(page).to_have_url(url("/ar/"))
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    screenshot("ar")


def test_the_english_button_on_the_french_home_page(page, url, screenshot):
    page.goto(url("/"))
    page.locator("header form.languages").get_by_role("button", name="English").click()
    expect(page).to_have_url(url("/en/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    screenshot()


def test_the_english_button_on_the_arabic_home_page(page, url, screenshot):
    html = page.locator("html")
    page.goto(url("/ar/"))
    expect(html).to_have_attribute("dir", "rtl")
    page.locator("header form.languages").get_by_role("button", name="English").click()
    page.wait_for_load_state()
    screenshot()
    expect(page).to_have_url(url("/en/"), timeout=2_000)
    expect(html).to_have_attribute("lang", "en", timeout=2_000)
    expect(html).to_have_attribute("dir", "ltr", timeout=2_000)


def test_a_trainer_opens_the_wagtail_admin(page, url, log_in, screenshot):
    log_in(trainer())
    expect(page).to_have_url(url("/mon-espace/"))
    response = page.goto(url("/admin/"))
    assert response.status == 200
    expect(page).to_have_url(url("/admin/"))
    expect(page.locator("body#wagtail")).to_have_count(1)
    expect(page.locator("#wagtail-sidebar")).to_have_count(1)
    expect(page.get_by_role("heading", name="Renfort")).to_be_visible()
    expect(page.locator("input[name=password]")).to_have_count(0)
    screenshot()


def test_an_anonymous_visit_to_the_admin_lands_on_the_login_page(page, url, screenshot):
    page.goto(url("/admin/"))
    expect(page).to_have_url(url("/comptes/login/?next=/admin/"))
    expect(page.locator("input[name=login]")).to_be_visible()
    screenshot()


def test_a_wrong_password_shows_an_error_and_stays_on_the_login_page(page, url, log_in, screenshot):
    user = UserFactory()
    log_in(user, password="pas-le-bon-mot-de-passe")
    expect(page).to_have_url(re.compile(re.escape(url("/comptes/login/"))))
    expect(page.locator("input[name=login]")).to_have_value(user.email)
    error = page.locator("main .errorlist, main [role=alert]").first
    expect(error).to_be_visible()
    expect(error).to_contain_text("incorrect")
    expect(page.locator("header")).to_contain_text("Se connecter")
    screenshot()

    page.goto(url("/mon-espace/"))
    expect(page).to_have_url(re.compile(re.escape(url("/comptes/login/"))))
