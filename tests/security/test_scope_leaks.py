"""Small leaks found on review (issue 5): what a viewer sees of a person and of a cohort follows
their scope, and Wagtail's test error page makes no false claim."""

import pytest
from django.urls import reverse

from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    PersonFactory,
    UserFactory,
    coordinator_of,
    focal_point_of,
    trainer,
)

pytestmark = pytest.mark.django_db


def test_a_trainer_does_not_see_the_new_organisation_of_a_person_who_moved(client, world):
    teacher = trainer()
    cohort = CohortFactory(territory=world["mono"])
    cohort.facilitators.add(teacher)
    enrolment = EnrolmentFactory(cohort=cohort, person__organisation=world["org_lokossa"])
    person = enrolment.person
    person.organisation = world["org_moulay"]  # moved to Morocco, outside the trainer's scope
    person.save()
    client.force_login(teacher)
    response = client.get(reverse("associations:person_detail", args=[person.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Association Tafilalt" not in html
    # the enrolment keeps the organisation represented then, which the trainer may see
    assert "GUPS de Lokossa" in html


def test_a_coordinator_sees_the_organisation_of_a_person_in_their_territory(client, world):
    person = PersonFactory(organisation=world["org_lokossa"])
    client.force_login(coordinator_of(world["mono"]))
    html = client.get(reverse("associations:person_detail", args=[person.pk])).content.decode()
    assert "GUPS de Lokossa" in html


def test_a_focal_point_counts_only_their_own_people_in_a_cohort(client, world):
    cohort = CohortFactory(code="MONO-2025", territory=world["mono"])
    EnrolmentFactory.create_batch(2, cohort=cohort, person__organisation=world["org_lokossa"])
    EnrolmentFactory.create_batch(5, cohort=cohort, person__organisation=world["org_mono"])
    client.force_login(focal_point_of(world["org_lokossa"]))
    cohorts = list(client.get(reverse("associations:cohort_list")).context["page_obj"])
    assert [(c.code, c.enrolled) for c in cohorts] == [("MONO-2025", 2)]

    client.force_login(coordinator_of(world["mono"]))
    cohorts = list(client.get(reverse("associations:cohort_list")).context["page_obj"])
    assert [(c.code, c.enrolled) for c in cohorts] == [("MONO-2025", 7)]

    client.force_login(UserFactory(is_superuser=True))
    cohorts = list(client.get(reverse("associations:cohort_list")).context["page_obj"])
    assert [(c.code, c.enrolled) for c in cohorts] == [("MONO-2025", 7)]


def test_the_cohort_list_counts_in_one_query_whatever_the_number_of_cohorts(
    client, world, django_assert_max_num_queries
):
    client.force_login(focal_point_of(world["org_lokossa"]))
    url = reverse("associations:cohort_list")
    client.get(url)
    for size in (3, 30):
        for cohort in CohortFactory.create_batch(size, territory=world["mono"]):
            EnrolmentFactory(cohort=cohort, person__organisation=world["org_lokossa"])
            EnrolmentFactory(cohort=cohort, person__organisation=world["org_mono"])
        with django_assert_max_num_queries(8):
            response = client.get(url)
        assert {c.enrolled for c in response.context["page_obj"]} == {1}


def test_the_failwhale_page_is_gone(client, world):
    client.force_login(trainer())
    response = client.get("/admin/failwhale/")
    assert response.status_code == 404
    assert "notified" not in response.content.decode()
