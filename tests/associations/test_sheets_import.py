"""Importing organisations, people, enrolments and attendance from the sheets coordinators
really have: previews, all-or-nothing, natural keys, scope, rejected rows."""

import io

import openpyxl

from associations.models import Attendance, Enrolment, Organisation, Person
from associations.sheets.pipeline import import_sheet
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
