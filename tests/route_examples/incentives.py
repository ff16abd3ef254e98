"""A valid request for every write route of incentives (API and pages), on records of the demo village and the
demo shop (the first love supermarket of the demo township: the shop clerk's own)."""

from __future__ import annotations

from sqlalchemy import select

from fupin.incentives.models import LoveShop, PointAccount, PointRule, Scorecard, ShopGoods
from tests.route_examples import Call, Demo, Example

API = "/api/v1/incentives"
DAY = "2024-06-01"


def _shop(demo: Demo) -> int:
    return demo.session.scalar(select(LoveShop.id).where(LoveShop.area_code == demo.township_code)
                               .order_by(LoveShop.id))


def _goods(demo: Demo) -> int:
    """The cheapest goods of the demo shop with plenty in stock (毛巾, 5 points)."""
    return demo.session.scalar(select(ShopGoods.id).where(ShopGoods.shop_id == _shop(demo))
                               .order_by(ShopGoods.price_points, ShopGoods.id))


def _household(demo: Demo) -> int:
    """The household of the demo village with the most points."""
    return demo.session.scalar(select(PointAccount.household_id)
                               .where(PointAccount.area_code.startswith(demo.village_code))
                               .order_by(PointAccount.balance.desc(), PointAccount.household_id))


def _rule(demo: Demo) -> int:
    return demo.session.scalar(select(PointRule.id).where(PointRule.award_level == "village")
                               .order_by(PointRule.limit_per_year.desc(), PointRule.id))


def _open_card(demo: Demo) -> int:
    card = demo.session.scalar(select(Scorecard.id).where(Scorecard.status == "open").order_by(Scorecard.id))
    return card or demo.session.scalar(select(Scorecard.id).order_by(Scorecard.id))


def _score(demo: Demo) -> dict[str, object]:
    """A subject and a scored item of the same scorecard (an open one when there is one with subjects)."""
    from fupin.incentives.models import ScorecardItem, ScorecardSubject

    subject = demo.session.execute(
        select(ScorecardSubject.id, ScorecardSubject.scorecard_id)
        .join(Scorecard, Scorecard.id == ScorecardSubject.scorecard_id)
        .order_by((Scorecard.status == "open").desc(), ScorecardSubject.id)).first()
    item = demo.session.scalar(select(ScorecardItem.id).where(ScorecardItem.scorecard_id == subject.scorecard_id,
                                                              ScorecardItem.is_veto.is_(False))
                               .order_by(ScorecardItem.id))
    return {"scorecard_id": subject.scorecard_id, "subject_id": subject.id, "item_id": item, "score": "88.50",
            "evidence": "实地查看"}


def _score_call(demo: Demo, prefix: str, page: bool) -> Call:
    data = _score(demo)
    card = data.pop("scorecard_id")
    url = f"{prefix}/scorecards/{card}/scores"
    return Call(url, data=_form(data)) if page else Call(url, json=data)


def _rule_json(demo: Demo) -> dict[str, object]:
    return {"name": "环境卫生评比", "area_code": demo.village_code, "points": 5, "award_level": "village"}


def _scorecard_json(demo: Demo) -> dict[str, object]:
    return {"name": "2025年度五好村党组织书记评选", "area_code": demo.county_code, "subject_kind": "cadre",
            "period": "2025", "veto_effect": "halve", "title": "exemplar", "title_top_n": 3,
            "bonus_pool": "10000.00", "items": [{"name": "述职", "weight": "50"}, {"name": "评议", "weight": "50"},
                                                 {"name": "违纪", "is_veto": True}]}


def _form(data: dict[str, object]) -> dict[str, str]:
    return {k: str(v) for k, v in data.items() if v is not None}


EXAMPLES: list[Example] = [
    # ---- API
    Example("POST", f"{API}/rules", "incentives.rule.manage", lambda d: Call(f"{API}/rules", json=_rule_json(d))),
    Example("POST", f"{API}/awards", "incentives.points.award",
            lambda d: Call(f"{API}/awards", json={"household_id": _household(d), "rule_id": _rule(d),
                                                  "occurred_on": DAY, "evidence": "照片"})),
    Example("POST", f"{API}/corrections", "incentives.points.correct",
            lambda d: Call(f"{API}/corrections", json={"household_id": _household(d), "points": 1,
                                                       "occurred_on": DAY, "note": "补记"})),
    Example("POST", f"{API}/expiry", "incentives.period.close",
            lambda d: Call(f"{API}/expiry", json={"area_code": d.village_code, "as_of": DAY})),
    Example("POST", f"{API}/shops", "incentives.shop.manage",
            lambda d: Call(f"{API}/shops", json={"name": "新建爱心超市", "area_code": d.village_code})),
    Example("POST", f"{API}/shops/{{shop_id}}/goods", "incentives.goods.manage",
            lambda d: Call(f"{API}/shops/{_shop(d)}/goods", json={"name": "香皂", "price_points": 3, "stock": 10})),
    Example("POST", f"{API}/goods/{{goods_id}}/stock", "incentives.goods.manage",
            lambda d: Call(f"{API}/goods/{_goods(d)}/stock", json={"quantity": 5})),
    Example("POST", f"{API}/shops/{{shop_id}}/donations", "incentives.goods.manage",
            lambda d: Call(f"{API}/shops/{_shop(d)}/donations",
                           json={"donor": "爱心人士", "kind": "money", "amount": "100.00", "received_on": DAY})),
    Example("POST", f"{API}/shops/{{shop_id}}/redemptions", "incentives.redeem",
            lambda d: Call(f"{API}/shops/{_shop(d)}/redemptions",
                           json={"household_id": _household(d), "lines": [{"goods_id": _goods(d), "quantity": 1}]})),
    Example("POST", f"{API}/scorecards", "incentives.scorecard.manage",
            lambda d: Call(f"{API}/scorecards", json=_scorecard_json(d))),
    Example("POST", f"{API}/scorecards/{{scorecard_id}}/subjects", "incentives.scorecard.manage",
            lambda d: Call(f"{API}/scorecards/{_open_card(d)}/subjects",
                           json={"name": "新增考核对象", "area_code": d.village_code})),
    Example("PUT", f"{API}/scorecards/{{scorecard_id}}/scores", "incentives.score.record",
            lambda d: _score_call(d, API, page=False)),
    Example("POST", f"{API}/scorecards/{{scorecard_id}}/close", "incentives.period.close",
            lambda d: Call(f"{API}/scorecards/{_open_card(d)}/close", json={"closed_on": DAY})),
    # ---- pages
    Example("POST", "/incentives/rules", "incentives.rule.manage",
            lambda d: Call("/incentives/rules", data=_form(_rule_json(d)))),
    Example("POST", "/incentives/shops", "incentives.shop.manage",
            lambda d: Call("/incentives/shops", data={"name": "页面新建超市", "area_code": d.village_code})),
    Example("POST", "/incentives/households/{household_id}/award", "incentives.points.award",
            lambda d: Call(f"/incentives/households/{_household(d)}/award",
                           data={"rule_id": str(_rule(d)), "occurred_on": DAY, "evidence": "照片"})),
    Example("POST", "/incentives/households/{household_id}/correct", "incentives.points.correct",
            lambda d: Call(f"/incentives/households/{_household(d)}/correct",
                           data={"points": "1", "occurred_on": DAY, "note": "补记"})),
    Example("POST", "/incentives/shops/{shop_id}/goods", "incentives.goods.manage",
            lambda d: Call(f"/incentives/shops/{_shop(d)}/goods", data={"name": "牙膏", "price_points": "4",
                                                                       "stock": "10", "unit": "支"})),
    Example("POST", "/incentives/goods/{goods_id}/stock", "incentives.goods.manage",
            lambda d: Call(f"/incentives/goods/{_goods(d)}/stock", data={"quantity": "3"})),
    Example("POST", "/incentives/shops/{shop_id}/donations", "incentives.goods.manage",
            lambda d: Call(f"/incentives/shops/{_shop(d)}/donations",
                           data={"donor": "爱心企业", "kind": "goods", "goods_id": str(_goods(d)), "quantity": "5",
                                 "received_on": DAY})),
    Example("POST", "/incentives/shops/{shop_id}/redeem", "incentives.redeem",
            lambda d: Call(f"/incentives/shops/{_shop(d)}/redeem",
                           data={"household_id": str(_household(d)), "lines.0.goods_id": str(_goods(d)),
                                 "lines.0.quantity": "1", "confirmed": "1"})),
    Example("POST", "/incentives/scorecards/{scorecard_id}/subjects", "incentives.scorecard.manage",
            lambda d: Call(f"/incentives/scorecards/{_open_card(d)}/subjects",
                           data={"name": "页面考核对象", "area_code": d.village_code})),
    Example("POST", "/incentives/scorecards/{scorecard_id}/scores", "incentives.score.record",
            lambda d: _score_call(d, "/incentives", page=True)),
    Example("POST", "/incentives/scorecards/{scorecard_id}/close", "incentives.period.close",
            lambda d: Call(f"/incentives/scorecards/{_open_card(d)}/close", data={"closed_on": DAY})),
]
