"""Public pages, languages and the role-aware landing page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    coordinator_of,
    focal_point_of,
    participant,
    trainer,
)

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.content == b"ok"


@pytest.mark.parametrize(
    ("prefix", "lang", "direction", "sign_in"),
    [
        ("", "fr", "ltr", "Se connecter"),
        ("/ar", "ar", "rtl", "تسجيل الدخول"),
        ("/en", "en", "ltr", "Sign in"),
    ],
)
def test_the_home_page_speaks_french_arabic_and_english(client, prefix, lang, direction, sign_in):
    html = client.get(f"{prefix}/").content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert sign_in in html


@pytest.mark.parametrize(
    ("language", "next_url", "expected"),
    [
        ("ar", "/organisations/", "/ar/organisations/"),
        ("en", "/ar/organisations/", "/en/organisations/"),
        ("fr", "/en/mon-espace/", "/mon-espace/"),
        ("en", "/ar/", "/en/"),
    ],
)
def test_choosing_a_language_keeps_the_page(client, language, next_url, expected):
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response.url == expected


def test_pages_use_only_the_projects_own_static_files(client):
    html = client.get("/").content.decode()
    assert "/static/css/renfort.css" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_the_coordinator_space_counts_their_territory(client, world):
    PersonFactory(organisation=world["org_lokossa"])
    client.force_login(coordinator_of(world["mono"]))
    response = client.get(reverse("dashboard"))
    territories = response.context["territories"]
    assert [t.name for t in territories] == ["Mono"]
    assert territories[0].organisations_count == 2
    assert territories[0].people_count == 1
    assert 'id="my-territory"' in response.content.decode()


def test_the_trainer_space_lists_their_cohorts(client, world):
    teacher = trainer()
    CohortFactory(code="MONO-2024", territory=world["mono"]).facilitators.add(teacher)
    CohortFactory(code="AUTRE-2024", territory=world["mono"])
    client.force_login(teacher)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'id="my-cohorts"' in html
    assert "MONO-2024" in html and "AUTRE-2024" not in html


def test_the_focal_point_space_shows_their_association(client, world):
    client.force_login(focal_point_of(world["org_moulay"]))
    html = client.get(reverse("dashboard")).content.decode()
    assert 'id="my-association"' in html and "Association Tafilalt" in html
    assert "GUPS" not in html


def test_the_participant_space_shows_their_enrolments(client, world):
    enrolment = EnrolmentFactory(
        person__organisation=world["org_lokossa"], cohort__code="MONO-2024"
    )
    client.force_login(participant(enrolment.person))
    html = client.get(reverse("dashboard")).content.decode()
    assert 'id="my-progress"' in html and "MONO-2024" in html


def test_an_account_without_role_is_told_whom_to_ask(client):
    client.force_login(UserFactory())
    html = client.get(reverse("dashboard")).content.decode()
    assert "coordonnateur" in html.lower()


@pytest.mark.parametrize(
    "url_name", ["associations:organisation_list", "associations:cohort_list", "dashboard"]
)
def test_lists_cost_the_same_queries_with_10_or_200_rows(client, world, url_name):
    client.force_login(coordinator_of(world["mono"]))
    url = reverse(url_name)
    client.get(url)  # the first request of a session pays for one-off lookups

    def queries_with(count):
        OrganisationFactory.create_batch(count, territory=world["lokossa"])
        CohortFactory.create_batch(count // 10, territory=world["lokossa"])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = queries_with(10)
    assert queries_with(190) == small


def test_an_unknown_page_is_a_404_in_the_site_layout(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    assert 'href="/static/css/renfort.css"' in response.content.decode()
