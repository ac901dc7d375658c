"""Administrators give and take roles in the Wagtail admin; the role's access follows."""

import pytest
from django.urls import reverse

from associations.models import Role, RoleAssignment
from tests.factories import UserFactory, coordinator_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_an_administrator_makes_someone_coordinator_of_a_territory(admin_client, client, world):
    agent = UserFactory(email="nouveau.coordo@example.org")
    response = admin_client.post(
        reverse("role_assignments:add"),
        {"user": agent.pk, "role": Role.COORDINATOR, "territory": world["mono"].pk},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=agent)
    assert assignment.territory == world["mono"]
    assert agent.groups.filter(name="Coordonnateurs").exists()


def test_a_coordinator_without_territory_is_refused_with_a_clear_message(admin_client):
    agent = UserFactory()
    response = admin_client.post(
        reverse("role_assignments:add"), {"user": agent.pk, "role": Role.COORDINATOR}
    )
    assert response.status_code == 200
    assert "Un coordonnateur doit être rattaché à un territoire" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=agent).exists()


def test_revoking_the_last_coordinator_role_closes_the_admin(admin_client, world):
    coordinator = coordinator_of(world["mono"])
    assignment = RoleAssignment.objects.get(user=coordinator)
    response = admin_client.post(reverse("role_assignments:delete", args=[assignment.pk]))
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=coordinator).exists()
    assert not coordinator.groups.filter(name="Coordonnateurs").exists()


def test_a_coordinator_cannot_give_roles(client, world):
    client.force_login(coordinator_of(world["mono"]))
    response = client.get(reverse("role_assignments:add"))
    assert response.status_code in (302, 403)
    assert RoleAssignment.objects.count() == 1


def test_moving_a_coordinator_to_another_territory_changes_what_they_see(admin_client, world):
    from associations.models import Organisation
    from associations.scope import visible_to

    coordinator = coordinator_of(world["mono"])
    assignment = RoleAssignment.objects.get(user=coordinator)
    response = admin_client.post(
        reverse("role_assignments:edit", args=[assignment.pk]),
        {"user": coordinator.pk, "role": Role.COORDINATOR, "territory": world["couffo"].pk},
    )
    assert response.status_code == 302
    coordinator.__dict__.pop("_renfort_grants", None)
    seen = visible_to(coordinator, Organisation.objects.all())
    assert [o.name for o in seen] == ["GUPS d'Aplahoué"]
    assert coordinator.groups.filter(name="Coordonnateurs").exists()
