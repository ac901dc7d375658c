"""A session's attendance sheet to fill in on a computer: the people expected, each with the
code of the printed sign-in sheet, and a column for P / A / E that the attendance import reads
back."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.styles import Font

from associations.models import Attendance
from associations.sheets.exports import escape_cell
from associations.sheets.headers import columns_of
from associations.sign_in_sheet import enrolment_code

COLUMNS = ("code", "last_name", "first_name", "organisation", "status")
LETTERS = {
    "ar": {
        Attendance.Status.PRESENT: "ح",
        Attendance.Status.ABSENT: "غ",
        Attendance.Status.EXCUSED: "م",
    },
    "": {
        Attendance.Status.PRESENT: "P",
        Attendance.Status.ABSENT: "A",
        Attendance.Status.EXCUSED: "E",
    },
}


def attendance_sheet_xlsx(session, rows, language):
    """XLSX bytes: a title row, the instructions, the header row (in ``language``), then one
    row per enrolment of ``rows`` (``roll_call_rows``) with the mark already taken, if any."""
    by_name = {column.name: column for column in columns_of("attendance")}
    letters = LETTERS["ar"] if language.startswith("ar") else LETTERS[""]
    workbook = Workbook()
    sheet = workbook.active
    with override(language):
        sheet.title = _("Attendance")[:31]
        sheet.sheet_view.rightToLeft = language.startswith("ar")
        sheet.append(
            [
                escape_cell(
                    _("Attendance sheet · %(cohort)s · %(date)s · %(part)s")
                    % {
                        "cohort": session.cohort.code,
                        "date": session.date.strftime("%d/%m/%Y"),
                        "part": session.get_part_display(),
                    }
                )
            ]
        )
        sheet.append(
            [
                _(
                    "Type P (present), A (absent) or E (excused) in the last column, then upload "
                    "this file from the session's roll-call page."
                )
                if not language.startswith("ar")
                else _(
                    "Type ح (present), غ (absent) or م (excused) in the last column, then upload "
                    "this file from the session's roll-call page."
                )
            ]
        )
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([by_name[name].header(language) for name in COLUMNS])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for enrolment in rows:
        sheet.append(
            [
                enrolment_code(enrolment.pk),
                escape_cell(enrolment.person.last_name),
                escape_cell(enrolment.person.first_name),
                escape_cell(enrolment.organisation.name if enrolment.organisation else ""),
                letters.get(enrolment.mark, ""),
            ]
        )
    for letter, width in zip("ABCDE", (10, 24, 24, 32, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
