"""Shared set-up for benchmarks: a fresh database of either kind, migrated, with China's areas loaded."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from fupin.areas.service import load_package_map
from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.migrations import upgrade
from fupin.core.uow import UnitOfWork

os.environ.setdefault("FUPIN_SECRET_KEY", "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
PG_URL = os.environ.get("FUPIN_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
OUT = Path(__file__).parent / "out"


def machine() -> str:
    cpu = "unknown cpu"
    try:
        cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                             capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    return (f"{platform.node()}: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}; "
            f"calibration {calibration():.2f} s")


def calibration() -> float:
    """Seconds for a fixed pure-Python loop (10 M additions; best of 3). The virtual machines these benchmarks
    run on vary in speed from hour to hour (shared hosts); this number lets two results be compared."""
    def spin() -> float:
        start = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        return time.perf_counter() - start

    return min(spin() for _ in range(3))


def fresh_database(kind: str, name: str) -> Database:
    if kind == "sqlite":
        OUT.mkdir(exist_ok=True)
        path = OUT / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        db = Database(f"sqlite:///{path}")
    else:
        url = make_url(PG_URL)
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "bench_{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "bench_{name}"'))
        admin.dispose()
        db = Database(url.set(database=f"bench_{name}").render_as_string(hide_password=False))
    upgrade(db.engine)
    with UnitOfWork(db, Actor.system("bench")) as uow:
        load_package_map(uow)
    return db


@contextmanager
def timed(results: dict[str, float], key: str):
    start = time.perf_counter()
    yield
    results[key] = time.perf_counter() - start
