"""`fupin serve` the production way: several processes, a job worker beside them, logs without query strings;
the audit log cannot be emptied, whatever statement tries."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.factories import add_areas, add_user
from tests.served import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_serve_with_two_processes_logs_paths_but_never_query_strings(db, tmp_path):
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    db.engine.dispose()
    port = free_port()
    log = tmp_path / "serve.log"
    process = subprocess.Popen([sys.executable, "-m", "fupin", "serve", "--workers", "2", "--port", str(port),
                                "--db", db.engine.url.render_as_string(hide_password=False)], cwd=ROOT,
                               env=os.environ.copy(), stdout=log.open("wb"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        secret = "530326199001011234"
        for _ in range(4):  # reach both processes
            httpx.get(f"{base}/api/v1/registry/households", params={"q": secret, "phone": "13812345678"}, timeout=10)
        time.sleep(1.0)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    output = log.read_text(errors="replace")
    assert "/api/v1/registry/households" in output, output[-2000:]
    assert secret not in output and "13812345678" not in output and "q=" not in output
    assert "fupin worker" in output or "job worker" in output or "后台任务" in output, "a job worker runs beside"


def test_the_audit_log_cannot_be_emptied(db):
    add_areas(db)
    statements = ["DELETE FROM audit_log"] + (["TRUNCATE audit_log"] if db.dialect == "postgresql" else [])
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"):
            with db.engine.begin() as conn:
                conn.execute(text(statement))
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() > 0
