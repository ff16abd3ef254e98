"""Demo county writing speed: bulk (COPY / executemany) against a naive one-object-at-a-time ORM loop.

    python bench/bench_demo.py [--households 30000] [--baseline-households 3000] [--db sqlite|postgresql|both]

Both paths write the same generated rows; the ratio compares rows per second.
"""

from __future__ import annotations

import argparse
import sys

from bench.common import fresh_database, machine, timed
from fupin.core.demo import DemoContext
from fupin.registry import demo as registry_demo
from fupin.registry.models import Household, Person


def _prepare(kind: str, name: str, households: int):
    db = fresh_database(kind, name)
    ctx = DemoContext(db=db, seed=1, households=households)
    from fupin.areas import demo as areas_demo

    areas_demo.build(ctx)
    return db, ctx


def naive_orm(kind: str, households: int) -> tuple[float, int]:
    db, ctx = _prepare(kind, "demo_naive", households)
    results: dict[str, float] = {}
    people = 0
    with timed(results, "t"), db.session_factory() as session:
        for house_rows, person_rows in registry_demo.generate(ctx, 1, 1):
            by_household: dict[int, list[tuple]] = {}
            for row in person_rows:
                by_household.setdefault(row[1], []).append(row)
            for row in house_rows:
                session.add(Household(**dict(zip(registry_demo.HOUSEHOLD_COLUMNS, row, strict=True))))
                session.flush()
                for person in by_household[row[0]]:
                    session.add(Person(**dict(zip(registry_demo.PERSON_COLUMNS, person, strict=True))))
                    session.flush()
                    people += 1
        session.commit()
    db.dispose()
    return results["t"], people


def bulk(kind: str, households: int) -> tuple[float, int]:
    db, ctx = _prepare(kind, "demo_bulk", households)
    results: dict[str, float] = {}
    with timed(results, "t"):
        registry_demo.build(ctx)
    db.dispose()
    return results["t"], ctx.facts["persons"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=30_000)
    parser.add_argument("--baseline-households", type=int, default=3_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    print(machine())
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    for kind in kinds:
        bulk_s, bulk_people = bulk(kind, args.households)
        naive_s, naive_people = naive_orm(kind, args.baseline_households)
        bulk_rate = bulk_people / bulk_s
        naive_rate = naive_people / naive_s
        print(f"[{kind}] demo bulk: {args.households} households / {bulk_people} people in {bulk_s:.2f} s "
              f"({bulk_rate:,.0f} people/s)")
        print(f"[{kind}] naive ORM loop: {args.baseline_households} households / {naive_people} people in "
              f"{naive_s:.2f} s ({naive_rate:,.0f} people/s)")
        print(f"[{kind}] ratio bulk/naive (people per second): {bulk_rate / naive_rate:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
