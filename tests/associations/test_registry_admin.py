"""The registry in the Wagtail admin: a coordinator of Mono never meets a row of Moulay Yacoub,
in listings, choosers, forms, edit or delete, by menu or by URL; invitations by e-mail."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from associations.models import Cohort, Organisation, Person, Role, RoleAssignment
from tests.factories import (
    CohortFactory,
    PersonFactory,
    SessionFactory,
    coordinator_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mono_client(client, world):
    client.force_login(coordinator_of(world["mono"]))
    return client


@pytest.fixture
def rows(world):
    return {
        "person_mono": PersonFactory(organisation=world["org_lokossa"], last_name="Houngbo"),
        "person_moulay": PersonFactory(organisation=world["org_moulay"], last_name="Benjelloun"),
        "cohort_mono": CohortFactory(code="MONO-1", territory=world["mono"]),
        "cohort_moulay": CohortFactory(code="TAKWIA-1", territory=world["moulay"]),
    }


@pytest.mark.parametrize(
    "url_name, inside, outside",
    [
        ("organisations:index", "GUPS de Lokossa", "Association Tafilalt"),
        ("people:index", "Houngbo", "Benjelloun"),
        ("cohorts:index", "MONO-1", "TAKWIA-1"),
        ("territories:index", "Lokossa", "Moulay Yacoub"),
        ("organisation_chooser:choose", "GUPS de Lokossa", "Association Tafilalt"),
        ("person_chooser:choose", "Houngbo", "Benjelloun"),
        ("cohort_chooser:choose", "MONO-1", "TAKWIA-1"),
    ],
)
def test_admin_listings_and_choosers_hold_only_the_coordinators_territory(
    mono_client, rows, url_name, inside, outside
):
    response = mono_client.get(reverse(url_name))
    assert response.status_code == 200
    body = response.content.decode()
    assert inside in body
    assert outside not in body


def test_searching_the_admin_finds_the_arabic_name_but_not_outside_rows(client, world):
    organisation = world["org_moulay"]
    organisation.name_ar = "جمعية تافيلالت"
    organisation.save()
    client.force_login(coordinator_of(world["moulay"]))
    found = client.get(reverse("organisations:index"), {"q": "تافيلالت"}).content.decode()
    assert "Association Tafilalt" in found
    client.force_login(coordinator_of(world["mono"]))
    hidden = client.get(reverse("organisations:index"), {"q": "تافيلالت"}).content.decode()
    assert "Association Tafilalt" not in hidden


@pytest.mark.parametrize("action", ["edit", "delete", "inspect", "history", "usage"])
def test_an_outside_row_is_404_by_url_in_every_admin_view(mono_client, world, rows, action):
    for viewset, obj in [
        ("organisations", world["org_moulay"]),
        ("people", rows["person_moulay"]),
        ("cohorts", rows["cohort_moulay"]),
        ("sessions", SessionFactory(cohort=rows["cohort_moulay"])),
    ]:
        response = mono_client.get(reverse(f"{viewset}:{action}", args=[obj.pk]))
        assert response.status_code == 404, (viewset, action)
    inside = mono_client.get(reverse(f"organisations:{action}", args=[world["org_lokossa"].pk]))
    assert inside.status_code == 200


def test_an_outside_row_cannot_be_chosen_nor_posted(mono_client, world, rows):
    chosen = reverse("organisation_chooser:chosen", args=[world["org_moulay"].pk])
    assert mono_client.get(chosen).status_code == 404
    response = mono_client.post(
        reverse("people:add"),
        {
            "first_name": "Awa",
            "last_name": "Intruse",
            "sex": "F",
            "organisation": world["org_moulay"].pk,
        },
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not Person.objects.filter(last_name="Intruse").exists()
    delete = reverse("cohorts:delete", args=[rows["cohort_moulay"].pk])
    assert mono_client.post(delete).status_code == 404
    assert Cohort.objects.filter(pk=rows["cohort_moulay"].pk).exists()


def test_a_coordinator_creates_an_organisation_in_their_territory_and_confirms_a_duplicate(
    mono_client, world
):
    form = {
        "name": "  gups DE lokossa ",
        "kind": Organisation.Kind.ONE_STOP_DESK,
        "status": Organisation.Status.ACTIVE,
        "territory": world["lokossa"].pk,
    }
    asked = mono_client.post(reverse("organisations:add"), form)
    # Nothing saved yet: the form comes back as typed, the look-alike linked, a box to confirm.
    assert asked.status_code == 200
    assert not Organisation.objects.filter(name="gups DE lokossa").exists()
    page = asked.content.decode()
    edit = reverse("organisations:edit", args=[world["org_lokossa"].pk])
    assert 'id="possible-duplicates"' in page and f'href="{edit}"' in page
    assert 'name="create_anyway"' in page and "gups DE lokossa" in page
    confirmed = mono_client.post(reverse("organisations:add"), {**form, "create_anyway": "1"})
    assert confirmed.status_code == 302
    assert Organisation.objects.filter(name="gups DE lokossa").exists()
    refused = mono_client.post(
        reverse("organisations:add"),
        {
            "name": "Ailleurs",
            "kind": "association",
            "status": "active",
            "territory": world["moulay"].pk,
        },
    )
    assert refused.status_code == 200
    assert not Organisation.objects.filter(name="Ailleurs").exists()


def test_a_coordinator_invites_a_participant_who_sets_their_own_password(mono_client, world, rows):
    person = rows["person_mono"]
    response = mono_client.post(
        reverse("associations_invite"), {"email": "Awa.Houngbo@example.org", "person": person.pk}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="awa.houngbo@example.org")
    assert not user.has_usable_password()
    person.refresh_from_db()
    assert person.user == user
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["awa.houngbo@example.org"]
    assert "/password/reset/key/" in mail.outbox[0].body


def test_a_coordinator_invites_a_focal_point_but_not_outside_their_territory(
    mono_client, world, rows
):
    response = mono_client.post(
        reverse("associations_invite"),
        {"email": "point.focal@example.org", "organisation": world["org_lokossa"].pk},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(
        user__email="point.focal@example.org",
        role=Role.FOCAL_POINT,
        organisation=world["org_lokossa"],
    ).exists()
    outside = mono_client.post(
        reverse("associations_invite"),
        {"email": "intrus@example.org", "organisation": world["org_moulay"].pk},
    )
    assert outside.status_code == 200
    assert not get_user_model().objects.filter(email="intrus@example.org").exists()
    assert len(mail.outbox) == 1


def test_a_participant_cannot_open_the_invitation_page(client, rows):
    from tests.factories import participant

    client.force_login(participant(rows["person_mono"]))
    assert client.get(reverse("associations_invite")).status_code in (302, 403)


def test_a_person_with_the_same_phone_or_email_is_confirmed_before_save(mono_client, world, rows):
    known = rows["person_mono"]
    known.phone, known.email = "+229 97 00 11 22", "awa@example.org"
    known.save()
    form = {
        "first_name": "Awa",
        "last_name": "Autre",
        "sex": "F",
        "organisation": world["org_mono"].pk,
    }
    for contact in ({"phone": "+229 97 00 11 22"}, {"email": "AWA@example.org"}):
        asked = mono_client.post(reverse("people:add"), {**form, **contact})
        assert asked.status_code == 200
        assert f'href="{reverse("people:edit", args=[known.pk])}"' in asked.content.decode()
    assert not Person.objects.filter(last_name="Autre").exists()
    assert (
        mono_client.post(reverse("people:add"), {**form, "create_anyway": "on"}).status_code == 302
    )
    assert Person.objects.filter(last_name="Autre").count() == 1


def test_no_confirmation_when_nothing_looks_alike_nor_for_a_duplicate_out_of_scope(
    mono_client, world
):
    # A look-alike in Moulay Yacoub is not named to a coordinator of Mono (nor does it stop them).
    PersonFactory(
        organisation=world["org_moulay"], first_name="Awa", last_name="Secret", phone="0600"
    )
    response = mono_client.post(
        reverse("people:add"),
        {
            "first_name": "Awa",
            "last_name": "Nouvelle",
            "sex": "F",
            "phone": "0600",
            "organisation": world["org_lokossa"].pk,
        },
    )
    assert response.status_code == 302
    assert Person.objects.filter(last_name="Nouvelle").exists()
