"""Property (hypothesis, stateful): after any sequence of awards, redemptions, corrections, restocking and
expiries, on both databases, every balance equals the sum of its postings, every journal entry's postings sum to
zero, no balance and no stock is negative, and the balances and stocks are exactly those a simple model predicts
(expiry: never more than was due, never below zero)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from fupin.core.errors import Conflict
from fupin.core.scoping import Scope
from fupin.incentives import queries, schemas, service
from fupin.incentives.models import PointAccount, PointTransaction, ShopGoods
from tests.factories import add_areas
from tests.factories_incentives import COUNTY, goods, shop, uow
from tests.factories_incentives import rule as make_rule
from tests.factories_registry import add_household, member

DAYS = st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2024, 12, 31))


def test_the_books_always_balance(db):
    add_areas(db)
    households = [add_household(db, members=[member(f"户主{n}", "head", dt.date(1970 + n, 1, 1))])
                  for n in range(3)]
    rules = {make_rule(db, 7, name="学习政策", valid_months=12): 7, make_rule(db, 20, name="户容户貌"): 20}
    s = shop(db)
    items = {goods(db, s, price=5, stock=3, name="毛巾"): 5, goods(db, s, price=30, stock=1, name="食用油"): 30}

    class Ledger(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            with db.session_factory() as session:  # the books as earlier examples left them
                self.balance = {h: (session.get(PointAccount, h).balance if session.get(PointAccount, h) else 0)
                                for h in households}
                self.stock = {g: session.get(ShopGoods, g).stock for g in items}

        @rule(h=st.sampled_from(households), r=st.sampled_from(sorted(rules)), day=DAYS)
        def award(self, h, r, day):
            service.award_points(uow(db), schemas.AwardCreate(household_id=h, rule_id=r, occurred_on=day))
            self.balance[h] += rules[r]

        @rule(h=st.sampled_from(households),
              lines=st.dictionaries(st.sampled_from(sorted(items)), st.integers(1, 3), min_size=1, max_size=2))
        def redeem(self, h, lines):
            cost = sum(items[g] * q for g, q in lines.items())
            ok = self.balance[h] >= cost and all(self.stock[g] >= q for g, q in lines.items())
            data = schemas.RedemptionCreate(household_id=h, lines=[schemas.LineIn(goods_id=g, quantity=q)
                                                                   for g, q in lines.items()])
            try:
                service.redeem(uow(db), s, data, redeemed_on=dt.date(2024, 6, 1))
            except Conflict as refused:
                assert not ok, refused.code
                assert refused.code in ("incentives.balance_short", "incentives.stock_short")
                return
            assert ok
            self.balance[h] -= cost
            for g, q in lines.items():
                self.stock[g] -= q

        @rule(h=st.sampled_from(households), points=st.integers(-60, 60).filter(bool), day=DAYS)
        def correct(self, h, points, day):
            try:
                service.correct_points(uow(db), schemas.CorrectionCreate(household_id=h, points=points,
                                                                         occurred_on=day, note="更正"))
            except Conflict as refused:
                assert self.balance[h] + points < 0, refused.code
                return
            self.balance[h] += points

        @rule(g=st.sampled_from(sorted(items)), quantity=st.integers(1, 4))
        def restock(self, g, quantity):
            service.add_stock(uow(db), g, quantity)
            self.stock[g] += quantity

        @rule(as_of=DAYS)
        def expire(self, as_of):
            before = dict(self.balance)
            with db.session_factory() as session:
                due = {h: int(session.scalar(select(func.coalesce(func.sum(PointTransaction.points), 0)).where(
                    PointTransaction.household_id == h, PointTransaction.kind == "earned",
                    PointTransaction.expires_on <= as_of)) or 0) for h in households}
            service.expire_points(uow(db), COUNTY, as_of)
            with db.session_factory() as session:
                for h in households:
                    account = session.get(PointAccount, h)
                    now = account.balance if account else 0
                    assert 0 <= now <= before[h]
                    assert before[h] - now <= due[h]  # nothing expires that was not due
                    self.balance[h] = now
            service.expire_points(uow(db), COUNTY, as_of)  # again: nothing more
            with db.session_factory() as session:
                assert all((session.get(PointAccount, h).balance if session.get(PointAccount, h) else 0)
                           == self.balance[h] for h in households)

        @invariant()
        def books_balance(self):
            with db.session_factory() as session:
                assert queries.ledger_check(session, Scope.everything()) == []
                for h in households:
                    account = session.get(PointAccount, h)
                    assert (account.balance if account else 0) == self.balance[h] >= 0
                for g in items:
                    assert session.get(ShopGoods, g).stock == self.stock[g] >= 0

    run_state_machine_as_test(Ledger, settings=settings(
        max_examples=12, stateful_step_count=15, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))
