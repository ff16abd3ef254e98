#!/usr/bin/env bash
# Install fupin with its test tools into .venv, make sure PostgreSQL and Chromium are there, run every test
# (unit, integration on SQLite and PostgreSQL, end-to-end in headless Chromium). Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

# Chromium for the end-to-end tests, and a Chinese font so that their screenshots are readable.
missing=""
if ! command -v chromium >/dev/null 2>&1 && [ -z "${FUPIN_CHROMIUM:-}" ]; then missing="chromium"; fi
if command -v fc-list >/dev/null 2>&1 && ! fc-list :lang=zh 2>/dev/null | grep -q .; then missing="$missing fonts-noto-cjk"; fi
if ! command -v fc-list >/dev/null 2>&1; then missing="$missing fonts-noto-cjk"; fi
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Debian's$missing for the end-to-end tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "!! missing:$missing — install them (apt-get install$missing) or set FUPIN_CHROMIUM" >&2
  fi
fi

if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "== starting the local PostgreSQL cluster"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
exec .venv/bin/python -m pytest -n "${FUPIN_TEST_WORKERS:-2}" "$@"
