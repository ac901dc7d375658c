"""Who sees what: every role against an object outside its scope, in lists and by direct URL."""

import pytest
from django.urls import reverse

from associations.models import Organisation, Person, Territory
from associations.scope import visible_to
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    PersonFactory,
    UserFactory,
    coordinator_of,
    focal_point_of,
    participant,
    trainer,
)

pytestmark = pytest.mark.django_db


def names(queryset):
    return sorted(str(obj.name) for obj in queryset)


def test_a_coordinator_of_mono_sees_mono_and_below_only(world):
    user = coordinator_of(world["mono"])
    assert names(visible_to(user, Organisation.objects.all())) == ["DDASM Mono", "GUPS de Lokossa"]
    assert names(visible_to(user, Territory.objects.all())) == ["Lokossa", "Mono"]


def test_a_coordinator_of_benin_sees_every_department_of_benin(world):
    user = coordinator_of(world["benin"])
    assert names(visible_to(user, Organisation.objects.all())) == [
        "DDASM Mono",
        "GUPS d'Aplahoué",
        "GUPS de Lokossa",
    ]


def test_a_coordinator_of_mono_is_refused_an_association_of_couffo(client, world):
    client.force_login(coordinator_of(world["mono"]))
    listing = client.get(reverse("associations:organisation_list"))
    assert listing.status_code == 200
    assert "GUPS de Lokossa" in listing.content.decode()
    assert "Aplahoué" not in listing.content.decode()
    url = reverse("associations:organisation_detail", args=[world["org_aplahoue"].pk])
    assert client.get(url).status_code == 404


def test_a_coordinator_with_two_territories_sees_both(world):
    user = coordinator_of(world["couffo"])
    from associations.models import Role
    from associations.services import role_assign

    role_assign(user=user, role=Role.COORDINATOR, territory=world["moulay"])
    assert names(visible_to(user, Organisation.objects.all())) == [
        "Association Tafilalt",
        "GUPS d'Aplahoué",
    ]


def test_a_focal_point_sees_only_their_association(client, world):
    user = focal_point_of(world["org_moulay"])
    assert names(visible_to(user, Organisation.objects.all())) == ["Association Tafilalt"]
    assert not visible_to(user, Territory.objects.all()).exists()
    client.force_login(user)
    own = reverse("associations:organisation_detail", args=[world["org_moulay"].pk])
    other = reverse("associations:organisation_detail", args=[world["org_lokossa"].pk])
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 404
    assert (
        "GUPS de Lokossa"
        not in client.get(reverse("associations:organisation_list")).content.decode()
    )


def test_a_focal_point_sees_their_members_but_not_others(client, world):
    member = PersonFactory(organisation=world["org_moulay"], last_name="Benjelloun")
    outsider = PersonFactory(organisation=world["org_lokossa"], last_name="Zannou")
    client.force_login(focal_point_of(world["org_moulay"]))
    assert client.get(reverse("associations:person_detail", args=[member.pk])).status_code == 200
    assert client.get(reverse("associations:person_detail", args=[outsider.pk])).status_code == 404


def test_a_participant_sees_only_themself(client, world):
    me = PersonFactory(organisation=world["org_lokossa"])
    colleague = PersonFactory(organisation=world["org_lokossa"])
    user = participant(me)
    assert list(visible_to(user, Person.objects.all())) == [me]
    assert not visible_to(user, Organisation.objects.all()).exists()
    client.force_login(user)
    assert client.get(reverse("associations:person_detail", args=[me.pk])).status_code == 200
    assert client.get(reverse("associations:person_detail", args=[colleague.pk])).status_code == 404
    url = reverse("associations:organisation_detail", args=[world["org_lokossa"].pk])
    assert client.get(url).status_code == 404


def test_a_trainer_sees_the_people_of_their_cohorts_only(client, world):
    teacher = trainer()
    mine = CohortFactory(territory=world["mono"], code="MONO-2024")
    mine.facilitators.add(teacher)
    theirs = CohortFactory(territory=world["moulay"], code="MY-2025")
    trainee = EnrolmentFactory(cohort=mine, person__organisation=world["org_lokossa"]).person
    stranger = EnrolmentFactory(cohort=theirs, person__organisation=world["org_moulay"]).person
    assert list(visible_to(teacher, Person.objects.all())) == [trainee]
    assert names(visible_to(teacher, Organisation.objects.all())) == ["GUPS de Lokossa"]
    client.force_login(teacher)
    assert client.get(reverse("associations:person_detail", args=[trainee.pk])).status_code == 200
    assert client.get(reverse("associations:person_detail", args=[stranger.pk])).status_code == 404
    cohorts = client.get(reverse("associations:cohort_list")).content.decode()
    assert "MONO-2024" in cohorts and "MY-2025" not in cohorts


def test_rows_reached_through_several_enrolments_are_listed_once(world):
    teacher = trainer()
    cohort_a = CohortFactory(territory=world["mono"])
    cohort_b = CohortFactory(territory=world["mono"])
    cohort_a.facilitators.add(teacher)
    cohort_b.facilitators.add(teacher)
    person = PersonFactory(organisation=world["org_lokossa"])
    EnrolmentFactory(cohort=cohort_a, person=person)
    EnrolmentFactory(cohort=cohort_b, person=person)
    assert visible_to(teacher, Person.objects.all()).count() == 1
    assert visible_to(teacher, Organisation.objects.all()).count() == 1


def test_a_user_without_a_role_sees_nothing(client, world):
    user = UserFactory()
    assert not visible_to(user, Organisation.objects.all()).exists()
    assert not visible_to(user, Person.objects.all()).exists()
    client.force_login(user)
    url = reverse("associations:organisation_detail", args=[world["org_mono"].pk])
    assert client.get(url).status_code == 404


def test_the_public_is_sent_to_the_login_page(client, world):
    for url in (
        reverse("associations:organisation_list"),
        reverse("associations:organisation_detail", args=[world["org_mono"].pk]),
        reverse("associations:cohort_list"),
        reverse("dashboard"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_an_administrator_sees_everything(world):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert visible_to(admin, Organisation.objects.all()).count() == 4


def test_a_persons_page_shows_only_the_enrolments_in_the_viewers_scope(client, world):
    person = PersonFactory(organisation=world["org_lokossa"])
    EnrolmentFactory(person=person, cohort=CohortFactory(code="MONO-2024", territory=world["mono"]))
    EnrolmentFactory(person=person, cohort=CohortFactory(code="MY-2025", territory=world["moulay"]))
    client.force_login(coordinator_of(world["mono"]))
    html = client.get(reverse("associations:person_detail", args=[person.pk])).content.decode()
    assert "MONO-2024" in html and "MY-2025" not in html
    client.force_login(participant(person))
    html = client.get(reverse("associations:person_detail", args=[person.pk])).content.decode()
    assert "MONO-2024" in html and "MY-2025" in html


def test_in_territory_takes_the_node_and_everything_below(world):
    from associations.scope import in_territory

    assert names(in_territory(Organisation.objects.all(), world["benin"])) == [
        "DDASM Mono",
        "GUPS d'Aplahoué",
        "GUPS de Lokossa",
    ]
    person = PersonFactory(organisation=world["org_aplahoue"])
    assert list(in_territory(Person.objects.all(), world["couffo"])) == [person]
    assert not in_territory(Person.objects.all(), world["mono"]).exists()
