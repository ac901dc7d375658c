"""Default frameworks load from their data files; a framework goes out and back in as XLSX."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from assessments import framework_io
from assessments.models import Framework, Item, ItemLevel
from assessments.services import (
    framework_import_spreadsheet,
    framework_load_from_file,
    framework_save_data,
)
from tests.factories import DiagnosticFactory

COURSE_DIMENSIONS = {
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

pytestmark = pytest.mark.django_db


def test_the_association_framework_covers_the_nine_dimensions_in_three_languages():
    framework, action = framework_load_from_file(path="associations.json")
    assert action == "created"
    dimensions = list(framework.dimensions.all())
    assert {d.code for d in dimensions} == COURSE_DIMENSIONS
    for dimension in dimensions:
        assert dimension.name_ar and dimension.name_en
        items = list(dimension.items.prefetch_related("levels"))
        assert 4 <= len(items) <= 7
        for item in items:
            assert item.text_ar and item.text_en
            assert [level.level for level in item.levels.all()] == [1, 2, 3, 4]
            assert all(level.evidence_guidance for level in item.levels.all())


@pytest.mark.parametrize("path", ["associations.json", "public_services.json"])
def test_every_level_and_its_evidence_guidance_read_in_three_languages(path):
    framework, _ = framework_load_from_file(path=path)
    levels = ItemLevel.objects.filter(item__dimension__framework=framework)
    assert levels.count() >= 60
    for level in levels:
        texts = [level.description, level.description_ar, level.description_en]
        guidance = [level.evidence_guidance, level.evidence_guidance_ar, level.evidence_guidance_en]
        assert all(texts) and all(guidance), (level.item.code, level.level)
        # Arabic always differs from French; English may coincide ("Observation.").
        assert texts[1] != texts[0] and guidance[1] != guidance[0], (level.item.code, level.level)
        assert texts[2] != texts[0], (level.item.code, level.level)
        assert any(
            "\u0600" <= c <= "\u06ff" for c in level.description_ar + level.evidence_guidance_ar
        )
    with translation.override("ar"):
        level = levels.order_by("pk").first()
        assert str(level) == f"{level.level}. {level.description_ar}"


def test_a_sheet_exported_before_the_evidence_translations_still_imports():
    data = framework_io.read_file("public_services.json")
    dataset = framework_io.to_dataset(data)
    for column in framework_io.OPTIONAL_COLUMNS:
        del dataset[column]
    imported = framework_io.from_xlsx(dataset.export("xlsx"))
    level = framework_io.normalised(imported)["dimensions"][0]["items"][0]["levels"][0]
    assert level["evidence"]["fr"] and level["evidence"]["ar"] == ""


def test_the_public_service_framework_is_shorter_and_uses_known_codes():
    framework, _ = framework_load_from_file(path="public_services.json")
    assert framework.target == Framework.Target.PUBLIC_SERVICES
    codes = set(framework.dimensions.values_list("code", flat=True))
    assert codes <= COURSE_DIMENSIONS
    assert Item.objects.filter(dimension__framework=framework).count() < 38


def test_loading_twice_changes_nothing_and_a_used_framework_gets_a_new_version(world):
    framework, _ = framework_load_from_file(path="associations.json")
    assert framework_load_from_file(path="associations.json") == (framework, "unchanged")
    data = framework_io.read_file("associations.json")
    data["dimensions"][0]["items"][0]["text"]["fr"] = "Nouvelle formulation ?"
    same, action = framework_save_data(data=data)
    assert (same.pk, action) == (framework.pk, "updated")  # unused: changed in place
    DiagnosticFactory(framework=framework, organisation=world["org_moulay"])
    data["dimensions"][0]["items"][0]["text"]["fr"] = "Encore une autre ?"
    new, action = framework_save_data(data=data)
    assert action == "new_version" and new.version == 2
    assert Item.objects.get(dimension__framework=framework, code="gov-legal").text == (
        "Nouvelle formulation ?"
    )


def test_xlsx_round_trip_gives_the_same_framework():
    framework, _ = framework_load_from_file(path="associations.json")
    content = framework_io.to_xlsx(framework_io.framework_data(framework))
    assert framework_io.normalised(framework_io.from_xlsx(content)) == (
        framework_io.framework_data(framework)
    )
    assert framework_import_spreadsheet(content=content) == (framework, "unchanged")


def test_export_escapes_formulas_and_import_restores_the_text():
    data = framework_io.read_file("public_services.json")
    data["dimensions"][0]["items"][0]["text"]["fr"] = '=HYPERLINK("http://x")'
    content = framework_io.to_xlsx(data)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    column = framework_io.COLUMNS.index("item_text") + 1
    assert sheet.cell(row=2, column=column).value.startswith("'=")
    back = framework_io.from_xlsx(content)
    assert back["dimensions"][0]["items"][0]["text"]["fr"] == '=HYPERLINK("http://x")'


def test_a_broken_spreadsheet_gets_a_clear_message():
    with pytest.raises(ValidationError, match="pas un tableur XLSX"):
        framework_import_spreadsheet(content=b"plain text")
    workbook = openpyxl.Workbook()
    workbook.active.append(["framework_code", "item_code"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ValidationError, match="Colonnes manquantes"):
        framework_import_spreadsheet(content=buffer.getvalue())


def test_the_command_loads_the_default_frameworks():
    out = io.StringIO()
    call_command("load_frameworks", stdout=out)
    assert "associations v1: created" in out.getvalue()
    assert Framework.objects.count() == 2


def _xlsx_upload(content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("cadre.xlsx", content)


def test_coordinators_upload_a_framework_in_the_admin_and_a_used_one_gets_a_new_version(
    client, world
):
    from django.urls import reverse

    from tests.factories import PASSWORD, coordinator_of, focal_point_of

    framework, _ = framework_load_from_file(path="public_services.json")
    DiagnosticFactory(framework=framework, organisation=world["org_lokossa"])
    data = framework_io.framework_data(framework)
    data["dimensions"][0]["items"][0]["text"]["fr"] = "Mandat écrit ?"
    url = reverse("assessments_frameworks")

    focal = focal_point_of(world["org_lokossa"])
    client.login(email=focal.email, password=PASSWORD)
    assert client.get(url).status_code in (302, 403)
    client.logout()

    coordinator = coordinator_of(world["mono"])
    client.login(email=coordinator.email, password=PASSWORD)
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": _xlsx_upload(framework_io.to_xlsx(data))})
    assert response.status_code == 302
    assert Framework.objects.filter(code=framework.code).count() == 2
    assert Item.objects.get(dimension__framework__version=2, code="ps-mandate").text == (
        "Mandat écrit ?"
    )
    response = client.post(url, {"file": _xlsx_upload(b"nope")}, follow=True)
    assert Framework.objects.filter(code=framework.code).count() == 2
