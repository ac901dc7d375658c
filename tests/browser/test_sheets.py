"""Spreadsheet journeys in Chromium: a coordinator downloads a template, uploads the sheet of
associations they really have (their own headers, a title row, one wrong commune), sees the
preview with the error row, matches the unknown column, fixes the file, confirms, and uploads it
again to see "nothing to change"; a trainer downloads the session's attendance sheet from the
roll call, types P / A / E and imports it. In French on a desktop and in Arabic on a phone."""

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from associations.models import Attendance, Cohort, Organisation
from tests.factories import EnrolmentFactory, PersonFactory, SessionFactory, coordinator_of, trainer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
JOURNEYS = [("fr", "desktop"), ("ar", "phone")]


@pytest.fixture
def shot(screenshot):
    """A screenshot kept with the test artefacts."""
    return screenshot


def prefix(language):
    return "" if language == "fr" else f"/{language}"


def sheet_file(tmp_path, name, rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


OWN_HEADERS = ["Raison sociale", "Sigle", "Commune", "Téléphone", "Remarques du bureau"]


def coordinators_sheet(commune_of_the_third):
    return [
        ["Registre des associations du Mono — mise à jour de novembre"],
        [],
        OWN_HEADERS,
        ["Association Espoir de Lokossa", "AEL", "Lokossa", "97000001", "Active"],
        ["Femmes Unies du Mono", "FUM", "lokossa", "97000002", ""],
        ["Jeunesse Active", "JA", commune_of_the_third, "97000003", "A relancer"],
    ]


def upload(page, path, kind=None):
    if kind:
        page.select_option("select[name=kind]", kind)
    page.set_input_files("input[name=file]", str(path))
    page.locator("form.import-form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(("language", "viewport"), JOURNEYS)
def test_a_coordinator_imports_the_associations_sheet_they_have(
    world, page, url, log_in, shot, tmp_path, language, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    coordinator = coordinator_of(world["mono"])
    log_in(coordinator)
    page.goto(url(f"{prefix(language)}/organisations/"))
    page.locator("a[href*='/imports/?kind=organisations']").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("select[name=kind]")).to_have_value("organisations")

    # The template, with its headers in the page's language.
    with page.expect_download() as download:
        page.locator(f"#templates a[href$='organisations.xlsx?langue={language}']").click()
    template = openpyxl.load_workbook(
        io.BytesIO(Path(download.value.path()).read_bytes())
    ).worksheets[0]
    headers = [cell.value for cell in template[1]]
    assert len(headers) > 5 and all(headers)
    assert ("Sigle" in headers) if language == "fr" else ("المختصر" in headers)
    shot(f"{language}-{viewport}-1-upload")

    # The coordinator's own sheet: a title row, their headers, a commune outside Mono.
    wrong = sheet_file(tmp_path, "registre.xlsx", coordinators_sheet("Tombouctou"))
    upload(page, wrong)
    errors = page.locator("#errors table tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("6")  # the row as the spreadsheet numbers it
    expect(errors.first).to_contain_text("Commune")
    expect(errors.first).to_contain_text("Tombouctou")
    expect(page.locator("#summary .counts .new strong")).to_have_text("2")
    expect(page.locator("#mapping")).to_contain_text("Remarques du bureau")
    shot(f"{language}-{viewport}-2-preview-with-error")

    # The unknown column is ignored; all-or-nothing refuses while a row is wrong.
    page.select_option("select[name=header_0]", "")
    page.locator(".mapping-form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#mapping")).to_have_count(0)
    page.check("#confirm input[name=mode][value=all]")
    page.locator("#confirm button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".messages li.error")).to_be_visible()
    assert not Organisation.objects.filter(name="Jeunesse Active").exists()

    # Fixed, uploaded again, confirmed.
    fixed = sheet_file(tmp_path, "registre-corrige.xlsx", coordinators_sheet("Lokossa"))
    page.goto(url(f"{prefix(language)}/imports/"))
    upload(page, fixed, kind="organisations")
    expect(page.locator("#summary .counts .new strong")).to_have_text("3")
    expect(page.locator("#errors")).to_have_count(0)
    expect(page.locator("#mapping")).to_have_count(0)  # the column choice is remembered
    page.locator("#confirm button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#summary .counts .new strong")).to_have_text("3")
    shot(f"{language}-{viewport}-3-result")
    assert Organisation.objects.filter(territory=world["lokossa"]).count() == 4

    # The same file once more: nothing to change.
    page.goto(url(f"{prefix(language)}/imports/"))
    upload(page, fixed, kind="organisations")
    expect(page.locator("#nothing-to-change")).to_be_visible()
    expect(page.locator("#summary .counts .unchanged strong")).to_have_text("3")
    shot(f"{language}-{viewport}-4-nothing-to-change")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.fixture
def workshop(world):
    cohort = Cohort.objects.create(code="MONO-2024", title="Atelier", territory=world["mono"])
    session = SessionFactory(cohort=cohort, date=date(2024, 11, 20), theme="Mobilisation")
    for n in range(6):
        EnrolmentFactory(
            cohort=cohort,
            person=PersonFactory(last_name=f"Agent{n}", organisation=world["org_lokossa"]),
        )
    facilitator = trainer()
    cohort.facilitators.add(facilitator)
    return session, facilitator


@pytest.mark.parametrize(("language", "viewport"), JOURNEYS)
def test_a_trainer_imports_a_filled_sign_in_sheet(
    workshop, page, url, log_in, shot, tmp_path, language, viewport
):
    session, facilitator = workshop
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(facilitator)
    page.goto(url(f"{prefix(language)}/seances/{session.pk}/appel/"))
    with page.expect_download() as download:
        page.locator(".sheet-links a[download]").click()
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = workbook.active
    header_row = next(
        row[0].row for row in sheet.iter_rows() if row[1].value and "Agent" not in str(row[1].value)
    )
    marks = ["P", "P", "A", "E", "P", "A"] if language == "fr" else ["ح", "ح", "غ", "م", "ح", "غ"]
    for offset, mark in enumerate(marks):
        sheet.cell(row=header_row + 1 + offset, column=5, value=mark)
    filled = tmp_path / "feuille-remplie.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    filled.write_bytes(buffer.getvalue())

    page.locator(".sheet-links a[href*='kind=attendance']").click()
    page.wait_for_load_state()
    expect(page.locator("select[name=kind]")).to_have_value("attendance")
    expect(page.locator("select[name=session]")).to_have_value(str(session.pk))
    upload(page, filled)
    expect(page.locator("#summary .counts .new strong")).to_have_text("6")
    shot(f"trainer-{language}-{viewport}-preview")
    page.locator("#confirm button[type=submit]").click()
    page.wait_for_load_state()
    shot(f"trainer-{language}-{viewport}-result")
    statuses = sorted(Attendance.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == sorted(["present", "present", "absent", "excused", "present", "absent"])
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
