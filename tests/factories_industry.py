"""The seed-001 township (清原县大苏河乡: ten villages, 243 registered households) and small industry records,
written directly for the industry tests."""

from __future__ import annotations

from decimal import Decimal

from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.uow import UnitOfWork
from fupin.industry import schemas, service
from fupin.registry.models import Household
from tests.factories import add_areas

COUNTY = "210423000000"
TOWNSHIP = "210423105000"
VILLAGES = [f"2104231052{i:02d}" for i in range(10)]
VILLAGE_NAMES = ["大堡村", "长沙村", "南天门村", "三十道河村", "大苏河村", "小苏河村", "红河谷村", "沙河子村", "平岭村",
                 "砍椽沟村"]
# registered households per village (243 in all, seed 001) and how many of them are not yet up to the standard
HOUSEHOLDS = [30, 28, 26, 25, 24, 24, 23, 22, 21, 20]
BELOW = [20, 28, 5, 5, 5, 5, 5, 5, 5, 5]
TIANFU_CREDIT_CODE = "91210423MA0U4K2X1H"
AREAS = [("210000000000", "辽宁省"), ("210400000000", "抚顺市"), (COUNTY, "清原满族自治县"), (TOWNSHIP, "大苏河乡"),
         *zip(VILLAGES, VILLAGE_NAMES, strict=True), ("210423106000", "南口前镇"), ("210423106200", "南口前村")]


def system(db: Database) -> UnitOfWork:
    return UnitOfWork(db, Actor.system("test"))


def add_township(db: Database) -> dict[str, list[int]]:
    """The areas and the 243 households; returns village code → household ids (in household-number order).
    Household numbers run in the village's order; the first BELOW of each village are still poor (helped)."""
    add_areas(db, AREAS)
    out: dict[str, list[int]] = {}
    with system(db) as uow:
        for code, count, below in zip(VILLAGES, HOUSEHOLDS, BELOW, strict=True):
            rows = [Household(county_code=code[:6], area_code=code, household_no=f"{code}{n:04d}", head_name=f"户主{n}",
                              poverty_attribute="general", main_cause="no_skill", registration_year=2015,
                              status="helped" if n <= below else "exited", exit_year=None if n <= below else 2016,
                              member_count=3) for n in range(1, count + 1)]
            uow.session.add_all(rows)
            uow.session.flush()
            out[code] = [row.id for row in rows]
    return out


def add_entity(db: Database, name: str = "天福菌业有限公司", *, kind: str = "enterprise", area_code: str = TOWNSHIP,
               credit_code: str | None = TIANFU_CREDIT_CODE, **extra) -> int:  # type: ignore[no-untyped-def]
    with system(db) as uow:
        return service.create_entity(uow, schemas.EntityCreate(name=name, kind=kind, industry="fungus",
                                                               area_code=area_code, credit_code=credit_code,
                                                               **extra)).id


def story_run(**changes) -> schemas.RunCreate:  # type: ignore[no-untyped-def]
    """Seed 001's profit split: 40 % to the enterprise, 60 % to the ten villages by registered households; each
    village pays its households not yet up to the standard first (1,500 yuan at most each), the rest to the
    collective."""
    values = {"period": "2017秋", "total": Decimal("500000.00"), "enterprise_percent": Decimal("40"),
              "village_basis": "registered_households", "inside_village": "below_first",
              "household_cap": Decimal("1500.00"), "income_field": "property_income", "area_code": TOWNSHIP}
    values.update(changes)
    return schemas.RunCreate(**values)
