import pytest
from wagtail.models import Page

from courses.models import LessonPage, ModulePage, ProgrammePage
from renfort.models import HomePage


def home_page():
    return HomePage.objects.get(slug="accueil", locale__language_code="fr")


def build_programme(modules=2, lessons=2, *, public=False, title="Programme test", parent=None):
    """A live programme with ``modules`` modules of ``lessons`` lessons each."""
    parent = parent or home_page()
    programme = ProgrammePage(title=title, summary="Résumé", is_open_to_public=public)
    parent.add_child(instance=programme)
    for m in range(1, modules + 1):
        module = ModulePage(title=f"Module {m}", number=m, dimension_codes=["governance"])
        programme.add_child(instance=module)
        for n in range(1, lessons + 1):
            module.add_child(
                instance=LessonPage(
                    title=f"Leçon {m}.{n}",
                    body=[("paragraph", f"<p>Texte de la leçon {m}.{n}.</p>")],
                )
            )
    return ProgrammePage.objects.get(pk=programme.pk)


@pytest.fixture
def programme(db):
    return build_programme()


def lessons_of(page):
    return list(LessonPage.objects.descendant_of(page).order_by("path"))


def modules_of(page):
    return list(ModulePage.objects.child_of(page).order_by("path"))


__all__ = ["Page", "build_programme", "home_page", "lessons_of", "modules_of"]
