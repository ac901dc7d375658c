"""Spreadsheets in and out (issue 9): the one pipeline every import goes through.

Contract shared by the engine (reading, resources, command) and the pages (upload, preview,
confirm, background job, exports). Names here are the API; bodies live in the submodules:

- ``reading.read_sheet(data: bytes, filename: str) -> Sheet``: refuses hostile or unreadable
  files with ``SheetRefused(message)`` (message already translated) before parsing anything big;
  finds the header row under title/blank rows; decodes French-Excel CSV.
- ``pipeline.import_sheet(kind, data, filename, *, user, dry_run=True, mapping=None,
  mode="all", context=None, progress=None) -> ImportReport``: ``kind`` in ``all_kinds()``;
  ``mapping`` overrides header matching ({file header: field name}); ``mode`` is ``"all"``
  (all-or-nothing) or ``"valid"`` (write the valid rows, hand back the rejected ones);
  ``context`` carries what a kind needs (the session of an attendance sheet, the cohort of an
  enrolment sheet); ``progress(done, total)`` is called while rows are processed. Scope is the
  user's: rows outside it are error rows, never written.
  The report (``pipeline.ImportReport``) never raises for a bad file: ``report.refused`` holds
  the translated reason (then nothing was read or written); ``report.missing`` (field names) and
  ``report.unmatched`` (file headers) feed the mapping step; ``report.rows`` are ``RowReport``
  (``number`` as the spreadsheet shows it, ``status`` new/updated/unchanged/error, ``errors``
  [``RowError(column, message)``] with the file's own header); ``report.counts``,
  ``report.would_write``, ``report.written``, ``report.nothing_to_change``;
  ``report.to_dict()`` / ``ImportReport.from_dict(d)`` (JSON-safe) for a background job.
  ``headers.columns_of(kind)`` lists the fields (``name``, ``header(language)``, ``required``)
  for the mapping step's choices.
- ``pipeline.rejected_rows_workbook(report) -> bytes``: the rejected rows as XLSX with an error
  column, ready to fix and re-import.
- ``templates.template_file(kind, language, fmt) -> (bytes, filename)``; ``fmt`` in ``FORMATS``.
- ``templates.attendance_sheet(session, fmt, language="fr") -> (bytes, filename)``: the sign-in
  sheet of a session as a spreadsheet, pre-filled with its expected people and their codes,
  status column empty; it imports back as kind "attendance" with ``context={"session": s}``.
- ``exports``: every list exported as XLSX/CSV, scoped, with formula-like cells escaped.
"""

KINDS = ("organisations", "people", "enrolments", "attendance")  # the built-in kinds
FORMATS = ("xlsx", "csv", "ods")


def all_kinds():
    """The built-in ``KINDS`` then the kinds other apps register on the Wagtail hook
    ``associations_sheet_kinds`` (see ``kinds.SheetKind``)."""
    from associations.sheets.kinds import extra_kinds

    return KINDS + tuple(extra_kinds())
