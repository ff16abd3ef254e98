"""Services figures (受理、按时办结、逾期、最多跑一次、满意) over a county, against a fetch-everything baseline in the
same run.

    python -m bench.bench_services_figures [--households 20000] [--requests-per-household 5] [--db sqlite|postgresql]

The demo county's areas and registry, then N requests per household bulk-written over one year in every state.
Measured: the indicator group `services` for the county (one GROUP BY per table, by village) and
`queries.request_figures` (one aggregate). Baseline: fetch every request row of the county and compute the same
figures with the pure `rules.figures` in Python (what a row-at-a-time implementation must at least read).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random

from sqlalchemy import select

from bench.common import fresh_database, machine, timed
from fupin.core.db import bulk_insert
from fupin.core.demo import DemoContext
from fupin.core.rollup import Context, new_figures
from fupin.core.scoping import Scope

YEAR = 2020
TODAY = dt.date(2021, 3, 1)
COLUMNS = ["household_id", "county_code", "area_code", "category_code", "description", "filed_via", "filed_by",
           "filed_on", "deadline_days", "due_on", "status", "done_on", "one_visit", "satisfaction", "reopened",
           "escalation_level", "created_at", "version"]


def build(kind: str, households: int, per_household: int):  # type: ignore[no-untyped-def]
    from fupin.areas import demo as areas_demo
    from fupin.registry import demo as registry_demo
    from fupin.registry.queries import households_select
    from fupin.services.models import ServiceRequest

    db = fresh_database(kind, "services_figures")
    ctx = DemoContext(db=db, seed=7, households=min(households, 175_000))
    areas_demo.build(ctx)
    ctx.households = households
    registry_demo.build(ctx)
    rng = random.Random(7)
    created = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    with db.engine.begin() as conn:
        found = households_select(Scope.of_area(ctx.county_code)).subquery()
        rows = []
        for hid, county, area in conn.execute(select(found.c.id, found.c.county_code, found.c.area_code)):
            for _ in range(per_household):
                filed = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
                days = rng.choice((3, 5, 7, 10))
                due = filed + dt.timedelta(days=days)
                status = rng.choices(("confirmed", "done", "assigned", "open", "reopened"), (60, 15, 10, 10, 5))[0]
                done = filed + dt.timedelta(days=rng.randint(0, days + 4)) if status in ("confirmed", "done") else None
                rows.append((hid, county, area, "documents", "诉求", "cadre", "bench", filed, days, due, status, done,
                             rng.random() < 0.7 if done else None,
                             rng.choice(("satisfied", "basic")) if status == "confirmed" else None, 0, 0, created, 1))
        bulk_insert(conn, ServiceRequest.__table__, COLUMNS, rows)
    return db, ctx, len(rows)


def baseline(session, scope: Scope):  # type: ignore[no-untyped-def]
    from fupin.services import rules
    from fupin.services.models import ServiceRequest as R

    facts = [rules.RequestFacts(*row) for row in session.execute(
        select(R.filed_on, R.due_on, R.status, R.done_on, R.one_visit, R.satisfaction)
        .where(scope.condition(R.area_code)))]
    return rules.figures(facts, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31), TODAY)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--requests-per-household", type=int, default=5)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    from fupin.services import queries
    from fupin.services.figures import GROUPS

    results: dict[str, float] = {}
    with timed(results, "build"):
        db, ctx, count = build(args.db, args.households, args.requests_per_household)
    scope = Scope.of_area(ctx.county_code)
    with db.session_factory() as session:
        queries.request_figures(session, scope, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31), TODAY)  # warm up
        with timed(results, "aggregate"):
            got = queries.request_figures(session, scope, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31), TODAY)
        with timed(results, "group"):
            figures = new_figures()
            GROUPS["services"](Context(session, scope, ctx.county_code, YEAR, TODAY), figures)
        with timed(results, "baseline"):
            expected = baseline(session, scope)
    assert got == expected, (got, expected)
    assert sum(v.get("requests_done_on_time", 0) for v in figures.values()) == expected.done_on_time
    print(f"machine: {machine()}")
    print(f"database: {args.db}; households: {ctx.facts.get('households')}, requests: {count}")
    print(f"build: {results['build']:.1f} s")
    print(f"request_figures (one aggregate): {results['aggregate']:.3f} s → {got}")
    print(f"indicator group by village ({len(figures)} villages): {results['group']:.3f} s")
    print(f"baseline (fetch every row, rules.figures in Python): {results['baseline']:.3f} s")
    print(f"ratio aggregate / baseline: {results['aggregate'] / results['baseline']:.2f}; "
          f"group / baseline: {results['group'] / results['baseline']:.2f}")


if __name__ == "__main__":
    main()
