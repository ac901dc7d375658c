"""Whole pages kept in the shared cache (``renfort.response_cache``): every database write makes
them stale, nothing kept for one session is served to another, and what a page serves from the
cache still works (CSRF tokens, flash messages, languages, htmx)."""

import re
from datetime import date, timedelta

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from associations.models import Attendance, Person, Territory
from renfort import response_cache
from tests.factories import (
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    PersonFactory,
    SessionFactory,
    coordinator_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french():
    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture
def cohort(world):
    cohort = CohortFactory(code="MONO-2024", territory=world["mono"])
    session = SessionFactory(cohort=cohort, date=date(2024, 11, 20))
    for n in range(3):
        enrolment = EnrolmentFactory(
            cohort=cohort,
            person=PersonFactory(organisation=world["org_lokossa"], last_name=f"Agent{n:02d}"),
        )
        AttendanceFactory(session=session, enrolment=enrolment)
    return cohort


def page(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.status_code
    return response.content.decode(), len(queries)


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


# What moves the data generation.


def moved(write):
    before = response_cache.data_generation()
    write()
    return response_cache.data_generation() != before


@pytest.mark.parametrize(
    "write",
    [
        lambda world: PersonFactory(organisation=world["org_mono"]),
        lambda world: Person.objects.update(last_name="Renommé"),
        lambda world: Territory.objects.filter(pk=world["lokossa"].pk).update(name="Lokossa 2"),
        lambda world: Person.objects.bulk_create(
            [Person(first_name="A", last_name="B", organisation=world["org_mono"])]
        ),
        lambda world: Attendance.objects.all().delete(),
        lambda world: connection.cursor().execute(
            "UPDATE associations_territory SET name = %s", ["Brut"]
        ),
    ],
    ids=["save", "update", "filtered update", "bulk_create", "queryset delete", "raw SQL"],
)
def test_every_kind_of_write_moves_the_generation(world, cohort, write):
    assert moved(lambda: write(world))


def test_reads_do_not_move_the_generation(world, cohort):
    assert not moved(lambda: (list(Person.objects.all()), Attendance.objects.count()))


def test_migrate_moves_the_generation():
    """A deployment migrates: pages rendered by the previous templates are not served."""
    assert moved(lambda: emit_post_migrate_signal(verbosity=0, interactive=False, db="default"))


@pytest.mark.django_db(transaction=True)
def test_a_transaction_moves_the_generation_when_it_commits_and_not_when_it_rolls_back(world):
    response_cache.data_generation()
    with transaction.atomic():
        PersonFactory(organisation=world["org_mono"])  # seen by this connection: moved at once
        during = response_cache.data_generation()
        # Another process cannot see the row yet; whatever it caches now under ``during`` must
        # be dropped when the row becomes visible.
        PersonFactory(organisation=world["org_mono"])
        # One callback per transaction, however many rows it writes (an import writes thousands).
        pending = [f for _sids, f, _robust in connection.run_on_commit if f is response_cache.bump]
        assert len(pending) == 1
    assert response_cache.data_generation() != during

    response_cache._read_since_bump.clear()  # a process that has not read since it wrote
    before = response_cache.data_generation()
    response_cache._read_since_bump.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        PersonFactory(organisation=world["org_mono"])
        raise RuntimeError
    assert response_cache.data_generation() == before


# What a cached page serves.


def test_the_cohort_page_comes_from_the_cache_until_something_is_written(client, world, cohort):
    client.force_login(coordinator_of(world["mono"]))
    url = reverse("associations:cohort_detail", args=[cohort.pk])
    first, first_queries = page(client, url)
    second, second_queries = page(client, url)
    assert second_queries <= 1 < first_queries  # the session only (in the database here)
    assert first == second.replace(csrf_token(second), csrf_token(first))
    # Each answer masks the CSRF token afresh (as Django does against BREACH), cached or not.
    assert csrf_token(second) != csrf_token(first)
    # A bulk update sends no signal: the page shows it all the same.
    Person.objects.filter(last_name="Agent01").update(last_name="Renommée")
    html, queries = page(client, url)
    assert "Renommée" in html and "Agent01" not in html and queries == first_queries


def test_a_page_kept_for_one_session_is_never_served_to_another(client, world, cohort):
    url = reverse("associations:cohort_detail", args=[cohort.pk])
    client.force_login(coordinator_of(world["mono"]))
    page(client, url)
    page(client, url)
    outsider = Client()
    outsider.force_login(coordinator_of(world["moulay"]))
    assert outsider.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # anonymous: to the sign-in page
    client.logout()
    assert client.get(url).status_code == 302


def test_a_cached_page_carries_a_working_csrf_token_and_shows_flash_messages(world, cohort):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator_of(world["mono"]))
    url = reverse("associations:cohort_detail", args=[cohort.pk])
    page(client, url)
    html, queries = page(client, url)
    assert queries <= 1 and "\x00" not in html
    # An enrolment form sent without a person: refused with a message, nothing written.
    response = client.post(
        reverse("associations:cohort_enrol", args=[cohort.pk]),
        {"csrfmiddlewaretoken": csrf_token(html), "person": ""},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages and messages[0] in response.content.decode()
    # The message is shown once; the next visit comes from the cache again.
    html, queries = page(client, url)
    assert messages[0] not in html and queries <= 1


def test_each_language_has_its_own_page_and_htmx_requests_are_answered_afresh(
    client, world, cohort
):
    client.force_login(coordinator_of(world["mono"]))
    url = reverse("associations:cohort_detail", args=[cohort.pk])
    french, _ = page(client, url)
    arabic, _ = page(client, "/ar" + url)
    assert 'lang="fr"' in french and 'dir="rtl"' in arabic
    assert page(client, url)[0].startswith(french[:200])
    _html, queries = page(client, url, HTTP_HX_REQUEST="true")
    assert queries > 2


def test_a_new_day_renders_the_page_afresh(client, world, cohort, monkeypatch):
    client.force_login(coordinator_of(world["mono"]))
    url = reverse("associations:cohort_detail", args=[cohort.pk])
    page(client, url)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(response_cache.timezone, "localdate", lambda: tomorrow)
    _html, queries = page(client, url)
    assert queries > 2


def test_the_cache_can_be_turned_off(client, world, cohort, settings):
    settings.RENFORT_PAGE_CACHE_SECONDS = 0
    client.force_login(coordinator_of(world["mono"]))
    url = reverse("associations:cohort_detail", args=[cohort.pk])
    page(client, url)
    assert page(client, url)[1] > 2


def test_course_pages_come_from_the_cache_for_their_reader_only(client):
    from tests.courses.conftest import build_programme, lessons_of
    from tests.factories import participant

    programme = build_programme(modules=1, lessons=2)
    lesson = lessons_of(programme)[0]
    reader = participant()
    EnrolmentFactory(person=reader.person, cohort=CohortFactory(programme=programme))
    client.force_login(reader)
    for url in (programme.url, lesson.url):
        first, first_queries = page(client, url)
        second, second_queries = page(client, url)
        assert second_queries <= 1 < first_queries
        assert first == second.replace(csrf_token(second), csrf_token(first))
    stranger = Client()
    stranger.force_login(participant())  # enrolled in no cohort of the programme
    assert stranger.get(lesson.url).status_code == 403
    assert Client().get(lesson.url).status_code == 302
    client.post(lesson.url)  # mark as done: a write, and a flash message on the next page
    html, queries = page(client, lesson.url)
    assert 'class="done"' in html and queries > 2


def test_only_the_bare_page_and_its_numbered_pages_are_kept(client, world, cohort):
    """A query string of anyone's choosing must not fill the cache with copies of a page."""
    client.force_login(coordinator_of(world["mono"]))
    url = reverse("associations:cohort_detail", args=[cohort.pk])
    for query in ("?page=1", "?page=1"):
        _html, queries = page(client, url + query)
    assert queries <= 1
    for query in ("?utm=1", "?utm=1", "?page=1&x=2", "?page=1&x=2"):
        _html, queries = page(client, url + query)
        assert queries > 1, query


def test_writes_are_seen_inside_other_execute_wrappers(world):
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        assert moved(lambda: PersonFactory(organisation=world["org_mono"]))
    assert seen and connection.execute_wrappers == [response_cache._watch_writes]


def test_csrf_tokens_are_taken_out_exactly_where_64_letters_or_digits_stand_alone():
    """The stored page loses every token of the session's secret, and nothing else: the same
    spans as the regex ``(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])``, in Arabic or French
    text, at either end, beside longer or shorter runs, and next to other secrets' tokens."""
    import random

    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    secret, other = _get_new_csrf_string(), _get_new_csrf_string()
    every_token = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")

    def expected(html):
        return every_token.sub(
            lambda m: "\x00renfort-csrf\x00" if response_cache._unmask(m[0]) == secret else m[0],
            html,
        )

    draw = random.Random(7)
    parts = [
        lambda: _mask_cipher_secret(secret),
        lambda: _mask_cipher_secret(other),
        lambda: "x" + _mask_cipher_secret(secret),  # 65 characters: not a token
        lambda: _mask_cipher_secret(secret)[:63],
        lambda: "".join(draw.choices("abcXYZ019", k=draw.choice([1, 63, 64, 65, 130]))),
        lambda: draw.choice(['"', " ", "é", "\u0627\u0644", "-", "_", "<b>", "\n", "€"]),
    ]
    for _round in range(300):
        html = "".join(draw.choice(parts)() for _part in range(draw.randint(0, 12)))
        assert response_cache._without_csrf_tokens(html, secret) == expected(html), html
    token = _mask_cipher_secret(secret)
    assert response_cache._without_csrf_tokens(f"{token}é{token}", secret) == (
        "\x00renfort-csrf\x00é\x00renfort-csrf\x00"
    )


def test_made_up_session_cookies_share_the_anonymous_copy_and_real_sessions_do_not():
    from importlib import import_module

    from django.conf import settings
    from django.test import RequestFactory

    store = import_module(settings.SESSION_ENGINE).SessionStore

    def key_with(session):
        request = RequestFactory().get("/")
        request.session = session
        return response_cache._key(request)

    made_up = {key_with(store(session_key=f"{letter}" * 32)) for letter in "abc"}
    assert made_up == {key_with(store())}
    real = store()
    real["wagtail-passed-restriction"] = [1]  # what an anonymous visitor's session may hold
    real.save()
    assert key_with(store(session_key=real.session_key)) not in made_up
