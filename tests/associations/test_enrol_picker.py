"""The cohort page's enrolment picker: search as you type (htmx) over the people and
organisations the coordinator may enrol, at most 20 matches, with a no-JavaScript fallback."""

import pytest
from django.urls import reverse

from associations.selectors import enrolment_candidates
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    OrganisationFactory,
    PersonFactory,
    coordinator_of,
    focal_point_of,
    participant,
    trainer,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def search_url(cohort, kind="person"):
    return reverse(f"associations:cohort_enrol_search_{kind}", args=[cohort.pk])


@pytest.fixture
def mono(world):
    cohort = CohortFactory(code="MONO-PICK", territory=world["mono"])
    people = {
        "amina": PersonFactory(
            organisation=world["org_lokossa"],
            first_name="Amina",
            last_name="Hounkpè",
            phone="+229 97 12 34 56",
            email="amina@example.org",
        ),
        "arabic": PersonFactory(
            organisation=world["org_mono"], first_name="فاطمة", last_name="الزهراء"
        ),
        "enrolled": PersonFactory(
            organisation=world["org_lokossa"], first_name="Amina", last_name="Déjà"
        ),
        "outsider": PersonFactory(
            organisation=world["org_aplahoue"], first_name="Amina", last_name="Dehors"
        ),
    }
    EnrolmentFactory(cohort=cohort, person=people["enrolled"])
    return cohort, people


def test_a_coordinator_finds_people_by_name_phone_email_and_arabic_script(client, world, mono):
    cohort, people = mono
    client.force_login(coordinator_of(world["mono"]))
    url = search_url(cohort)

    def found(query):
        page = client.get(url, {"person_q": query}, headers=HTMX).content.decode()
        return {key for key, person in people.items() if f'value="{person.pk}"' in page}

    assert found("amina") == {"amina"}  # not the one enrolled already, nor the one of Couffo
    assert found("AMINA hounk") == {"amina"}
    assert found("97 12 34") == {"amina"}
    assert found("97123456") == {"amina"}
    assert found("amina@example") == {"amina"}
    assert found("فاطمة") == {"arabic"}
    assert found("الزهراء") == {"arabic"}
    assert found("DDASM") == {"arabic"}  # by the organisation's name
    assert found("personne") == set()
    # Typed without accents, hamza or capitals, or with other ones.
    assert found("hounkpe") == {"amina"}
    assert found("HOUNKPÉ") == {"amina"}
    assert found("فاطمه") == {"arabic"}  # haa typed for taa marbuta


def test_accents_and_hamza_need_not_be_typed(client, world):
    cohort = CohortFactory(territory=world["moulay"])
    said = PersonFactory(organisation=world["org_moulay"], first_name="Saïd", last_name="Aït Taleb")
    amal = OrganisationFactory(
        name="Association Al Amal", name_ar="جمعية الأمل", territory=world["moulay"]
    )
    client.force_login(coordinator_of(world["moulay"]))
    people = client.get(search_url(cohort), {"person_q": "said ait"}, headers=HTMX)
    assert f'value="{said.pk}"' in people.content.decode()
    organisations = client.get(
        search_url(cohort, "organisation"), {"organisation_q": "الامل"}, headers=HTMX
    )
    assert f'value="{amal.pk}"' in organisations.content.decode()


def test_the_fragment_is_small_and_offers_radio_buttons_and_the_enrol_button(client, world, mono):
    cohort, people = mono
    client.force_login(coordinator_of(world["mono"]))
    page = client.get(search_url(cohort), {"person_q": "Hounkpè"}, headers=HTMX).content.decode()
    assert "<html" not in page
    assert f'type="radio" name="person" value="{people["amina"].pk}"' in page
    assert "Inscrire cette personne" in page


def test_at_most_twenty_matches_and_a_note_that_more_exist(client, world):
    cohort = CohortFactory(territory=world["mono"])
    for n in range(25):
        PersonFactory(organisation=world["org_lokossa"], last_name=f"Zinsou{n:02d}")
    client.force_login(coordinator_of(world["mono"]))
    page = client.get(search_url(cohort), {"person_q": "zinsou"}, headers=HTMX).content.decode()
    assert page.count('type="radio"') == 20
    assert "Zinsou00" in page and "Zinsou20" not in page
    assert "picker-more" in page


def test_organisations_found_by_french_or_arabic_name_or_acronym(client, world):
    cohort = CohortFactory(territory=world["moulay"])
    amal = OrganisationFactory(
        name="Association Al Amal pour le développement",
        name_ar="جمعية الأمل للتنمية",
        acronym="AAD",
        territory=world["moulay"],
    )
    client.force_login(coordinator_of(world["moulay"]))
    url = search_url(cohort, "organisation")
    for query in ("al amal", "الأمل", "aad", "tafilalt"):
        page = client.get(url, {"organisation_q": query}, headers=HTMX).content.decode()
        assert ('name="organisation"' in page) is True, query
    page = client.get(url, {"organisation_q": "الأمل"}, headers=HTMX).content.decode()
    assert f'value="{amal.pk}"' in page
    assert (
        f'value="{world["org_lokossa"].pk}"'
        not in client.get(url, {"organisation_q": "GUPS"}, headers=HTMX).content.decode()
    )


def test_without_javascript_the_cohort_page_shows_the_matches(client, world, mono):
    cohort, people = mono
    client.force_login(coordinator_of(world["mono"]))
    plain = client.get(search_url(cohort), {"person_q": "amina"})
    assert plain.status_code == 302
    assert plain["Location"].endswith("?person_q=amina#enrol-person")
    page = client.get(plain["Location"].split("#")[0]).content.decode()
    assert f'value="{people["amina"].pk}"' in page
    assert f'value="{people["outsider"].pk}"' not in page
    # The chosen one is then enrolled by the same POST as before.
    client.post(
        reverse("associations:cohort_enrol", args=[cohort.pk]), {"person": people["amina"].pk}
    )
    assert cohort.enrolments.filter(person=people["amina"]).exists()


def test_the_cohort_page_no_longer_lists_everyone_in_scope(client, world, mono):
    cohort, people = mono
    client.force_login(coordinator_of(world["mono"]))
    page = client.get(reverse("associations:cohort_detail", args=[cohort.pk])).content.decode()
    assert 'id="id_person_q"' in page and "hx-get" in page
    assert f'value="{people["amina"].pk}"' not in page


@pytest.mark.parametrize("kind", ["person", "organisation"])
def test_the_search_is_denied_outside_the_coordinators_scope(client, world, mono, kind):
    cohort, _people = mono
    facilitator = trainer()
    cohort.facilitators.add(facilitator)
    denied = [
        coordinator_of(world["couffo"]),
        coordinator_of(world["moulay"]),
        focal_point_of(world["org_lokossa"]),
        participant(PersonFactory(organisation=world["org_lokossa"])),
        facilitator,
    ]
    query = {f"{kind}_q": "a"}
    for user in denied:
        client.force_login(user)
        assert client.get(search_url(cohort, kind), query, headers=HTMX).status_code == 404, user
    client.logout()
    anonymous = client.get(search_url(cohort, kind), query, headers=HTMX)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_the_selector_never_returns_rows_outside_scope(world, mono):
    cohort, people = mono
    couffo = CohortFactory(territory=world["couffo"])
    coordinator = coordinator_of(world["couffo"])
    matches, more = enrolment_candidates(coordinator, couffo, kind="person", query="amina")
    assert [p.pk for p in matches] == [people["outsider"].pk] and not more
    assert enrolment_candidates(coordinator, couffo, kind="person", query="  ") == ([], False)
