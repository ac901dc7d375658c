"""The home page's one-query routing and the cached site answer as Wagtail's own walk does, and
a lesson page's queries do not grow with the size of the programme."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from courses.models import LessonPage
from tests.courses.conftest import build_programme, home_page, lessons_of


@pytest.fixture
def public_programme(db):
    return build_programme(modules=2, lessons=2, public=True, title="Routage")


def test_every_page_of_the_tree_routes_as_before(client, public_programme):
    for page in Page.objects.descendant_of(public_programme, inclusive=True).specific():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert response.context["page"].pk == page.pk
        assert type(response.context["page"]) is type(page)


def test_unknown_and_draft_pages_are_404_but_draft_parents_are_walked_through(
    client, public_programme
):
    lesson = lessons_of(public_programme)[0]
    module = lesson.get_parent()
    assert client.get(module.url + "nulle-part/").status_code == 404
    assert client.get(public_programme.url + "nulle-part/" + lesson.slug + "/").status_code == 404
    lesson.unpublish()
    assert client.get(module.url + lesson.slug + "/").status_code == 404
    # Wagtail serves a live page under a draft parent (only the page served must be live).
    other = LessonPage.objects.get(pk=lessons_of(public_programme)[1].pk)
    Page.objects.filter(pk=module.pk).update(live=False)
    assert client.get(module.url + other.slug + "/").status_code == 200


def test_a_stale_url_path_falls_back_to_the_slug_walk(client, public_programme):
    lesson = lessons_of(public_programme)[0]
    url = lesson.url
    LessonPage.objects.filter(pk=lesson.pk).update(url_path="/ailleurs/")
    assert client.get(url).status_code == 200


def test_the_cached_site_follows_a_change_of_root(client, public_programme):
    assert client.get("/").context["page"].pk == home_page().pk
    site = Site.objects.get(is_default_site=True)
    site.root_page = Page.objects.get(pk=public_programme.pk)
    site.save()
    assert client.get("/").context["page"].pk == public_programme.pk


def test_a_view_restriction_is_honoured_as_soon_as_it_is_made(client, public_programme):
    lesson = lessons_of(public_programme)[0]
    assert client.get(lesson.url).status_code == 200
    PageViewRestriction.objects.create(
        page=public_programme, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(lesson.url).status_code == 302
    cache.clear()
    assert client.get(lesson.url).status_code == 302


def _lesson_queries(client, programme):
    lesson = lessons_of(programme)[-1]
    client.get(lesson.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(lesson.url).status_code == 200
    return len(queries)


def test_a_lesson_page_costs_the_same_queries_in_a_small_and_a_big_programme(client, db):
    small = build_programme(modules=1, lessons=2, public=True, title="Petit")
    big = build_programme(modules=6, lessons=12, public=True, title="Grand")
    assert _lesson_queries(client, small) == _lesson_queries(client, big) <= 2
