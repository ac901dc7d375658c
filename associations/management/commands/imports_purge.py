"""``manage.py imports_purge [--days 30] [--stale-minutes 60]``: delete import jobs (and their
stored sheets) older than the given days, and mark failed the jobs whose worker stopped."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from associations.sheets.jobs import import_jobs_purge


class Command(BaseCommand):
    help = (
        "Delete import jobs older than --days with their stored files; mark failed the jobs "
        "still running with no progress for --stale-minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)
        parser.add_argument("--stale-minutes", type=int, default=60)

    def handle(self, *args, days, stale_minutes, **options):
        if days < 1 or stale_minutes < 1:
            raise CommandError("--days and --stale-minutes must be at least 1.")
        deleted, failed = import_jobs_purge(
            older_than=timedelta(days=days), stale_after=timedelta(minutes=stale_minutes)
        )
        self.stdout.write(f"{deleted} import job(s) deleted, {failed} marked failed.")
