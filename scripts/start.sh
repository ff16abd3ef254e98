#!/usr/bin/env bash
# Install fupin into .venv and start it on SQLite (./fupin.db) with the demo county.
# Prints the address and the demo logins. Usage: bash scripts/start.sh [--households N] [--port P]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== 创建虚拟环境 .venv / creating the virtual environment .venv"
  "$PYTHON" -m venv .venv
fi
echo "== 安装 fupin 及其依赖(首次约需 1-3 分钟)/ installing fupin and its dependencies (1-3 minutes the first time)"
.venv/bin/python -m pip install --disable-pip-version-check --progress-bar on -e . 2>&1 \
  | grep -E --line-buffered "^(Collecting|Installing|Successfully|ERROR|error)" || true
test -x .venv/bin/fupin || { echo "!! 安装失败 / installation failed" >&2; exit 1; }
echo "== 建库、载入全国区划、生成演示县(首次约 10-30 秒),然后启动 / creating the database, loading China's areas,"
echo "   building the demo county (10-30 s the first time), then serving"
exec .venv/bin/fupin quickstart --db "${FUPIN_DATABASE_URL:-sqlite:///./fupin.db}" "$@"
