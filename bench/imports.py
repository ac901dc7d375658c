"""Speed of the people import against a plain ``bulk_create`` of the same rows, in one run.

    .venv/bin/python bench/imports.py [--rows 10000] [--repeat 3] [--format csv|xlsx] [--json]

In a throwaway SQLite file (migrated here, removed at the end): one province, one commune, 20
associations and their coordinator. It builds a people sheet of ``--rows`` rows (names, sex,
year of birth as dd/mm/yyyy, phone, e-mail, function, association by name), then measures, each
``--repeat`` times (best kept):

1. ``bulk_create``: ``Person`` objects built from the same values, already typed, and
   ``Person.objects.bulk_create(batch_size=1000)`` in a transaction rolled back afterwards;
2. import: ``import_sheet("people", ...)`` with full validation and the coordinator's scope
   (reading the file, matching headers, cleaning every cell, natural keys, duplicates, scope),
   as a dry run (the same work, rows created then rolled back); then once for real;
3. re-import of the unchanged file (every row "unchanged", nothing written).

Wall time and CPU time (this process, user + system) are reported for each, and the ratios
import / bulk_create and re-import / bulk_create (goal: at most 2). The machine may be loaded:
the CPU times say more than the wall times then. ``--json`` prints one JSON document."""

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(function, repeat):
    best = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        figures = (time.perf_counter() - wall, time.process_time() - cpu)
        if best is None or figures[0] < best[0]:
            best = figures
    return {"wall_s": round(best[0], 3), "cpu_s": round(best[1], 3)}, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    log = sys.stderr if args.json else sys.stdout

    with tempfile.TemporaryDirectory(prefix="renfort-bench-imports-") as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renfort.settings.dev")
        for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CACHE_URL"):
            os.environ.pop(name, None)
        import django

        django.setup()
        from django.core.management import call_command

        print("migrating a throwaway database...", file=log)
        with contextlib.redirect_stdout(io.StringIO()):
            call_command("migrate", verbosity=0)
        results = run(args, log)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for name in ("bulk_create", "import", "reimport"):
            figures = results[name]
            print(f"{name:12} wall {figures['wall_s']:7.3f} s   cpu {figures['cpu_s']:7.3f} s")
        print(
            f"import / bulk_create: {results['ratio_import_wall']}x wall, "
            f"{results['ratio_import_cpu']}x cpu"
        )
        print(
            f"re-import / bulk_create: {results['ratio_reimport_wall']}x wall, "
            f"{results['ratio_reimport_cpu']}x cpu"
        )


def run(args, log):
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from associations.models import Organisation, Person, Role, Territory
    from associations.services import role_assign
    from associations.sheets.pipeline import import_sheet

    country = Territory.add_root(name="Maroc", code="MA", kind="country")
    province = country.add_child(name="Moulay Yacoub", code="MA-03-MY", kind="province")
    commune = Territory.objects.get(pk=province.pk).add_child(
        name="Sebt Loudaya", code="MA-03-MY-SL", kind="commune"
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Association Al Amal {n}", kind="association", territory=commune)
        for n in range(20)
    )
    user = get_user_model().objects.create_user(email="bench@example.org", password=None)
    role_assign(user=user, role=Role.COORDINATOR, territory=Territory.objects.get(pk=province.pk))

    headers = [
        "Nom",
        "Prénom",
        "Sexe",
        "Date de naissance",
        "Téléphone",
        "E-mail",
        "Fonction",
        "Association",
    ]
    rows = [
        [
            f"Nom{n:05d}",
            f"Prénom{n}",
            "F" if n % 2 else "H",
            f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1960 + n % 45}",
            f"06{n:08d}",
            f"personne{n}@example.org",
            "Animatrice" if n % 2 else "Trésorier",
            organisations[n % 20].name,
        ]
        for n in range(args.rows)
    ]
    if args.format == "csv":
        text = "\r\n".join(";".join(row) for row in [headers, *rows])
        data, filename = text.encode("utf-8"), "personnes.csv"
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in [headers, *rows]:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        data, filename = out.getvalue(), "personnes.xlsx"
    print(f"{args.rows} rows, {len(data) / 1024:.0f} KB of {args.format}", file=log)

    def bulk_create():
        with transaction.atomic():
            Person.objects.bulk_create(
                (
                    Person(
                        last_name=r[0],
                        first_name=r[1],
                        sex="F" if r[2] == "F" else "M",
                        birth_year=int(r[3][-4:]),
                        phone=r[4],
                        email=r[5],
                        function=r[6],
                        organisation=organisations[n % 20],
                    )
                    for n, r in enumerate(rows)
                ),
                batch_size=1000,
            )
            transaction.set_rollback(True)

    def do_import(dry_run=True):
        report = import_sheet("people", data, filename, user=user, dry_run=dry_run, mode="all")
        assert not report.refused and not report.error_rows, report.refused or report.error_rows[:3]
        return report

    print("bulk_create...", file=log)
    baseline, _ = measure(bulk_create, args.repeat)
    print("import (dry run, same work)...", file=log)
    imported, report = measure(do_import, args.repeat)
    assert report.counts["new"] == args.rows
    real, report = measure(lambda: do_import(dry_run=False), 1)
    assert Person.objects.count() == args.rows and report.written
    print("re-import of the unchanged file...", file=log)
    reimport, report = measure(lambda: do_import(dry_run=False), args.repeat)
    assert report.nothing_to_change and Person.objects.count() == args.rows

    def ratio(a, b, key):
        return round(a[key] / b[key], 2)

    return {
        "rows": args.rows,
        "format": args.format,
        "file_kb": round(len(data) / 1024),
        "bulk_create": baseline,
        "import": imported,
        "import_written": real,
        "reimport": reimport,
        "ratio_import_wall": ratio(imported, baseline, "wall_s"),
        "ratio_import_cpu": ratio(imported, baseline, "cpu_s"),
        "ratio_reimport_wall": ratio(reimport, baseline, "wall_s"),
        "ratio_reimport_cpu": ratio(reimport, baseline, "cpu_s"),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


if __name__ == "__main__":
    main()
