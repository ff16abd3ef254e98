"""Demo industry: seed 001 as data — 天福菌业 (a leading enterprise) takes land at 500 yuan per mu, hands 800,000
fungus segments to the registered households of ten villages (allocated by village), and splits its profit 40 %
to itself and 60 % to the villages, each paying its households not yet up to the standard first and putting the
rest into the collective; a branch-led cooperative per village branch; collective income per village."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from fupin.core.audit import Actor
from fupin.core.demo import DemoContext
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.industry import schemas, service
from fupin.industry.rules import DEFAULT_COLLECTIVE_TARGET
from fupin.registry.queries import households_select

STORY_HOUSEHOLDS = 243
TIANFU = "天福菌业有限公司"
TIANFU_CREDIT_CODE = "91210423MA0U4K2X1H"
COOPERATIVE_NAMES = ["木耳专业合作社", "中药材种植专业合作社", "生态旅游专业合作社", "茶叶专业合作社", "苹果专业合作社"]
INDUSTRY_OF = {"木耳专业合作社": "fungus", "中药材种植专业合作社": "herbs", "生态旅游专业合作社": "tourism",
               "茶叶专业合作社": "tea", "苹果专业合作社": "apple"}
DAY = dt.date(2017, 3, 1)


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("industry")
    villages: list[str] = ctx.facts["village_codes"][:10]
    township = ctx.facts["first_township_code"]
    uow = UnitOfWork(ctx.db, Actor.system("demo"))
    with uow:
        session = uow.session
        h = households_select(Scope(ctx.county_code[:6])).subquery("h")
        picked = [row for row in session.execute(select(h.c.id, h.c.area_code).order_by(h.c.id))
                  if row.area_code[:12] in villages][:STORY_HOUSEHOLDS]
        enterprise = service.create_entity(uow, schemas.EntityCreate(
            name=TIANFU, kind="enterprise", industry="fungus", area_code=township, credit_code=TIANFU_CREDIT_CODE,
            founded_on=dt.date(2016, 5, 1), note="签订13年合作协议;菌包厂生产菌段200万段,生产基地地摆木耳150亩"))
        base = service.create_entity(uow, schemas.EntityCreate(
            name="天福菌业地摆木耳生产基地", kind="base", industry="fungus", area_code=villages[0],
            upstream_id=enterprise.id, founded_on=dt.date(2016, 6, 1)))
        for row in picked:
            service.add_membership(uow, enterprise.id, schemas.MembershipCreate(
                household_id=row.id, link_kind="production", shares=Decimal(1), joined_on=DAY))
        # 180 mu at 500 yuan per mu and year, for 13 years, from the first 60 households (3 mu each)
        for row in picked[:60]:
            contract = service.add_land_contract(uow, base.id, schemas.LandContractCreate(
                household_id=row.id, plots=f"地块{rng.randint(1, 40)}号", area_mu=Decimal("3.00"),
                rent_per_mu=Decimal("500"), starts_on=DAY, ends_on=dt.date(2029, 12, 31)))
            service.record_rent(uow, contract.id, schemas.RentPaymentCreate(year=2017, paid=Decimal("1500.00"),
                                                                            paid_on=dt.date(2017, 3, 15)))
        branches: dict[str, int] = (ctx.facts.get("org_ids") or {}).get("village_branches", {})
        cooperatives = 0
        for index, village in enumerate(villages):
            branch = branches.get(village)
            if branch is None or index % 3 == 2:  # not every village has one yet: coverage shows the gaps
                continue
            name = COOPERATIVE_NAMES[index % len(COOPERATIVE_NAMES)]
            coop = service.create_entity(uow, schemas.EntityCreate(
                name=f"{village[-3:]}村{name}", kind="cooperative", industry=INDUSTRY_OF[name], area_code=village,
                led_by_org_id=branch, upstream_id=enterprise.id if name.startswith("木耳") else None,
                founded_on=dt.date(2016, 3, 1)))
            cooperatives += 1
            for row in [r for r in picked if r.area_code.startswith(village)][:8]:
                service.add_membership(uow, coop.id, schemas.MembershipCreate(
                    household_id=row.id, link_kind="share", shares=Decimal(rng.randint(1, 5)), joined_on=DAY))
        segments, _ = service.preview_run(uow, enterprise.id, schemas.RunCreate(
            period="2017春", total=Decimal("800000"), unit="piece", enterprise_percent=Decimal(0),
            village_basis="member_households", inside_village="collective"), today=dt.date(2017, 4, 1))
        service.confirm_run(uow, segments.id, today=dt.date(2017, 4, 2))
        profit, _ = service.preview_run(uow, enterprise.id, schemas.RunCreate(
            period="2017秋", total=Decimal("600000.00"), enterprise_percent=Decimal(40),
            village_basis="member_households", inside_village="below_first", household_cap=Decimal("1500.00"),
            income_field="property_income"), today=dt.date(2017, 10, 20))
        service.confirm_run(uow, profit.id, today=dt.date(2017, 10, 25))
        # next year's profit, previewed and waiting for the county to confirm it
        pending, _ = service.preview_run(uow, enterprise.id, schemas.RunCreate(
            period="2018秋", total=Decimal("720000.00"), enterprise_percent=Decimal(40),
            village_basis="member_households", inside_village="below_first", household_cap=Decimal("1500.00"),
            income_field="property_income"), today=dt.date(2018, 10, 20))
        for village in villages:
            amount = Decimal(rng.randrange(20_000, 90_000, 500))
            service.record_collective_income(uow, schemas.CollectiveIncomeCreate(
                area_code=village, year=2017, source=rng.choice(["operation", "rent", "service"]), amount=amount),
                today=dt.date(2017, 12, 31))
    ctx.facts["demo_entity_id"] = enterprise.id
    ctx.facts["industry_run_ids"] = [segments.id, profit.id, pending.id]
    ctx.summary.append(f"产业扶贫:{TIANFU}带动{len(picked)}户(10个村),流转土地180亩,菌段80万段按村分配,"
                       f"利润60万元按40/60分成;党支部领办合作社{cooperatives}个;村集体经济目标"
                       f"{DEFAULT_COLLECTIVE_TARGET:,.0f}元")
