"""Monitoring fixtures: exited households with a ledger that passes or fails each rule, on demand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import update

from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.uow import UnitOfWork
from fupin.registry import schemas, service
from fupin.registry.models import Household
from tests.factories_registry import add_household, member

TODAY = dt.date(2024, 6, 1)


def actor() -> Actor:
    return Actor.system("测试")


def exited_household(db: Database, area_code: str = "530326100200", members=None, **extra) -> int:  # type: ignore[no-untyped-def]
    """A registered household that has exited (the state the registry reaches after its exit procedure)."""
    household_id = add_household(db, area_code, members=members, **extra)
    with db.engine.begin() as conn:
        conn.execute(update(Household).where(Household.id == household_id).values(status="exited", exit_year=2019))
    return household_id


def income(db: Database, household_id: int, year: int, per_capita: int, *, threshold: bool = True) -> None:
    """Wages chosen so that the per-capita net of the household's members equals `per_capita`. With
    `threshold`, a monitoring year without a national threshold gets 2021's 6,000 (the tests' world has one every
    year; a year without one is flagged and judges nothing — tests of that pass threshold=False)."""
    if threshold and year >= 2021:
        from fupin.monitoring import queries as monitoring_queries
        from fupin.monitoring import service as monitoring_service

        with db.session_factory() as session:
            missing = (year, "00") not in monitoring_queries.thresholds(session)
        if missing:
            monitoring_service.set_threshold(UnitOfWork(db, actor()), year, "6000")
    with UnitOfWork(db, actor()) as uow:
        members = uow.session.get(Household, household_id).member_count
        service.record_income(uow, household_id, schemas.IncomeCreate(year=year, wages=Decimal(per_capita * members)),
                              today=TODAY)


def check(db: Database, household_id: int, year: int, **items) -> None:  # type: ignore[no-untyped-def]
    values = {"water_litres_per_person_day": 60, "water_trip_minutes": 5, "water_outage_days": 0, **items}
    with UnitOfWork(db, actor()) as uow:
        service.record_check(uow, household_id, schemas.CheckCreate(year=year, checked_on=dt.date(year, 11, 1),
                                                                    **values), today=TODAY)


def visit(db: Database, household_id: int, on: dt.date, found: str) -> None:
    with UnitOfWork(db, actor()) as uow:
        service.add_visit(uow, household_id, schemas.VisitCreate(visited_on=on, found=found), today=TODAY)


def healthy_pair(**head):  # type: ignore[no-untyped-def]
    return [member("王德福", "head", dt.date(1975, 5, 1), **head),
            member("赵春兰", "spouse", dt.date(1977, 3, 8), "F")]
