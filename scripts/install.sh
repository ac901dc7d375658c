#!/usr/bin/env bash
# Installs everything Renfort needs on a Debian machine (Debian 12, Ubuntu 24.04 or newer):
# system libraries (Pango and HarfBuzz for PDF rendering, fonts with Arabic glyphs, gettext),
# then the Python environment in .venv from uv.lock. Needs only python3 and make to start with:
# when uv is not on PATH, it is installed from PyPI into a project-local bootstrap environment,
# .venv-tools/ (Debian's own Python refuses `pip install` outside a virtual environment, PEP 668,
# and a minimal Debian has no pip). With --test, also Debian's Chromium for the browser tests.
# Safe and quick to run again: every step skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

tools=.venv-tools
packages="gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core poppler-utils"
if [ "${1:-}" = "--test" ]; then
  packages="$packages chromium"
fi

find_uv() {
  if command -v uv >/dev/null 2>&1; then
    command -v uv
  elif [ -x "$HOME/.local/bin/uv" ]; then
    echo "$HOME/.local/bin/uv"
  elif [ -x "$tools/bin/uv" ]; then
    echo "$tools/bin/uv"
  fi
}

uv="$(find_uv)"
if [ -z "$uv" ] && ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  # Debian ships venv's pip bootstrap in a separate package.
  packages="$packages python3-venv"
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

if [ -z "$uv" ]; then
  echo "Installing uv into $tools/ (once)"
  rm -rf "$tools"
  python3 -m venv "$tools"
  "$tools/bin/python" -m pip install --quiet --disable-pip-version-check uv
  uv="$tools/bin/uv"
fi

# uv picks a Python that pyproject's requires-python (>=3.11) accepts: Debian 12 has 3.11,
# Ubuntu 24.04 3.12; where none is installed, uv downloads one.
"$uv" sync --frozen --quiet
