"""A job is a row every process sees: submitted through one web process, watched with its progress through
another, run by a `fupin worker`, and finished by a new worker after the first one was killed mid-way."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

from fupin.core.demo import DemoContext
from fupin.registry.models import Household
from tests.factories import PASSWORD, add_user
from tests.served import api_token

ROOT = Path(__file__).resolve().parents[2]
HOUSEHOLDS = 12_000


def _county_workbook(db) -> bytes:  # type: ignore[no-untyped-def]
    """A registry import file of the demo county's shape (areas built in `db`), as a cadre would upload it."""
    from fupin.areas import demo as areas_demo
    from fupin.areas.service import load_package_map
    from fupin.core.audit import Actor
    from fupin.core.uow import UnitOfWork
    from fupin.registry import demo as registry_demo
    from fupin.registry.fields import FIELDS
    from fupin.registry.vocab import CAUSES, POVERTY_ATTRIBUTES, RELATIONS

    with UnitOfWork(db, Actor.system("test")) as uow:
        load_package_map(uow)
    ctx = DemoContext(db=db, seed=11, households=HOUSEHOLDS)
    areas_demo.build(ctx)
    index = {f.key: i for i, f in enumerate(FIELDS)}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f.header for f in FIELDS])
    households: dict[int, tuple] = {}
    for batch_h, batch_p in registry_demo.generate(ctx, 1, 1):
        households.update({h[0]: h for h in batch_h})
        for p in batch_p:
            h = households[p[1]]
            row = [""] * len(FIELDS)
            row[index["household_no"]], row[index["area_code"]] = h[3], h[2]
            row[index["poverty_attribute"]], row[index["main_cause"]] = POVERTY_ATTRIBUTES[h[7]], CAUSES[h[8]]
            row[index["registration_year"]] = str(h[10])
            row[index["name"]], row[index["id_number"]], row[index["relation"]] = p[6], p[4], RELATIONS[p[9]]
            writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def _worker(db) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    return subprocess.Popen([sys.executable, "-m", "fupin", "worker", "--db",
                             db.engine.url.render_as_string(hide_password=False)], cwd=ROOT, env=os.environ.copy(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _poll(base: str, headers: dict[str, str], job_id: str, until, seconds: float = 300) -> dict:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = httpx.get(f"{base}/api/v1/jobs/{job_id}", headers=headers, timeout=30).json()
        if until(job):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job never reached the state asked for: {job}")


def test_a_job_is_seen_with_its_progress_from_another_process_and_survives_a_restart(db, served):
    data = _county_workbook(db)
    add_user(db, "county_a", "county", "530326000000")
    no_jobs = {"FUPIN_EMBEDDED_WORKER": "false"}
    web_a, web_b = served(db, extra_env=no_jobs), served(db, extra_env=no_jobs)
    headers = api_token(web_a, "county_a", PASSWORD)
    started = httpx.post(f"{web_a}/api/v1/registry/imports", headers=headers, timeout=60,
                         files={"file": ("会泽县.csv", data, "text/csv")}, data={"mode": "all-or-nothing"})
    assert started.status_code == 202, started.text
    job_id = started.json()["job_id"]
    assert _poll(web_b, headers, job_id, lambda j: True)["status"] == "queued", "seen from the other process"

    first = _worker(db)
    try:
        running = _poll(web_b, headers, job_id, lambda j: j["status"] == "running" and j["done"] > 0)
        assert 0 < running["done"] < running["total"] or running["phase"], running
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Household)) == 0, "the killed run wrote nothing"

    second = _worker(db)
    try:
        done = _poll(web_b, headers, job_id, lambda j: j["status"] in ("done", "failed"))
    finally:
        second.terminate()
        second.wait(timeout=30)
    assert done["status"] == "done", done
    assert done["result"]["committed"] and done["result"]["inserted"] == HOUSEHOLDS
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Household)) == HOUSEHOLDS, "nothing twice"
