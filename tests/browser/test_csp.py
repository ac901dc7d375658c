"""The Content-Security-Policy breaks nothing: each role's landing page, the organisation list,
the Wagtail dashboard and page editor load in Chromium with no CSP violation reported (the
browser's console message and the page's ``securitypolicyviolation`` event are both watched)."""

import contextlib

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from tests.browser.test_smoke import ROLES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
      + ` at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def violations(page):
    """Every CSP violation of the pages the test opens (console and events)."""
    seen = []
    page.add_init_script(WATCH_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )

    def collect():
        # a page mid-navigation has no window to ask
        with contextlib.suppress(Exception):
            seen.extend(page.evaluate("window.__cspViolations || []"))
        return seen

    return collect


def visit(page, url, path, violations):
    response = page.goto(url(path))
    page.wait_for_load_state("networkidle")
    assert response.status == 200, path
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy, path
    # inline code is allowed in the Wagtail admin only (renfort/accounts/headers.py)
    assert ("'unsafe-inline'" in policy) == path.startswith("/admin/"), (path, policy)
    assert "camera=()" in response.headers.get("permissions-policy", ""), path
    found = violations()
    assert found == [], f"{path}: {found}"


@pytest.mark.parametrize("role", ROLES)
def test_each_roles_pages_load_under_the_policy(role, world, page, url, log_in, violations):
    user, section, _expected = ROLES[role](world)
    for path in ["/", "/comptes/login/"]:
        visit(page, url, path, violations)
    log_in(user)
    expect(page.locator(section)).to_be_visible()
    for path in ["/mon-espace/", "/ar/mon-espace/", "/organisations/", "/cohortes/"]:
        visit(page, url, path, violations)


def test_the_wagtail_dashboard_and_page_editor_work_under_the_policy(
    world, page, url, log_in, violations, screenshot
):
    user, _section, _expected = ROLES["administrator"](world)
    log_in(user)
    visit(page, url, "/admin/", violations)
    expect(page.locator("#wagtail-sidebar")).to_have_count(1)
    home = Site.objects.get(is_default_site=True).root_page
    visit(page, url, f"/admin/pages/{home.pk}/edit/", violations)
    # the editor's scripts ran: the title field is there and the tabs are interactive
    expect(page.locator("#id_title")).to_be_visible()
    expect(page.locator("[data-controller~='w-tabs'], .w-tabs").first).to_be_attached()
    screenshot("editor")
    visit(page, url, "/admin/pages/", violations)
    visit(page, url, "/admin/documents/", violations)
    visit(page, url, "/admin/images/", violations)
