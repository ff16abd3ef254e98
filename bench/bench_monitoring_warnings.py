"""Early warning (防返贫预警) over a county, against a fetch-everything baseline in the same run.

    python -m bench.bench_monitoring_warnings [--households 30000] [--db sqlite|postgresql]

The demo county (areas, registry with its ledger, monitoring demo hook) of ~30,000 households (~100,000 people).
Measured: `fupin.monitoring.queries.warnings` for the county — one set-based query per rule. Baseline: fetch
every household, latest income, member and latest check row of the county and evaluate the same pure rules in
Python (what a row-at-a-time implementation must at least read).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections import defaultdict

from sqlalchemy import select

from bench.common import fresh_database, machine, timed
from fupin.core.demo import DemoContext
from fupin.core.scoping import Scope

AS_OF = dt.date(2024, 1, 1)


def build(kind: str, households: int):  # type: ignore[no-untyped-def]
    from fupin.areas import demo as areas_demo
    from fupin.monitoring import demo as monitoring_demo
    from fupin.registry import demo as registry_demo

    db = fresh_database(kind, "monitoring_warnings")
    ctx = DemoContext(db=db, seed=7, households=min(households, 175_000))
    areas_demo.build(ctx)
    ctx.households = households
    registry_demo.build(ctx)
    monitoring_demo.build(ctx)
    return db, ctx


def baseline(session, scope: Scope) -> int:  # type: ignore[no-untyped-def]
    from fupin.monitoring import queries, rules
    from fupin.registry.models import Household, HouseholdCheck, HouseholdIncome, Person
    from fupin.registry.queries import poverty_lines

    table, lines = queries.thresholds(session), poverty_lines(session)
    households = session.execute(select(Household.id, Household.area_code)
                                 .where(scope.condition(Household.area_code),
                                        Household.status.in_(("exited", "monitored")))).all()
    incomes: dict[int, tuple] = {}  # type: ignore[type-arg]
    for r in session.execute(select(HouseholdIncome.household_id, HouseholdIncome.year, HouseholdIncome.per_capita_net)
                             .where(scope.condition(HouseholdIncome.area_code))):
        if r.household_id not in incomes or incomes[r.household_id][0] < r.year:
            incomes[r.household_id] = (r.year, r.per_capita_net)
    health: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for r in session.execute(select(Person.household_id, Person.health, Person.disability_grade)
                             .where(scope.condition(Person.area_code), Person.active)):
        health[r.household_id][0] += r.health == "serious"
        health[r.household_id][1] += r.health == "disabled" or r.disability_grade is not None
    checks: dict[int, tuple] = {}  # type: ignore[type-arg]
    for r in session.execute(select(HouseholdCheck.household_id, HouseholdCheck.year, HouseholdCheck.housing_ok)
                             .where(scope.condition(HouseholdCheck.area_code))):
        if r.household_id not in checks or checks[r.household_id][0] < r.year:
            checks[r.household_id] = (r.year, r.housing_ok)
    flagged = 0
    for h in households:
        year, income = incomes.get(h.id, (None, None))
        reasons = [rules.low_income_warning(income, year, None if year is None else
                                            rules.threshold_for(table, lines, year, h.area_code[:2])),
                   rules.illness_disability_warning(*health.get(h.id, [0, 0])),
                   rules.housing_warning(*reversed(checks.get(h.id, (None, None))))]
        flagged += any(reasons)
    return flagged


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=30_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    from fupin.monitoring import queries

    results: dict[str, float] = {}
    with timed(results, "build"):
        db, ctx = build(args.db, args.households)
    scope = Scope.of_area(ctx.county_code[:6])
    with db.session_factory() as session:
        queries.warnings(session, scope, as_of=AS_OF)  # warm the caches for both
        with timed(results, "warnings"):
            proposals = queries.warnings(session, scope, as_of=AS_OF)
        with timed(results, "baseline"):
            flagged = baseline(session, scope)
    print(f"machine: {machine()}")
    print(f"database: {args.db}; households: {ctx.facts.get('households')}, persons: {ctx.facts.get('persons')}")
    print(f"demo build: {results['build']:.1f} s")
    print(f"warnings (set-based, 5 rules): {results['warnings']:.3f} s, {len(proposals)} households proposed")
    print(f"baseline (fetch rows, 3 rules in Python): {results['baseline']:.3f} s, {flagged} households flagged")
    print(f"ratio warnings / baseline: {results['warnings'] / results['baseline']:.2f}")


if __name__ == "__main__":
    main()
