"""Household list, search and household page at 1,000,000 people on PostgreSQL (server time, in process).

    python -m bench.bench_registry_pages [--households 300000] [--reuse]

Builds the demo county's areas and registry (with its ledger) at the given size once, then times each request
through the app (routing, auth, scoping, queries, template) and, as the baseline, a hand-written SQL query
returning the same rows. Prints median and 95th percentile per request and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from fastapi.testclient import TestClient
from sqlalchemy import text

from bench.common import PG_URL, fresh_database, machine
from fupin.core.db import Database
from fupin.core.demo import DemoContext

NAME = "registry_pages"
HASH = None


def build(households: int) -> Database:
    db = fresh_database("postgresql", NAME)
    ctx = DemoContext(db=db, seed=1, households=households)
    from fupin.accounts import demo as accounts_demo
    from fupin.areas import demo as areas_demo
    from fupin.registry import demo as registry_demo

    start = time.perf_counter()
    areas_demo.build(ctx)
    accounts_demo.build(ctx)
    registry_demo.build(ctx)
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    print(f"built {ctx.facts['households']:,} households / {ctx.facts['persons']:,} people in "
          f"{time.perf_counter() - start:.0f} s")
    return db


def timings(call, repeat: int = 30) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    call()  # warm caches and plans
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--reuse", action="store_true", help="reuse the database of an earlier run")
    args = parser.parse_args()
    print(machine())
    if args.reuse:
        from sqlalchemy.engine import make_url

        db = Database(make_url(PG_URL).set(database=f"bench_{NAME}").render_as_string(hide_password=False))
    else:
        db = build(args.households)
    from fupin.web.app import create_app

    with db.engine.connect() as conn:
        people = conn.execute(text("SELECT count(*) FROM persons")).scalar()
        sample = conn.execute(text(
            "SELECT h.id, h.household_no, p.name, p.id_number FROM households h JOIN persons p "
            "ON p.household_id = h.id WHERE p.relation = 'head' ORDER BY h.id DESC LIMIT 1")).one()
    print(f"database: {people:,} people")
    from fupin.registry.rules import name_initials

    initials = name_initials(sample.name)
    from fupin.registry.idnumbers import id_hash
    from fupin.registry.service import pii_key

    global HASH
    HASH = lambda number: id_hash(pii_key(), number)  # noqa: E731
    client = TestClient(create_app(db=db))
    token = client.post("/api/v1/auth/token", json={"username": "demo_county", "password": "demo-county-2026"})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    page_csrf = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"username": "demo_county", "password": "demo-county-2026",
                                "csrf_token": page_csrf, "next": "/"})

    def get(url: str, **kw) -> None:  # type: ignore[no-untyped-def]
        response = client.get(url, **kw)
        assert response.status_code == 200, (url, response.status_code, response.text[:200])

    def sql(statement: str, **params) -> None:  # type: ignore[no-untyped-def]
        with db.engine.connect() as conn:
            conn.execute(text(statement), params).all()

    cases = [
        ("list page (county, first 30)", lambda: get("/registry"),
         lambda: sql("SELECT * FROM households WHERE area_code >= '530326' AND area_code < '530327' "
                     "ORDER BY area_code, id LIMIT 31")),
        ("list filtered by status", lambda: get("/registry?status=helped"),
         lambda: sql("SELECT * FROM households WHERE area_code >= '530326' AND area_code < '530327' "
                     "AND status = 'helped' ORDER BY area_code, id LIMIT 31")),
        ("API search by name", lambda: get("/api/v1/registry/households", params={"q": sample.name}, headers=headers),
         lambda: sql("SELECT h.* FROM households h WHERE h.id IN (SELECT id FROM households WHERE head_name = :n "
                     "UNION SELECT household_id FROM persons WHERE name = :n AND active) "
                     "ORDER BY h.area_code, h.id LIMIT 51", n=sample.name)),
        ("API search by ID number", lambda: get("/api/v1/registry/households", params={"q": sample.id_number},
                                                headers=headers),
         lambda: sql("SELECT h.* FROM households h JOIN persons p ON p.household_id = h.id "
                     "WHERE p.id_hash = :h AND p.active", h=HASH(sample.id_number))),
        ("API search by household number", lambda: get("/api/v1/registry/households",
                                                       params={"q": sample.household_no}, headers=headers),
         lambda: sql("SELECT * FROM households WHERE household_no = :n", n=sample.household_no)),
        # issue 17: finding a household as people search
        ("API search by pinyin initials", lambda: get("/api/v1/registry/households", params={"q": initials},
                                                      headers=headers),
         lambda: sql("SELECT h.* FROM households h WHERE h.id IN (SELECT household_id FROM persons "
                     "WHERE name_initials = :i AND active LIMIT 1000) ORDER BY h.area_code, h.id LIMIT 51",
                     i=initials)),
        ("API search by part of a name", lambda: get("/api/v1/registry/households", params={"q": sample.name[1:]},
                                                     headers=headers),
         lambda: sql("SELECT h.* FROM households h WHERE h.id IN (SELECT household_id FROM persons "
                     "WHERE name = :n AND active) ORDER BY h.area_code, h.id LIMIT 51", n=sample.name)),
        ("API search by last 4 digits", lambda: get("/api/v1/registry/households",
                                                    params={"q": sample.household_no[-4:]}, headers=headers),
         lambda: sql("SELECT * FROM households WHERE household_no = :n", n=sample.household_no)),
        ("API search by full-width ID", lambda: get("/api/v1/registry/households", params={
            "q": "".join(chr(ord(c) + 0xFEE0) for c in sample.id_number)}, headers=headers),
         lambda: sql("SELECT h.* FROM households h JOIN persons p ON p.household_id = h.id "
                     "WHERE p.id_hash = :h AND p.active", h=HASH(sample.id_number))),
        ("household page", lambda: get(f"/registry/households/{sample.id}"),
         lambda: sql("SELECT * FROM households h LEFT JOIN persons p ON p.household_id = h.id "
                     "LEFT JOIN household_incomes i ON i.household_id = h.id WHERE h.id = :i", i=sample.id)),
    ]
    print(f"{'request':34} {'median ms':>10} {'p95 ms':>8} {'SQL ms':>8} {'ratio':>6}")
    for name, request, baseline in cases:
        median, p95 = timings(request)
        base, _ = timings(baseline)
        verdict = "OK" if p95 < 100 else "MISSED"
        print(f"{name:34} {median:10.1f} {p95:8.1f} {base:8.1f} {median / base:6.1f}  (<100 ms: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
