#!/usr/bin/env bash
# Install fupin into .venv and start it on SQLite (./fupin.db) with the demo county.
# Prints the address and the demo logins. Usage: bash scripts/start.sh [--households N] [--port P]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
exec .venv/bin/fupin quickstart --db "${FUPIN_DATABASE_URL:-sqlite:///./fupin.db}" "$@"
