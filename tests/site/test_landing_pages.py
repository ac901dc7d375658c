"""Each role's landing page leads somewhere: every count opens the list it counts, cohort rows
are links, the administrator is offered the admin screens, and the lists keep the scope."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from associations.models import Organisation
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    UserFactory,
    coordinator_of,
    trainer,
)

pytestmark = pytest.mark.django_db


def links(html):
    return re.findall(r'href="([^"]+)"', html)


def organisation_names(response):
    return {organisation.name for organisation in response.context["page_obj"]}


def test_the_coordinators_counts_open_the_lists_they_count(client, world):
    CohortFactory(code="MONO-2026", territory=world["lokossa"])
    CohortFactory(code="COUFFO-2026", territory=world["aplahoue"])
    client.force_login(coordinator_of(world["mono"]))
    html = client.get(reverse("dashboard")).content.decode()
    organisations_url = reverse("associations:organisation_list") + "?territory=BJ-MO"
    cohorts_url = reverse("associations:cohort_list") + "?territory=BJ-MO"
    assert f'<a href="{organisations_url}">2</a>' in html
    assert f'<a href="{cohorts_url}">1</a>' in html

    organisations = client.get(organisations_url)
    assert organisation_names(organisations) == {"GUPS de Lokossa", "DDASM Mono"}
    assert "Mono" in organisations.content.decode()
    cohorts = client.get(cohorts_url)
    assert [cohort.code for cohort in cohorts.context["page_obj"]] == ["MONO-2026"]


def test_a_territory_filter_never_widens_the_scope(client, world):
    client.force_login(coordinator_of(world["lokossa"]))
    wider = client.get(reverse("associations:organisation_list") + "?territory=BJ-MO")
    assert organisation_names(wider) == {"GUPS de Lokossa"}
    outside = client.get(reverse("associations:organisation_list") + "?territory=BJ-KO")
    assert organisation_names(outside) == set()
    cohorts = client.get(reverse("associations:cohort_list") + "?territory=BJ-KO")
    assert list(cohorts.context["page_obj"]) == []


def test_an_unknown_territory_is_a_404(client, world):
    client.force_login(coordinator_of(world["mono"]))
    response = client.get(reverse("associations:organisation_list") + "?territory=NOWHERE")
    assert response.status_code == 404


def test_a_territory_filtered_list_keeps_its_filter_across_pages(client, world):
    OrganisationFactory.create_batch(55, territory=world["lokossa"])
    client.force_login(coordinator_of(world["mono"]))
    html = client.get(reverse("associations:organisation_list") + "?territory=BJ-MO").content
    assert "?territory=BJ-MO&amp;page=2" in html.decode()


@pytest.mark.parametrize("url_name", ["associations:organisation_list", "associations:cohort_list"])
def test_territory_filtered_lists_cost_the_same_queries_with_10_or_200_rows(
    client, world, url_name
):
    client.force_login(coordinator_of(world["mono"]))
    url = reverse(url_name) + "?territory=BJ-MO"
    client.get(url)

    def queries_with(count):
        OrganisationFactory.create_batch(count, territory=world["lokossa"])
        CohortFactory.create_batch(count // 10, territory=world["lokossa"])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries_with(190) == queries_with(10)


def test_the_trainers_cohort_rows_are_links(client, world):
    teacher = trainer()
    CohortFactory(code="MONO-2024", territory=world["mono"]).facilitators.add(teacher)
    client.force_login(teacher)
    html = client.get(reverse("dashboard")).content.decode()
    row = re.search(r'<a href="([^"]+)">MONO-2024</a>', html)
    assert row, "the cohort code is not a link"
    assert client.get(row.group(1)).status_code == 200


def test_the_administrator_is_offered_the_admin_screens(client, world):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(reverse("dashboard")).content.decode()
    for name in (
        "role_assignments:index",
        "wagtailusers_users:index",
        "wagtailadmin_explore_root",
        "associations:organisation_list",
        "associations:cohort_list",
    ):
        assert reverse(name) in links(html), name
    assert "Paramètres › Attributions de rôle" in html


def test_the_role_screen_is_named_the_same_in_the_admin_menu(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    # The sidebar menu is JSON inside the page: "ô" is written \u00f4.
    assert '"label": "Attributions de r\\u00f4le"' in html
    assert '"label": "R\\u00f4les"' not in html


def test_every_role_section_names_its_next_steps(client, world):
    teacher = trainer()
    client.force_login(teacher)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'class="next-steps"' in html
    assert Organisation.objects.count() == 4  # the world is untouched by the landing page


def test_the_participants_count_opens_the_participants_it_counts(client, world):
    from tests.factories import PersonFactory

    lokossa_agent = PersonFactory(last_name="Ahissou", organisation=world["org_lokossa"])
    PersonFactory(last_name="Dossou", organisation=world["org_aplahoue"])
    client.force_login(coordinator_of(world["mono"]))
    html = client.get(reverse("dashboard")).content.decode()
    people_url = reverse("associations:person_list") + "?territory=BJ-MO"
    assert f'<a href="{people_url}">1</a>' in html
    response = client.get(people_url)
    assert list(response.context["page_obj"]) == [lokossa_agent]
    everyone = client.get(reverse("associations:person_list"))
    assert list(everyone.context["page_obj"]) == [lokossa_agent]
    outside = client.get(reverse("associations:person_list") + "?territory=BJ-KO")
    assert list(outside.context["page_obj"]) == []


def test_a_participant_sees_only_themselves_in_the_participants_list(client, world):
    from tests.factories import PersonFactory, participant

    me = PersonFactory(organisation=world["org_lokossa"])
    PersonFactory(organisation=world["org_lokossa"])
    client.force_login(participant(me))
    response = client.get(reverse("associations:person_list"))
    assert list(response.context["page_obj"]) == [me]


def test_the_participants_list_costs_the_same_queries_with_10_or_200_rows(client, world):
    from tests.factories import PersonFactory

    client.force_login(coordinator_of(world["mono"]))
    url = reverse("associations:person_list") + "?territory=BJ-MO"
    client.get(url)

    def queries_with(count):
        PersonFactory.create_batch(count, organisation=world["org_lokossa"])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries_with(190) == queries_with(10)


def test_the_participants_list_asks_for_sign_in(client):
    response = client.get(reverse("associations:person_list"))
    assert response.status_code == 302 and "/comptes/login/" in response.url
