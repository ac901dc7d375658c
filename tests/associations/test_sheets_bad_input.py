"""The bad-input suite: every hostile, broken or wrong sheet gets a clear message and writes
nothing, in each format (XLSX, CSV, ODS)."""

import io
import zipfile

import openpyxl
import pytest
import tablib

from associations.models import Attendance, Enrolment, Organisation, Person
from associations.sheets import reading
from associations.sheets.pipeline import import_sheet
from associations.sheets.reading import MAX_FILE_BYTES
from tests.factories import OrganisationFactory, coordinator_of

FORMATS = ("xlsx", "csv", "ods")


def write(fmt, rows):
    if fmt == "csv":
        return "\r\n".join(";".join(str(c) for c in row) for row in rows).encode("utf-8")
    if fmt == "xlsx":
        workbook = openpyxl.Workbook()
        for row in rows:
            workbook.active.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    width = max(len(r) for r in rows)
    padded = [[*r, *[""] * (width - len(r))] for r in rows]
    return tablib.Dataset(*padded[1:], headers=padded[0]).export("ods")


def replace_member(data, name, content):
    """``data`` (a zip) with member ``name`` replaced by ``content``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == name else source.read(item))
    return out.getvalue()


HEAD = ["Nom de l'association", "Sigle", "N° de récépissé", "Commune", "Date de création"]
GOOD = ["Association Espoir", "AE", "2019/0042", "Lokossa", "2015"]
PEOPLE = ["Nom", "Prénom", "Sexe", "Téléphone", "Structure"]
PERSON = ["Houngbo", "Afi", "F", "0197000001", "GUPS de Lokossa"]

# (name, kind, rows): every one must be refused or have error rows, and write nothing.
ROW_CASES = [
    ("headers only", "organisations", [HEAD]),
    ("title row only", "organisations", [["Liste des associations du Mono"]]),
    ("no header recognised", "organisations", [["Date", "Montant"], ["2024", "12"]]),
    ("required column missing", "organisations", [["Nom de l'association", "Sigle"], GOOD[:2]]),
    ("blank name", "organisations", [HEAD, ["", "AE", "", "Lokossa", ""]]),
    ("unknown commune", "organisations", [HEAD, ["Espoir", "", "", "Atlantide", ""]]),
    ("commune of another territory", "organisations", [HEAD, ["Espoir", "", "", "Aplahoué", ""]]),
    ("code of another country", "organisations", [HEAD, ["Espoir", "", "", "MA-03-MY", ""]]),
    (
        "registration number twice",
        "organisations",
        [HEAD, GOOD, ["Autre", "", "2019/0042", "Lokossa", ""]],
    ),
    (
        "same name twice in a commune",
        "organisations",
        [HEAD, GOOD, ["association  ESPOIR", "", "", "lokossa", ""]],
    ),
    (
        "registration number held elsewhere",
        "organisations",
        [HEAD, ["Espoir", "", "KO-0001", "Lokossa", ""]],
    ),
    ("name too long", "organisations", [HEAD, ["A" * 201, "", "", "Lokossa", ""]]),
    ("year in words", "organisations", [HEAD, ["Espoir", "", "", "Lokossa", "l'an dernier"]]),
    ("year in the future", "organisations", [HEAD, ["Espoir", "", "", "Lokossa", "2999"]]),
    ("impossible date", "organisations", [HEAD, ["Espoir", "", "", "Lokossa", "31/02/2015"]]),
    (
        "members in words",
        "organisations",
        [["Nom de l'association", "Commune", "Membres"], ["Espoir", "Lokossa", "beaucoup"]],
    ),
    (
        "members with a decimal",
        "organisations",
        [["Nom de l'association", "Commune", "Membres"], ["Espoir", "Lokossa", "12,5"]],
    ),
    (
        "bad e-mail",
        "organisations",
        [["Nom de l'association", "Commune", "Courriel"], ["Espoir", "Lokossa", "espoir@"]],
    ),
    (
        "phone in letters",
        "organisations",
        [["Nom de l'association", "Commune", "Tél"], ["Espoir", "Lokossa", "appeler le président"]],
    ),
    (
        "unknown kind",
        "organisations",
        [["Nom de l'association", "Commune", "Type"], ["Espoir", "Lokossa", "Entreprise"]],
    ),
    (
        "yes/no unreadable",
        "organisations",
        [["Nom de l'association", "Commune", "Women-led"], ["Espoir", "Lokossa", "peut-être"]],
    ),
    (
        "website not a web address",
        "organisations",
        [["Nom de l'association", "Commune", "Site web"], ["Espoir", "Lokossa", "pas un site"]],
    ),
    (
        "one good row and one bad row",
        "organisations",
        [HEAD, GOOD, ["Autre", "", "", "Atlantide", ""]],
    ),
    (
        "phone in scientific notation",
        "people",
        [PEOPLE, ["Houngbo", "Afi", "F", "2,12612E+11", "GUPS de Lokossa"]],
    ),
    (
        "sex unreadable",
        "people",
        [PEOPLE, ["Houngbo", "Afi", "X", "0197000001", "GUPS de Lokossa"]],
    ),
    (
        "organisation of another territory",
        "people",
        [PEOPLE, ["Houngbo", "Afi", "F", "0197000001", "GUPS d'Aplahoué"]],
    ),
    ("unknown organisation", "people", [PEOPLE, ["Houngbo", "Afi", "F", "0197000001", "Inconnue"]]),
    (
        "same phone twice",
        "people",
        [PEOPLE, PERSON, ["Dossou", "Koffi", "H", "01 97 00 00 01", "DDASM Mono"]],
    ),
    (
        "first name missing",
        "people",
        [PEOPLE, ["Houngbo", "", "F", "0197000001", "GUPS de Lokossa"]],
    ),
    (
        "two phone numbers in a cell",
        "people",
        [PEOPLE, ["Houngbo", "Afi", "F", "0197000001 / 0197000002", "GUPS de Lokossa"]],
    ),
    (
        "birth year impossible",
        "people",
        [
            ["Nom", "Prénom", "Année de naissance", "Structure"],
            ["Houngbo", "Afi", "1700", "GUPS de Lokossa"],
        ],
    ),
]


def _blank_zip_member_bomb(fmt):
    """A spreadsheet with an extra member that inflates to 70 MB of zeros (70 KB packed)."""
    base = write(fmt, [HEAD, GOOD])
    out = io.BytesIO(base)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/media/padding.bin" if fmt == "xlsx" else "Pictures/padding.bin",
            b"\0" * (70 * 2**20),
        )
    return out.getvalue()


def _many_members(fmt):
    out = io.BytesIO(write(fmt, [HEAD, GOOD]))
    with zipfile.ZipFile(out, "a") as archive:
        for i in range(400):
            archive.writestr(f"extra/{i}.xml", b"<a/>")
    return out.getvalue()


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _xlsx_bomb(prolog):
    body = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;&xxe;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return replace_member(write("xlsx", [HEAD, GOOD]), "xl/worksheets/sheet1.xml", prolog + body)


def _ods_bomb(prolog):
    data = write("ods", [HEAD, GOOD])
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml")
    content = content.split(b"?>", 1)[1] if content.startswith(b"<?xml") else content
    content = content.replace(b"Association Espoir", b"&lol3;&xxe;")
    return replace_member(data, "content.xml", prolog + content)


def _wrong_workbook_member():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    return out.getvalue()


def _ods_repeated_rows():
    """An ODS whose one data row says it repeats a million times."""
    data = write("ods", [HEAD, GOOD])
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml")
    rows = content.split(b"<table:table-row")
    rows[-1] = b' table:number-rows-repeated="1000000"' + rows[-1]
    return replace_member(data, "content.xml", b"<table:table-row".join(rows))


def _xlsx_too_many_rows():
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEAD)
    for i in range(reading.MAX_ROWS + 1):
        sheet.append([f"Association {i}", "", "", "Lokossa", ""])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _wrong_sheet(fmt):
    """A workbook whose sheets hold a budget, not a list of associations."""
    if fmt == "xlsx":
        workbook = openpyxl.Workbook()
        workbook.active.append(["Poste", "Montant"])
        workbook.active.append(["Location de salle", 25000])
        workbook.create_sheet("Notes").append(["à remplir plus tard"])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    return write(fmt, [["Poste", "Montant"], ["Location de salle", "25000"]])


COMMON_FILE_CASES = {
    "empty file": lambda fmt: b"",
    "too large": lambda fmt: b"Nom;Commune\r\n" + b"x" * MAX_FILE_BYTES,
    "a PNG image": lambda fmt: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "a PDF": lambda fmt: b"%PDF-1.7\n1 0 obj << >> endobj\n" + b"\x00\x01" * 50,
    "an old .xls or encrypted workbook": lambda fmt: (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    ),
    "a Word document": lambda fmt: _wrong_workbook_member(),
    "a web page saved as the file": lambda fmt: (
        b"<!DOCTYPE html><html><body><table></table></body></html>"
    ),
    "wrong sheet": _wrong_sheet,
}
ZIP_FILE_CASES = {
    "truncated": lambda fmt: write(fmt, [HEAD, GOOD])[:700],
    "zip bomb": _blank_zip_member_bomb,
    "zip of many members": _many_members,
    "XML bomb": lambda fmt: _xlsx_bomb(LAUGHS) if fmt == "xlsx" else _ods_bomb(LAUGHS),
    "XML external entity": lambda fmt: (
        _xlsx_bomb(EXTERNAL) if fmt == "xlsx" else _ods_bomb(EXTERNAL)
    ),
}
FILE_CASES = {
    "xlsx": {
        **COMMON_FILE_CASES,
        **ZIP_FILE_CASES,
        "too many rows": lambda fmt: _xlsx_too_many_rows(),
    },
    "ods": {
        **COMMON_FILE_CASES,
        **ZIP_FILE_CASES,
        "a million repeated rows": lambda fmt: _ods_repeated_rows(),
    },
    "csv": {
        **COMMON_FILE_CASES,
        "binary garbage": lambda fmt: bytes(range(256)) * 8,
        "blank lines only": lambda fmt: b"\r\n;;;\r\n\r\n",
        "Arabic lost to question marks": lambda fmt: (
            "Nom de l'association;Nom en arabe;Commune\r\nAmal;????? ?????;Lokossa\r\n".encode(
                "cp1252"
            )
        ),
        "too many rows": lambda fmt: (
            "Nom de l'association;Commune\r\n" + "Espoir;Lokossa\r\n" * (reading.MAX_ROWS + 1)
        ).encode(),
        "unbalanced quote swallowing the file": lambda fmt: (
            b"Nom de l'association;Commune\r\n\"Espoir;Lokossa\r\n"
        ),
    },
}


def counts():
    return (
        Organisation.objects.count(),
        Person.objects.count(),
        Enrolment.objects.count(),
        Attendance.objects.count(),
    )


@pytest.fixture
def importer(world):
    OrganisationFactory(
        name="Association du Couffo", registration_number="KO-0001", territory=world["aplahoue"]
    )
    return coordinator_of(world["mono"])


def _assert_nothing_written(importer, kind, data, filename):
    before = counts()
    report = import_sheet(kind, data, filename, user=importer, dry_run=False, mode="all")
    assert report.refused or report.error_rows, report
    assert not report.written
    assert counts() == before
    if report.refused:
        assert "Traceback" not in report.refused and len(report.refused) > 20
    for row in report.error_rows:
        assert row.errors and all(error.message for error in row.errors)
    return report


def test_there_are_at_least_25_bad_inputs_per_format():
    for fmt in FORMATS:
        assert len(ROW_CASES) + len(FILE_CASES[fmt]) >= 25


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("name", "kind", "rows"), ROW_CASES, ids=[c[0] for c in ROW_CASES])
def test_a_bad_row_writes_nothing(importer, fmt, name, kind, rows):
    _assert_nothing_written(importer, kind, write(fmt, rows), f"sheet.{fmt}")


@pytest.mark.parametrize(
    ("fmt", "name"), [(fmt, name) for fmt in FORMATS for name in FILE_CASES[fmt]]
)
def test_a_bad_file_is_refused_and_writes_nothing(importer, fmt, name, monkeypatch):
    # The row cap works the same at 500 rows as at 20,000, and the test stays fast.
    monkeypatch.setattr(reading, "MAX_ROWS", 500)
    data = FILE_CASES[fmt][name](fmt)
    report = _assert_nothing_written(importer, "organisations", data, f"liste.{fmt}")
    # An unclosed quote is read as it is (the row then misses its commune): an error row.
    assert report.refused or name == "unbalanced quote swallowing the file"


def _read_both_ways(data):
    """The sheet as ``reading`` reads it, and as openpyxl's own ``iter_rows`` gives it."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    worksheet = workbook.worksheets[0]
    rows = enumerate(worksheet.iter_rows(max_col=reading.MAX_COLUMNS, values_only=True), start=1)
    expected = reading._sheet_from_rows("xlsx", rows)
    sheet = reading.read_sheet(data, "personnes.xlsx")
    return sheet, expected


def test_the_fast_xlsx_reader_gives_what_openpyxl_gives():
    import datetime

    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "Liste des personnes"
    sheet.append([])
    sheet.append(["Nom", "Prénom", "Date de naissance", "Téléphone", "Sexe"])
    sheet.append(["Alaoui", "Fatima", datetime.datetime(1990, 5, 12), 612345678, True])
    sheet.append(["=1+1", "Zineb", datetime.date(1985, 1, 2), "06 12", False])
    sheet.cell(row=10, column=2, value="  Loin  ")
    sheet.cell(row=10, column=70, value="au-delà de 60 colonnes")
    sheet["B12"] = CellRichText(["Ri", TextBlock(InlineFont(b=True), "che")])
    out = io.BytesIO()
    workbook.save(out)
    read, expected = _read_both_ways(out.getvalue())
    assert (read.headers, read.header_row, read.rows) == (
        expected.headers,
        expected.header_row,
        expected.rows,
    )
    assert read.rows[-1] == (12, [None, "Riche"])
    assert read.rows[0][1][2] == datetime.datetime(1990, 5, 12)

    # openpyxl's write-only workbooks hold inline strings: read directly, same text.
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in (["Nom", "Prénom", "Sexe"], ["A", None, "F"], [None, None, None], ["B", 12]):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    read, expected = _read_both_ways(out.getvalue())
    assert read.rows == expected.rows == [(2, ["A", None, "F"]), (4, ["B", 12])]
