"""Throughput of three pages served by gunicorn with the production settings.

    .venv/bin/python bench/pages.py [--requests N] [--concurrency C] [--associations N]

Builds a throwaway world (a fresh SQLite file, ``migrate``, ``demo_world``, ``collectstatic``
in a temporary directory), starts gunicorn on a free port of 127.0.0.1, logs the demo
coordinator in through the real allauth login page, then loads ``/healthz`` (bare Django view),
``/`` (Wagtail home page) and ``/mon-espace/`` (the coordinator's landing page) one after the
other, N requests each at concurrency C, and prints requests/s and latency percentiles.

Timings never make it fail. The exit status is 2 when the world or the server could not be set
up (or the login failed), 1 when a page answered anything but 200, 0 otherwise.
"""

import argparse
import http.client
import json
import os
import platform
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"

COORDINATOR_EMAIL = "coordination.moulay-yacoub@renfort.demo"
COORDINATOR_PASSWORD = "Renfort-Demo-2026"
LOGIN_PATH = "/comptes/login/"
PARTICIPANT_EMAIL = "participant@renfort.demo"
PROGRAMME_PATH = "/mobilisation-sociale-suivi-projets/"
LESSON_PATH = (
    PROGRAMME_PATH + "techniques-de-mobilisation-sociale/comprendre-la-mobilisation-sociale/"
)
# (path, label, whose session: None, "coordinator" or "participant")
PAGES = [
    ("/healthz", "bare Django view", None),
    ("/", "Wagtail home page", None),
    ("/mon-espace/", "coordinator landing page", "coordinator"),
    (PROGRAMME_PATH, "programme page, signed-in participant", "participant"),
    (LESSON_PATH, "lesson page, signed-in participant", "participant"),
]
# Counted in-process (Django test client, same settings and database) since gunicorn's
# workers cannot report their queries.
QUERY_COUNT_SCRIPT = """
import json, sys
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
pages = json.loads(sys.argv[1])
emails = {"coordinator": %r, "participant": %r}
out = {}
for path, who in pages:
    client = Client(HTTP_HOST="127.0.0.1")
    if who:
        client.force_login(get_user_model().objects.get(email=emails[who]))
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    out[path] = len(queries) if response.status_code == 200 else None
print(json.dumps(out))
"""


class SetupError(Exception):
    """The world or the server could not be set up: nothing was measured."""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument(
        "--associations", type=int, default=50, help="associations in the coordinator's province"
    )
    parser.add_argument("--warmup", type=int, default=50, help="unmeasured requests per page")
    parser.add_argument(
        "--json", action="store_true", help="print the figures as one JSON object at the end"
    )
    args = parser.parse_args()
    if args.requests < 1 or args.concurrency < 1 or args.associations < 1 or args.warmup < 0:
        parser.error(
            "--requests, --concurrency and --associations must be at least 1, --warmup at least 0"
        )
    return args


# --- the world and the server -----------------------------------------------------------------


def run_step(args, env, label):
    started = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        output = (done.stdout + done.stderr)[-3000:]
        raise SetupError(f"{label} failed (exit {done.returncode}):\n{output}")
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(port, env, log_path):
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "renfort.wsgi:application",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def wait_for_healthz(server, port, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SetupError(f"gunicorn exited with {server.returncode}:\n{tail(log_path)}")
        try:
            status, _headers, _body = one_request(port, "GET", "/healthz", timeout=2)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SetupError(f"/healthz did not answer 200 within {timeout} s:\n{tail(log_path)}")


def stop(server):
    if server is None or server.poll() is not None:
        return
    server.terminate()  # gunicorn's master stops its workers gracefully on SIGTERM
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=5)


def tail(path, chars=3000):
    try:
        return Path(path).read_text(errors="replace")[-chars:]
    except OSError:
        return ""


def server_cpu_seconds(server):
    """CPU time (user + system) used so far by the gunicorn master and its live workers, read
    from /proc; ``None`` where /proc is not available. Unlike requests/s, the CPU a page costs
    the server hardly depends on what else the machine is doing."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    try:
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue  # the process ended meanwhile
            # Fields after the command name (which may hold spaces): state, ppid, ... utime, stime
            fields = stat.rsplit(")", 1)[1].split()
            pid, ppid = int(entry.name), int(fields[1])
            if server.pid in (pid, ppid):
                total += int(fields[11]) + int(fields[12])
    except OSError:
        return None
    return total / ticks


# --- HTTP ------------------------------------------------------------------------------------


def one_request(port, method, path, body=None, headers=None, timeout=10):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.msg, response.read()
    finally:
        conn.close()


def store_cookies(jar, headers):
    """Keep name=value of every Set-Cookie, Secure or not: production marks the session and CSRF
    cookies Secure, which a browser would not send back over plain http; this client does."""
    for header in headers.get_all("Set-Cookie") or []:
        name, _, value = header.split(";", 1)[0].partition("=")
        jar[name.strip()] = value.strip()


def cookie_header(jar):
    return "; ".join(f"{name}={value}" for name, value in jar.items())


class CsrfTokenParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.token = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == "csrfmiddlewaretoken":
            self.token = attrs.get("value")


def log_in(port, email=COORDINATOR_EMAIL):
    """The session cookie of a demo account, obtained through the allauth login form."""
    jar = {}
    status, headers, body = one_request(port, "GET", LOGIN_PATH)
    if status != 200:
        raise SetupError(f"GET {LOGIN_PATH} answered {status}")
    store_cookies(jar, headers)
    parser = CsrfTokenParser()
    parser.feed(body.decode("utf-8", errors="replace"))
    if not parser.token or "csrftoken" not in jar:
        raise SetupError("the login page carried no csrftoken cookie or csrfmiddlewaretoken")
    form = urlencode(
        {
            "csrfmiddlewaretoken": parser.token,
            "login": email,
            "password": COORDINATOR_PASSWORD,
        }
    )
    status, headers, body = one_request(
        port,
        "POST",
        LOGIN_PATH,
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(jar),
        },
    )
    store_cookies(jar, headers)
    if status != 302 or "sessionid" not in jar:
        raise SetupError(
            f"logging in as {email} answered {status} "
            f"(Location: {headers.get('Location')}), no session cookie"
        )
    status, headers, body = one_request(
        port, "GET", "/mon-espace/", headers={"Cookie": cookie_header(jar)}
    )
    if status != 200:
        raise SetupError(
            f"/mon-espace/ answered {status} (Location: {headers.get('Location')}) after login"
        )
    if email == COORDINATOR_EMAIL and b'id="my-territory"' not in body:
        print("  warning: /mon-espace/ shows no territory section for the coordinator")
    return f"sessionid={jar['sessionid']}"


def count_queries(env):
    """Queries per request of each page, measured in-process with the server's settings."""
    script = QUERY_COUNT_SCRIPT % (COORDINATOR_EMAIL, PARTICIPANT_EMAIL)
    pages = json.dumps([[path, who] for path, _label, who in PAGES])
    result = subprocess.run(
        [str(BIN / "python"), "-c", "import django; django.setup()\n" + script, pages],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        print(f"  warning: query counts unavailable: {result.stderr[-500:]}", flush=True)
        return {}
    return json.loads(result.stdout.strip().splitlines()[-1])


def load(port, path, total, concurrency, cookie=None):
    """Send ``total`` GETs of ``path`` from ``concurrency`` threads, each with its own
    persistent http.client connection (reopened whenever the server closes it). Returns the
    wall time, the latencies of the 200 answers and the count of errors."""
    headers = {"Cookie": cookie} if cookie else {}
    lock = threading.Lock()
    issued = 0
    latencies, errors = [], []

    def worker():
        nonlocal issued
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        mine, failed = [], 0
        try:
            while True:
                with lock:
                    if issued >= total:
                        break
                    issued += 1
                started = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == 200
                    if response.will_close:
                        conn.close()
                except (OSError, http.client.HTTPException):
                    ok = False
                    conn.close()
                if ok:
                    mine.append(time.perf_counter() - started)
                else:
                    failed += 1
        finally:
            conn.close()
        with lock:
            latencies.extend(mine)
            errors.append(failed)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    return time.perf_counter() - started, latencies, sum(errors)


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


# --- report ----------------------------------------------------------------------------------


def measure(server, port, path, args, cookie=None, **extra):
    """One page under load: warm-up, then ``args.requests`` requests at ``args.concurrency``.
    Returns the row every benchmark prints: requests/s, p50/p95 ms, errors and the server's CPU
    ms per request (None where the platform cannot read it), plus ``extra`` (label, queries)."""
    if args.warmup:
        load(port, path, args.warmup, args.concurrency, cookie)
    cpu_before = server_cpu_seconds(server)
    wall, latencies, errors = load(port, path, args.requests, args.concurrency, cookie)
    cpu_after = server_cpu_seconds(server)
    latencies.sort()
    row = {
        "path": path,
        **extra,
        "requests": args.requests,
        "errors": errors,
        "rps": args.requests / wall,
        "p50": percentile(latencies, 0.50) * 1000,
        "p95": percentile(latencies, 0.95) * 1000,
        "cpu": None
        if cpu_before is None or cpu_after is None
        else (cpu_after - cpu_before) / args.requests * 1000,
    }
    label = f" ({extra['label']})" if extra.get("label") else ""
    print(f"  {path}{label}: {args.requests} requests in {wall:.1f} s", flush=True)
    return row


def machine_description(load_before):
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import django, gunicorn, wagtail;"
            "print(django.__version__, wagtail.__version__, gunicorn.__version__)",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    django_v, wagtail_v, gunicorn_v = (versions + ["?", "?", "?"])[:3]
    return [
        f"nproc {nproc}" + (f" ({cpu})" if cpu else ""),
        f"Python {platform.python_version()}, Django {django_v}, Wagtail {wagtail_v}, "
        f"gunicorn {gunicorn_v} (2 sync workers)",
        f"DB SQLite {sqlite3.sqlite_version} (file in a temporary directory)",
        "client and server on the same machine; load average "
        + ", ".join(f"{value:.2f}" for value in load_before)
        + " before the run, "
        + ", ".join(f"{value:.2f}" for value in os.getloadavg())
        + " after",
    ]


def print_table(rows):
    header = (
        "page",
        "requests",
        "errors",
        "requests/s",
        "p50 ms",
        "p95 ms",
        "rps ratio",
        "server CPU ms/req",
        "queries",
    )
    lines = [header] + [
        (
            row["path"],
            str(row["requests"]),
            str(row["errors"]),
            f"{row['rps']:.0f}",
            f"{row['p50']:.1f}",
            f"{row['p95']:.1f}",
            f"{row['ratio']:.2f}",
            "n/a" if row["cpu"] is None else f"{row['cpu']:.1f}",
            "n/a" if row.get("queries") is None else str(row["queries"]),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for n, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(line[1:], widths[1:], strict=True)
        ]
        print("  ".join(cells))
        if n == 0:
            print("  ".join("-" * w for w in widths))


# --- main ------------------------------------------------------------------------------------


# The bench's own Redis database, emptied before each world (BENCH_REDIS_DB: another one, for
# two benchmarks at once).
BENCH_REDIS = (HOST, 6379, int(os.environ.get("BENCH_REDIS_DB", "9")))


def shared_cache_url():
    """``redis://`` URL of an emptied Redis database for the server when Redis answers on this
    machine (production's shared cache: pages, sessions and rate limits shared by the gunicorn
    workers), else ``None`` (each worker then keeps its own local-memory cache)."""
    host, port, db = BENCH_REDIS
    try:
        with socket.create_connection((host, port), timeout=1) as conn:
            conn.sendall(f"SELECT {db}\r\nFLUSHDB\r\n".encode())
            answer = conn.recv(64)
    except OSError:
        return None
    if answer.count(b"+OK") != 2:
        return None
    return f"redis://{host}:{port}/{db}"


def bench_environments(tmp):
    """The environments of a throwaway world in ``tmp``: one to build it (dev settings), one to
    serve it (production settings, one SQLite file, in-process tasks, Redis's database 9 as the
    shared cache when Redis answers, else a local-memory cache per process)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CACHE_URL"):
        env.pop(name, None)
    setup_env = {**env, "DJANGO_SETTINGS_MODULE": "renfort.settings.dev"}
    server_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "renfort.settings.production",
        "SECRET_KEY": "bench",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": HOST,
        "RENFORT_REQUIRE_STAFF_MFA": "false",
    }
    cache_url = shared_cache_url()
    if cache_url:
        server_env["CACHE_URL"] = cache_url
    else:
        print("Redis does not answer: one local-memory cache per process", file=sys.stderr)
        server_env["RENFORT_ALLOW_PER_PROCESS_CACHE"] = "1"
    return setup_env, server_env


def main():
    args = parse_args()
    load_before = os.getloadavg()
    server = None
    with tempfile.TemporaryDirectory(prefix="renfort-bench-") as tmp:
        tmp = Path(tmp)
        setup_env, server_env = bench_environments(tmp)
        log_path = tmp / "gunicorn.log"
        try:
            try:
                print(f"Building the world in {tmp}", flush=True)
                run_step(["migrate", "--noinput"], setup_env, "migrate")
                run_step(
                    ["demo_world", "--quiet", "--associations", str(args.associations)],
                    setup_env,
                    f"demo_world --associations {args.associations}",
                )
                run_step(["collectstatic", "--noinput"], server_env, "collectstatic")
                port = free_port()
                server = start_server(port, server_env, log_path)
                wait_for_healthz(server, port, log_path)
                print(f"gunicorn (pid {server.pid}) answers on {HOST}:{port}", flush=True)
                sessions = {
                    "coordinator": log_in(port),
                    "participant": log_in(port, PARTICIPANT_EMAIL),
                }
                print(f"logged in as {COORDINATOR_EMAIL} and {PARTICIPANT_EMAIL}", flush=True)
                query_counts = count_queries(server_env)
            except SetupError as error:
                print(f"setup failed: {error}", file=sys.stderr)
                return 2

            rows = []
            for path, label, who in PAGES:
                cookie = sessions[who] if who else None
                rows.append(
                    measure(
                        server,
                        port,
                        path,
                        args,
                        cookie,
                        label=label,
                        queries=query_counts.get(path),
                    )
                )
            for row in rows:
                row["ratio"] = row["rps"] / rows[0]["rps"]
            failed = sum(row["errors"] for row in rows)
            if failed:
                print(f"\ngunicorn's log ends with:\n{tail(log_path)}", file=sys.stderr)
        finally:
            stop(server)

    print()
    for line in machine_description(load_before):
        print(line)
    print(
        f"{args.requests} requests per page, concurrency {args.concurrency}, "
        f"{args.warmup} warm-up requests per page, {args.associations} associations"
    )
    print()
    print_table(rows)
    if args.json:
        print(
            json.dumps(
                {
                    "requests": args.requests,
                    "concurrency": args.concurrency,
                    "pages": [
                        {
                            "path": row["path"],
                            "label": row["label"],
                            "requests_per_s": round(row["rps"], 1),
                            "p50_ms": round(row["p50"], 1),
                            "p95_ms": round(row["p95"], 1),
                            "queries_per_request": row["queries"],
                            "server_cpu_ms_per_request": None
                            if row["cpu"] is None
                            else round(row["cpu"], 2),
                            "slowdown": round(rows[0]["rps"] / row["rps"], 2),
                        }
                        for row in rows
                    ],
                }
            )
        )
    if failed:
        print(f"\n{failed} requests did not answer 200", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
