"""Server CPU per request of the benchmarked pages, in one process, with a profile on demand.

    .venv/bin/python bench/inprocess.py [--world DIR] [--requests N] [--profile PATH] [--json]

The gunicorn benchmarks (``pages.py``, ``cohort_page.py``, ``diagnostics.py``) measure what a
client sees, on a machine whose other work moves every figure. This one answers the question
"what does this page cost, and where does it go" while the code is being changed: the same world
(``demo_world``, the 500 x 40 cohort of ``cohort_world.py``, the 60-question association of
``diagnostics.py``), the production settings, Django's test client in this process, and
``time.process_time`` per request (the lowest of ``--rounds`` rounds of N requests: the figure
that the machine's load moves least). The session is a real one (``force_login``); the database
connection is handled as at the end of a real request (kept, as production's ``CONN_MAX_AGE``
says); the shared cache is Redis's database 9 when Redis answers (as in production), else a
local-memory cache. Each page is measured twice: as served again (from the page cache when it
keeps the page) and "after a write" (the data generation moved before each request, so every
request renders the page: what the first visit after any change costs).

``--world DIR`` keeps the built world in DIR (built there the first time, reused after: building
takes a minute or two). ``--profile PATH`` profiles one page (cProfile, 50 requests) and prints
its 40 costliest functions. ``--json`` prints one JSON object, each page with its path, label,
CPU ms per request, queries per request and ``slowdown`` (its CPU over the bare view's).
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import (  # noqa: E402
    BIN,
    COORDINATOR_EMAIL,
    LESSON_PATH,
    PARTICIPANT_EMAIL,
    PROGRAMME_PATH,
    ROOT,
    bench_environments,
)

MARKER = "world-ready"

MEASURE = r"""
import cProfile, json, pstats, sys, time
from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from renfort import response_cache

options = json.loads(sys.argv[1])
users = {"coordinator": options["coordinator"], "participant": options["participant"]}
clients = {None: Client(HTTP_HOST="127.0.0.1")}
for who, email in users.items():
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(email=email))
    clients[who] = client


def one(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    # What Django does when a request ends (the test client leaves it out): close the
    # connection unless CONN_MAX_AGE keeps it.
    connection.close_if_unusable_or_obsolete()


results = []
for path, label, who in options["pages"]:
    client = clients[who]
    for _ in range(3):
        one(client, path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    captured = list(queries.captured_queries)  # before the next request resets the log
    best = None
    for _ in range(options["rounds"]):
        start = time.process_time()
        for _ in range(options["requests"]):
            one(client, path)
        spent = (time.process_time() - start) * 1000 / options["requests"]
        best = spent if best is None else min(best, spent)
    # The same page when something was written since it was last served (a roll-call tap, an
    # answer...): the page cache's generation moves before every request, so each one renders.
    fresh = None
    for _ in range(options["rounds"]):
        start = time.process_time()
        for _ in range(max(options["requests"] // 4, 5)):
            response_cache.bump()
            one(client, path)
        spent = (time.process_time() - start) * 1000 / max(options["requests"] // 4, 5)
        fresh = spent if fresh is None else min(fresh, spent)
    results.append(
        {
            "path": path,
            "label": label,
            "cpu_ms": best,
            "queries": len(captured),
            "cpu_ms_after_write": fresh,
        }
    )
    if options["profile"] and options["profile"] == path:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(50):
            one(client, path)
        profile.disable()
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(60)
        for query in captured:
            print("  query:", query["sql"][:160], file=sys.stderr)
print(json.dumps(results))
"""


def pages(cohort_pk, session_pk, organisation_pk, diagnostic_pk):
    return [
        ("/healthz", "bare Django view", None),
        ("/", "Wagtail home page", None),
        ("/mon-espace/", "coordinator landing page", "coordinator"),
        (PROGRAMME_PATH, "programme page, signed-in participant", "participant"),
        (LESSON_PATH, "lesson page, signed-in participant", "participant"),
        (f"/cohortes/{cohort_pk}/", "cohort page (500 x 40)", "coordinator"),
        (f"/seances/{session_pk}/appel/", "roll call (500)", "coordinator"),
        (f"/diagnostics/organisations/{organisation_pk}/", "association page", "coordinator"),
        (f"/diagnostics/{diagnostic_pk}/", "diagnostic (60 questions)", "coordinator"),
    ]


def manage(env, *args, script=None):
    command = [str(BIN / "python"), "manage.py", *args]
    if script is not None:
        command += ["-c", script]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return done.stdout


def build_world(world, setup_env, server_env):
    from bench.diagnostics import BUILD as BUILD_DIAGNOSTICS

    marker = world / MARKER
    if marker.exists():
        return json.loads(marker.read_text())
    print(f"Building the world in {world} (a minute or two)", file=sys.stderr, flush=True)
    manage(setup_env, "migrate", "--noinput")
    manage(setup_env, "demo_world", "--quiet", "--associations", "12")
    cohort = manage(
        setup_env, "shell", script="from bench.cohort_world import build; build(500, 40)"
    ).split()
    diagnostics = manage(setup_env, "shell", script=BUILD_DIAGNOSTICS).split()
    ids = {
        "cohort_pk": int(cohort[-3]),
        "session_pk": int(cohort[-2]),
        "organisation_pk": int(diagnostics[-2]),
        "diagnostic_pk": int(diagnostics[-1]),
    }
    manage(server_env, "collectstatic", "--noinput")
    marker.write_text(json.dumps(ids))
    return ids


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--world", type=Path, help="keep (or reuse) the world in this folder")
    parser.add_argument("--requests", type=int, default=40, help="requests per round and page")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per page (lowest kept)")
    parser.add_argument("--only", help="measure only the pages whose path contains this")
    parser.add_argument("--profile", help="profile this path (after measuring it)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="renfort-inprocess-") as tmp:
        world = args.world or Path(tmp)
        world.mkdir(parents=True, exist_ok=True)
        setup_env, server_env = bench_environments(world.resolve())
        ids = build_world(world, setup_env, server_env)
        chosen = [p for p in pages(**ids) if p[0] == "/healthz" or (args.only or "") in p[0]]
        options = {
            "pages": chosen,
            "requests": args.requests,
            "rounds": args.rounds,
            "profile": args.profile,
            "coordinator": COORDINATOR_EMAIL,
            "participant": PARTICIPANT_EMAIL,
        }
        env = server_env
        done = subprocess.run(
            [
                str(BIN / "python"),
                "-c",
                "import django; django.setup()\n" + MEASURE,
                json.dumps(options),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        if done.returncode != 0:
            sys.exit(done.returncode)
        results = json.loads(done.stdout.strip().splitlines()[-1])

    bare = results[0]["cpu_ms"]
    for row in results:
        row["slowdown"] = round(row["cpu_ms"] / bare, 1)
        row["cpu_ms"] = round(row["cpu_ms"], 2)
        row["cpu_ms_after_write"] = round(row["cpu_ms_after_write"], 2)
    if args.json:
        print(json.dumps({"requests": args.requests, "rounds": args.rounds, "pages": results}))
        return 0
    print(f"{'page':48} {'CPU ms/req':>10} {'queries':>7} {'slowdown':>8} {'after a write':>13}")
    for row in results:
        print(
            f"{row['path'][:48]:48} {row['cpu_ms']:>10.2f} {row['queries']:>7} "
            f"{row['slowdown']:>8.1f} {row['cpu_ms_after_write']:>13.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
