"""What a newcomer meets on the first run: the port, the printed addresses, the demo's settings."""

import importlib
import socket
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import coordinator_of

ROOT = Path(__file__).resolve().parents[2]


def demo_settings():
    return importlib.import_module("renfort.settings.demo")


@pytest.fixture
def busy_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_a_taken_port_stops_make_run_with_a_message_not_a_traceback(busy_port):
    result = subprocess.run(
        ["make", "--no-print-directory", "port-free", f"PORT={busy_port}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert f"Le port {busy_port} est déjà pris" in result.stderr
    assert f"make run PORT={busy_port + 1}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_free_port_passes_the_check():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    result = subprocess.run(
        [sys.executable, "scripts/port_free.py", str(free_port)], cwd=ROOT, capture_output=True
    )
    assert result.returncode == 0, result.stderr


def test_make_run_serves_the_demo_settings_on_the_chosen_port():
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "serve", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "scripts/port_free.py 8123" in result.stdout
    assert (
        "DJANGO_SETTINGS_MODULE=renfort.settings.demo .venv/bin/python manage.py runserver "
        "127.0.0.1:8123" in result.stdout
    )


@pytest.mark.django_db
def test_the_demo_prints_addresses_on_the_port_it_will_be_served_on():
    out = StringIO()
    call_command(
        "demo_world", associations=1, agents=1, base_url="http://127.0.0.1:8123", stdout=out
    )
    printed = out.getvalue()
    assert "http://127.0.0.1:8123/mon-espace/" in printed
    assert "http://127.0.0.1:8123/admin/" in printed
    assert "make serve PORT=8123" in printed
    assert ":8000" not in printed


@pytest.mark.django_db
def test_the_demo_addresses_follow_base_url_from_the_environment(settings):
    # BASE_URL is what `make run PORT=...` exports; the settings read it as WAGTAILADMIN_BASE_URL.
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8124"
    out = StringIO()
    call_command("demo_world", associations=1, agents=1, stdout=out)
    assert "http://127.0.0.1:8124/" in out.getvalue()


def test_the_served_demo_runs_without_debug_and_developers_keep_it():
    assert demo_settings().DEBUG is False
    assert demo_settings().WHITENOISE_USE_FINDERS is True
    assert importlib.import_module("renfort.settings.dev").DEBUG is True
    makefile = (ROOT / "Makefile").read_text()
    assert "dev: " in makefile


@pytest.fixture
def as_in_the_demo(settings):
    """The test settings with the served demo's DEBUG and static-file serving."""
    demo = demo_settings()
    settings.DEBUG = demo.DEBUG
    settings.WHITENOISE_USE_FINDERS = demo.WHITENOISE_USE_FINDERS
    settings.STORAGES = demo.STORAGES
    return settings


@pytest.mark.django_db
def test_outside_their_territory_a_coordinator_gets_renforts_404(client, world, as_in_the_demo):
    client.force_login(coordinator_of(world["mono"]))
    outside = reverse("associations:organisation_detail", args=[world["org_aplahoue"].pk])
    response = client.get(outside)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert 'href="/static/css/renfort.css"' in html
    assert "URLconf" not in html and "technical" not in html.lower()
    assert [t.name for t in response.templates][0] == "404.html"


@pytest.mark.django_db
def test_the_demo_serves_its_static_files_without_debug(client, as_in_the_demo):
    # The test settings' STATIC_ROOT is empty: WhiteNoise finds the file in the app folders.
    response = client.get("/static/css/renfort.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


@pytest.mark.django_db
def test_a_404_in_arabic_leads_back_to_the_arabic_home_page(client):
    response = client.get("/ar/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<a href="/ar/">' in html
