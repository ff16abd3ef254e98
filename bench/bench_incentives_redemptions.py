"""Redemptions under contention: 8 threads × N redemptions each through the use case (one unit of work per
redemption, as a request would), on SQLite and PostgreSQL.

- contended: every thread redeems for the same household and the same goods (every redemption waits for the
  balance row and the goods row the others hold);
- baseline (same run): each thread its own household and goods (no row shared).

Prints redemptions per second of both and the ratio; checks the books balance afterwards.

    python -m bench.bench_incentives_redemptions --per-thread 50
"""

from __future__ import annotations

import argparse
import datetime as dt
import threading
import time

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.common import OUT, PG_URL, machine
from fupin.areas.service import import_areas
from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.importing import ImportMode
from fupin.core.migrations import upgrade
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.incentives import queries, schemas, service
from fupin.registry import schemas as registry_schemas
from fupin.registry import service as registry_service
from fupin.registry.idnumbers import make_id_number

THREADS = 8
AREAS = [("530000000000", "云南省"), ("530300000000", "曲靖市"), ("530326000000", "会泽县"),
         ("530326100000", "钟屏街道"), ("530326100200", "北坎村")]


def _database(kind: str) -> Database:
    if kind == "sqlite":
        OUT.mkdir(exist_ok=True)
        path = OUT / "incentives.db"
        for suffix in ("", "-wal", "-shm"):
            (OUT / f"incentives.db{suffix}").unlink(missing_ok=True)
        db = Database(f"sqlite:///{path}")
    else:
        url = make_url(PG_URL)
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('DROP DATABASE IF EXISTS "bench_incentives" WITH (FORCE)'))
            conn.execute(text('CREATE DATABASE "bench_incentives"'))
        admin.dispose()
        db = Database(url.set(database="bench_incentives").render_as_string(hide_password=False))
    upgrade(db.engine)
    with UnitOfWork(db, Actor.system("bench")) as uow:
        import_areas(uow, [(i + 1, c, n) for i, (c, n) in enumerate(AREAS)], mode=ImportMode.all_or_nothing)
    return db


def _household(db: Database, n: int) -> int:
    head = registry_schemas.PersonCreate(id_number=make_id_number("530326", dt.date(1960 + n % 40, 1, 1), 2 * n + 1),
                                         name=f"户主{n}", relation="head")
    data = registry_schemas.HouseholdCreate(area_code="530326100200", poverty_attribute="general",
                                            main_cause="no_skill", registration_year=2015, members=[head])
    with UnitOfWork(db, Actor.system("bench")) as uow:
        return registry_service.create_household(uow, data, today=dt.date(2024, 6, 1)).id


def _run(db: Database, shop: int, pairs: list[tuple[int, int]], per_thread: int) -> float:
    barrier = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def work(household: int, goods: int) -> None:
        barrier.wait()
        try:
            for _ in range(per_thread):
                service.redeem(UnitOfWork(db, Actor.system("bench")), shop, schemas.RedemptionCreate(
                    household_id=household, lines=[schemas.LineIn(goods_id=goods, quantity=1)]))
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=work, args=pair) for pair in pairs]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    assert not failures, failures[:3]
    return THREADS * per_thread / elapsed


def bench(kind: str, per_thread: int) -> None:
    db = _database(kind)
    households = [_household(db, n) for n in range(THREADS + 1)]
    with UnitOfWork(db, Actor.system("bench")) as uow:
        rule = service.create_rule(uow, schemas.RuleCreate(name="bench", area_code="530326000000", points=10_000)).id
        shop = service.create_shop(uow, schemas.ShopCreate(name="超市", area_code="530326100000")).id
        goods = [service.add_goods(uow, shop, schemas.GoodsCreate(name=f"商品{n}", price_points=1,
                                                                  stock=THREADS * per_thread)).id
                 for n in range(THREADS + 1)]
        for household in households:
            service.award_points(uow, schemas.AwardCreate(household_id=household, rule_id=rule,
                                                          occurred_on=dt.date(2024, 6, 1)))
    baseline = _run(db, shop, list(zip(households[1:], goods[1:], strict=True)), per_thread)
    contended = _run(db, shop, [(households[0], goods[0])] * THREADS, per_thread)
    with db.session_factory() as session:
        assert queries.ledger_check(session, Scope.everything()) == []
    print(f"{kind}: baseline (no shared row) {baseline:.0f} redemptions/s; contended (one household, one goods) "
          f"{contended:.0f}/s; ratio {contended / baseline:.2f}")
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-thread", type=int, default=50)
    args = parser.parse_args()
    print(machine())
    for kind in ("sqlite", "postgresql"):
        bench(kind, args.per_thread)


if __name__ == "__main__":
    main()
