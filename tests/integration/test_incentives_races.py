"""Redemptions and awards raced through a served process on SQLite and PostgreSQL: 20 requests released at the
same instant. The last item in stock is sold once; a balance is never overdrawn; a yearly limit holds; every loser
gets 409 with a code, and the books still balance."""

from __future__ import annotations

from collections import Counter

import httpx
from sqlalchemy import func, select

from fupin.core.scoping import Scope
from fupin.incentives import queries
from fupin.incentives.models import PointAccount, Redemption, ShopGoods
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_incentives import award, goods, rule, shop
from tests.factories_registry import add_household, member
from tests.served import api_token, race, statuses

RACERS = 20


def _codes(answers: list[httpx.Response]) -> Counter[str]:
    return Counter(a.json().get("error", "ok") for a in answers)


def _household(db, n: int) -> int:  # type: ignore[no-untyped-def]
    import datetime as dt

    return add_household(db, members=[member(f"户主{n}", "head", dt.date(1960 + n, 1, 1))])


def test_twenty_redemptions_of_the_last_item_sell_it_once(db, served):
    add_areas(db)
    s = shop(db)
    add_user(db, "clerk", "shop_clerk", "530326100000", shop_id=s)
    fridge = goods(db, s, price=100, stock=1, name="电冰箱")
    r = rule(db, 100)
    households = [_household(db, n) for n in range(RACERS)]
    for h in households:
        award(db, h, r)
    base = served(db)
    token = api_token(base, "clerk", PASSWORD)
    buyers = iter(households)
    answers = race(RACERS, lambda: httpx.post(
        f"{base}/api/v1/incentives/shops/{s}/redemptions", headers=token, timeout=60,
        json={"household_id": next(buyers), "lines": [{"goods_id": fridge, "quantity": 1}]}))
    assert statuses(answers) == [201] + [409] * (RACERS - 1)
    assert _codes(answers) == {"ok": 1, "incentives.stock_short": RACERS - 1}
    winner = next(a.json() for a in answers if a.status_code == 201)
    with db.session_factory() as session:
        assert session.get(ShopGoods, fridge).stock == 0
        assert session.scalar(select(func.count()).select_from(Redemption)) == 1
        spent = dict(session.execute(select(PointAccount.household_id, PointAccount.spent)).all())
        assert spent == {h: (100 if h == winner["household_id"] else 0) for h in households}
        assert queries.ledger_check(session, Scope.everything()) == []


def test_twenty_redemptions_beyond_a_balance_never_overdraw_it(db, served):
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    s = shop(db)
    oil = goods(db, s, price=10, stock=100)
    household = _household(db, 1)
    award(db, household, rule(db, 50))
    base = served(db)
    token = api_token(base, "county_a", PASSWORD)
    answers = race(RACERS, lambda: httpx.post(
        f"{base}/api/v1/incentives/shops/{s}/redemptions", headers=token, timeout=60,
        json={"household_id": household, "lines": [{"goods_id": oil, "quantity": 1}]}))
    assert statuses(answers) == [201] * 5 + [409] * (RACERS - 5)
    assert _codes(answers) == {"ok": 5, "incentives.balance_short": RACERS - 5}
    assert sorted(a.json()["balance_after"] for a in answers if a.status_code == 201) == [0, 10, 20, 30, 40]
    with db.session_factory() as session:
        account = session.get(PointAccount, household)
        assert (account.balance, account.spent) == (0, 50)
        assert session.get(ShopGoods, oil).stock == 95
        assert queries.ledger_check(session, Scope.everything()) == []


def test_twenty_awards_under_a_yearly_limit_of_three_award_three(db, served):
    add_areas(db)
    add_user(db, "village_a", "village", "530326100200")
    household = _household(db, 1)
    limited = rule(db, 10, limit_per_year=3)
    base = served(db)
    token = api_token(base, "village_a", PASSWORD)
    answers = race(RACERS, lambda: httpx.post(
        f"{base}/api/v1/incentives/awards", headers=token, timeout=60,
        json={"household_id": household, "rule_id": limited, "occurred_on": "2024-06-01", "evidence": "照片"}))
    assert statuses(answers) == [201] * 3 + [409] * (RACERS - 3)
    assert _codes(answers) == {"ok": 3, "incentives.rule_limit": RACERS - 3}
    with db.session_factory() as session:
        assert session.get(PointAccount, household).balance == 30
