"""Reading an uploaded spreadsheet safely: XLSX, ODS or CSV, told apart by their content.

Hostile or unreadable files are refused with a translated message (``SheetRefused``) before
anything big is parsed: too large, not a spreadsheet, zip bombs (declared sizes checked before
inflating), XML bombs (``defusedxml``, which openpyxl and odfpy use once installed), too many
rows. Workbooks are opened read-only with cached values (formulas are never evaluated); rows are
streamed and capped. The header row is found under title or blank rows; French Excel's CSV
(``;``, Windows-1252) is decoded, and a CSV that lost its Arabic letters is refused with how to
save it properly."""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from associations.sheets.headers import is_known_header

MAX_FILE_BYTES = 10 * 2**20
MAX_UNCOMPRESSED_BYTES = 60 * 2**20
MAX_ODS_CONTENT_BYTES = 25 * 2**20  # odfpy builds the whole document in memory
MAX_ZIP_MEMBERS = 300
MAX_ROWS = 20_000
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 30
# This many blank rows in a row end the data (sheets formatted down to row 1,048,576).
BLANK_ROWS_END = 1000


class SheetRefused(Exception):
    """The file cannot be imported; ``message`` (translated) says why and what to do."""

    def __init__(self, message, code=""):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Sheet:
    """The data of one sheet: its header row and the rows under it, each with its row number
    as the spreadsheet program shows it (1-based)."""

    format: str  # "xlsx", "ods" or "csv"
    headers: list
    rows: list = field(default_factory=list)  # [(row number, [values...]), ...]
    header_row: int = 1
    sheet_name: str = ""
    encoding: str = ""
    delimiter: str = ""

    def __len__(self):
        return len(self.rows)


def _too_many_rows():
    return SheetRefused(
        _(
            "The file has more than %(max)s rows. Split it into several files of at most "
            "%(max)s rows and import them one after the other."
        )
        % {"max": f"{MAX_ROWS:,}".replace(",", " ")}
    )


def _not_a_spreadsheet():
    return SheetRefused(
        _(
            "This file is not a spreadsheet Renfort can read. Send an Excel workbook (.xlsx), "
            "an OpenDocument spreadsheet (.ods) or a CSV file."
        )
    )


def _unreadable():
    return SheetRefused(
        _(
            "The spreadsheet could not be read: it is damaged or holds something unsafe. Open "
            "it in your spreadsheet program, save it again as .xlsx and send it again."
        )
    )


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _trim(values):
    """The row's cells, texts stripped, without its blank cells at the end (so a blank row is
    ``[]``)."""
    values = [v.strip() if isinstance(v, str) else v for v in values]
    while values and (values[-1] is None or values[-1] == ""):
        values.pop()
    return values


def _header_index(rows):
    """Which of the first rows is the header row: the one naming most known fields, else the
    first with at least two filled cells (a title row has one)."""
    best, best_known = None, 1
    for index, (_number, values) in enumerate(rows):
        known = sum(1 for v in values if isinstance(v, str) and is_known_header(v))
        if known > best_known:
            best, best_known = index, known
    if best is not None:
        return best
    for index, (_number, values) in enumerate(rows):
        if sum(1 for v in values if not _blank(v)) >= 2:
            return index
    return None


def _sheet_from_rows(fmt, numbered_rows, **extra):
    """Find the header row among the first rows of ``numbered_rows`` (an iterator of (row
    number, values)), then take the data rows under it, capped."""
    head = []
    for number, values in numbered_rows:
        values = _trim(values)
        if values:
            head.append((number, values))
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    index = _header_index(head)
    if index is None:
        raise SheetRefused(
            _(
                "The sheet is empty: no header row was found. Put the column headers in the "
                "first row (see the template) and the data under them."
            ),
            code="no_header",
        )
    header_number, headers = head[index]
    sheet = Sheet(format=fmt, headers=[_cell_header(h) for h in headers], header_row=header_number)
    sheet.rows = head[index + 1 :]
    blank_streak = 0
    for number, values in numbered_rows:
        values = _trim(values)
        if not values:
            blank_streak += 1
            if blank_streak >= BLANK_ROWS_END:
                break
            continue
        blank_streak = 0
        sheet.rows.append((number, values))
        if len(sheet.rows) > MAX_ROWS:
            raise _too_many_rows()
    for key, value in extra.items():
        setattr(sheet, key, value)
    return sheet


def _cell_header(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# Containers ------------------------------------------------------------------------------------


def _open_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _unreadable() from None
    # Nothing in zipfile, openpyxl or odfpy limits inflation: check what the archive declares
    # (zipfile never inflates past the declared size, so a lying header cannot get round this).
    if (
        len(members) > MAX_ZIP_MEMBERS
        or sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES
    ):
        raise SheetRefused(
            _(
                "This spreadsheet unpacks to far more data than a list of this size needs, so "
                "it was refused. Copy the rows you need into a new workbook (or the template) "
                "and send that one."
            )
        )
    if any(member.flag_bits & 0x1 for member in members):
        raise SheetRefused(
            _("This spreadsheet is protected by a password. Remove it and send it again.")
        )
    return archive


def _sniff_format(data, filename):
    if data[:4] == b"PK\x03\x04":
        archive = _open_zip(data)
        names = set(archive.namelist())
        if "xl/workbook.xml" in names:
            return "xlsx", archive
        if "content.xml" in names:
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
            if b"spreadsheet" in mimetype:
                return "ods", archive
        raise _not_a_spreadsheet()
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SheetRefused(
            _(
                "This is an old Excel file (.xls) or a workbook protected by a password. Open "
                "it in Excel or LibreOffice, remove any password, save it as .xlsx and send it "
                "again."
            )
        )
    head = data[:4096]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _not_a_spreadsheet()
    if head.lstrip()[:5].lower() in (b"<html", b"<!doc", b"<?xml", b"%pdf-"):
        raise _not_a_spreadsheet()
    return "csv", None


# XLSX ------------------------------------------------------------------------------------------


def _xlsx_parser_class():
    from openpyxl.utils import coordinate_to_tuple
    from openpyxl.worksheet._reader import INLINE_STRING, WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS

    text_tag, run_tag = f"{{{SHEET_MAIN_NS}}}t", f"{{{SHEET_MAIN_NS}}}r"

    class Parser(WorkSheetParser):
        """openpyxl's parser, with a direct reading of inline strings (what openpyxl's own
        write-only workbooks hold): openpyxl builds a rich-text object for each of them, which
        was most of the reading time. Same text: the plain part, then each run's, phonetic
        hints left out."""

        def parse_cell(self, element):
            if element.get("t") != "inlineStr":
                return super().parse_cell(element)
            coordinate = element.get("r")
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            child, value = element.find(INLINE_STRING), None
            if child is not None:
                plain = child.find(text_tag)
                parts = [plain.text] if plain is not None and plain.text is not None else []
                for run in child.iterfind(run_tag):
                    text = run.find(text_tag)
                    if text is not None and text.text is not None:
                        parts.append(text.text)
                value = "".join(parts)
            return {"row": row, "column": column, "value": value, "data_type": "s", "style_id": 0}

    return Parser


def _xlsx_rows(worksheet):
    """(row number, values) of a read-only worksheet, values as openpyxl's ``iter_rows(
    values_only=True)`` gives them (cached values, never a formula), capped at
    ``MAX_COLUMNS`` but not padded to it; a missing row is an empty one."""
    workbook = worksheet.parent
    expected = 1
    with worksheet._get_source() as source:
        parser = _xlsx_parser_class()(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            if number < expected:
                continue  # a row written twice or out of order: openpyxl skips it too
            while expected < number:
                yield expected, []
                expected += 1
            width = min(max((cell["column"] for cell in cells), default=0), MAX_COLUMNS)
            values = [None] * width
            for cell in cells:
                if cell["column"] <= width:
                    values[cell["column"] - 1] = cell["value"]
            yield number, values
            expected += 1


def _read_xlsx(data):
    import openpyxl

    try:
        # read_only streams rows; data_only gives the values Excel saved, never a formula
        # to evaluate.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise _unreadable() from None
    try:
        worksheets = list(workbook.worksheets)
        if not worksheets:
            raise _empty()
        return _pick_sheet("xlsx", [(ws.title, lambda ws=ws: _xlsx_rows(ws)) for ws in worksheets])
    except SheetRefused:
        raise
    except Exception:
        raise _unreadable() from None
    finally:
        workbook.close()


def _empty():
    return SheetRefused(
        _(
            "The file holds no rows to import. Fill the template's rows under its header "
            "row and send it again."
        )
    )


def _pick_sheet(fmt, sheets):
    """The sheet whose header row names most known fields (the data sheet of a workbook that
    also holds a cover page or a list of choices); the first sheet with data otherwise."""
    best, best_known, first = None, 0, None
    for name, rows in sheets:
        try:
            sheet = _sheet_from_rows(fmt, rows(), sheet_name=name)
        except SheetRefused as refusal:
            if refusal.code == "no_header":
                continue
            raise
        known = sum(1 for h in sheet.headers if is_known_header(h))
        if first is None:
            first = sheet
        if known > best_known:
            best, best_known = sheet, known
    sheet = best or first
    if sheet is None:
        raise _empty()
    return sheet


# ODS -------------------------------------------------------------------------------------------


def _ods_rows(table):
    from odf.namespaces import TABLENS
    from tablib.formats._ods import ODSFormat

    number = 0
    for row in table.getElementsByType(_ods_class("TableRow")):
        repeat = int(row.attributes.get((TABLENS, "number-rows-repeated"), 1) or 1)
        repeat = min(repeat, MAX_ROWS + 1)
        values = []
        for cell in row.childNodes:
            if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                continue
            times = int(cell.attributes.get((TABLENS, "number-columns-repeated"), 1) or 1)
            value = ODSFormat.read_cell(cell) if cell.childNodes or cell.attributes else ""
            # LibreOffice writes consecutive equal (often empty) cells once, with a count.
            values.extend([value] * min(times, MAX_COLUMNS - len(values)))
            if len(values) >= MAX_COLUMNS:
                break
        for _i in range(repeat):
            number += 1
            yield number, values


def _ods_class(name):
    from odf import table

    return getattr(table, name)


def _read_ods(data, archive):
    from odf import opendocument

    try:
        content = archive.getinfo("content.xml")
    except KeyError:
        raise _unreadable() from None
    if content.file_size > MAX_ODS_CONTENT_BYTES:
        raise SheetRefused(
            _(
                "This spreadsheet is too big to read. Split it into several files and import "
                "them one after the other."
            )
        )
    try:
        document = opendocument.load(io.BytesIO(data))
        tables = document.spreadsheet.getElementsByType(_ods_class("Table"))
    except Exception:
        raise _unreadable() from None
    if not tables:
        raise _empty()
    return _pick_sheet(
        "ods",
        [(table.getAttribute("name"), lambda table=table: _ods_rows(table)) for table in tables],
    )


# CSV -------------------------------------------------------------------------------------------

SAVE_AS_UTF8 = gettext_noop(
    "In Excel choose File > Save as, and pick the type « CSV UTF-8 (délimité par des "
    "virgules) » (not « CSV (séparateur : point-virgule) »), or send the .xlsx workbook itself."
)
_QUESTION_RUN = re.compile(r"\?{2,}")


def _decode(data):
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise _not_a_spreadsheet() from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    high = sum(1 for b in data if b >= 0xC1)
    letters = sum(1 for b in data if b >= 0xC1 or 0x41 <= b <= 0x7A)
    # French text has a few accented letters; Arabic saved by Windows has mostly high bytes.
    if letters and high / letters > 0.3:
        return data.decode("cp1256", errors="replace"), "cp1256"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _delimiter(text):
    sample = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_score = ",", -1
    for candidate in (";", ",", "\t", "|"):
        widths = [len(row) for row in csv.reader(sample, delimiter=candidate)]
        if not widths or max(widths) < 2:
            continue
        # The separator that splits most lines into the same number of columns.
        commonest = max(set(widths), key=widths.count)
        score = widths.count(commonest) * 100 + commonest
        if score > best_score:
            best, best_score = candidate, score
    return best


def _lost_arabic(rows):
    """Whether cells look like Arabic text that became question marks: Excel's « CSV » type
    writes Windows-1252, which has no Arabic letters."""
    suspicious = 0
    for _number, values in rows:
        for value in values:
            if isinstance(value, str) and _QUESTION_RUN.search(value):
                letters = sum(1 for c in value if not c.isspace())
                if value.count("?") * 2 >= letters:
                    suspicious += 1
    return suspicious > 0


def _read_csv(data):
    text, encoding = _decode(data)
    if not text.strip():
        raise _empty()
    if "\x00" in text:
        raise _not_a_spreadsheet()
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        sheet = _sheet_from_rows(
            "csv",
            enumerate(reader, start=1),
            encoding=encoding,
            delimiter=delimiter,
        )
    except csv.Error:
        raise _unreadable() from None
    # A run of question marks in a cell is one in the text: most files skip the cell by cell look.
    if "??" in text and _lost_arabic([(sheet.header_row, sheet.headers)] + sheet.rows):
        raise SheetRefused(
            _(
                "This CSV file has lost its Arabic letters: they became question marks when "
                "the file was saved. %(how)s"
            )
            % {"how": _(SAVE_AS_UTF8)}
        )
    return sheet


def read_sheet(data, filename=""):
    """The sheet in ``data`` (the bytes of an uploaded file named ``filename``), or
    ``SheetRefused`` with a message saying what is wrong and what to do."""
    if not data:
        raise _empty()
    if len(data) > MAX_FILE_BYTES:
        raise SheetRefused(
            _(
                "The file is too large (%(size)s MB; at most %(max)s MB). Split it and send the "
                "parts."
            )
            % {"size": f"{len(data) / 2**20:.1f}", "max": MAX_FILE_BYTES // 2**20}
        )
    fmt, archive = _sniff_format(data, filename)
    if fmt == "xlsx":
        sheet = _read_xlsx(data)
    elif fmt == "ods":
        sheet = _read_ods(data, archive)
    else:
        sheet = _read_csv(data)
    if not sheet.rows:
        raise _empty()
    return sheet
