"""Login rate limits hold across processes and behind a proxy (issue 5): two real gunicorn
workers with the production settings, counting in the local Redis, behind a (simulated) proxy
that appends the client's address to X-Forwarded-For.

Nothing is mocked: a SQLite file in a temporary directory, ``migrate`` and ``collectstatic``
with the production settings, a verified user made through ``manage.py shell``, then plain HTTP
requests. Each request opens a new connection, and gunicorn's access log (with the worker's
pid) shows that both workers answered login attempts.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis

PROJECT_ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = 11  # a database of its own, flushed before and after
HOST = "127.0.0.1"
LOGIN = "/comptes/login/"
PASSWORD = "Mot-de-passe-solide-2026"
REAL_CLIENT = "203.0.113.7"  # what the proxy appends: the address the client really has


def _redis():
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis does not answer on {REDIS_HOST}:{REDIS_PORT}")
    return client


def _free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class _Token(HTMLParser):
    token = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == "csrfmiddlewaretoken":
            self.token = attrs.get("value")


def _request(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=15)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode()
    finally:
        connection.close()  # a new connection each time: any worker may take the next one


def _cookies(headers):
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key] = rest.split(";", 1)[0]
    return jar


def attempt(port, email, password, forwarded_for):
    """One sign-in through allauth's form; True if it signed in."""
    headers = {"X-Forwarded-For": forwarded_for}
    status, response_headers, html = _request(port, "GET", LOGIN, headers=headers)
    assert status == 200, html[:500]
    jar = _cookies(response_headers)
    parser = _Token()
    parser.feed(html)
    body = urlencode({"csrfmiddlewaretoken": parser.token, "login": email, "password": password})
    status, response_headers, html = _request(
        port,
        "POST",
        LOGIN,
        body=body,
        headers={
            **headers,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        },
    )
    return status == 302 and dict(response_headers).get("Location", "").endswith("/mon-espace/")


def _manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("builds its own SQLite database: runs once, in the SQLite pass")
    cache = _redis()
    cache.flushdb()
    tmp = tmp_path_factory.mktemp("renfort-limits")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"RENFORT_ALLOW_PER_PROCESS_CACHE", "ALLAUTH_TRUSTED_CLIENT_IP_HEADER"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="renfort.settings.production",
        SECRET_KEY="rate-limit-test-" + "k" * 40,
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        CACHE_URL=f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
        ALLAUTH_TRUSTED_PROXY_COUNT="1",
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        RENFORT_REQUIRE_STAFF_MFA="false",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        CELERY_BROKER_URL="",
    )
    # One Django start-up instead of three (each costs seconds on a busy machine).
    set_up = (
        "from django.core.management import call_command\n"
        "call_command('migrate', interactive=False, verbosity=0)\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
        "from allauth.account.models import EmailAddress\n"
        "from renfort.accounts.models import User\n"
        "for email in ['cible@example.org', 'autre@example.org', 'tiers@example.org']"
        " + ['foule%d@example.org' % n for n in range(12)]:\n"
        f"    user = User.objects.create_user(email=email, password={PASSWORD!r})\n"
        "    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)\n"
    )
    _manage(env, "shell", "-c", set_up)
    port = _free_port()
    log_path = tmp / "gunicorn.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed below, after the server stops
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "renfort.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
            "--access-logformat",
            "worker=%(p)s %(m)s %(U)s %(s)s",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log_path.read_text()
            try:
                if _request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.3)
        yield {"port": port, "log": log_path}
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        cache.flushdb()
        cache.close()


def _workers_that_answered_logins(log_path):
    return set(re.findall(r"worker=<?(\d+)>? POST /comptes/login/", log_path.read_text()))


def test_five_wrong_passwords_across_two_workers_lock_the_account_spoofing_or_not(server):
    port = server["port"]

    def wrong(n):
        # the client makes up a different first address each time; the proxy appends the real one
        return attempt(port, "cible@example.org", "mauvais", f"10.0.0.{n}, {REAL_CLIENT}")

    # Two attempts at a time: while one worker hashes a password the other takes the next
    # connection, so both workers count failures (one after the other, one worker may take all).
    with ThreadPoolExecutor(max_workers=2) as pool:
        for pair in ([0, 1], [2, 3], [4]):
            assert not any(pool.map(wrong, pair))
    # The five failures were split between the two workers: with a cache per process neither
    # would have counted five, and the right password below would have signed in.
    assert len(_workers_that_answered_logins(server["log"])) == 2, server["log"].read_text()
    assert not attempt(port, "cible@example.org", PASSWORD, f"10.9.9.9, {REAL_CLIENT}")
    # nor from another address: the limit is on the account, held in the shared cache
    assert not attempt(port, "cible@example.org", PASSWORD, "198.51.100.20")
    # an account nobody attacked still signs in
    assert attempt(port, "autre@example.org", PASSWORD, "198.51.100.21")


def test_the_per_address_limit_follows_the_real_client_not_the_spoofed_header(server):
    port = server["port"]
    attacker = "192.0.2.66"
    for n in range(10):  # 10 failures a minute from one address, each on another account
        assert not attempt(port, f"foule{n}@example.org", "mauvais", f"10.1.1.{n}, {attacker}")
    # the 11th, right this time and with a fresh spoofed address, is refused: same real client
    assert not attempt(port, "foule11@example.org", PASSWORD, f"10.2.2.2, {attacker}")
    # a different client behind the same proxy is not locked out
    assert attempt(port, "tiers@example.org", PASSWORD, f"10.1.1.1, {REAL_CLIENT}")
