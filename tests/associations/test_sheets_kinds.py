"""Enrolment and attendance sheets, templates, and the import_sheet command."""

import io

import openpyxl
import pytest
from django.core.management import call_command

from associations.models import Attendance, Enrolment, Organisation, Person
from associations.sheets import FORMATS, KINDS
from associations.sheets.headers import columns_of, match_headers
from associations.sheets.pipeline import import_sheet
from associations.sheets.reading import read_sheet
from associations.sheets.templates import attendance_sheet, template_file
from associations.sign_in_sheet import enrolment_code
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    PersonFactory,
    SessionFactory,
    coordinator_of,
    focal_point_of,
    trainer,
)


def xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def cohort_world(world):
    cohort = CohortFactory(code="COH-MONO-01", territory=world["mono"], capacity=3)
    afi = PersonFactory(
        first_name="Afi", last_name="Houngbo", phone="0197000001", organisation=world["org_lokossa"]
    )
    koffi = PersonFactory(
        first_name="Koffi", last_name="Dossou", phone="", organisation=world["org_mono"]
    )
    return {**world, "cohort": cohort, "afi": afi, "koffi": koffi}


def test_an_enrolment_sheet_enrols_through_the_service_and_re_import_changes_nothing(
    cohort_world,
):
    coordinator = coordinator_of(cohort_world["mono"])
    rows = [
        ["Code de la cohorte", "Nom", "Prénom", "Téléphone", "Structure"],
        ["COH-MONO-01", "Houngbo", "Afi", "01 97 00 00 01", ""],
        ["coh-mono-01", "Dossou", "Koffi", "", "DDASM Mono"],
        ["COH-MONO-01", "Inconnue", "Awa", "", "DDASM Mono"],
    ]
    report = import_sheet(
        "enrolments", xlsx(rows), "i.xlsx", user=coordinator, dry_run=False, mode="valid"
    )
    assert [r.status for r in report.rows] == ["new", "new", "error"]
    assert report.rows[2].errors[0].column == "Nom"
    assert Enrolment.objects.filter(cohort=cohort_world["cohort"]).count() == 2
    again = import_sheet("enrolments", xlsx(rows[:3]), "i.xlsx", user=coordinator, dry_run=False)
    assert again.nothing_to_change
    assert Enrolment.objects.count() == 2


def test_enrolments_past_capacity_are_error_rows(cohort_world):
    coordinator = coordinator_of(cohort_world["mono"])
    cohort_world["cohort"].capacity = 1
    cohort_world["cohort"].save()
    rows = [
        ["Nom", "Prénom", "Structure"],
        ["Houngbo", "Afi", "GUPS de Lokossa"],
        ["Dossou", "Koffi", "DDASM Mono"],
    ]
    report = import_sheet(
        "enrolments",
        xlsx(rows),
        "i.xlsx",
        user=coordinator,
        dry_run=False,
        mode="valid",
        context={"cohort": cohort_world["cohort"]},
    )
    assert [r.status for r in report.rows] == ["new", "error"]
    # the service's own refusal, in the user's language (French here)
    assert "complète" in report.rows[1].errors[0].message
    assert Enrolment.objects.count() == 1


@pytest.fixture
def session_world(cohort_world):
    cohort = cohort_world["cohort"]
    session = SessionFactory(cohort=cohort)
    enrolments = [
        EnrolmentFactory(cohort=cohort, person=cohort_world["afi"]),
        EnrolmentFactory(cohort=cohort, person=cohort_world["koffi"]),
    ]
    teacher = trainer()
    cohort.facilitators.add(teacher)
    return {**cohort_world, "session": session, "enrolments": enrolments, "trainer": teacher}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_trainer_imports_the_filled_sign_in_sheet(session_world, fmt):
    session, teacher = session_world["session"], session_world["trainer"]
    data, filename = attendance_sheet(session, fmt)
    assert filename.endswith(f".{fmt}")
    sheet = read_sheet(data, filename)
    assert sheet.header_row == 3
    codes = [row[1][0] for row in sheet.rows]
    assert codes == [
        enrolment_code(e.pk)
        for e in sorted(session_world["enrolments"], key=lambda e: e.person.last_name)
    ]
    # The trainer types P for Koffi (Dossou, first row) and A for Afi.
    filled = [["Code", "Nom", "Présence (P/A/E)"]] + [
        [code, "", mark] for code, mark in zip(codes, ["P", "a"], strict=True)
    ]
    report = import_sheet(
        "attendance",
        xlsx(filled),
        "f.xlsx",
        user=teacher,
        dry_run=False,
        context={"session": session},
    )
    assert report.written, [r.errors for r in report.rows]
    marks = dict(Attendance.objects.values_list("enrolment__person__first_name", "status"))
    assert marks == {"Koffi": "present", "Afi": "absent"}
    assert Attendance.objects.get(enrolment__person__first_name="Afi").recorded_by == teacher
    # Exported again, the sheet carries the marks and re-imports as "nothing to change".
    data, filename = attendance_sheet(session, fmt)
    again = import_sheet(
        "attendance", data, filename, user=teacher, dry_run=False, context={"session": session}
    )
    assert again.nothing_to_change, [(r.status, r.errors) for r in again.rows]


def test_attendance_by_name_with_a_mistyped_code_and_by_someone_not_facilitating(session_world):
    session, teacher = session_world["session"], session_world["trainer"]
    rows = [
        ["Code", "Nom", "Prénom", "Présence"],
        ["", "Houngbo", "Afi", "E"],
        ["ZZ-9", "", "", "P"],
    ]
    report = import_sheet(
        "attendance",
        xlsx(rows),
        "f.xlsx",
        user=teacher,
        dry_run=False,
        mode="valid",
        context={"session": session},
    )
    assert [r.status for r in report.rows] == ["new", "error"]
    assert report.rows[1].errors[0].column == "Code"
    assert Attendance.objects.get().status == "excused"
    other = trainer()
    refused = import_sheet(
        "attendance", xlsx(rows), "f.xlsx", user=other, dry_run=False, context={"session": session}
    )
    assert refused.refused
    focal = focal_point_of(session_world["org_lokossa"])
    assert import_sheet(
        "attendance", xlsx(rows), "f.xlsx", user=focal, dry_run=False, context={"session": session}
    ).refused
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_every_template_reads_back_with_every_column_recognised(kind, fmt, language):
    data, filename = template_file(kind, language, fmt)
    stems = {"organisations": "associations", "people": "personnes"}
    stems |= {"enrolments": "inscriptions", "attendance": "presences"}
    assert filename == f"modele-{stems[kind]}-{language}.{fmt}"
    from associations.sheets.reading import SheetRefused

    # A template has headers and no rows: reading it says there is nothing to import.
    with pytest.raises(SheetRefused):
        read_sheet(data, filename)
    header_line = _template_headers(data, fmt)
    match = match_headers(kind, header_line)
    assert not match.unmatched and not match.missing
    assert len(match.fields) == len(columns_of(kind))


def _template_headers(data, fmt):
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        return list(next(workbook.worksheets[0].iter_rows(values_only=True)))
    if fmt == "csv":
        return data.decode("utf-8-sig").splitlines()[0].split(";")
    import tablib

    book = tablib.Databook()
    book.load(data, "ods")
    return book.sheets()[0].headers


ORGS = [["Nom de l'association", "Commune"], ["Association Espoir", "Lokossa"]]


def test_the_command_previews_writes_and_exits_1_when_refused(world, tmp_path, capsys):
    coordinator_of(world["mono"], email="coord@example.org")
    path = tmp_path / "liste.xlsx"
    path.write_bytes(xlsx(ORGS))
    before = Organisation.objects.count()
    call_command(
        "import_sheet", "organisations", str(path), "--as", "coord@example.org", "--dry-run"
    )
    out = capsys.readouterr().out
    assert "1" in out and Organisation.objects.count() == before
    call_command("import_sheet", "organisations", str(path), "--as", "coord@example.org")
    assert Organisation.objects.count() == before + 1
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([*ORGS, ["Autre", "Atlantide"]]))
    with pytest.raises(SystemExit) as exit_:
        call_command("import_sheet", "organisations", str(bad), "--as", "coord@example.org")
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "3" in out and "Commune" in out and "Atlantide" in out
    assert Organisation.objects.count() == before + 1
    not_a_sheet = tmp_path / "photo.xlsx"
    not_a_sheet.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(SystemExit) as exit_:
        call_command("import_sheet", "people", str(not_a_sheet), "--as", "coord@example.org")
    assert exit_.value.code == 1
    # --mode valid writes the valid rows and exits 0.
    call_command(
        "import_sheet", "organisations", str(bad), "--as", "coord@example.org", "--mode", "valid"
    )
    assert Organisation.objects.count() == before + 1
    assert Person.objects.count() == 0


def test_a_prefilled_csv_sheet_escapes_formula_like_names_and_still_imports(session_world):
    session, teacher = session_world["session"], session_world["trainer"]
    person = session_world["enrolments"][0].person
    person.last_name = '=HYPERLINK("http://x")'
    person.save()
    data, filename = attendance_sheet(session, "csv")
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text
    report = import_sheet(
        "attendance", data, filename, user=teacher, dry_run=True, context={"session": session}
    )
    assert not report.refused and not report.error_rows, [r.errors for r in report.rows]
