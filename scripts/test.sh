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

step "pytest on SQLite"
env -u DATABASE_URL pytest -m "not browser" "$@"

step "pytest on PostgreSQL"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  sleep 2
fi
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  DATABASE_URL="$postgres_url" pytest -m "not browser" "$@"
else
  echo "PostgreSQL does not answer on 127.0.0.1:5432: PostgreSQL run skipped." >&2
  [ -z "${CI:-}" ] || { echo "CI must test PostgreSQL." >&2; exit 1; }
fi

step "pytest in Chromium"
pytest -m browser "$@"
