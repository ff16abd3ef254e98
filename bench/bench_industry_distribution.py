"""A distribution run over 100,000 registered households, against a naive loop.

    python -m bench.bench_industry_distribution [--households 100000] [--villages 500] [--db sqlite|postgresql|both]

1. Computing the split (pure): `industry.rules.distribute` (integer units, largest remainder by one sort per
   level) against a naive per-household loop in Decimal that hands the odd cents out one at a time, scanning for
   the largest remainder each time. Both must give the same parts (checked).
2. The preview use case end to end (read 100,000 households, compute, write ~101,000 parts with executemany),
   and the same parts written by a naive ORM loop (add + flush per row), on each database.
3. The confirmation (every household's income row of the year, held and updated through the registry's
   service; the collectives' income) — timed, no baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from sqlalchemy import insert, select

from bench.common import fresh_database, machine
from fupin.areas.models import Area
from fupin.core.audit import Actor
from fupin.core.uow import UnitOfWork
from fupin.industry import schemas, service
from fupin.industry.models import RunPart
from fupin.industry.rules import HouseholdIn, RunConfig, VillageIn, distribute
from fupin.registry.models import Household

COUNTY = "210423000000"
TOTAL = Decimal("12345678.91")
CAP = Decimal("150.00")


def villages_of(households: int, villages: int) -> list[VillageIn]:
    out = []
    per = households // villages
    hid = 0
    for v in range(villages):
        code = f"210423{100 + v // 100:03d}{200 + v % 100:03d}"
        count = per + (1 if v < households % villages else 0) + (v % 7)  # uneven villages
        count = max(1, count - 3)
        rows = []
        for n in range(count):
            hid += 1
            rows.append(HouseholdIn(hid, f"{code}{n:05d}", (n * 7 + v) % 10 < 6))
        out.append(VillageIn(code, registered_households=count, households=tuple(rows)))
    return out


def naive(total: Decimal, config: RunConfig, villages: list[VillageIn]) -> tuple[Decimal, list[Decimal], dict[int, Decimal],
                                                                                list[Decimal]]:
    """The textbook loop: every share in Decimal, the odd cents one at a time to the largest remainder (a scan each
    time), households paid one cent at a time round the table up to the cap."""
    cent = Decimal("0.01")

    def largest_remainder(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
        weight_sum = sum(weights, Decimal(0))
        exact = [Fraction(amount) * Fraction(w) / Fraction(weight_sum) for w in weights]
        parts = [Decimal(float(x)).quantize(cent, rounding=ROUND_DOWN) for x in exact]
        parts = [p if Fraction(p) <= x else p - cent for p, x in zip(parts, exact, strict=True)]
        while sum(parts, Decimal(0)) < amount:
            best = max(range(len(parts)), key=lambda i: (exact[i] - Fraction(parts[i]), -i))
            parts[best] += cent
        return parts

    ordered = sorted(villages, key=lambda v: v.code)
    enterprise, rest = largest_remainder(total, [config.enterprise_percent, 100 - config.enterprise_percent])
    shares = largest_remainder(rest, [Decimal(v.registered_households) for v in ordered])
    paid: dict[int, Decimal] = {}
    collectives = []
    for village, share in zip(ordered, shares, strict=True):
        below = sorted((h for h in village.households if h.below_standard), key=lambda h: (h.household_no, h.id))
        amounts = {h.id: Decimal("0.00") for h in below}
        left = share
        each = (share / len(below)).quantize(cent, rounding=ROUND_DOWN) if below else Decimal(0)
        for h in below:
            give = min(each, CAP)
            amounts[h.id] += give
            left -= give
        while below and left > 0 and any(amounts[h.id] < CAP for h in below):
            for h in below:
                if left > 0 and amounts[h.id] < CAP:
                    amounts[h.id] += cent
                    left -= cent
        paid.update(amounts)
        collectives.append(left)
    return enterprise, shares, paid, collectives


def compute(households: int, villages: int) -> None:
    vs = villages_of(households, villages)
    n = sum(len(v.households) for v in vs)
    config = RunConfig(enterprise_percent=Decimal(40), household_cap=CAP)
    start = time.perf_counter()
    fast = distribute(TOTAL, config, vs)
    fast_s = time.perf_counter() - start
    start = time.perf_counter()
    enterprise, shares, paid, collectives = naive(TOTAL, config, vs)
    naive_s = time.perf_counter() - start
    assert fast.enterprise == enterprise
    assert [v.amount for v in fast.villages] == shares
    assert {h.id: h.amount for v in fast.villages for h in v.households} == paid
    assert [v.collective for v in fast.villages] == collectives
    print(f"compute: {n:,} households in {len(vs)} villages: distribute {fast_s:.3f} s, naive loop {naive_s:.3f} s "
          f"(same parts); naive/distribute = {naive_s / fast_s:.1f}x")


def _seed(db, vs: list[VillageIn]) -> None:  # type: ignore[no-untyped-def]
    with db.engine.begin() as conn:
        townships = sorted({v.code[:9] + "000" for v in vs})
        existing = set(conn.scalars(select(Area.code).where(Area.code.like("210423%"))))
        conn.execute(insert(Area), [{"code": t, "name": f"乡{t[6:9]}", "level": "township", "parent_code": COUNTY}
                                    for t in townships if t not in existing] +
                     [{"code": v.code, "name": f"村{v.code[6:]}", "level": "village", "parent_code": v.code[:9] + "000"}
                      for v in vs if v.code not in existing])
        rows = [{"county_code": "210423", "area_code": v.code, "household_no": h.household_no, "head_name": "户主",
                 "poverty_attribute": "general", "main_cause": "no_skill", "registration_year": 2015,
                 "status": "helped" if h.below_standard else "exited", "member_count": 3,
                 "created_at": dt.datetime(2024, 1, 1, tzinfo=dt.UTC), "updated_at": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
                 "version": 1} for v in vs for h in v.households]
        for start in range(0, len(rows), 10_000):
            conn.execute(insert(Household), rows[start:start + 10_000])


def database(kind: str, households: int, villages: int) -> None:
    vs = villages_of(households, villages)
    db = fresh_database(kind, "industry_distribution")
    _seed(db, vs)
    with UnitOfWork(db, Actor.system("bench")) as uow:
        entity = service.create_entity(uow, schemas.EntityCreate(name="天福菌业有限公司", kind="enterprise",
                                                                  industry="fungus", area_code=COUNTY))
    data = schemas.RunCreate(period="2017秋", total=TOTAL, enterprise_percent=Decimal(40), household_cap=CAP,
                             area_code=COUNTY)
    start = time.perf_counter()
    run, dist = service.preview_run(UnitOfWork(db, Actor.system("bench")), entity.id, data)
    preview_s = time.perf_counter() - start
    with db.session_factory() as session:
        parts = [dict(run_id=p.run_id, kind=p.kind, area_code=p.area_code, household_id=p.household_id,
                      weight=p.weight, amount=p.amount) for p in session.scalars(select(RunPart).where(RunPart.run_id == run.id))]
    with db.engine.connect() as conn:  # both writes are rolled back: only their time is kept
        transaction = conn.begin()
        start = time.perf_counter()
        conn.execute(insert(RunPart), parts)
        bulk_s = time.perf_counter() - start
        transaction.rollback()
    with db.session_factory() as session:
        start = time.perf_counter()
        for values in parts:
            session.add(RunPart(**values))
            session.flush()
        naive_s = time.perf_counter() - start
        session.rollback()
    print(f"[{kind}] preview_run ({households:,} households counted by village, the {dist.household_count():,} "
          f"below the standard read and paid, {len(parts):,} parts written): {preview_s:.2f} s")
    print(f"[{kind}] writing the {len(parts):,} parts: executemany {bulk_s:.2f} s, naive ORM loop {naive_s:.2f} s; "
          f"naive/bulk = {naive_s / bulk_s:.1f}x")
    start = time.perf_counter()
    service.confirm_run(UnitOfWork(db, Actor.system("bench")), run.id)
    confirm_s = time.perf_counter() - start
    paid = dist.household_count()
    print(f"[{kind}] confirm_run ({paid:,} households credited through the registry's service, "
          f"{len(dist.villages)} collectives): {confirm_s:.2f} s ({paid / confirm_s:,.0f} households/s)")
    sample = [h.id for v in dist.villages for h in v.households][:NAIVE_SAMPLE]
    start = time.perf_counter()
    naive_confirm(db, sample)
    naive_s = time.perf_counter() - start
    print(f"[{kind}] naive confirm (one household at a time through the ORM: held, read, flushed, audited), "
          f"{len(sample):,} households: {naive_s:.2f} s ({len(sample) / naive_s:,.0f} households/s); "
          f"set-based/naive = {(paid / confirm_s) / (len(sample) / naive_s):.1f}x households/s")
    db.dispose()


NAIVE_SAMPLE = 3000


def naive_confirm(db, household_ids: list[int]) -> None:  # type: ignore[no-untyped-def]
    """The first version of registry.add_to_income: one household after another (rolled back afterwards)."""
    from fupin.registry.models import HouseholdIncome
    from fupin.registry.rules import IncomeFigures

    uow = UnitOfWork(db, Actor.system("bench"))
    session = db.session_factory()
    uow._external = session  # one transaction, rolled back at the end
    with session.begin():
        uow._depth, uow._session = 1, session
        for household_id in household_ids:
            household = session.execute(uow.locked(select(Household).where(Household.id == household_id))).scalar_one()
            income = session.execute(uow.locked(select(HouseholdIncome).where(
                HouseholdIncome.household_id == household_id, HouseholdIncome.year == 2018))).scalar_one_or_none()
            if income is None:
                zero = Decimal("0.00")
                income = HouseholdIncome(household_id=household_id, county_code=household.county_code,
                                         area_code=household.area_code, year=2018, members=household.member_count,
                                         wages=zero, production_income=zero, property_income=zero, transfer_income=zero,
                                         production_costs=zero, net_income=zero, per_capita_net=zero)
                session.add(income)
            before = income.property_income
            income.property_income = before + Decimal("100.00")
            figures = IncomeFigures(income.wages, income.production_income, income.property_income,
                                    income.transfer_income, income.production_costs, household.member_count)
            income.net_income, income.per_capita_net = figures.net, figures.per_capita
            session.flush()
            uow.audit("update", "household_incomes", income.id, area_code=household.area_code,
                      before={"property_income": before}, after={"property_income": income.property_income})
        session.rollback()
    session.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--villages", type=int, default=500)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--compute-only", action="store_true")
    args = parser.parse_args()
    print(machine())
    compute(args.households, args.villages)
    if not args.compute_only:
        for kind in (["sqlite", "postgresql"] if args.db == "both" else [args.db]):
            database(kind, args.households, args.villages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
