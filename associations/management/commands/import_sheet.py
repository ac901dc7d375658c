"""``manage.py import_sheet KIND FILE --as EMAIL [--dry-run] [--mode all|valid] [--session ID]
[--cohort CODE] [--quiz ID]``: the same import as the coordinator's pages, with that user's
scope. Prints the preview (counts) and every error (row, column, message); exits 0 when the
rows were written (or would be, with --dry-run), 1 when the file was refused, writing nothing."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from associations.models import Cohort, Session
from associations.sheets import all_kinds
from associations.sheets.pipeline import MODES, import_sheet


class Command(BaseCommand):
    help = "Import organisations, people, enrolments or attendance from a spreadsheet."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=all_kinds())
        parser.add_argument("file")
        parser.add_argument("--as", dest="email", required=True, help="the importer's e-mail")
        parser.add_argument("--dry-run", action="store_true", help="preview only, write nothing")
        parser.add_argument("--mode", choices=MODES, default="all")
        parser.add_argument("--session", type=int, help="attendance: the session's id")
        parser.add_argument("--cohort", help="enrolments, quiz_results: the cohort's code")
        parser.add_argument("--quiz", type=int, help="quiz_results: the test's id")

    def handle(self, *args, kind, file, email, dry_run, mode, session, cohort, quiz, **options):
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user with the e-mail %(email)s.") % {"email": email})
        context = {}
        if session is not None:
            context["session"] = Session.objects.select_related("cohort").filter(pk=session).first()
            if context["session"] is None:
                raise CommandError(_("No session %(id)s.") % {"id": session})
        if cohort:
            context["cohort"] = Cohort.objects.filter(code=cohort).first()
            if context["cohort"] is None:
                raise CommandError(_("No cohort %(code)s.") % {"code": cohort})
        if quiz is not None:
            context["quiz_id"] = quiz  # read by the kind that needs it (registered elsewhere)
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from None
        report = import_sheet(
            kind, data, path.name, user=user, dry_run=dry_run, mode=mode, context=context
        )
        if report.refused:
            self.stderr.write(_("Refused: %(reason)s") % {"reason": report.refused})
            raise SystemExit(1)
        counts = report.counts
        self.stdout.write(
            _("%(new)s new, %(updated)s updated, %(unchanged)s unchanged, %(error)s in error")
            % counts
        )
        for row in report.error_rows:
            for error in row.errors:
                self.stdout.write(
                    _("Row %(row)s, column « %(column)s »: %(message)s")
                    % {"row": row.number, "column": error.column or "-", "message": error.message}
                )
        if not report.would_write:
            self.stderr.write(
                _("Nothing was written: correct the rows in error, or import with --mode valid.")
            )
            raise SystemExit(1)
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        elif report.written:
            self.stdout.write(_("Written."))
        else:
            self.stdout.write(_("Nothing to change."))
