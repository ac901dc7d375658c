"""What a newcomer sees on a phone: the Wagtail user bar leaves the text readable at 375 px,
signing out of an Arabic page stays Arabic and right to left, landing pages fit the screen.
Screenshots in tests/artifacts/screenshots/."""

import pytest
from playwright.sync_api import expect

from tests.factories import CohortFactory, UserFactory, coordinator_of, trainer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 740}

# Text of the page (outside the user bar) whose boxes overlap the user bar's button.
TEXT_UNDER_USERBAR = """() => {
  const trigger = document.querySelector('wagtail-userbar')
    .shadowRoot.querySelector('#wagtail-userbar-trigger').getBoundingClientRect();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const covered = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim() || node.parentElement.closest('wagtail-userbar')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const box of range.getClientRects()) {
      if (box.right > trigger.left && box.left < trigger.right
          && box.bottom > trigger.top && box.top < trigger.bottom) {
        covered.push(node.textContent.trim());
      }
    }
  }
  return covered;
}"""


LONG_TEXT = "".join(
    "<p>Le programme renforce les capacités des associations et des services sociaux : "
    "diagnostic organisationnel, plan de renforcement, modules de formation, sessions, "
    "présences, tests, certificats et rapports pour chaque territoire.</p>"
    for _ in range(8)
)


@pytest.fixture
def long_home_page():
    """A home page as long as the demo's, so that text runs under the user bar's corner."""
    from renfort.models import HomePage

    HomePage.objects.update(body=LONG_TEXT)


def covered_text_while_scrolling(page):
    covered = []
    height = page.evaluate("document.documentElement.scrollHeight")
    for top in range(0, height + 200, 150):
        page.evaluate(f"window.scrollTo(0, {top})")
        covered += page.evaluate(TEXT_UNDER_USERBAR)
    return covered


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_user_bar_covers_no_text_on_a_375px_phone(
    prefix, long_home_page, page, url, log_in, screenshot
):
    log_in(UserFactory(is_superuser=True, is_staff=True))
    page.set_viewport_size(PHONE)
    page.goto(url(f"{prefix}/"))
    trigger = page.locator("#wagtail-userbar-trigger")
    expect(trigger).to_be_visible()
    assert covered_text_while_scrolling(page) == []
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    screenshot()
    trigger.click()
    expect(page.locator("#wagtail-userbar-items")).to_be_visible()
    screenshot("open")


def test_on_a_desktop_the_user_bar_still_floats(page, url, log_in, screenshot):
    log_in(UserFactory(is_superuser=True, is_staff=True))
    page.goto(url("/"))
    position = page.evaluate(
        "getComputedStyle(document.querySelector('wagtail-userbar').shadowRoot"
        ".querySelector('.w-userbar')).position"
    )
    assert position == "fixed"
    screenshot()


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}])
def test_signing_out_of_an_arabic_page_stays_arabic_and_right_to_left(
    viewport, page, url, log_in, screenshot
):
    log_in(UserFactory())
    page.set_viewport_size(viewport)
    page.goto(url("/ar/mon-espace/"))
    page.locator("header form[action$='/logout/'] button").click()
    page.wait_for_load_state()
    expect(page).to_have_url(url("/ar/"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    message = page.locator(".messages li")
    expect(message).to_have_text("تم تسجيل خروجك.")
    assert message.evaluate("el => getComputedStyle(el).direction") == "rtl"
    # The coloured rule marks the start of the line: on the right in Arabic.
    assert message.evaluate("el => getComputedStyle(el).borderRightWidth") == "4px"
    screenshot(str(viewport["width"]))


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_coordinator_landing_page_fits_a_phone(prefix, world, page, url, log_in, screenshot):
    CohortFactory(code="MONO-2026", territory=world["lokossa"])
    log_in(coordinator_of(world["mono"]))
    page.set_viewport_size(PHONE)
    page.goto(url(f"{prefix}/mon-espace/"))
    assert no_horizontal_scroll(page)
    count = page.locator("#my-territory td a").first
    expect(count).to_have_text("2")
    screenshot()
    count.click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("GUPS de Lokossa")
    expect(page.locator("main")).not_to_contain_text("Aplahoué")


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_trainer_landing_page_fits_a_phone(prefix, world, page, url, log_in, screenshot):
    teacher = trainer()
    cohort = CohortFactory(
        code="DDASM-M-2024-MS",
        title="Mobilisation sociale et suivi des projets et programmes",
        territory=world["mono"],
    )
    cohort.facilitators.add(teacher)
    log_in(teacher)
    page.set_viewport_size(PHONE)
    page.goto(url(f"{prefix}/mon-espace/"))
    assert no_horizontal_scroll(page)
    expect(page.locator("#my-cohorts a", has_text="DDASM-M-2024-MS")).to_be_visible()
    screenshot()


def test_the_administrator_landing_page(world, page, url, log_in, screenshot):
    log_in(UserFactory(is_superuser=True, is_staff=True))
    page.set_viewport_size(PHONE)
    page.goto(url("/mon-espace/"))
    assert no_horizontal_scroll(page)
    expect(page.locator("#administration")).to_contain_text("Attributions de rôle")
    screenshot()
