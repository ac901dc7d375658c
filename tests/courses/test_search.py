"""Search across the published lessons the reader may see, in the current language."""

import pytest
from django.db import connection

from courses.models import LessonPage
from tests.courses.conftest import build_programme, lessons_of
from tests.factories import CohortFactory, EnrolmentFactory, participant

pytestmark = pytest.mark.django_db
URL = "/cours/recherche/"


def lesson_about(programme, title, text):
    lesson = lessons_of(programme)[0]
    lesson.title = title
    lesson.body = [("paragraph", f"<p>{text}</p>")]
    lesson.save_revision().publish()
    return lesson


@pytest.fixture
def programmes(db):
    public = build_programme(title="Public", public=True)
    private = build_programme(title="Réservé")
    other = build_programme(title="Autre")
    lesson_about(public, "Tenir la caisse", "Le journal de caisse se tient chaque jour.")
    lesson_about(private, "Assemblée générale", "La convocation de l'assemblée générale.")
    lesson_about(other, "Assemblée constitutive", "Une assemblée pour fonder.")
    return public, private, other


def titles(response):
    return [lesson.title for lesson in response.context["results"]]


def test_anonymous_finds_only_public_lessons(client, programmes):
    assert titles(client.get(URL, {"q": "caisse"})) == ["Tenir la caisse"]
    assert titles(client.get(URL, {"q": "assemblée"})) == []


def test_enrolled_participant_finds_their_programme_only(client, programmes):
    _public, private, _other = programmes
    user = participant()
    EnrolmentFactory(person=user.person, cohort=CohortFactory(programme=private))
    client.force_login(user)
    assert titles(client.get(URL, {"q": "assemblée"})) == ["Assemblée générale"]


def test_unpublished_lessons_are_not_found(client, programmes):
    public = programmes[0]
    LessonPage.objects.get(pk=lessons_of(public)[0].pk).unpublish()
    assert titles(client.get(URL, {"q": "caisse"})) == []


def test_empty_query_shows_the_form(client, programmes):
    response = client.get(URL)
    assert response.status_code == 200 and response.context["results"] is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="French stemming is PostgreSQL's")
def test_french_stemming_on_postgresql(client, db):
    public = build_programme(title="Public", public=True)
    lesson_about(public, "Former les bénévoles", "Une formation par trimestre.")
    assert titles(client.get(URL, {"q": "formations"})) == ["Former les bénévoles"]
