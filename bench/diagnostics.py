"""Throughput of the association diagnostic page against the bare Django view.

    .venv/bin/python bench/diagnostics.py [--requests N] [--concurrency C] [--json]

Builds a throwaway world the way ``bench/pages.py`` does (fresh SQLite file, ``migrate``,
``demo_world``, ``collectstatic``), adds one association diagnosed three times (baseline,
midline, endline, all validated) against a framework of 60 items in 10 dimensions, starts
gunicorn with the production settings, logs the Moulay Yacoub coordinator in, then loads
``/healthz`` (bare view), the association page (radar, changes, recommendations, plan) and the
diagnostic page (60 item cards) one after the other. ``--json`` prints one JSON document on
stdout (progress goes to stderr). Exit status as in ``bench/pages.py``.
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import (  # noqa: E402
    BIN,
    ROOT,
    SetupError,
    bench_environments,
    free_port,
    log_in,
    machine_description,
    print_table,
    run_step,
    start_server,
    stop,
    tail,
    wait_for_healthz,
)
from bench.pages import (
    measure as measure_page,
)

DIMENSIONS, ITEMS_PER_DIMENSION = 10, 6

BUILD = f"""
import datetime
from assessments import services
from assessments.models import Item
from associations.models import Organisation
from django.contrib.auth import get_user_model

def texts(fr):
    return {{"fr": fr, "ar": "", "en": ""}}

data = {{
    "code": "bench-60",
    "target": "associations",
    "name": texts("Cadre de 60 questions"),
    "dimensions": [
        {{
            "code": f"dimension_{{d}}",
            "name": texts(f"Dimension {{d}}"),
            "items": [
                {{
                    "code": f"q-{{d}}-{{i}}",
                    "text": texts(f"Question {{d}}.{{i}} ?"),
                    "levels": [{{"description": texts(f"Niveau {{n}}"), "evidence": "PV"}}
                               for n in (1, 2, 3, 4)],
                }}
                for i in range({ITEMS_PER_DIMENSION})
            ],
        }}
        for d in range({DIMENSIONS})
    ],
}}
framework, _ = services.framework_save_data(data=data)
coordinator = get_user_model().objects.get(email="coordination.moulay-yacoub@renfort.demo")
moulay_yacoub = Organisation.objects.filter(territory__code__startswith="MA-03-MY")
organisation = moulay_yacoub.order_by("pk").last()
items = list(Item.objects.filter(dimension__framework=framework).select_related("dimension"))
last = None
for number, phase in enumerate(("baseline", "midline", "endline")):
    diagnostic = services.diagnostic_start(
        user=coordinator, organisation=organisation, framework=framework, phase=phase,
        date=datetime.date(2026 + number, 1, 15), is_self_assessment=False,
    )
    for n, item in enumerate(items):
        services.response_save(user=coordinator, diagnostic=diagnostic, item=item,
                               level=min(4, 1 + (n + number) % 4))
    services.diagnostic_validate(user=coordinator, diagnostic=diagnostic)
    last = diagnostic
print(organisation.pk, last.pk)
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--warmup", type=int, default=50, help="unmeasured requests per page")
    parser.add_argument("--associations", type=int, default=12, help="demo associations")
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    args = parser.parse_args()
    if args.requests < 1 or args.concurrency < 1 or args.warmup < 0 or args.associations < 1:
        parser.error("--requests, --concurrency, --associations >= 1, --warmup >= 0")
    return args


def build_diagnostics(env):
    done = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", BUILD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SetupError(f"building the diagnostics failed:\n{(done.stdout + done.stderr)[-3000:]}")
    organisation_pk, diagnostic_pk = done.stdout.split()[-2:]
    return int(organisation_pk), int(diagnostic_pk)


def measure(args):
    load_before = os.getloadavg()
    server = None
    with tempfile.TemporaryDirectory(prefix="renfort-bench-diag-") as tmp:
        tmp = Path(tmp)
        setup_env, server_env = bench_environments(tmp)
        log_path = tmp / "gunicorn.log"
        try:
            print(f"Building the world in {tmp}", flush=True)
            run_step(["migrate", "--noinput"], setup_env, "migrate")
            run_step(
                ["demo_world", "--quiet", "--associations", str(args.associations)],
                setup_env,
                "demo_world",
            )
            organisation_pk, diagnostic_pk = build_diagnostics(setup_env)
            print(f"  organisation {organisation_pk}: 3 diagnostics of 60 items", flush=True)
            run_step(["collectstatic", "--noinput"], server_env, "collectstatic")
            port = free_port()
            server = start_server(port, server_env, log_path)
            wait_for_healthz(server, port, log_path)
            cookie = log_in(port)
            pages = [
                ("/healthz", "bare Django view", None),
                (f"/diagnostics/organisations/{organisation_pk}/", "association page", cookie),
                (f"/diagnostics/{diagnostic_pk}/", "diagnostic page (60 items)", cookie),
            ]
            rows = []
            for path, label, page_cookie in pages:
                rows.append(measure_page(server, port, path, args, page_cookie, label=label))
            for row in rows:
                row["ratio"] = row["rps"] / rows[0]["rps"]
                row["cpu_ratio"] = (
                    None
                    if row["cpu"] is None or not rows[0]["cpu"]
                    else row["cpu"] / rows[0]["cpu"]
                )
            if any(row["errors"] for row in rows):
                print(f"\ngunicorn's log ends with:\n{tail(log_path)}", file=sys.stderr)
        finally:
            stop(server)
    return rows, machine_description(load_before)


def main():
    args = parse_args()
    try:
        with contextlib.redirect_stdout(sys.stderr if args.json else sys.stdout):
            rows, machine = measure(args)
    except SetupError as error:
        print(f"setup failed: {error}", file=sys.stderr)
        return 2
    failed = sum(row["errors"] for row in rows)
    if args.json:
        document = {
            "machine": machine,
            "requests": args.requests,
            "concurrency": args.concurrency,
            "items": DIMENSIONS * ITEMS_PER_DIMENSION,
            "phases": 3,
            "pages": rows,
        }
        print(json.dumps(document, indent=2))
    else:
        print()
        for line in machine:
            print(line)
        print(f"{args.requests} requests per page, concurrency {args.concurrency}")
        print()
        print_table(rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
