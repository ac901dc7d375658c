#!/usr/bin/env bash
# Installs everything Renfort needs on a Debian machine: system libraries (Pango and HarfBuzz
# for PDF rendering, fonts with Arabic glyphs, gettext), then the Python environment in .venv
# from uv.lock. With --test, also Debian's Chromium for the browser tests. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages="gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core poppler-utils"
if [ "${1:-}" = "--test" ]; then
  packages="$packages chromium"
fi

if command -v dpkg-query >/dev/null 2>&1; then
  missing=""
  for package in $packages; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing="$missing $package"
  done
  if [ -n "$missing" ]; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
      echo "Please install these Debian packages, then run this again:$missing" >&2
      exit 1
    fi
    echo "Installing Debian packages:$missing"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
else
  echo "Not a Debian system: install by hand the equivalents of: $packages" >&2
fi

if ! command -v uv >/dev/null 2>&1; then
  export PATH="$HOME/.local/bin:$PATH"
  command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet --user --disable-pip-version-check uv
fi
uv sync --frozen --quiet
