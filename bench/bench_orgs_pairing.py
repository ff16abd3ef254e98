"""Coverage over a province-sized county and the pairing plan, each against a baseline in the same run.

    python -m bench.bench_orgs_pairing [--households 300000] [--db postgresql|sqlite]

The demo county is built with the areas, registry, orgs and pairing demo hooks: 300,000 households are
about 1,000,000 people and get 70,000 cadres (orgs demo: 70 cadres per 300 households) and existing pairs.
- coverage: every rule over the county (set-based SQL) vs the household-helper rule alone computed the naive
  way (every household and every active pair loaded into Python).
- pairing: `compute_plan` (read + min-cost flow per component) vs the greedy baseline on the same inputs;
  costs are (unpaired, broken existing pairs, out-of-village pairs) and the weighted objective.
- apply: `apply_plan` of the saved plan (plan row and every cadre of the county held FOR UPDATE, fingerprint
  recomputed, pairs ended and added, audit row) vs the bare write it has to make (the same pairs ended and
  inserted, nothing checked) on a copy of the same state: the price of applying race-free and exactly once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from sqlalchemy import select, update

from bench.common import fresh_database, machine, timed
from fupin.core.audit import Actor
from fupin.core.db import bulk_insert, utcnow
from fupin.core.demo import DemoContext
from fupin.core.scoping import Scope
from fupin.core.sql import chunks, rows_in
from fupin.core.uow import UnitOfWork
from fupin.orgs import coverage
from fupin.pairing import planner, service
from fupin.pairing.models import Pair
from fupin.pairing.queries import active_pairs_select
from fupin.registry.queries import households_subquery


def build(kind: str, households: int):  # type: ignore[no-untyped-def]
    from fupin.areas import demo as areas_demo
    from fupin.orgs import demo as orgs_demo
    from fupin.pairing import demo as pairing_demo
    from fupin.registry import demo as registry_demo

    # The areas demo draws village names from 30 × 25 syllables and loops forever past 750 distinct names
    # (a county of 300,000 households has 1,200 villages): widen the syllables for this run only.
    if len(areas_demo._FIRST) * len(areas_demo._SECOND) < 2 * households // areas_demo.HOUSEHOLDS_PER_VILLAGE:
        areas_demo._FIRST = areas_demo._FIRST + "甲乙丙丁戊己庚辛壬癸春夏秋冬梅兰菊"
    db = fresh_database(kind, "orgs_pairing")
    ctx = DemoContext(db=db, seed=1, households=households)
    for part in (areas_demo, registry_demo, orgs_demo, pairing_demo):
        part.build(ctx)
    if kind == "postgresql":
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    return db, ctx


def naive_helper_rule(db, scope: Scope) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    from fupin.registry.queries import households_select

    with db.session_factory() as session:
        households = [row.id for row in session.execute(households_select(scope))]
        helped = {row.household_id for row in session.execute(active_pairs_select(scope))}
    return sum(1 for h in households if h in helped), len(households)


def bare_write(session, plan: dict) -> None:  # type: ignore[no-untyped-def]
    """What applying the plan writes, with no check at all (the baseline of `apply_plan`)."""
    today, now = dt.date.today(), utcnow()
    for chunk in chunks([e["pair_id"] for e in plan["end"]], 5000):
        session.execute(update(Pair).where(Pair.id.in_(chunk), Pair.ended_on.is_(None))
                        .values(ended_on=today, end_reason="bench"))
    households = households_subquery(Scope(plan["scope_prefix"]))
    area = {row.id: row.area_code for row in rows_in(
        session, lambda ids: select(households.c.id, households.c.area_code).where(households.c.id.in_(ids)),
        [a["household_id"] for a in plan["add"]])}
    bulk_insert(session.connection(), Pair.__table__, ["household_id", "cadre_id", "area_code", "started_on", "created_at"],
                [(a["household_id"], a["cadre_id"], area[a["household_id"]], today, now) for a in plan["add"]])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="postgresql")
    args = parser.parse_args()
    print(machine(), flush=True)
    results: dict[str, float] = {}
    with timed(results, "build"):
        db, ctx = build(args.db, args.households)
    print(f"[{args.db}] demo county: {ctx.facts['households']:,} households, {ctx.facts['persons']:,} people, "
          f"{ctx.facts['cadres']:,} cadres, {ctx.facts['pairs']:,} existing pairs, built in {results['build']:.1f} s")
    scope = Scope.of_area(ctx.county_code)

    with timed(results, "coverage"), db.session_factory() as session:
        rules = coverage.evaluate(session, scope)
    with timed(results, "naive"):
        naive_covered, naive_total = naive_helper_rule(db, scope)
    helper = next(r for r in rules if r.key == "household_helper")
    assert (helper.covered, helper.total) == (naive_covered, naive_total)
    print(f"[{args.db}] coverage, all {len(rules)} rules over {ctx.facts['persons']:,} people: "
          f"{results['coverage']:.2f} s (household-helper rate {helper.rate}%)")
    print(f"[{args.db}] baseline, the household-helper rule alone loaded into Python: {results['naive']:.2f} s; "
          f"ratio baseline/all-rules: {results['naive'] / results['coverage']:.2f}x")

    with timed(results, "plan"):
        plan = service.compute_plan(UnitOfWork(db, Actor.system("bench")), ctx.county_code)
    with db.session_factory() as session:
        inputs = service.load_inputs(session, scope, dt.date.fromisoformat(plan["day"]))
    start = time.perf_counter()
    greedy = planner.greedy_plan(inputs["households"], inputs["cadres"], inputs["existing"], inputs["quotas"])
    results["greedy"] = time.perf_counter() - start
    flow_cost, greedy_cost = plan["cost"], greedy.cost()
    print(f"[{args.db}] pairing plan for {plan['households']:,} households / {plan['cadres']:,} cadres "
          f"(read + flow): {results['plan']:.2f} s; greedy baseline (in memory): {results['greedy']:.2f} s")
    for name, cost in (("flow", flow_cost), ("greedy", greedy_cost)):
        print(f"[{args.db}]   {name:6}: unpaired {cost['unpaired']:,}, broken {cost['broken']:,}, "
              f"out-of-village {cost['out_of_village']:,}, kept {cost['kept']:,}, added {cost['added']:,}, "
              f"weighted {planner.weighted_cost(cost):,}")
    ratio = planner.weighted_cost(greedy_cost) / max(1, planner.weighted_cost(flow_cost))
    print(f"[{args.db}] ratio greedy/flow weighted cost: {ratio:.3f} (≥ 1 means the flow is no worse)")
    for part in ("unpaired", "broken", "out_of_village"):
        print(f"[{args.db}]   ratio greedy/flow {part}: "
              f"{greedy_cost[part] / max(1, flow_cost[part]):.2f}x ({greedy_cost[part]:,} / {flow_cost[part]:,})")
    assert flow_cost["unpaired"] <= greedy_cost["unpaired"] and ratio >= 1

    stored = service.save_plan(UnitOfWork(db, Actor.system("bench")), plan).id
    with timed(results, "bare"), db.session_factory() as session:
        bare_write(session, plan)
        session.rollback()  # the same state for the real apply
    with timed(results, "apply"):
        counts = service.apply_plan(UnitOfWork(db, Actor.system("bench")), stored)
    print(f"[{args.db}] apply (locks, fingerprint, {counts['ended']:,} ended, {counts['added']:,} added, audit): "
          f"{results['apply']:.2f} s; baseline, the bare writes alone: {results['bare']:.2f} s; "
          f"ratio apply/bare: {results['apply'] / results['bare']:.2f}x")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
