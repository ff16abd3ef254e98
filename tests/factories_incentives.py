"""Incentives fixtures: a county rule, a shop with goods, households with points — all through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.identity import Actor as _Actor
from fupin.core.uow import UnitOfWork
from fupin.incentives import schemas, service

COUNTY = "530326000000"
VILLAGE = "530326100200"
DAY = dt.date(2024, 6, 1)


def system() -> Actor:
    return Actor.system("test")


def as_role(role: str, area_code: str | None = COUNTY, shop_id: int | None = None) -> _Actor:
    from fupin.core.scoping import Scope

    prefix = "" if area_code is None else Scope.of_area(area_code).prefix
    return _Actor(user_id=None, name=f"test_{role}", role=role, scope_prefix=prefix, shop_id=shop_id)


def uow(db: Database, actor: Actor | None = None) -> UnitOfWork:
    return UnitOfWork(db, actor or system())


def rule(db: Database, points: int = 10, *, name: str = "户容户貌整洁", area_code: str = COUNTY, **extra) -> int:
    return service.create_rule(uow(db), schemas.RuleCreate(name=name, area_code=area_code, points=points,
                                                           **extra)).id


def award(db: Database, household_id: int, rule_id: int, day: dt.date = DAY, actor: Actor | None = None) -> int:
    return service.award_points(uow(db, actor), schemas.AwardCreate(household_id=household_id, rule_id=rule_id,
                                                                    occurred_on=day, evidence="照片001")).id


def shop(db: Database, area_code: str = "530326100000", name: str = "钟屏爱心超市") -> int:
    return service.create_shop(uow(db), schemas.ShopCreate(name=name, area_code=area_code)).id


def goods(db: Database, shop_id: int, price: int = 10, stock: int = 5, name: str = "食用油") -> int:
    return service.add_goods(uow(db), shop_id, schemas.GoodsCreate(name=name, price_points=price, stock=stock)).id


def redeem(db: Database, shop_id: int, household_id: int, lines: dict[int, int], actor: Actor | None = None):
    data = schemas.RedemptionCreate(household_id=household_id,
                                    lines=[schemas.LineIn(goods_id=g, quantity=q) for g, q in lines.items()])
    return service.redeem(uow(db, actor), shop_id, data, redeemed_on=DAY)


def scorecard(db: Database, *, veto_effect: str = "zero", pool: str = "1000.00", title: str = "red_flag",
              top_n: int | None = 1, min_score: str | None = None, subject_kind: str = "village") -> int:
    data = schemas.ScorecardCreate(
        name="三联三争考核", area_code=COUNTY, subject_kind=subject_kind, period="2024", veto_effect=veto_effect,
        title=title, title_top_n=top_n, title_min_score=Decimal(min_score) if min_score else None,
        bonus_pool=Decimal(pool),
        items=[schemas.ItemIn(name="产业发展", weight=Decimal(60)), schemas.ItemIn(name="基层治理", weight=Decimal(40)),
               schemas.ItemIn(name="安全生产一票否决", is_veto=True)])
    return service.create_scorecard(uow(db), data).id
