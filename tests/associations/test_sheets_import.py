"""Importing organisations, people, enrolments and attendance from the sheets coordinators
really have: previews, all-or-nothing, natural keys, scope, rejected rows."""

import io

import openpyxl

from associations.models import Attendance, Enrolment, Organisation, Person
from associations.sheets.pipeline import import_sheet, rejected_rows_workbook
from tests.factories import coordinator_of


def xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8", delimiter=";"):
    return "\r\n".join(delimiter.join(str(c) for c in row) for row in rows).encode(encoding)


def counts():
    return (
        Organisation.objects.count(),
        Person.objects.count(),
        Enrolment.objects.count(),
        Attendance.objects.count(),
    )


ASSOCIATIONS = [
    ["Liste des associations du Mono", None, None, None],
    [],
    ["Nom de l'association", "Sigle", "N° de récépissé", "Commune", "Date de création"],
    ["Association Espoir", "AE", "2019/0042", "Lokossa", "12/03/2015"],
    ["Femmes Unies de Lokossa", "", "", "lokossa", "2009"],
]


def test_a_coordinator_imports_associations_with_their_own_headers(world):
    coordinator = coordinator_of(world["mono"])
    before = counts()
    preview = import_sheet(
        "organisations", xlsx(ASSOCIATIONS), "liste.xlsx", user=coordinator, dry_run=True
    )
    assert not preview.refused, preview.refused
    assert [r.status for r in preview.rows] == ["new", "new"]
    assert [r.number for r in preview.rows] == [4, 5]
    assert counts() == before
    done = import_sheet(
        "organisations", xlsx(ASSOCIATIONS), "liste.xlsx", user=coordinator, dry_run=False
    )
    assert done.written
    espoir = Organisation.objects.get(registration_number="2019/0042")
    assert (espoir.name, espoir.acronym, espoir.year_founded) == ("Association Espoir", "AE", 2015)
    assert espoir.territory == world["lokossa"]
    again = import_sheet(
        "organisations", xlsx(ASSOCIATIONS), "liste.xlsx", user=coordinator, dry_run=False
    )
    assert again.nothing_to_change
    assert [r.status for r in again.rows] == ["unchanged", "unchanged"]
    assert not again.written


PEOPLE = [
    ["Nom", "Prénom", "Sexe", "Année de naissance", "Téléphone", "Structure"],
    ["Houngbo", "Afi", "féminin", "12/05/1990", "+229 97 00 00 01", "GUPS de Lokossa"],
    ["Dossou", "Koffi", "H", 1985, 22997000002, "DDASM Mono"],
    ["Agbo", "Mariam", "femme", "", "", "GUPS de Lokossa"],
]


def test_people_are_cleaned_and_keyed_by_phone_or_name(world):
    coordinator = coordinator_of(world["mono"])
    report = import_sheet("people", xlsx(PEOPLE), "p.xlsx", user=coordinator, dry_run=False)
    assert report.written, report.rows
    afi = Person.objects.get(first_name="Afi")
    assert (afi.sex, afi.birth_year, afi.phone) == ("F", 1990, "+22997000001")
    assert afi.organisation == world["org_lokossa"]
    assert Person.objects.get(first_name="Koffi").phone == "22997000002"
    # The same people typed differently: phones with other spacing, names in capitals.
    again = [
        ["NOM", "PRENOM", "Genre", "Téléphone", "Association"],
        ["HOUNGBO", "Afi", "F", "+22997000001", "gups de lokossa"],
        ["Dossou", "Koffi", "M", "+229 97 00 00 02", "DDASM Mono"],
        ["agbo", "mariam", "F", "", "GUPS DE LOKOSSA"],
    ]
    report = import_sheet("people", xlsx(again), "p.xlsx", user=coordinator, dry_run=False)
    # Names in other capitals are updates; the same phone spelt another way is not.
    assert [r.status for r in report.rows] == ["updated", "unchanged", "updated"]
    assert Person.objects.get(first_name="Koffi").phone == "22997000002"
    assert Person.objects.count() == 3


def test_a_phone_excel_wrote_in_scientific_notation_is_refused_not_stored_wrong(world):
    coordinator = coordinator_of(world["mono"])
    rows = [
        ["Nom", "Prénom", "Téléphone", "Structure"],
        ["Houngbo", "Afi", "2,12612E+11", "GUPS de Lokossa"],
        ["Dossou", "Koffi", "2.29970000021E+11", "GUPS de Lokossa"],
    ]
    report = import_sheet("people", csv_bytes(rows), "p.csv", user=coordinator, dry_run=True)
    first, second = report.rows
    assert first.status == "error"
    assert first.errors[0].column == "Téléphone"
    assert "lost digits" in first.errors[0].message or "perdu" in first.errors[0].message
    assert second.status == "new"
    done = import_sheet(
        "people", csv_bytes(rows), "p.csv", user=coordinator, dry_run=False, mode="valid"
    )
    assert done.written
    assert list(Person.objects.values_list("phone", flat=True)) == ["229970000021"]


def test_all_or_nothing_writes_nothing_when_one_row_is_wrong_and_valid_mode_writes_the_rest(
    world,
):
    coordinator = coordinator_of(world["mono"])
    rows = [*ASSOCIATIONS, ["Sans commune", "", "", "Atlantide", ""]]
    before = counts()
    report = import_sheet("organisations", xlsx(rows), "a.xlsx", user=coordinator, dry_run=False)
    assert not report.written and not report.would_write
    assert counts() == before
    (bad,) = report.error_rows
    assert (bad.number, bad.errors[0].column) == (6, "Commune")
    report = import_sheet(
        "organisations", xlsx(rows), "a.xlsx", user=coordinator, dry_run=False, mode="valid"
    )
    assert report.written
    assert Organisation.objects.count() == before[0] + 2
    # The rejected rows come back as a workbook that re-imports as is, once fixed.
    rejected = openpyxl.load_workbook(io.BytesIO(rejected_rows_workbook(report)))
    sheet = rejected.active
    assert [c.value for c in sheet[1]][:4] == [
        "Nom de l'association",
        "Sigle",
        "N° de récépissé",
        "Commune",
    ]
    assert sheet.cell(row=2, column=1).value == "Sans commune"
    assert "Commune" in sheet.cell(row=2, column=6).value
    sheet.cell(row=2, column=4).value = "Lokossa"
    out = io.BytesIO()
    rejected.save(out)
    fixed = import_sheet(
        "organisations", out.getvalue(), "rejets.xlsx", user=coordinator, dry_run=False
    )
    assert [r.status for r in fixed.rows] == ["new"]
    assert Organisation.objects.filter(name="Sans commune", territory=world["lokossa"]).exists()


def test_rows_outside_the_importers_territory_are_refused_never_written(world):
    coordinator = coordinator_of(world["mono"])
    rows = [
        ["Nom de l'association", "Commune"],
        ["Association du Couffo", "Aplahoué"],
        ["Association de Moulay Yacoub", "MA-03-MY"],
    ]
    before = counts()
    report = import_sheet(
        "organisations", xlsx(rows), "a.xlsx", user=coordinator, dry_run=False, mode="valid"
    )
    assert [r.status for r in report.rows] == ["error", "error"]
    assert counts() == before
    people = [
        ["Nom", "Prénom", "Organisation"],
        ["Alaoui", "Sara", "Association Tafilalt"],
    ]
    report = import_sheet(
        "people", xlsx(people), "p.xlsx", user=coordinator, dry_run=False, mode="valid"
    )
    assert report.rows[0].status == "error"
    assert report.rows[0].errors[0].column == "Organisation"
    assert counts() == before


def test_duplicates_inside_one_file_are_error_rows_not_merged(world):
    coordinator = coordinator_of(world["mono"])
    rows = [
        ["Nom", "Prénom", "Téléphone", "Structure"],
        ["Houngbo", "Afi", "0197000001", "GUPS de Lokossa"],
        ["Dossou", "Koffi", "0197000002", "GUPS de Lokossa"],
        ["Houngbo", "Afiwa", "01 97 00 00 01", "GUPS de Lokossa"],
    ]
    report = import_sheet(
        "people", xlsx(rows), "p.xlsx", user=coordinator, dry_run=False, mode="valid"
    )
    assert [r.status for r in report.rows] == ["error", "new", "error"]
    assert "4" in report.rows[0].errors[0].message and "2" in report.rows[2].errors[0].message
    assert report.rows[0].errors[0].column == "Téléphone"
    assert list(Person.objects.values_list("first_name", flat=True)) == ["Koffi"]


def test_french_excel_csv_semicolons_windows_1252_decimal_comma_and_dates(world):
    coordinator = coordinator_of(world["mono"])
    text = (
        "Liste des associations;;;;\r\n"
        ";;;;\r\n"
        "Nom de l'association;Sigle;Commune;Date de création;Nombre de membres\r\n"
        "Association Espérance;AES;Lokossa;5/3/2012;35,0\r\n"
        "Réseau des Femmes;RF;Lokossa;2008;1 200\r\n"
    ).encode("cp1252")
    report = import_sheet("organisations", text, "liste.csv", user=coordinator, dry_run=False)
    assert report.written, [r.errors for r in report.rows]
    esperance = Organisation.objects.get(acronym="AES")
    assert (esperance.name, esperance.year_founded, esperance.members_count) == (
        "Association Espérance",
        2012,
        35,
    )
    assert Organisation.objects.get(acronym="RF").members_count == 1200


def test_a_csv_that_lost_its_arabic_letters_is_refused_with_how_to_save_it(world):
    coordinator = coordinator_of(world["mono"])
    text = "Nom de l'association;Nom en arabe;Commune\r\nAssociation Amal;????? ???;Lokossa\r\n"
    report = import_sheet(
        "organisations", text.encode("cp1252"), "a.csv", user=coordinator, dry_run=False
    )
    assert report.refused
    assert "UTF-8" in report.refused
    assert Organisation.objects.filter(name="Association Amal").count() == 0


def test_arabic_headers_and_utf8_csv(world):
    coordinator = coordinator_of(world["mono"])
    text = (
        "اسم الجمعية,الاسم بالعربية,الجماعة,تاريخ التأسيس\n"
        "Association Amal,جمعية الأمل,Lokossa,2010\n"
    )
    report = import_sheet(
        "organisations", text.encode("utf-8"), "a.csv", user=coordinator, dry_run=False
    )
    assert report.written
    assert Organisation.objects.get(name="Association Amal").name_ar == "جمعية الأمل"


def test_unmatched_headers_are_reported_and_a_mapping_resolves_them(world):
    coordinator = coordinator_of(world["mono"])
    rows = [["Intitulé", "Lieu"], ["Association Espoir", "Lokossa"]]
    report = import_sheet("organisations", xlsx(rows), "a.xlsx", user=coordinator)
    assert report.refused
    assert report.missing == ["name", "territory"]
    assert report.unmatched == ["Intitulé", "Lieu"]
    report = import_sheet(
        "organisations",
        xlsx(rows),
        "a.xlsx",
        user=coordinator,
        dry_run=False,
        mapping={"Intitulé": "name", "Lieu": "territory"},
    )
    assert report.written
    assert Organisation.objects.filter(name="Association Espoir").exists()


def test_formula_looking_text_is_stored_as_plain_text(world):
    coordinator = coordinator_of(world["mono"])
    text = "Nom de l'association;Commune\r\n=cmd|' /C calc'!A0;Lokossa\r\n@SUM(1+1);Lokossa\r\n"
    report = import_sheet("organisations", text.encode(), "a.csv", user=coordinator, dry_run=False)
    assert report.written
    assert set(
        Organisation.objects.filter(territory=world["lokossa"]).values_list("name", flat=True)
    ) >= {"=cmd|' /C calc'!A0", "@SUM(1+1)"}


def test_progress_is_reported_while_rows_are_processed(world):
    coordinator = coordinator_of(world["mono"])
    rows = [["Nom de l'association", "Commune"]] + [
        [f"Association {n}", "Lokossa"] for n in range(450)
    ]
    calls = []
    report = import_sheet(
        "organisations",
        xlsx(rows),
        "a.xlsx",
        user=coordinator,
        dry_run=True,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert report.counts["new"] == 450
    assert calls == [(200, 450), (400, 450), (450, 450)]
    assert not Organisation.objects.filter(name="Association 7").exists()


def test_a_report_survives_a_round_trip_through_json(world):
    import datetime
    import json

    from associations.sheets.pipeline import ImportReport

    coordinator = coordinator_of(world["mono"])
    rows = [*ASSOCIATIONS, ["Sans commune", "", "", "Atlantide", datetime.date(2015, 3, 12)]]
    report = import_sheet("organisations", xlsx(rows), "a.xlsx", user=coordinator)
    again = ImportReport.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again == report
    assert again.error_rows[0].values[4] == "12/03/2015"
    assert rejected_rows_workbook(again)


def test_formulas_are_never_evaluated_and_come_back_as_text_in_rejected_rows(world):
    coordinator = coordinator_of(world["mono"])
    # openpyxl writes "=..." as a formula with no saved value: the cell reads as empty.
    rows = [["Nom de l'association", "Commune"], ["=1+2", "Lokossa"], ["=cmd|' /C calc'!A0", "?"]]
    report = import_sheet(
        "organisations", xlsx(rows), "a.xlsx", user=coordinator, dry_run=False, mode="valid"
    )
    assert [r.status for r in report.rows] == ["error", "error"]
    assert Organisation.objects.filter(territory=world["lokossa"]).count() == 1
    csv_rows = [["Nom de l'association", "Commune"], ["=cmd|' /C calc'!A0", "Atlantide"]]
    report = import_sheet("organisations", csv_bytes(csv_rows), "a.csv", user=coordinator)
    sheet = openpyxl.load_workbook(io.BytesIO(rejected_rows_workbook(report))).active
    assert sheet.cell(row=2, column=1).value == "=cmd|' /C calc'!A0"
    assert sheet.cell(row=2, column=1).data_type == "s"
