"""``manage.py load_frameworks [FILE ...]``: load the default diagnostic frameworks (or the given
JSON or XLSX files). Re-running with the same files changes nothing; a framework already used by
diagnostics gets a new version instead of being changed."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.framework_io import FRAMEWORKS_DIR
from assessments.services import framework_import_spreadsheet, framework_load_from_file


class Command(BaseCommand):
    help = "Charge les cadres de diagnostic (par défaut ceux de assessments/frameworks/)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="fichiers .json ou .xlsx")

    def handle(self, *args, files, **options):
        paths = [Path(name) for name in files] or sorted(FRAMEWORKS_DIR.glob("*.json"))
        for path in paths:
            try:
                if path.suffix.lower() == ".xlsx":
                    framework, action = framework_import_spreadsheet(content=path.read_bytes())
                else:
                    framework, action = framework_load_from_file(path=path)
            except (OSError, ValueError, ValidationError) as error:
                raise CommandError(f"{path}: {error}") from error
            self.stdout.write(f"{framework.code} v{framework.version}: {action}")
