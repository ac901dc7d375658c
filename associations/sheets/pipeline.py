"""The one import every page, command and the demo world goes through.

``import_sheet`` reads the file (``reading``), matches its headers (``headers``), runs the
kind's resource (``resources``) in a transaction, and reports each row as new, updated,
unchanged or error, with the sheet's row number, the file's own column header and a translated
message that says what to do. A dry run writes nothing; mode "all" writes nothing when any row
is in error; mode "valid" writes the valid rows and hands back the rejected ones
(``rejected_rows_workbook``), ready to fix and re-import."""

import contextlib
import dataclasses
import datetime
import gc
import io
import operator
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export.results import RowResult

from associations.scope import is_staff_role, visible_to
from associations.sheets import all_kinds
from associations.sheets.formulas import unescape_cell
from associations.sheets.headers import columns_of, match_headers
from associations.sheets.kinds import kind_spec
from associations.sheets.reading import SheetRefused, read_sheet
from associations.sheets.resources import RESOURCES

MODES = ("all", "valid")
STATUSES = ("new", "updated", "unchanged", "error")
_STATUS = {
    RowResult.IMPORT_TYPE_NEW: "new",
    RowResult.IMPORT_TYPE_UPDATE: "updated",
    RowResult.IMPORT_TYPE_SKIP: "unchanged",
}


@dataclass
class RowError:
    column: str  # the column's header as the file writes it ("" for the whole row)
    message: str


@dataclass
class RowReport:
    number: int  # the row number the spreadsheet program shows
    status: str  # "new", "updated", "unchanged" or "error"
    errors: list = field(default_factory=list)  # [RowError]
    values: list = field(default_factory=list)  # the row's cells as read (error rows only)


@dataclass
class ImportReport:
    kind: str
    filename: str
    dry_run: bool
    mode: str
    refused: str = ""  # why the whole file was refused (then nothing else is set)
    headers: list = field(default_factory=list)  # the file's header row
    header_row: int = 0
    mapping: dict = field(default_factory=dict)  # file header -> field name
    unmatched: list = field(default_factory=list)  # file headers that name no field
    missing: list = field(default_factory=list)  # required fields with no column
    rows: list = field(default_factory=list)  # [RowReport]
    written: bool = False  # rows were written (never on a dry run)

    def to_dict(self):
        """Plain data (JSON-safe), for a background job to keep the report."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        rows = [
            RowReport(**{**row, "errors": [RowError(**e) for e in row["errors"]]})
            for row in data.get("rows", [])
        ]
        return cls(**{**data, "rows": rows})

    @property
    def counts(self):
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def error_rows(self):
        return [row for row in self.rows if row.status == "error"]

    @property
    def has_errors(self):
        return bool(self.refused) or any(row.status == "error" for row in self.rows)

    @property
    def would_write(self):
        """Whether the confirmed import writes rows: never when refused; in mode "all" only
        when no row is in error."""
        if self.refused:
            return False
        return self.mode == "valid" or not self.error_rows

    @property
    def nothing_to_change(self):
        return not self.refused and all(row.status == "unchanged" for row in self.rows)


def field_header(kind, name, language="fr", context=None):
    for column in columns_of(kind, context):
        if column.name == name:
            return column.header(language)
    return name


def _missing_message(kind, report, context=None):
    names = ", ".join(f"« {field_header(kind, name, context=context)} »" for name in report.missing)
    message = _(
        "The sheet has no column for: %(names)s. Add it (see the template), or tell which of "
        "your columns holds it."
    ) % {"names": names}
    if report.unmatched:
        message += " " + _("Columns not recognised: %(columns)s.") % {
            "columns": ", ".join(f"« {h} »" for h in report.unmatched)
        }
    return message


def _context_refusal(kind, user, context):
    """Why ``user`` may not import this kind with ``context``, or ""."""
    from associations.models import Session

    if not user or not user.is_authenticated:
        return _("Sign in to import a sheet.")
    spec = kind_spec(kind) if kind not in ("attendance", "enrolments") else None
    if spec is not None and spec.refusal is not None:
        return spec.refusal(user, context)
    if kind == "attendance":
        session = context.get("session")
        if session is None:
            return _("Choose the session whose sign-in sheet this is.")
        if (
            not is_staff_role(user)
            or not visible_to(user, Session.objects.filter(pk=session.pk)).exists()
        ):
            return _("You may not take attendance for this session.")
        if session.cancelled:
            return _("This session was cancelled: no attendance is taken.")
    if kind == "enrolments" and context.get("cohort") is not None:
        from associations.models import Cohort

        if not visible_to(user, Cohort.objects.filter(pk=context["cohort"].pk)).exists():
            return _("You may not enrol people in this cohort.")
    return ""


def _plain(value):
    """A cell as JSON-safe data: dates as the text French sheets use."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return value


def _messages(error):
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return [
                (name, message)
                for name, errors in error.error_dict.items()
                for item in errors
                for message in ValidationError(item).messages
            ]
        return [("", message) for message in error.messages]
    return [("", str(error))]


@contextlib.contextmanager
def _cycle_collector_paused():
    """Python's cyclic garbage collector paused for one import. An import keeps tens of
    thousands of objects alive at once (the rows read, the dataset, the instances, the row
    results): the collector walks all of them again and again while they pile up, which cost
    about 40% of the import's CPU (measured with bench/imports.py). Reference counting still
    frees everything as usual; only cycles (tracebacks of error rows) wait for the end of the
    import, and the rows are capped (``reading.MAX_ROWS``). Restored only if it was on."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def import_sheet(
    kind,
    data,
    filename,
    *,
    user,
    dry_run=True,
    mapping=None,
    mode="all",
    context=None,
    progress=None,
):
    """Import the sheet in ``data`` as rows of ``kind`` on behalf of ``user`` (their scope
    applies: rows outside it are error rows, never written). See the module docstring."""
    with _cycle_collector_paused():
        return _import_sheet(
            kind,
            data,
            filename,
            user=user,
            dry_run=dry_run,
            mapping=mapping,
            mode=mode,
            context=context,
            progress=progress,
        )


def _import_sheet(kind, data, filename, *, user, dry_run, mapping, mode, context, progress):
    if kind not in all_kinds():
        raise ValueError(f"Unknown kind of sheet: {kind}")
    if mode not in MODES:
        raise ValueError(f"Unknown import mode: {mode}")
    context = dict(context or {})
    report = ImportReport(kind=kind, filename=filename, dry_run=dry_run, mode=mode)
    report.refused = _context_refusal(kind, user, context)
    if report.refused:
        return report
    try:
        sheet = read_sheet(data, filename)
    except SheetRefused as refusal:
        report.refused = refusal.message
        return report
    report.headers, report.header_row = sheet.headers, sheet.header_row
    spec = kind_spec(kind)
    match = match_headers(kind, sheet.headers, mapping, context)
    report.mapping = {sheet.headers[i]: name for i, name in match.fields.items()}
    report.unmatched, report.missing = match.unmatched, list(match.missing)
    if (
        kind == "enrolments"
        and "cohort" not in match.fields.values()
        and context.get("cohort") is None
    ):
        report.missing.append("cohort")
    if kind in ("enrolments", "attendance"):
        identifying = {"code", "phone", "email", "last_name"}
        if not identifying & set(match.fields.values()):
            report.missing.append("last_name")
    if (
        spec is not None
        and spec.identifying
        and not set(spec.identifying) & set(match.fields.values())
    ):
        report.missing.append(spec.identifying[0])
    if report.missing:
        report.refused = _missing_message(kind, report, context)
        return report
    if not match.fields:
        report.refused = _("No column of this sheet was recognised: is it the right sheet?")
        return report

    indexes = list(match.fields)
    dataset = tablib.Dataset(headers=[match.fields[i] for i in indexes])
    # Rows built here all have the headers' width: tablib's per-row check is skipped.
    top, pad = max(indexes), [None] * (max(indexes) + 1)
    pick = operator.itemgetter(*indexes) if len(indexes) > 1 else (lambda v: (v[indexes[0]],))
    # A cell Renfort's own export escaped ("'+229 97...") comes back as what it was
    # (``unescape_cell``, called only for the texts that start with an apostrophe).
    dataset._data = [
        tablib.core.Row(
            [
                unescape_cell(v) if isinstance(v, str) and v[:1] == "'" else v
                for v in pick(values if len(values) > top else values + pad)
            ]
        )
        for _number, values in sheet.rows
    ]
    context["row_numbers"] = {i: number for i, (number, _v) in enumerate(sheet.rows, start=1)}
    resource_class = spec.resource if spec is not None else RESOURCES[kind]
    resource = resource_class(user=user, context=context, progress=progress, total=len(dataset))
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=(mode == "all"),
    )
    headers_by_field = {name: sheet.headers[i] for i, name in match.fields.items()}
    base_errors = [
        _("The import failed: %(error)s") % {"error": e.error} for e in result.base_errors
    ]
    invalid = {row.number: row.error for row in result.invalid_rows}
    failed = dict(result.row_errors())
    for number, ((sheet_number, values), row_result) in enumerate(
        zip(sheet.rows, result.rows, strict=True), start=1
    ):
        if number in invalid or number in failed:
            problems = (
                _messages(invalid[number])
                if number in invalid
                else [("", str(e.error)) for e in failed[number]]
            )
            report.rows.append(
                RowReport(
                    number=sheet_number,
                    status="error",
                    errors=[RowError(headers_by_field.get(name, ""), m) for name, m in problems],
                    values=[_plain(v) for v in values],
                )
            )
        else:
            report.rows.append(
                RowReport(number=sheet_number, status=_STATUS[row_result.import_type])
            )
    if base_errors:
        report.refused = " ".join(base_errors)
        return report
    report.written = (
        not dry_run
        and not result.has_errors()
        and report.would_write
        and any(row.status in ("new", "updated") for row in report.rows)
    )
    return report


def rejected_rows_workbook(report):
    """The rejected rows of ``report`` as an XLSX (bytes): the file's headers, each rejected
    row as it was read, and an « Erreur » column saying what to fix. Re-imported as is, the
    error column is ignored."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Rejected rows")[:31]
    sheet.append([*report.headers, _("Error")])
    for row in report.error_rows:
        values = list(row.values) + [None] * (len(report.headers) - len(row.values))
        message = " ; ".join(
            _("Row %(row)s, column « %(column)s »: %(message)s")
            % {"row": row.number, "column": e.column, "message": e.message}
            if e.column
            else _("Row %(row)s: %(message)s") % {"row": row.number, "message": e.message}
            for e in row.errors
        )
        sheet.append([*values[: len(report.headers)], message])
        for cell in sheet[sheet.max_row]:
            # What looked like a formula in the file stays the text it was.
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
