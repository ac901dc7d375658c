#!/usr/bin/env bash
# The whole suite: static checks, then pytest on SQLite, on PostgreSQL, and in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
postgres_url="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/renfort}"

step() { printf '\n== %s\n' "$*"; }

step "ruff"
ruff check .
ruff format --check .

step "Django checks"
python manage.py check --fail-level WARNING
python manage.py makemigrations --check --dry-run
python manage.py compilemessages --ignore=.venv --ignore=var -v0

# The SQLite and PostgreSQL passes are independent (each has its own test database, media
# folder and Redis keys): they run side by side, one per core; the browser journeys follow the
# SQLite pass on its core. Reports are printed in turn.
logs="$(mktemp -d)"
step "pytest on SQLite and on PostgreSQL, side by side (reports below as each ends)"
env -u DATABASE_URL pytest -m "not browser" "$@" >"$logs/sqlite.log" 2>&1 &
sqlite_pid=$!

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  sleep 2
fi
postgres_pid=""
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  DATABASE_URL="$postgres_url" pytest -m "not browser" "$@" >"$logs/postgres.log" 2>&1 &
  postgres_pid=$!
else
  echo "PostgreSQL does not answer on 127.0.0.1:5432: PostgreSQL run skipped." >&2
  [ -z "${CI:-}" ] || { echo "CI must test PostgreSQL." >&2; kill "$sqlite_pid"; exit 1; }
fi

sqlite_rc=0
wait "$sqlite_pid" || sqlite_rc=$?
step "pytest on SQLite"
cat "$logs/sqlite.log"

# The browser journeys take the core the SQLite pass has freed, while PostgreSQL goes on
# (skipped when SQLite failed: the PostgreSQL report still follows, then the run fails).
browser_rc=0
if [ "$sqlite_rc" -eq 0 ]; then
  step "pytest in Chromium"
  pytest -m browser "$@" || browser_rc=$?
fi

postgres_rc=0
if [ -n "$postgres_pid" ]; then
  wait "$postgres_pid" || postgres_rc=$?
  step "pytest on PostgreSQL"
  cat "$logs/postgres.log"
fi
rm -rf "$logs"
[ "$sqlite_rc" -eq 0 ] || { echo "pytest on SQLite failed." >&2; exit "$sqlite_rc"; }
[ "$browser_rc" -eq 0 ] || { echo "pytest in Chromium failed." >&2; exit "$browser_rc"; }
[ "$postgres_rc" -eq 0 ] || { echo "pytest on PostgreSQL failed." >&2; exit "$postgres_rc"; }
