"""Demo incentives: the county's point rules, points awarded to households of the first township (and through
the training hook), two love supermarkets with goods, donations and redemptions, a closed 2023 red-flag
assessment of villages (one vetoed) and an open 2024 star rating of branches. Written through the use cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fupin.core.audit import Actor
from fupin.core.demo import DemoContext
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.incentives import schemas, service
from fupin.registry.queries import households_select

RULES = [  # name, points, level, limit per year, months valid, trigger
    ("学习政策、参加党员活动日", 5, "village", 12, 24, ""),
    ("户容户貌整洁(每月评比)", 10, "village", 12, None, ""),
    ("孝老爱亲、邻里互助", 10, "village", 4, None, ""),
    ("参加技能培训结业", 20, "township", None, None, "training_completed"),
    ("参加志愿服务", 5, "village", 24, None, "volunteering"),
]
GOODS = [("食用油5L", "桶", 30, 40), ("大米10kg", "袋", 50, 30), ("洗衣粉", "袋", 8, 100), ("毛巾", "条", 5, 200),
         ("电冰箱", "台", 800, 1)]
DAY = dt.date(2024, 6, 1)


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("incentives")
    county = ctx.county_code
    township = ctx.facts["first_township_code"]
    villages: list[str] = ctx.facts["village_codes"]
    site = ctx.facts["site_code"]
    with UnitOfWork(ctx.db, Actor.system("demo")) as uow:
        rule_ids = [service.create_rule(uow, schemas.RuleCreate(
            name=name, area_code=county, points=points, award_level=level, limit_per_year=limit,
            valid_months=months, trigger=trigger)).id for name, points, level, limit, months, trigger in RULES]
        in_township = households_select(Scope.of_area(township))
        households = [row.id for row in uow.session.execute(in_township.order_by(in_township.selected_columns.id))]
        awards = 0
        for index, household_id in enumerate(households[:60]):
            times = 2 + rng.randrange(4) if index >= 3 else 12  # the first households hold plenty for the demo
            for n in range(times):
                rule_id = rule_ids[n % 3]
                try:
                    service.award_points(uow, schemas.AwardCreate(
                        household_id=household_id, rule_id=rule_id, occurred_on=DAY - dt.timedelta(days=30 * n),
                        evidence=f"村务公开栏照片{index + 1:03d}-{n + 1}"))
                    awards += 1
                except service.core_errors.Conflict:
                    continue  # the yearly limit: a real register has gaps too
        for n, household_id in enumerate(households[3:8]):
            service.award_for_event(uow, "training_completed", household_id, f"demo.training:{n}", DAY)
        shops = [service.create_shop(uow, schemas.ShopCreate(name="钟屏爱心超市(绿币超市)", area_code=township,
                                                             address="钟屏街道便民服务中心一楼")),
                 service.create_shop(uow, schemas.ShopCreate(name="以礼社区爱心超市", area_code=site,
                                                             address="以礼社区党群服务中心"))]
        goods: dict[int, list[int]] = {}
        for shop in shops:
            goods[shop.id] = [service.add_goods(uow, shop.id, schemas.GoodsCreate(
                name=name, unit=unit, price_points=price, stock=stock)).id for name, unit, price, stock in GOODS]
            service.record_donation(uow, shop.id, schemas.DonationCreate(
                donor="会泽县工商联爱心企业", kind="money", amount=Decimal("20000.00"), received_on=dt.date(2024, 1, 15)))
            service.record_donation(uow, shop.id, schemas.DonationCreate(
                donor="曲靖市对口帮扶单位", kind="goods", goods_id=goods[shop.id][1], quantity=20,
                received_on=dt.date(2024, 3, 1)))
        redemptions = 0
        for household_id in households[3:15]:
            shop = shops[0] if rng.random() < 0.7 else shops[1]
            pick = goods[shop.id][rng.choice((0, 2, 3))]
            try:
                service.redeem(uow, shop.id, schemas.RedemptionCreate(
                    household_id=household_id, lines=[schemas.LineIn(goods_id=pick, quantity=1)]), redeemed_on=DAY)
                redemptions += 1
            except service.core_errors.Conflict:
                continue
        red_flag = service.create_scorecard(uow, schemas.ScorecardCreate(
            name="2023年度“三联三争”红旗村评比", area_code=county, subject_kind="village", period="2023",
            veto_effect="halve", title="red_flag", title_top_n=2, title_min_score=Decimal(80),
            bonus_pool=Decimal("66610.00"),
            items=[schemas.ItemIn(name="产业发展与集体经济", weight=Decimal(40)),
                   schemas.ItemIn(name="基层组织建设", weight=Decimal(30)),
                   schemas.ItemIn(name="脱贫攻坚成效", weight=Decimal(30)),
                   schemas.ItemIn(name="安全稳定(一票否决)", is_veto=True)]))
        _score(uow, rng, red_flag.id, [(code, _name(uow, code)) for code in villages[:6]], veto_index=2)
        service.close_period(uow, red_flag.id, dt.date(2024, 1, 20))
        stars = service.create_scorecard(uow, schemas.ScorecardCreate(
            name="2024年度村党支部星级化管理评定", area_code=county, subject_kind="branch", period="2024",
            veto_effect="zero", title="five_star", title_min_score=Decimal(90), bonus_pool=Decimal("30000.00"),
            items=[schemas.ItemIn(name="班子强", weight=Decimal(20)), schemas.ItemIn(name="党员队伍强", weight=Decimal(20)),
                   schemas.ItemIn(name="产业发展好", weight=Decimal(20)), schemas.ItemIn(name="治理有效", weight=Decimal(20)),
                   schemas.ItemIn(name="群众满意", weight=Decimal(20)),
                   schemas.ItemIn(name="违纪违法(一票否决)", is_veto=True)]))
        _score(uow, rng, stars.id, [(code, _name(uow, code) + "党支部") for code in villages[:4]], veto_index=None)
    ctx.facts["demo_shop_id"] = shops[0].id
    ctx.facts["point_awards"] = awards
    ctx.summary.append(f"积分激励:{len(RULES)}条积分规则、{awards}笔积分奖励、2个爱心超市、{redemptions}笔兑换、2张考核评分表")


def _name(uow: UnitOfWork, code: str) -> str:
    from fupin.areas.queries import path_names

    return path_names(uow.session, code)[-1].name


def _score(uow: UnitOfWork, rng, card_id: int, subjects: list[tuple[str, str]],  # type: ignore[no-untyped-def]
           veto_index: int | None) -> None:
    from fupin.incentives import queries

    items = queries.items_of(uow.session, card_id)
    for index, (code, name) in enumerate(subjects):
        subject = service.add_subject(uow, card_id, schemas.SubjectCreate(name=name, area_code=code))
        for item in items:
            if item.is_veto:
                service.record_score(uow, card_id, schemas.ScoreSet(
                    subject_id=subject.id, item_id=item.id, vetoed=index == veto_index,
                    evidence="发生安全生产责任事故" if index == veto_index else None))
            else:
                service.record_score(uow, card_id, schemas.ScoreSet(
                    subject_id=subject.id, item_id=item.id, score=Decimal(rng.randrange(6000, 10000)) / 100,
                    evidence="考核组实地查看、查阅台账"))
