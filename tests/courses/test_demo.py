"""The demo programmes: read from data files, live, translated, idempotent, linked to cohorts."""

import io

import openpyxl
import pytest
from odf import teletype
from odf.opendocument import load
from wagtail.documents.models import Document
from wagtail.models import Locale

from associations.services import training_collection_ensure
from courses.demo import demo_programmes_ensure, read_programme, text_to_html, translations_of
from courses.demo_documents import DEMO_DOCUMENTS
from courses.models import LessonPage, ModulePage, ProgrammePage
from tests.factories import trainer

pytestmark = pytest.mark.django_db

KNOWN_DIMENSIONS = {
    "governance",
    "strategic_planning",
    "financial_management",
    "human_resources",
    "project_management",
    "resource_mobilisation",
    "networking_advocacy",
    "communication",
    "service_quality",
}


def test_text_format():
    assert text_to_html("Un **mot**.\n\n- a\n- b\n\n1. x\n2. y") == (
        "<p>Un <b>mot</b>.</p><ul><li>a</li><li>b</li></ul><ol><li>x</li><li>y</li></ol>"
    )
    assert text_to_html("<script>") == "<p>&lt;script&gt;</p>"


def test_data_files_are_complete():
    programme = read_programme("secteur-associatif")
    assert len(programme["modules"]) == 16
    for module in programme["modules"]:
        assert 2 <= len(module["lessons"]) <= 4, module["slug"]
        assert set(module["dimension_codes"]) <= KNOWN_DIMENSIONS, module["slug"]
        for lesson in module["lessons"]:
            kinds = [next(iter(block)) for block in lesson["body"]]
            assert "paragraph" in kinds and "exercise" in kinds, lesson["slug"]
    for name in ("secteur-associatif", "mono-mobilisation-sociale"):
        french = read_programme(name)
        assert translations_of(name) == ["ar", "en"]
        for language in ("ar", "en"):
            translated = read_programme(name, language)
            assert translated["title"] != french["title"]
            assert_same_shape(french, translated, language)


def _kinds(lesson):
    return [next(iter(block)) for block in lesson["body"]]


def assert_same_shape(french, translated, language):
    """A translation has the same modules, lessons and blocks as its French source, the same
    figures (hours, minutes, dimensions), and its own text."""
    assert len(translated["modules"]) == len(french["modules"])
    for source, module in zip(french["modules"], translated["modules"], strict=True):
        assert module["slug"] == source["slug"]
        for field in ("duration_hours", "dimension_codes", "is_required"):
            assert module.get(field) == source.get(field), (language, module["slug"], field)
        assert module["objectives"] != source["objectives"], (language, module["slug"])
        pairs = zip(source["lessons"], module["lessons"], strict=True)
        for source_lesson, lesson in pairs:
            assert lesson["slug"] == source_lesson["slug"]
            assert _kinds(lesson) == _kinds(source_lesson), (language, lesson["slug"])
            assert lesson.get("minutes") == source_lesson.get("minutes")
            assert lesson["body"] != source_lesson["body"], (language, lesson["slug"])


def test_loader_builds_live_translated_programmes_once():
    programmes, lines = demo_programmes_ensure()
    takwia = programmes["secteur-associatif"]
    assert ModulePage.objects.child_of(takwia).live().count() == 16
    assert LessonPage.objects.descendant_of(takwia).live().count() >= 32
    mono = programmes["mono-mobilisation-sociale"]
    for language in ("ar", "en"):
        translation = mono.get_translation(Locale.objects.get(language_code=language))
        assert translation.live
        assert LessonPage.objects.descendant_of(translation).live().count() == 6
    arabic = mono.get_translation(Locale.objects.get(language_code="ar"))
    assert arabic.title == "التعبئة الاجتماعية وتتبع المشاريع والبرامج"
    for language, title in (
        ("ar", "برنامج تقوية قدرات النسيج الجمعوي"),
        ("en", "Capacity-building programme for the associative sector"),
    ):
        translation = takwia.get_translation(Locale.objects.get(language_code=language))
        assert translation.live and translation.title == title
        assert ModulePage.objects.child_of(translation).live().count() == 16
        assert LessonPage.objects.descendant_of(translation).live().count() == (
            LessonPage.objects.descendant_of(takwia).live().count()
        )
    revisions = {page.pk: page.latest_revision_id for page in ProgrammePage.objects.all()}
    _again, lines = demo_programmes_ensure()
    assert all(created == 0 and updated == 0 for _label, _total, created, updated in lines)
    assert revisions == {page.pk: page.latest_revision_id for page in ProgrammePage.objects.all()}


def test_arabic_lesson_renders_right_to_left(client):
    programmes, _lines = demo_programmes_ensure()
    mono = programmes["mono-mobilisation-sociale"]
    mono.is_open_to_public = True
    mono.save_revision().publish()
    arabic_programme = mono.get_translation(Locale.objects.get(language_code="ar"))
    arabic = LessonPage.objects.descendant_of(arabic_programme).order_by("path").first()
    arabic_programme.is_open_to_public = True
    arabic_programme.save_revision().publish()
    response = client.get(arabic.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "التعبئة" in html


def _document_keys(blocks):
    for block in blocks:
        ((kind, value),) = block.items()
        if kind == "document":
            yield value["file"]
        elif kind == "resources":
            yield from (item["document"] for item in value["items"] if "document" in item)


def test_every_template_named_in_the_lessons_exists():
    for name in ("secteur-associatif", "mono-mobilisation-sociale"):
        for language in ("fr", *translations_of(name)):
            for module in read_programme(name, language)["modules"]:
                for lesson in module["lessons"]:
                    assert set(_document_keys(lesson["body"])) <= set(DEMO_DOCUMENTS), (
                        language,
                        lesson["slug"],
                    )


def test_lessons_offer_real_template_files_of_the_training_collection(client):
    collection = training_collection_ensure()
    programmes, lines = demo_programmes_ensure(collection=collection)
    documents = {d.file_extension: d for d in Document.objects.filter(collection=collection)}
    assert Document.objects.filter(collection=collection).count() == len(DEMO_DOCUMENTS) == 4
    budget = Document.objects.get(title__startswith="Modèle de budget prévisionnel")
    with budget.open_file() as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    sheet = book["Budget prévisionnel"]
    assert sheet["E5"].value == "=C5*D5" and str(sheet["E11"].value).startswith("=SUM(")
    with documents["odt"].open_file() as handle:
        text = teletype.extractText(load(io.BytesIO(handle.read())).text)
    assert "[" in text and len(text) > 300  # a real text to fill in
    lesson = LessonPage.objects.get(slug="budget-et-controle-interne", locale__language_code="fr")
    offered = [b.value["document"] for b in lesson.body if b.block_type == "document"]
    assert offered == [budget]
    # Login-only, like every file of the « Formations » collection.
    assert client.get(budget.url).status_code == 302
    client.force_login(trainer())
    assert client.get(budget.url).status_code == 200
    _again, lines = demo_programmes_ensure(collection=collection)
    assert all(created == 0 and updated == 0 for _label, _total, created, updated in lines)
