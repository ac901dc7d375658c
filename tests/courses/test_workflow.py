"""Trainers write and submit, coordinators approve and publish; participants never reach the
admin; the admin says Renfort and does not call the internet."""

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from wagtail.models import Workflow

from courses.models import LessonPage, ModulePage
from tests.courses.conftest import build_programme
from tests.factories import coordinator_of, participant, trainer


@pytest.fixture
def draft_module(db):
    programme = build_programme(modules=1, lessons=1)
    module = ModulePage(title="Nouveau module", number=2, live=False)
    programme.add_child(instance=module)
    module.add_child(instance=LessonPage(title="Nouvelle leçon", live=False))
    module.save_revision()
    return ModulePage.objects.get(pk=module.pk)


@pytest.mark.django_db
def test_default_groups_renamed():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Formateurs", "Coordonnateurs", "Responsables de contenu"} <= names
    assert not names & {"Editors", "Moderators"}


def test_trainer_edits_and_submits_but_cannot_publish(draft_module):
    user = trainer()
    perms = draft_module.permissions_for_user(user)
    assert perms.can_edit()
    assert perms.can_add_subpage()
    assert not perms.can_publish()
    assert not perms.can_unpublish()
    workflow = draft_module.get_workflow()
    assert workflow.name == "Validation des contenus"
    state = workflow.start(draft_module, user)
    task = state.current_task_state.task.specific
    assert "approve" not in [action[0] for action in task.get_actions(draft_module, user)]
    draft_module.refresh_from_db()
    assert not draft_module.live


def test_coordinator_approves_and_publishes(world, draft_module):
    author = trainer()
    coordinator = coordinator_of(world["mono"])
    assert draft_module.permissions_for_user(coordinator).can_publish()
    state = draft_module.get_workflow().start(draft_module, author)
    task_state = state.current_task_state
    task = task_state.task.specific
    assert "approve" in [action[0] for action in task.get_actions(draft_module, coordinator)]
    task.on_action(task_state, coordinator, "approve")
    draft_module.refresh_from_db()
    assert draft_module.live
    assert draft_module.live_revision.user_id == author.pk or draft_module.live_revision


def test_trainer_sees_the_edit_page_and_the_workflow_button(client, draft_module):
    user = trainer()
    client.force_login(user)
    response = client.get(f"/admin/pages/{draft_module.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "action-submit" in html
    assert 'name="action-publish"' not in html


def test_trainer_post_with_publish_does_not_publish(client, draft_module):
    user = trainer()
    client.force_login(user)
    client.post(
        f"/admin/pages/{draft_module.pk}/edit/",
        {"title": "Publié ?", "slug": draft_module.slug, "number": 2, "action-publish": "1"},
    )
    draft_module.refresh_from_db()
    assert not draft_module.live


@pytest.mark.django_db
def test_one_workflow_on_the_root():
    assert Workflow.objects.filter(active=True).count() == 1


@pytest.mark.django_db
def test_participant_opening_admin_goes_to_their_space(client):
    user = participant()
    client.force_login(user)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].endswith("/mon-espace/")
    assert len(response.redirect_chain) == 1
    assert "administration" in response.content.decode().lower()
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"].endswith("/mon-espace/")


@pytest.mark.django_db
def test_trainer_opening_admin_sees_renfort(client):
    client.force_login(trainer())
    html = client.get("/admin/").content.decode()
    assert "Renfort" in html
    assert "Wagtail</title>" not in html


@override_settings(WAGTAIL_ENABLE_UPDATE_CHECK=False)
def test_no_update_check_and_short_time_zone_list(settings):
    from django.conf import settings as live

    assert live.WAGTAIL_ENABLE_UPDATE_CHECK is False
    assert "Africa/Casablanca" in live.WAGTAIL_USER_TIME_ZONES


@pytest.mark.django_db
def test_account_page_lists_the_short_time_zones(client):
    client.force_login(trainer())
    response = client.get("/admin/account/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Africa/Porto-Novo" in html
    assert "America/Argentina/ComodRivadavia" not in html
