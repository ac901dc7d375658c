"""The diagnostic journey in Chromium: a focal point fills a self-assessment on a 375 px phone
(an answer survives a reload) and sends it; the coordinator validates it, sees the radar chart
and the recommended module, and adds it to the association's plan. Screenshots in French and
Arabic under tests/artifacts/screenshots/."""

import datetime

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Diagnostic, Item, PlanItem
from associations.models import Cohort
from courses.models import ModulePage, ProgrammePage
from renfort.models import HomePage
from tests.factories import CohortFactory, coordinator_of, focal_point_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def diagnostic_world(world):
    framework, _ = services.framework_load_from_file(path="associations.json")
    organisation = world["org_moulay"]
    coordinator = coordinator_of(world["moulay"], email="coordination@example.org")
    focal = focal_point_of(organisation, email="pointfocal@example.org")
    baseline = services.diagnostic_start(
        user=coordinator,
        organisation=organisation,
        framework=framework,
        phase=Diagnostic.Phase.BASELINE,
        date=datetime.date(2026, 1, 20),
        is_self_assessment=False,
    )
    items = list(Item.objects.filter(dimension__framework=framework).select_related("dimension"))
    for item in items:
        weak = item.dimension.code == "financial_management"
        services.response_save(
            user=coordinator, diagnostic=baseline, item=item, level=1 if weak else 2
        )
    services.diagnostic_validate(user=coordinator, diagnostic=baseline)
    home = HomePage.objects.first()
    programme = home.add_child(instance=ProgrammePage(title="Takwia", slug="takwia"))
    module = programme.add_child(
        instance=ModulePage(
            title="Gestion financière et contrôle interne",
            slug="gestion-financiere",
            dimension_codes=["financial_management"],
        )
    )
    cohort = CohortFactory(
        code="MY-TAKWIA-2026",
        programme=programme,
        territory=world["moulay"],
        status=Cohort.Status.RUNNING,
    )
    return {
        "organisation": organisation,
        "coordinator": coordinator,
        "focal": focal,
        "items": items,
        "module": module,
        "cohort": cohort,
    }


def test_self_assessment_review_and_plan(browser, url, diagnostic_world):
    organisation = diagnostic_world["organisation"]
    first_item = diagnostic_world["items"][0]

    # The focal point, on a phone.
    phone = browser.new_context(locale="fr-FR", viewport=PHONE)
    page = phone.new_page()
    page.set_default_timeout(10_000)
    _log_in(page, url, diagnostic_world["focal"])
    page.goto(url(f"/diagnostics/organisations/{organisation.pk}/"))
    page.get_by_role("link", name="Commencer un diagnostic").click()
    page.select_option("select[name=phase]", "midline")
    page.fill("input[name=date]", "2026-11-20")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/diagnostics/*/")
    card = page.locator(f"#item-{first_item.pk}")
    card.locator("input[name=level][value='3']").check()
    expect(card.locator("[data-status]")).to_have_text("Enregistré")
    page.reload()
    expect(card.locator("input[name=level][value='3']")).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot_page(page, "phone-fr")
    page.goto(page.url.replace("/diagnostics/", "/ar/diagnostics/"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot_page(page, "phone-ar")

    # The rest of the answers (the journey above proved the form), then send for review.
    diagnostic = Diagnostic.objects.get(phase=Diagnostic.Phase.MIDLINE)
    for item in diagnostic_world["items"][1:]:
        level = 1 if item.dimension.code == "financial_management" else 3
        services.response_save(
            user=diagnostic_world["focal"], diagnostic=diagnostic, item=item, level=level
        )
    page.goto(url(f"/diagnostics/{diagnostic.pk}/"))
    page.get_by_role("button", name="Envoyer pour validation").click()
    expect(page.locator(".messages")).to_contain_text("Envoyé pour validation")
    phone.close()

    # The coordinator reviews and validates, on a desktop.
    desktop = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = desktop.new_page()
    page.set_default_timeout(10_000)
    _log_in(page, url, diagnostic_world["coordinator"])
    page.goto(url(f"/diagnostics/{diagnostic.pk}/"))
    expect(page.locator(f"#item-{first_item.pk} input[value='3']")).to_be_checked()
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"**/diagnostics/organisations/{organisation.pk}/")
    expect(page.locator("svg.radar-svg polygon.serie.latest")).to_be_visible()
    expect(page.locator("svg.radar-svg polygon.serie.baseline")).to_be_visible()
    module = diagnostic_world["module"]
    recommended = page.locator(".module", has_text=module.title)
    expect(recommended).to_contain_text("MY-TAKWIA-2026")
    recommended.locator("select[name=cohort]").select_option(str(diagnostic_world["cohort"].pk))
    recommended.locator("input[name=due_date]").fill("2027-01-27")
    recommended.get_by_role("button", name="Ajouter au plan").click()
    expect(page.locator("#plan")).to_contain_text(module.title)
    expect(page.locator("#plan")).to_contain_text("MY-TAKWIA-2026")
    assert PlanItem.objects.filter(organisation=organisation, module=module).exists()
    screenshot_page(page, "coordinator-fr")
    page.goto(url(f"/ar/diagnostics/organisations/{organisation.pk}/"))
    expect(page.locator("svg.radar-svg")).to_be_visible()
    screenshot_page(page, "coordinator-ar")
    page.set_viewport_size(PHONE)
    screenshot_page(page, "coordinator-ar-phone")
    desktop.close()


def screenshot_page(page, suffix):
    """A full-page screenshot of ``page`` (each role has its own browser context)."""
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"diagnostics-{suffix}.png"), full_page=True)


def _log_in(page, url, user):
    from tests.factories import PASSWORD

    page.goto(url("/comptes/login/"))
    form = page.locator("main form")
    form.locator("input[name=login]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
