"""Chromium smoke journeys: Debian's Chromium driven by sync Playwright against `live_server`.

Run apart from the rest: ``pytest -m browser``. One browser is launched per session
(pytest-playwright's session-scoped ``browser``); every test gets a fresh context and page.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BROWSER_DIR = Path(__file__).resolve().parent
SCREENSHOTS = BROWSER_DIR.parent / "artifacts" / "screenshots"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test, whatever its module says."""
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def _allow_async_unsafe():
    """Sync Playwright keeps an event loop marked as running in the main thread, so Django would
    refuse every ORM call with SynchronousOnlyOperation. The calls are plain sync code: allow
    them, for the browser tests only (not at import time, which would leak into the main run
    since this conftest is also imported when browser tests are deselected)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def django_db_setup(_allow_async_unsafe, playwright, django_db_setup):
    """Start Playwright *before* the test database is created.

    Once sync Playwright has marked an event loop as running in the main thread, Django's
    `connections` (an asgiref Local) hands out a different connection object than before. If
    the test database were created first, the connection holding its serialized contents would
    be left behind and `serialized_rollback` would silently restore nothing (no Site or home
    page after the first test). Created afterwards, one connection serves the whole session."""
    yield


@pytest.fixture(autouse=True)
def _wagtail_home_page(transactional_db):
    """The home page and default Site made by site/migrations/0002_create_homepage.py.

    `serialized_rollback` restores them between tests; should it not (a session that created
    the test database before Playwright started, e.g. browser and other tests in one run), make
    them again the same way."""
    from wagtail.models import Locale, Page, Site

    if Site.objects.filter(is_default_site=True).exists():
        return
    from renfort.models import HomePage

    locale, _ = Locale.objects.get_or_create(language_code="fr")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    home = root.add_child(
        instance=HomePage(
            title="Renfort",
            slug="accueil",
            locale=locale,
            intro="Renforcement des capacités des services sociaux et des associations.",
        )
    )
    Site.objects.create(
        hostname="localhost", root_page=home, is_default_site=True, site_name="Renfort"
    )


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Debian's Chromium: `playwright install` cannot download a browser here."""
    return {"executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A French-speaking browser with a desktop viewport."""
    return {
        **browser_context_args,
        "locale": "fr-FR",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def url(live_server):
    """Absolute URL on the live server: ``url("/mon-espace/")``."""

    def build(path="/"):
        return f"{live_server.url}{path}"

    return build


@pytest.fixture
def page(page):
    """pytest-playwright's page with shorter timeouts: the local server answers fast."""
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    return page


@pytest.fixture
def screenshot(page, request):
    """``screenshot()`` saves a full-page PNG as tests/artifacts/screenshots/<test-name>.png
    (``screenshot("ar")`` adds a suffix)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")

    def take(suffix=""):
        path = SCREENSHOTS / (f"{name}-{suffix}.png" if suffix else f"{name}.png")
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def log_in(page, url):
    """Log in through the real allauth page: type e-mail and password, click the button."""
    from tests.factories import PASSWORD

    def do(user_or_email, password=PASSWORD, next_path=None):
        email = getattr(user_or_email, "email", user_or_email)
        page.goto(url("/comptes/login/" + (f"?next={next_path}" if next_path else "")))
        form = page.locator("main form")
        form.locator("input[name=login]").fill(email)
        form.locator("input[name=password]").fill(password)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()

    return do
