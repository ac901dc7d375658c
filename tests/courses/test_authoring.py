"""Authoring: the page tree, the lesson blocks and their previews, the partner snippet."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from courses.blocks import LessonBodyBlock
from courses.models import LessonPage, ModulePage, ProgrammePage
from renfort.models import HomePage
from tests.courses.conftest import build_programme, home_page, lessons_of


class PageTreeTests(WagtailPageTestCase):
    def test_allowed_parents(self):
        self.assertAllowedParentPageTypes(ProgrammePage, {HomePage})
        self.assertAllowedParentPageTypes(ModulePage, {ProgrammePage})
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})

    def test_allowed_children(self):
        self.assertAllowedSubpageTypes(ProgrammePage, {ModulePage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_can_and_cannot_create_at(self):
        self.assertCanCreateAt(HomePage, ProgrammePage)
        self.assertCanCreateAt(ProgrammePage, ModulePage)
        self.assertCanCreateAt(ModulePage, LessonPage)
        self.assertCanNotCreateAt(HomePage, ModulePage)
        self.assertCanNotCreateAt(HomePage, LessonPage)
        self.assertCanNotCreateAt(ProgrammePage, LessonPage)
        self.assertCanNotCreateAt(Page, ProgrammePage)


def test_every_block_has_icon_template_and_preview():
    for name, block in LessonBodyBlock().child_blocks.items():
        meta = block.meta
        assert meta.icon and meta.icon != "placeholder", name
        assert meta.template.startswith("courses/blocks/"), name
        assert meta.preview_value, name


@pytest.mark.django_db
def test_every_block_renders_its_preview_value():
    stream = LessonBodyBlock()
    for name, block in stream.child_blocks.items():
        html = block.render(block.normalize(block.meta.preview_value))
        assert html.strip(), name


@pytest.mark.django_db
def test_lesson_body_renders_every_kind_of_block(client):
    programme = build_programme(modules=1, lessons=1, public=True)
    lesson = lessons_of(programme)[0]
    lesson.body = [
        ("heading", "Titre"),
        ("paragraph", "<p>Un paragraphe</p>"),
        ("callout", {"kind": "warning", "title": "", "text": "<p>Attention</p>"}),
        (
            "exercise",
            {
                "title": "Exercice",
                "instructions": "<p>Faites</p>",
                "expected_output": "<p>Un tableau</p>",
                "duration_minutes": 20,
            },
        ),
        (
            "video",
            {
                "video": "https://www.youtube.com/watch?v=abc",
                "title": "Vidéo",
                "low_bandwidth_url": "https://example.org/v.mp4",
                "duration_minutes": 3,
            },
        ),
        ("resources", {"title": "", "items": [{"title": "Guide", "url": "https://example.org"}]}),
    ]
    lesson.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    for text in ("Titre", "Un paragraphe", "Attention", "Exercice", "Un tableau", "Guide"):
        assert text in html
    assert "https://example.org/v.mp4" in html
    assert "<iframe" not in html  # no third-party player loaded up front
    assert "style=" not in html.split("<main")[1] and "<script" not in html.split("<main")[1]


@pytest.mark.django_db
def test_partner_snippet_listed_in_admin_with_french_label(admin_client):
    response = admin_client.get("/admin/snippets/courses/partner/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    home = admin_client.get("/admin/")
    assert "Partenaires" in home.content.decode() or "Partners" in home.content.decode()


@pytest.mark.django_db
def test_home_page_fixture():
    assert home_page().depth == 2
