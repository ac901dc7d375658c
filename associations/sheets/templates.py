"""Downloadable templates, one per kind of sheet, with headers in French, Arabic or English, as
XLSX, ODS or CSV; and the sign-in sheet of a session as a spreadsheet to fill and import back."""

import csv
import io

import tablib
from django.utils import translation
from django.utils.translation import gettext as _

from associations.sheets import FORMATS, all_kinds
from associations.sheets.formulas import escape_cell
from associations.sheets.headers import columns_of

FILE_STEMS = {
    "organisations": "associations",
    "people": "personnes",
    "enrolments": "inscriptions",
    "attendance": "presences",
}


def _help_rows(kind, language, context=None):
    """The template's second sheet: each column, whether it is required, what it accepts."""
    from associations.sheets.kinds import kind_spec

    spec = kind_spec(kind)
    notes = {
        "territory": _("The commune's name as written in Renfort, or its code."),
        "registration_number": _("Unique: identifies the organisation on re-import."),
        "year_founded": _("A year (2015) or a date (12/03/2015)."),
        "birth_year": _("A year (1990) or a date (05/07/1990)."),
        "kind": _(
            "Association, Coopérative, Fédération, Guichet unique, Service social "
            "sectoriel or Direction (Association when empty)."
        ),
        "sex": _("F or H (also féminin, masculin, femme, homme)."),
        "phone": _("Type it as text (apostrophe first) so the spreadsheet keeps every digit."),
        "email": _("Identifies the person on re-import when there is no phone."),
        "women_led": _("Oui or Non."),
        "youth_led": _("Oui or Non."),
        "organisation": _("The organisation's name, acronym or registration number."),
        "cohort": _("The cohort code (e.g. COH-2026-01)."),
        "code": _("The code printed on the sign-in sheet (e.g. 1A-7): fill it or the name."),
        "status": _("P (present), A (absent) or E (excused); leave empty if not known."),
    }
    if spec is not None:
        notes.update(spec.notes)
    rows = [[_("Column"), _("Required"), _("What to write")]]
    for column in columns_of(kind, context):
        rows.append(
            [
                column.header(language),
                _("yes") if column.required else "",
                notes.get(column.name, ""),
            ]
        )
    return rows


def write_book(fmt, sheets):
    """``sheets``: [(title, rows)] -> bytes in ``fmt``; CSV holds the first sheet only."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        # Pre-filled sheets carry names and phones from the database: a CSV cell has no type,
        # so one that would run as a formula is escaped like every export (the import undoes it).
        writer.writerows([escape_cell(value) for value in row] for row in sheets[0][1])
        # With a byte-order mark and ";", French Excel opens it with its accents and Arabic.
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook()
        workbook.remove(workbook.active)
        for title, rows in sheets:
            sheet = workbook.create_sheet(title[:31])
            for row in rows:
                sheet.append(row)
                for cell in sheet[sheet.max_row]:
                    if isinstance(cell.value, str) and cell.data_type == "f":
                        cell.data_type = "s"
            for column in sheet.columns:
                sheet.column_dimensions[column[0].column_letter].width = 22
            for cell in sheet[1]:
                cell.font = Font(bold=True)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    book = tablib.Databook()
    for title, rows in sheets:
        width = max(len(r) for r in rows)
        padded = [[*r, *[""] * (width - len(r))] for r in rows]
        book.add_sheet(tablib.Dataset(*padded[1:], headers=padded[0], title=title[:31]))
    return book.export("ods")


def template_file(kind, language, fmt, context=None):
    """The empty template of ``kind`` (one of ``KINDS``) with headers in ``language`` ("fr",
    "ar" or "en") as ``fmt`` (one of ``FORMATS``): ``(bytes, file name)``."""
    if kind not in all_kinds() or fmt not in FORMATS:
        raise ValueError(f"No template for {kind} as {fmt}")
    from associations.sheets.kinds import kind_spec

    spec = kind_spec(kind)
    stem = spec.file_stem or kind if spec is not None else FILE_STEMS[kind]
    language = language[:2] if language[:2] in ("fr", "ar", "en") else "fr"
    with translation.override(language):
        headers = [column.header(language) for column in columns_of(kind, context)]
        sheets = [(_("Data"), [headers]), (_("Help"), _help_rows(kind, language, context))]
        data = write_book(fmt, sheets)
    return data, f"modele-{stem}-{language}.{fmt}"


def attendance_sheet(session, fmt, language="fr"):
    """The sign-in sheet of ``session`` as a spreadsheet: a title row, then one row per person
    expected (enrolled and not withdrawn before the session) with the code the printed sheet
    carries, their name and organisation, and their mark if one is recorded. The trainer types
    P / A / E and imports it back (kind "attendance", ``context={"session": session}``)."""
    from associations.selectors import roll_call_rows
    from associations.sign_in_sheet import enrolment_code

    if fmt not in FORMATS:
        raise ValueError(f"No sign-in sheet as {fmt}")
    marks = {"present": "P", "absent": "A", "excused": "E"}
    by_name = {column.name: column for column in columns_of("attendance")}
    names = ("code", "last_name", "first_name", "organisation", "status")
    with translation.override(language):
        title = _("Sign-in sheet: %(cohort)s, %(date)s, %(part)s") % {
            "cohort": session.cohort.code,
            "date": session.date.strftime("%d/%m/%Y"),
            "part": session.get_part_display(),
        }
        rows = [[title], [], [by_name[n].header(language) for n in names]]
        for enrolment in roll_call_rows(session):
            rows.append(
                [
                    enrolment_code(enrolment.pk),
                    enrolment.person.last_name,
                    enrolment.person.first_name,
                    enrolment.organisation.name if enrolment.organisation else "",
                    marks.get(enrolment.mark, ""),
                ]
            )
        data = write_book(fmt, [(session.cohort.code, rows)])
    return data, f"presences-{session.cohort.code}-{session.date:%Y-%m-%d}-{session.part}.{fmt}"


_write = write_book  # the name the engine used first
