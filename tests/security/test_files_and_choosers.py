"""Documents, images and the page chooser follow roles (issue 5): the trainer and coordinator
groups use the "Formations" collection only, training files are served to signed-in users only,
and drafts show only to those who may edit them."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, Site

from associations.services import TRAINING_COLLECTION_NAME, training_collection_ensure
from courses.models import ProgrammePage
from tests.factories import UserFactory, coordinator_of, participant, trainer

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(db):
    root = Collection.get_first_root_node()
    training = training_collection_ensure()
    return {
        "public_doc": Document.objects.create(
            title="Rapport annuel public",
            collection=root,
            file=ContentFile(b"%PDF-1.4 public", name="rapport.pdf"),
        ),
        "training_doc": Document.objects.create(
            title="Support de formation",
            collection=training,
            file=ContentFile(b"%PDF-1.4 formation", name="support.pdf"),
        ),
        "admin_image": Image.objects.create(
            title="Photo interne", collection=root, file=get_test_image_file("interne.png")
        ),
        "training_image": Image.objects.create(
            title="Schema de module",
            collection=training,
            file=get_test_image_file("schema.png"),
        ),
    }


def staff(world, role):
    if role == "trainer":
        return trainer()
    return coordinator_of(world["mono"])


def titles(response):
    assert response.status_code == 200, response.content[:300]
    return sorted(item["title"] for item in response.json()["items"])


@pytest.mark.parametrize("role", ["trainer", "coordinator"])
def test_the_admin_api_lists_only_the_collections_of_the_role(client, world, files, role):
    client.force_login(staff(world, role))
    assert titles(client.get("/admin/api/main/documents/")) == ["Support de formation"]
    assert titles(client.get("/admin/api/main/images/")) == ["Schema de module"]
    hidden = files["public_doc"].pk
    assert client.get(f"/admin/api/main/documents/{hidden}/").status_code == 404


def test_an_administrator_lists_every_file_in_the_admin_api(client, files):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert len(titles(client.get("/admin/api/main/documents/"))) == 2
    assert len(titles(client.get("/admin/api/main/images/"))) == 2


@pytest.mark.parametrize("role", ["trainer", "coordinator"])
@pytest.mark.parametrize(
    "path", ["/admin/documents/", "/admin/documents/chooser/", "/admin/images/chooser/"]
)
def test_listings_and_choosers_show_only_the_collections_of_the_role(
    client, world, files, role, path
):
    client.force_login(staff(world, role))
    response = client.get(path)
    assert response.status_code == 200
    html = (
        response.content.decode()
        if not response.get("Content-Type", "").endswith("json")
        else response.json()["html"]
    )
    assert "Rapport annuel public" not in html and "Photo interne" not in html
    shown = "Schema de module" if "images" in path else "Support de formation"
    assert shown in html


def test_role_groups_hold_the_training_collection(world):
    user = trainer()
    collection = Collection.objects.get(name=TRAINING_COLLECTION_NAME)
    permissions = set(
        user.groups.get()
        .collection_permissions.filter(collection=collection)
        .values_list("permission__codename", flat=True)
    )
    assert {"add_document", "choose_document", "add_image", "choose_image"} <= permissions


def test_anonymous_visitors_get_public_documents_but_not_training_ones(client, files):
    public = client.get(files["public_doc"].url)
    assert public.status_code == 200
    assert b"".join(public.streaming_content) == b"%PDF-1.4 public"
    training = client.get(files["training_doc"].url)
    assert training.status_code == 302
    assert training.url.startswith("/comptes/login/")


def test_a_signed_in_participant_gets_training_documents(client, world, files):
    client.force_login(participant())
    response = client.get(files["training_doc"].url)
    assert response.status_code == 200


@pytest.fixture
def draft_programme(db):
    home = Site.objects.get(is_default_site=True).root_page
    page = home.add_child(
        instance=ProgrammePage(title="Programme brouillon secret", slug="brouillon", live=False)
    )
    live = home.add_child(instance=ProgrammePage(title="Programme publie", slug="publie"))
    return page, live


def admin_reader():
    """A user who enters the admin but may edit no page (no page permission at all)."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="Lecteurs")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user = UserFactory()
    user.groups.add(group)
    return user


def chooser_html(client, home_id):
    browse = client.get(f"/admin/choose-page/{home_id}/")
    assert browse.status_code == 200
    search = client.get("/admin/choose-page/search/", {"q": "Programme"})
    assert search.status_code == 200
    found = (
        search.json()["html"]
        if search.get("Content-Type", "").endswith("json")
        else search.content.decode()
    )
    return browse.json()["html"], found


def test_the_page_chooser_hides_drafts_from_who_cannot_edit_them(client, draft_programme):
    draft, _live = draft_programme
    client.force_login(admin_reader())
    for html in chooser_html(client, draft.get_parent().pk):
        assert "Programme publie" in html
        assert "brouillon secret" not in html


@pytest.mark.parametrize("role", ["trainer", "coordinator"])
def test_the_page_chooser_shows_drafts_to_the_editorial_groups(
    client, world, draft_programme, role
):
    """Trainers write and coordinators publish programmes (courses/migrations/0003): both may
    edit every page, drafts included."""
    draft, _live = draft_programme
    client.force_login(staff(world, role))
    for html in chooser_html(client, draft.get_parent().pk):
        assert "brouillon secret" in html


def test_the_page_chooser_shows_drafts_to_an_administrator(client, draft_programme):
    draft, _live = draft_programme
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(f"/admin/choose-page/{draft.get_parent().pk}/").json()["html"]
    assert "Programme brouillon secret" in html
