"""The cohort page of a big cohort (500 people, 40 sessions, 20,000 attendance rows) and the roll
call, served by gunicorn with the production settings, against the bare view in the same run.

    .venv/bin/python bench/cohort_page.py [--requests N] [--concurrency C] [--taps N] [--json]

Same world, server and login as ``bench/pages.py`` (whose helpers it uses), plus the big cohort
(``bench/cohort_world.py``) in Moulay Yacoub, whose coordinator is logged in. Measures GET
``/healthz``, GET the cohort page (first page of the class list: 50 people x 40 sessions of the
grid) and GET the roll call (500 rows); then ``--taps`` roll-call taps (htmx POSTs, one after the
other, so the latency is the server's time plus the loopback). Exit status as ``pages.py``.
"""

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import (  # noqa: E402
    BIN,
    HOST,
    ROOT,
    CsrfTokenParser,
    SetupError,
    bench_environments,
    free_port,
    log_in,
    machine_description,
    measure,
    one_request,
    percentile,
    print_table,
    run_step,
    server_cpu_seconds,
    start_server,
    stop,
    tail,
    wait_for_healthz,
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per page")
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--taps", type=int, default=200, help="roll-call taps (sequential)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser.parse_args()


def build_cohort(env, people, sessions):
    done = subprocess.run(
        [
            str(BIN / "python"),
            "manage.py",
            "shell",
            "-c",
            f"from bench.cohort_world import build; build({people}, {sessions})",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SetupError(f"building the big cohort failed:\n{done.stderr[-3000:]}")
    cohort_pk, session_pk, rows = done.stdout.split()[-3:]
    return int(cohort_pk), int(session_pk), int(rows)


def measure_taps(port, cookie, session_pk, taps, then_get=None):
    """Sequential htmx taps on the roll call; returns latencies (s) and errors. With
    ``then_get``, each tap is followed by a GET of that path (a page that the tap made stale, so
    rendered afresh): returns the GETs' latencies and errors instead."""
    path = f"/seances/{session_pk}/appel/"
    status, headers, body = one_request(port, "GET", path, headers={"Cookie": cookie})
    if status != 200:
        raise SetupError(f"GET {path} answered {status}")
    parser = CsrfTokenParser()
    parser.feed(body.decode())
    enrolments = re.findall(r'name="enrolment" value="(\d+)"', body.decode())
    csrf_cookie = next(
        (h.split(";")[0] for h in headers.get_all("Set-Cookie") or [] if "csrftoken" in h), ""
    )
    cookies = cookie + (f"; {csrf_cookie}" if csrf_cookie else "")
    latencies, errors = [], 0
    for n in range(taps):
        form = urlencode(
            {
                "csrfmiddlewaretoken": parser.token,
                "enrolment": enrolments[n % len(enrolments)],
                "status": ("present", "absent", "excused")[n % 3],
            }
        )
        started = time.perf_counter()
        status, _h, _b = one_request(
            port,
            "POST",
            path,
            body=form,
            headers={
                "Cookie": cookies,
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
                "Referer": f"http://{HOST}:{port}{path}",
            },
        )
        if status != 200:
            errors += 1
        elif then_get is None:
            latencies.append(time.perf_counter() - started)
        else:
            started = time.perf_counter()
            status, _h, _b = one_request(port, "GET", then_get, headers={"Cookie": cookies})
            if status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1
    return latencies, errors


def main():
    args = parse_args()
    load_before = os.getloadavg()
    server = None
    with tempfile.TemporaryDirectory(prefix="renfort-bench-cohort-") as tmp:
        tmp = Path(tmp)
        setup_env, server_env = bench_environments(tmp)
        log_path = tmp / "gunicorn.log"
        rows, failed, tap_row, after_tap_row = [], 0, None, None
        try:
            try:
                with contextlib.redirect_stdout(sys.stderr):
                    print(f"Building the world in {tmp}", flush=True)
                    run_step(["migrate", "--noinput"], setup_env, "migrate")
                    run_step(["demo_world", "--quiet"], setup_env, "demo_world")
                    cohort_pk, session_pk, attendance_rows = build_cohort(
                        setup_env, args.people, args.sessions
                    )
                    run_step(["collectstatic", "--noinput"], server_env, "collectstatic")
                    port = free_port()
                    server = start_server(port, server_env, log_path)
                    wait_for_healthz(server, port, log_path, timeout=300)
                    cookie = log_in(port)
            except SetupError as error:
                print(f"setup failed: {error}", file=sys.stderr)
                return 2
            pages = [
                ("/healthz", None),
                (f"/cohortes/{cohort_pk}/", cookie),
                (f"/seances/{session_pk}/appel/", cookie),
            ]
            for path, page_cookie in pages:
                rows.append(measure(server, port, path, args, page_cookie))
            for row in rows:
                row["ratio"] = row["rps"] / rows[0]["rps"]
            if args.taps:
                cpu_before = server_cpu_seconds(server)
                latencies, errors = measure_taps(port, cookie, session_pk, args.taps)
                cpu_after = server_cpu_seconds(server)
                latencies.sort()
                tap_row = {
                    "path": f"POST /seances/{session_pk}/appel/ (htmx tap, sequential)",
                    "requests": args.taps,
                    "errors": errors,
                    "p50": percentile(latencies, 0.50) * 1000,
                    "p95": percentile(latencies, 0.95) * 1000,
                    "cpu": None
                    if cpu_before is None or cpu_after is None
                    else (cpu_after - cpu_before) / args.taps * 1000,
                }
                # The cohort page right after a tap: the tap is a write, so the page kept in
                # the cache is stale and this GET renders it (what the first visit after any
                # change costs). Server CPU: the pairs' CPU less the taps' measured above.
                pairs = max(args.taps // 4, 10)
                cpu_before = server_cpu_seconds(server)
                latencies, errors = measure_taps(
                    port, cookie, session_pk, pairs, then_get=f"/cohortes/{cohort_pk}/"
                )
                cpu_after = server_cpu_seconds(server)
                latencies.sort()
                after_tap_row = {
                    "path": f"GET /cohortes/{cohort_pk}/ right after a tap (sequential)",
                    "requests": pairs,
                    "errors": errors,
                    "p50": percentile(latencies, 0.50) * 1000,
                    "p95": percentile(latencies, 0.95) * 1000,
                    "cpu": None
                    if tap_row["cpu"] is None or cpu_before is None or cpu_after is None
                    else (cpu_after - cpu_before) / pairs * 1000 - tap_row["cpu"],
                }
            failed = sum(row["errors"] for row in rows) + sum(
                row["errors"] for row in (tap_row, after_tap_row) if row
            )
            if failed:
                print(f"\ngunicorn's log ends with:\n{tail(log_path)}", file=sys.stderr)
        finally:
            stop(server)

    if args.json:
        print(
            json.dumps(
                {
                    "machine": machine_description(load_before),
                    "people": args.people,
                    "sessions": args.sessions,
                    "attendance_rows": attendance_rows,
                    "concurrency": args.concurrency,
                    "pages": rows,
                    "tap": tap_row,
                    "page_after_tap": after_tap_row,
                },
                indent=2,
            )
        )
    else:
        for line in machine_description(load_before):
            print(line)
        print(
            f"cohort of {args.people} people, {args.sessions} sessions, {attendance_rows} "
            f"attendance rows; {args.requests} requests per page, concurrency {args.concurrency}"
        )
        print()
        print_table(rows)
        if tap_row:
            print(
                f"\nroll-call tap: {tap_row['requests']} sequential htmx POSTs, p50 "
                f"{tap_row['p50']:.1f} ms, p95 {tap_row['p95']:.1f} ms, server CPU "
                f"{tap_row['cpu']:.1f} ms/tap, {tap_row['errors']} errors"
            )
        if after_tap_row:
            print(
                f"cohort page right after a tap (rendered afresh): {after_tap_row['requests']} "
                f"sequential GETs, p50 {after_tap_row['p50']:.1f} ms, p95 "
                f"{after_tap_row['p95']:.1f} ms, server CPU about {after_tap_row['cpu']:.1f} "
                f"ms/page, {after_tap_row['errors']} errors"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
