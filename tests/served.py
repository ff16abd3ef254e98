"""fupin served the production way, in a process of its own, for tests that race real requests.

    def test_apply_once(db, served):
        base = served(db)                      # uvicorn in a subprocess on this test's database
        token = login(base, "county_a")
        answers = race(20, lambda: httpx.post(f"{base}/api/v1/…", headers=token))
        assert sorted(a.status_code for a in answers) == [200] + [409] * 19

TestClient runs requests one at a time in the test's own thread; only a served process shows what two
connections doing check-then-write at the same moment do to each other.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fupin.core.db import Database

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Database, *, workers: int = 1, extra_env: dict[str, str] | None = None,
                 log_path: Path | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = os.environ.copy()
    env.update({"FUPIN_DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
                "FUPIN_EMBEDDED_WORKER": "true" if workers == 1 else "false", **(extra_env or {})})
    command = [sys.executable, "-m", "uvicorn", "fupin.web.main:app", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers), "--log-level", "warning"]
    output = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a loaded 2-core CI machine starts a process slowly
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"fupin exited with {process.returncode}" + (
                f": {log_path.read_text(errors='replace')[-2000:]}" if log_path else ""))
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("fupin did not start within 120 s")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Callable[..., str]]:
    processes: list[subprocess.Popen] = []

    def serve(db: Database, **options: Any) -> str:
        db.engine.dispose()  # the test's own pooled connections must not hold SQLite locks the server needs
        process, base = start_server(db, log_path=tmp_path / f"served-{len(processes)}.log", **options)
        processes.append(process)
        return base

    yield serve
    for process in processes:
        stop_server(process)


def race(count: int, call: Callable[[], httpx.Response]) -> list[httpx.Response]:
    """`count` calls released at the same instant from their own threads; the answers in call order."""
    barrier = threading.Barrier(count)
    answers: list[Any] = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            answers[index] = call()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            answers[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    failures = [a for a in answers if not isinstance(a, httpx.Response)]
    assert not failures, failures
    return answers


def api_token(base: str, username: str, password: str) -> dict[str, str]:
    answer = httpx.post(f"{base}/api/v1/auth/token", json={"username": username, "password": password}, timeout=30)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def statuses(answers: list[httpx.Response]) -> list[int]:
    return sorted(a.status_code for a in answers)
