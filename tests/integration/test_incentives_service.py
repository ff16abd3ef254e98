"""Incentives on both databases: awards with their limits, the double-entry ledger, redemptions (balance and stock
checked and changed together), the shop clerk's bounds, expiry, scorecards with the one-vote veto, titles, stars
and the bonus split, the hook employment calls, and the indicator figures."""

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from fupin.core.capability import provided
from fupin.core.errors import Conflict, Forbidden
from fupin.core.scoping import Scope
from fupin.incentives import queries, schemas, service
from fupin.incentives.models import PointPosting, PointTransaction, Redemption, ShopGoods
from tests.factories import add_areas
from tests.factories_incentives import (
    COUNTY,
    DAY,
    as_role,
    award,
    goods,
    redeem,
    rule,
    scorecard,
    shop,
    uow,
)
from tests.factories_registry import add_household

EVERYTHING = Scope.everything()


def _account(db, household_id):
    with db.session_factory() as session:
        return queries.account(session, household_id, EVERYTHING)


def _books_hold(db):
    with db.session_factory() as session:
        assert queries.ledger_check(session, EVERYTHING) == []


def _stock(db, goods_id):
    with db.session_factory() as session:
        return session.get(ShopGoods, goods_id).stock


def test_awards_post_two_legs_and_the_balance_is_their_sum(db):
    add_areas(db)
    household = add_household(db)
    r = rule(db, 15)
    award(db, household, r)
    award(db, household, r)
    account = _account(db, household)
    assert (account.balance, account.earned) == (30, 30)
    with db.session_factory() as session:
        legs = session.execute(select(PointPosting.account, PointPosting.points).order_by(PointPosting.id)).all()
    assert [tuple(leg) for leg in legs] == [(f"household:{household}", 15), ("issued", -15)] * 2
    _books_hold(db)


def test_the_yearly_limit_and_the_awarding_level(db):
    add_areas(db)
    household = add_household(db)
    r = rule(db, 5, limit_per_year=1, award_level="township")
    with pytest.raises(Conflict) as refused:
        award(db, household, r, actor=as_role("village", "530326100200"))
    assert refused.value.code == "incentives.rule_level"
    award(db, household, r, actor=as_role("township", "530326100000"))
    with pytest.raises(Conflict) as refused:
        award(db, household, r)
    assert refused.value.code == "incentives.rule_limit"
    award(db, household, r, day=dt.date(2025, 1, 2))  # a new year
    assert _account(db, household).balance == 10


def test_corrections_are_new_entries_and_never_overdraw(db):
    add_areas(db)
    household = add_household(db)
    award(db, household, rule(db, 20))
    service.correct_points(uow(db), schemas.CorrectionCreate(household_id=household, points=-5, occurred_on=DAY,
                                                             note="重复登记"))
    with pytest.raises(Conflict) as refused:
        service.correct_points(uow(db), schemas.CorrectionCreate(household_id=household, points=-16,
                                                                 occurred_on=DAY, note="多扣"))
    assert refused.value.code == "incentives.balance_short"
    account = _account(db, household)
    assert (account.balance, account.corrected) == (15, -5)
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(PointTransaction)) == 2
    _books_hold(db)


def test_a_redemption_takes_points_and_stock_together_or_nothing(db):
    add_areas(db)
    household = add_household(db)
    award(db, household, rule(db, 30))
    s = shop(db)
    oil, rice = goods(db, s, price=10, stock=2), goods(db, s, price=15, stock=1, name="大米")
    receipt = redeem(db, s, household, {oil: 1, rice: 1})
    assert (receipt.total_points, receipt.balance_after) == (25, 5)
    assert (_account(db, household).balance, _stock(db, oil), _stock(db, rice)) == (5, 1, 0)
    with pytest.raises(Conflict) as refused:
        redeem(db, s, household, {rice: 1})
    assert refused.value.code == "incentives.stock_short"
    with pytest.raises(Conflict) as refused:
        redeem(db, s, household, {oil: 1})
    assert refused.value.code == "incentives.balance_short"
    assert (_account(db, household).balance, _stock(db, oil)) == (5, 1)  # the refusals changed nothing
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Redemption)) == 1
    _books_hold(db)


def test_a_shop_clerk_sees_and_changes_only_her_shop(db):
    add_areas(db)
    household = add_household(db)
    award(db, household, rule(db, 50))
    mine, other = shop(db), shop(db, name="娜姑爱心超市")
    oil_here, oil_there = goods(db, mine), goods(db, other)
    clerk = as_role("shop_clerk", "530326100000", shop_id=mine)
    redeem(db, mine, household, {oil_here: 1}, actor=clerk)
    with pytest.raises(Forbidden) as refused:
        redeem(db, other, household, {oil_there: 1}, actor=clerk)
    assert refused.value.code == "core.not_your_shop"
    with pytest.raises(Forbidden) as refused:
        service.add_goods(uow(db, clerk), other, schemas.GoodsCreate(name="洗衣粉", price_points=5, stock=3))
    assert refused.value.code == "core.not_your_shop"
    with pytest.raises(Forbidden):
        service.add_stock(uow(db, clerk), oil_there, 5)
    service.add_stock(uow(db, clerk), oil_here, 5)
    with pytest.raises(Conflict) as refused:  # her shop, but goods of the other one
        redeem(db, mine, household, {oil_there: 1}, actor=clerk)
    assert refused.value.code == "incentives.goods_other_shop"
    with db.session_factory() as session:
        assert [s.id for s in queries.list_shops(session, clerk.scope, only_shop=mine)] == [mine]
    assert (_stock(db, oil_here), _stock(db, oil_there)) == (9, 5)
    cadre = as_role("village", "530326100200")  # her township's shop serves her village's households
    redeem(db, mine, household, {oil_here: 1}, actor=cadre)
    with db.session_factory() as session:
        assert [s.id for s in queries.list_shops(session, cadre.scope)] == [mine, other]
    assert _stock(db, oil_here) == 8


def test_donations_of_goods_fill_the_stock(db):
    add_areas(db)
    s = shop(db)
    oil = goods(db, s, stock=0)
    service.record_donation(uow(db), s, schemas.DonationCreate(donor="曲靖市某企业", kind="goods", goods_id=oil,
                                                               quantity=12, received_on=DAY))
    service.record_donation(uow(db), s, schemas.DonationCreate(donor="爱心人士", kind="money",
                                                               amount=Decimal("500.00"), received_on=DAY))
    with pytest.raises(Exception) as refused:
        service.record_donation(uow(db), s, schemas.DonationCreate(donor="某人", kind="money", received_on=DAY))
    assert refused.value.code == "incentives.donation_amount"
    assert _stock(db, oil) == 12


def test_points_expire_oldest_first_and_only_once(db):
    add_areas(db)
    household = add_household(db)
    old = rule(db, 10, valid_months=12, name="学习政策")
    award(db, household, old, day=dt.date(2023, 1, 10))
    award(db, household, old, day=dt.date(2023, 1, 20))
    award(db, household, old, day=dt.date(2024, 1, 5))  # still valid on 2024-03-01
    s = shop(db)
    redeem(db, s, household, {goods(db, s, price=5): 1})  # uses 5 of the oldest 10
    outcome = service.expire_points(uow(db), COUNTY, dt.date(2024, 3, 1))
    assert outcome == {"households": 1, "points": 15}
    assert _account(db, household).balance == 10
    assert service.expire_points(uow(db), COUNTY, dt.date(2024, 3, 1)) == {"households": 0, "points": 0}
    _books_hold(db)


def _score_all(db, card, table):
    """table: subject name → (industry score, governance score, vetoed)."""
    with db.session_factory() as session:
        items = {i.name: i.id for i in queries.items_of(session, card)}
    ids = {}
    for n, (name, (a, b, veto)) in enumerate(table.items()):
        subject = service.add_subject(uow(db), card, schemas.SubjectCreate(name=name,
                                                                           area_code=f"5303261002{n:02d}"
                                                                           if n < 2 else "530326101200"))
        ids[name] = subject.id
        for item, value in (("产业发展", a), ("基层治理", b)):
            service.record_score(uow(db), card, schemas.ScoreSet(subject_id=subject.id, item_id=items[item],
                                                                 score=Decimal(value), evidence="考核台账"))
        service.record_score(uow(db), card, schemas.ScoreSet(subject_id=subject.id, item_id=items["安全生产一票否决"],
                                                             vetoed=veto))
    return ids


def _results(db, card):
    with db.session_factory() as session:
        return {r["name"]: r for r in queries.results_of(session, card)}


@pytest.mark.parametrize("effect, vetoed_score", [("zero", "0.00"), ("halve", "47.50")])
def test_the_veto_zeroes_or_halves_and_the_bonus_sums_to_the_pool(db, effect, vetoed_score):
    add_areas(db)
    card = scorecard(db, veto_effect=effect, pool="1000.01", top_n=1)
    _score_all(db, card, {"北坎村": ("95", "95", True), "石坝村": ("90", "80", False), "白雾村": ("70", "60", False)})
    service.close_period(uow(db), card, DAY)
    results = _results(db, card)
    assert results["北坎村"]["score"] == vetoed_score and results["北坎村"]["vetoed"]
    assert results["北坎村"]["stars"] == 1  # a veto is never starred
    assert (results["石坝村"]["score"], results["石坝村"]["rank"], results["石坝村"]["stars"]) == ("86.00", 1, 4)
    assert results["石坝村"]["titled"] and not results["北坎村"]["titled"] and not results["白雾村"]["titled"]
    assert sum(r["bonus"] for r in results.values()) == Decimal("1000.01")
    if effect == "zero":
        assert results["北坎村"]["bonus"] == Decimal("0.00")
    with pytest.raises(Conflict) as refused:
        service.close_period(uow(db), card, DAY)
    assert refused.value.code == "incentives.scorecard_closed"


def test_weights_must_add_up_to_a_hundred(db):
    add_areas(db)
    data = schemas.ScorecardCreate(name="双述双评", area_code=COUNTY, subject_kind="cadre", period="2024",
                                   items=[schemas.ItemIn(name="述职", weight=Decimal(50))])
    with pytest.raises(Exception) as refused:
        service.create_scorecard(uow(db), data)
    assert refused.value.code == "incentives.weights_sum"


def test_training_completion_awards_points_through_the_hook_once(db):
    add_areas(db)
    household = add_household(db)
    rule(db, 8, name="参加技能培训结业", trigger="training_completed")
    hook = provided("incentives.award_points")
    assert hook(uow(db), "training_completed", household, "employment.attendance:1", DAY) == 8
    assert hook(uow(db), "training_completed", household, "employment.attendance:1", DAY) == 0
    assert hook(uow(db), "volunteering", household, "services.volunteer:1", DAY) == 0  # no such rule
    assert _account(db, household).balance == 8


def test_points_issued_and_redeemed_by_village(db):
    add_areas(db)
    household = add_household(db)
    award(db, household, rule(db, 40))
    s = shop(db)
    redeem(db, s, household, {goods(db, s, price=12): 1})
    with db.session_factory() as session:
        rows = queries.points_by_village(session, Scope.of_area(COUNTY), dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        drill = queries.households_with_points(session, Scope.of_area(COUNTY), "spent", dt.date(2024, 1, 1),
                                               dt.date(2024, 12, 31), 10)
    assert [tuple(r) for r in rows] == [("530326100200", 40, 12)]
    assert [(d["household_id"], d["points"]) for d in drill] == [(household, 12)]


def test_completing_a_training_course_in_employment_awards_the_points_once(db):
    from fupin.employment import service as employment
    from tests.factories_employment import add_household as add_family
    from tests.factories_employment import add_worker

    add_areas(db)
    rule(db, 20, name="参加技能培训结业", trigger="training_completed")
    household, (person,) = add_family(db, "530326100200", [{"age": 30}])
    worker = add_worker(db, person)
    course = employment.create_course(uow(db), title="钢筋工培训班", course_type="rebar", area_code="530326100200",
                                      hours=40, provider="县职业培训中心", starts_on=DAY, ends_on=DAY)
    attendance = employment.enrol(uow(db), course.id, worker)
    employment.complete_attendance(uow(db), attendance.id, certified=True)
    employment.complete_attendance(uow(db), attendance.id, certified=True)  # recorded again: no second award
    assert _account(db, household).balance == 20
