"""Slow links: a lesson page with its CSS, JS and fonts weighs at most 50 KB on the wire
(HTML gzip-compressed as production serves it); the programme page's query count does not
grow with its modules or with the participant's progress."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.demo import demo_programmes_ensure
from courses.models import LessonCompletion, LessonPage
from tests.courses.conftest import build_programme, lessons_of
from tests.factories import CohortFactory, EnrolmentFactory, participant

pytestmark = pytest.mark.django_db
BUDGET = 50 * 1024


def asset_paths(html):
    links = re.findall(r'<link[^>]+href="([^"]+)"', html)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    return links + scripts


def test_heaviest_demo_lesson_within_50_kb_gzipped(client):
    programmes, _lines = demo_programmes_ensure()
    programme = programmes["secteur-associatif"]
    user = participant()
    EnrolmentFactory(person=user.person, cohort=CohortFactory(programme=programme))
    client.force_login(user)
    lessons = LessonPage.objects.descendant_of(programme).live()
    heaviest, html = 0, ""
    for lesson in lessons:
        body = client.get(lesson.url).content
        if len(body) > heaviest:
            heaviest, html = len(body), body.decode()
    total = len(gzip.compress(html.encode()))
    for url in asset_paths(html):
        assert url.startswith("/"), f"third-party request: {url}"
        path = finders.find(url.removeprefix("/static/"))
        assert path, url
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read()))
    assert "@font-face" not in html
    assert total <= BUDGET, f"{total} bytes"


def test_production_compresses_html():
    from tests.site.test_settings import run_with_production_settings

    result = run_with_production_settings(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.MIDDLEWARE[0])",
        SECRET_KEY="test",
        CACHE_URL="redis://127.0.0.1:6379/12",
    )
    assert result.stdout.strip().splitlines()[-1] == "django.middleware.gzip.GZipMiddleware"


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    assert finders.find("favicon.svg")


def count_programme_queries(client, modules, progress_rows):
    programme = build_programme(modules=modules, lessons=2, title=f"P{modules}-{progress_rows}")
    user = participant()
    EnrolmentFactory(person=user.person, cohort=CohortFactory(programme=programme))
    lessons = lessons_of(programme)
    # progress rows: completions of this user (on this and other programmes' lessons)
    filler = build_programme(modules=max(1, progress_rows // 2), lessons=2, title="Filler")
    pool = (lessons + lessons_of(filler))[:progress_rows]
    LessonCompletion.objects.bulk_create(LessonCompletion(user=user, lesson=p) for p in pool)
    client.force_login(user)
    client.get(programme.url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(programme.url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("modules,rows", [(16, 1), (2, 40), (16, 40)])
def test_programme_page_queries_do_not_grow(client, modules, rows):
    small = count_programme_queries(client, 2, 1)
    big = count_programme_queries(client, modules, rows)
    assert big == small
    assert small <= 20
