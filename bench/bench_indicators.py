"""All indicators for all levels: a 1,000,000-person province on PostgreSQL, a 100,000-person county on SQLite.

    python -m bench.bench_indicators [--pg-households 300000] [--sqlite-households 30000] [--reuse]

Builds the demo county (areas, accounts, registry with its ledger, relocation, orgs, pairing, employment, the
rural population) at the given size, then times `engine.compute` for the province (PostgreSQL) or the county
(SQLite) down to the village level, every indicator, and — as the baseline — one hand-written SQL statement
computing the same registry, check, exit-eligibility, pairing and population figures for every level (GROUPING
SETS over the code prefixes on PostgreSQL; one GROUP BY per village folded by the same code on SQLite, which
has no GROUPING SETS). The ratio compares the engine restricted to those same figures with the baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from sqlalchemy import text

from bench.common import PG_URL, fresh_database, machine
from fupin.core.db import Database
from fupin.core.demo import DemoContext
from fupin.core.scoping import Scope

NAME = "indicators"
YEAR = 2020
SAME_FIGURES = ["registered_households", "registered_people", "remaining_poor_households", "remaining_poor_people",
                "exited_households_year", "exited_people_year", "rural_population", "poverty_incidence",
                "eligible_not_exited", "checked_households", "food_ok_households", "housing_ok_households",
                "paired_households", "visited_30d_households"]


def build(kind: str, households: int) -> Database:
    db = fresh_database(kind, f"{NAME}_{kind}")
    ctx = DemoContext(db=db, seed=1, households=households)
    from fupin.accounts import demo as accounts_demo
    from fupin.areas import demo as areas_demo
    from fupin.employment import demo as employment_demo
    from fupin.indicators import demo as indicators_demo
    from fupin.orgs import demo as orgs_demo
    from fupin.pairing import demo as pairing_demo
    from fupin.registry import demo as registry_demo
    from fupin.relocation import demo as relocation_demo

    start = time.perf_counter()
    for part in (areas_demo, accounts_demo, registry_demo, relocation_demo, orgs_demo, pairing_demo, employment_demo,
                 indicators_demo):
        part.build(ctx)
    if kind == "postgresql":
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    print(f"{kind}: built {ctx.facts['households']:,} households / {ctx.facts['persons']:,} people in "
          f"{time.perf_counter() - start:.0f} s")
    return db


BASELINE_PARTS = """
WITH h AS (SELECT id, area_code,
                  CASE WHEN registration_year <= :y THEN 1 ELSE 0 END AS registered,
                  CASE WHEN registration_year <= :y AND (status IN {poor}
                            OR (status IN ('exited', 'monitored') AND exit_year > :y)) THEN 1 ELSE 0 END AS poor,
                  CASE WHEN status IN ('exited', 'monitored') AND exit_year = :y THEN 1 ELSE 0 END AS exited
           FROM households WHERE area_code >= :lo AND area_code < :hi),
rows AS (
  SELECT substr(h.area_code, 1, 12) AS k, sum(h.registered) AS hh, sum(h.poor) AS poor_hh, sum(h.exited) AS exit_hh,
         0 AS people, 0 AS poor_people, 0 AS exit_people, 0 AS pop, 0 AS eligible, 0 AS checked, 0 AS food,
         0 AS housing, 0 AS paired, 0 AS visited
  FROM h GROUP BY 1
  UNION ALL
  SELECT substr(p.area_code, 1, 12), 0, 0, 0, sum(h.registered), sum(h.poor), sum(h.exited), 0, 0, 0, 0, 0, 0, 0
  FROM persons p JOIN h ON h.id = p.household_id WHERE p.active AND p.area_code >= :lo AND p.area_code < :hi
  GROUP BY 1
  UNION ALL
  SELECT substr(area_code, 1, 12), 0, 0, 0, 0, 0, 0, sum(rural_population), 0, 0, 0, 0, 0, 0
  FROM indicator_rural_populations WHERE year = :y AND area_code >= :lo AND area_code < :hi GROUP BY 1
  UNION ALL
  SELECT substr(h.area_code, 1, 12), 0, 0, 0, 0, 0, 0, 0, count(*), 0, 0, 0, 0, 0
  FROM h JOIN household_incomes i ON i.household_id = h.id AND i.year = :y
         JOIN household_checks c ON c.household_id = h.id AND c.year = :y
  WHERE h.poor = 1 AND i.per_capita_net > :line AND c.food_ok AND c.clothing_ok AND c.education_ok
        AND c.medical_ok AND c.housing_ok AND c.water_quality_ok
        AND c.water_litres_per_person_day >= CASE WHEN c.water_short_area THEN 20 ELSE 35 END
        AND (c.water_trip_minutes IS NULL OR c.water_trip_minutes <= 20)
        AND (c.water_outage_days IS NULL OR c.water_outage_days <= 36)
        AND NOT EXISTS (SELECT 1 FROM persons m WHERE m.household_id = h.id AND m.active
                        AND (NOT m.medical_insurance OR (m.birth_date <= :young AND m.birth_date > :old
                                                         AND m.schooling IN ('not_in_school', 'dropout'))))
  GROUP BY 1
  UNION ALL
  SELECT substr(area_code, 1, 12), 0, 0, 0, 0, 0, 0, 0, 0, count(*), sum(CASE WHEN food_ok THEN 1 ELSE 0 END),
         sum(CASE WHEN housing_ok THEN 1 ELSE 0 END), 0, 0
  FROM household_checks WHERE year = :y AND area_code >= :lo AND area_code < :hi GROUP BY 1
  UNION ALL
  SELECT substr(h.area_code, 1, 12), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
         sum(CASE WHEN pr.household_id IS NOT NULL THEN 1 ELSE 0 END),
         sum(CASE WHEN v.last_visit >= :since AND v.last_visit <= :day THEN 1 ELSE 0 END)
  FROM h LEFT JOIN (SELECT household_id FROM pairs WHERE started_on <= :day AND (ended_on IS NULL OR ended_on > :day)
                    AND area_code >= :lo AND area_code < :hi GROUP BY household_id) pr ON pr.household_id = h.id
         LEFT JOIN (SELECT household_id, max(visited_on) AS last_visit FROM visits
                    WHERE area_code >= :lo AND area_code < :hi GROUP BY household_id) v ON v.household_id = h.id
  WHERE h.poor = 1 GROUP BY 1
)
"""
SUMS = ("sum(hh), sum(poor_hh), sum(exit_hh), sum(people), sum(poor_people), sum(exit_people), sum(pop), "
        "sum(eligible), sum(checked), sum(food), sum(housing), sum(paired), sum(visited)")


def baseline_sql(kind: str) -> str:
    from fupin.registry.vocab import ACTIVE_POOR_STATUSES

    head = BASELINE_PARTS.format(poor="(" + ", ".join(f"'{s}'" for s in ACTIVE_POOR_STATUSES) + ")")
    if kind == "postgresql":
        return head + (f"SELECT substr(k, 1, 2), substr(k, 1, 4), substr(k, 1, 6), substr(k, 1, 9), k, {SUMS} "
                       "FROM rows GROUP BY GROUPING SETS ((substr(k, 1, 2)), (substr(k, 1, 4)), (substr(k, 1, 6)), "
                       "(substr(k, 1, 9)), (k))")
    return head + f"SELECT k, {SUMS} FROM rows GROUP BY k"


def timings(call, repeat: int) -> float:  # type: ignore[no-untyped-def]
    call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run(kind: str, db: Database, area: str, repeat: int) -> tuple[float, float, float]:
    from fupin.indicators import engine
    from fupin.registry.queries import poverty_lines

    day = dt.date(YEAR, 12, 31)
    with db.session_factory() as session:
        line = poverty_lines(session)[(YEAR, "00")]
        people = session.execute(text("SELECT count(*) FROM persons")).scalar()
    prefix = area.rstrip("0")[:6] if len(area.rstrip("0")) > 2 else area[:2]
    hi = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    # SQLite gives the text the column's numeric affinity; PostgreSQL takes the Decimal.
    params = {"lo": prefix, "hi": hi, "y": YEAR, "line": line if kind == "postgresql" else str(line), "day": day, "since": day - dt.timedelta(days=30),
              # school age (6–15 on 1 September of the year): born in (1 Sep Y−16, 1 Sep Y−6]
              "young": dt.date(YEAR - 6, 9, 1), "old": dt.date(YEAR - 16, 9, 1)}
    if kind == "sqlite":
        params |= {"young": params["young"].isoformat(), "old": params["old"].isoformat()}
    statement = text(baseline_sql(kind))

    def everything() -> None:
        with db.session_factory() as session:
            engine.compute(session, Scope.everything(), area, YEAR, day=day)

    def same() -> None:
        with db.session_factory() as session:
            engine.compute(session, Scope.everything(), area, YEAR, codes=SAME_FIGURES, day=day)

    def baseline() -> None:
        with db.engine.connect() as conn:
            conn.execute(statement, params).all()

    with db.session_factory() as session:
        table = engine.compute(session, Scope.everything(), area, YEAR, codes=SAME_FIGURES, day=day)
        with db.engine.connect() as conn:
            rows = conn.execute(statement, params).all()
    root = table.root().values
    if kind == "postgresql":
        top = next(r for r in rows if r[0] is not None and r[1] is None and r[2] is None and r[3] is None
                   and r[4] is None)[5:]
    else:
        top = [sum(r[i] or 0 for r in rows) for i in range(1, 14)]
    assert int(top[0]) == root["registered_households"].value, (top, root["registered_households"])
    assert int(top[3]) == root["registered_people"].value and int(top[7]) == root["eligible_not_exited"].value
    assert int(top[11]) == root["paired_households"].value
    print(f"{kind}: {people:,} people, area {area}, {len(table.rows)} areas in the table")
    return timings(everything, repeat), timings(same, repeat), timings(baseline, repeat)


def dashboard(db: Database) -> float:
    """The county dashboard through the app (routing, auth, scoping, all its queries, template)."""
    from fastapi.testclient import TestClient

    from fupin.web.app import create_app

    client = TestClient(create_app(db=db))
    csrf = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"username": "demo_county", "password": "demo-county-2026", "csrf_token": csrf,
                                "next": "/"})

    def get() -> None:
        response = client.get(f"/indicators?area=530326000000&year={YEAR}")
        assert response.status_code == 200, response.text[:200]

    return timings(get, 5)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg-households", type=int, default=300_000)
    parser.add_argument("--sqlite-households", type=int, default=30_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    print(machine())
    failed = False
    for kind, households, area, limit in (("postgresql", args.pg_households, "530000000000", 10.0),
                                          ("sqlite", args.sqlite_households, "530326000000", 3.0)):
        if args.only and args.only != kind:
            continue
        if args.reuse:
            from sqlalchemy.engine import make_url

            from bench.common import OUT
            url = (make_url(PG_URL).set(database=f"bench_{NAME}_{kind}").render_as_string(hide_password=False)
                   if kind == "postgresql" else f"sqlite:///{OUT / f'{NAME}_{kind}.db'}")
            db = Database(url)
        else:
            db = build(kind, households)
        everything, same, baseline = run(kind, db, area, repeat=3)
        ratio = same / baseline
        print(f"{kind}: all indicators, all levels: {everything:.2f} s (limit {limit:.0f} s)")
        print(f"{kind}: same figures as the hand-written SQL: engine {same:.2f} s, SQL {baseline:.2f} s, "
              f"ratio {ratio:.2f} (limit 2.0)")
        failed |= everything > limit or (kind == "postgresql" and ratio > 2.0)
        if kind == "sqlite":
            page = dashboard(db)
            print(f"sqlite: dashboard page (county, all its figures, 5-year trend): {page:.2f} s (limit 1 s)")
            failed |= page > 1.0
        db.dispose()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
