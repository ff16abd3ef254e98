"""Pure rules of incentives: the weighted score with its veto, competition ranks, stars, titles, the bonus split
(exact, summing to the pool) and which points expire (oldest used first)."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from fupin.incentives import rules
from fupin.incentives.rules import ItemScore, Lot

D = Decimal


def test_weighted_score_and_the_veto():
    items = [ItemScore(D(60), D("95.5")), ItemScore(D(40), D(80))]
    assert rules.weighted_score(items, False, "zero") == D("89.3")
    assert rules.weighted_score(items, True, "zero") == 0
    assert rules.weighted_score(items, True, "halve") == D("44.65")
    assert rules.weighted_score([ItemScore(D(100), None)], False, "zero") == 0


def test_ranks_stars_and_titles():
    scores = [D(90), D(85), D(85), D(70)]
    assert rules.ranks(scores) == [1, 2, 2, 4]
    assert [rules.stars(s, False) for s in (D(95), D("89.99"), D(70), D(60), D("59.99"))] == [5, 4, 3, 2, 1]
    assert rules.stars(D(99), True) == 1
    assert rules.titled(scores, [False] * 4, 2, None) == [True, True, True, False]  # ties share the last place
    assert rules.titled(scores, [True, False, False, False], None, D(85)) == [False, True, True, False]
    assert rules.titled(scores, [False] * 4, None, None) == [False] * 4


@given(st.decimals(min_value=0, max_value=10_000_000, places=2),
       st.lists(st.decimals(min_value=0, max_value=100, places=7), min_size=1, max_size=30))
def test_the_bonus_split_sums_exactly_to_the_pool(pool, scores):
    parts = rules.bonus_split(pool, scores)
    assert len(parts) == len(scores)
    assert all(p >= 0 and p == p.quantize(D("0.01")) for p in parts)
    if any(s > 0 for s in scores):
        assert sum(parts) == pool
    else:
        assert sum(parts) == 0
    for score, part in zip(scores, parts, strict=True):
        if score == 0:
            assert part == 0


def test_expiry_uses_the_oldest_points_first():
    lots = [Lot(dt.date(2024, 1, 1), 10), Lot(dt.date(2024, 6, 1), 10), Lot(None, 5)]
    assert rules.expiring_points(lots, debited=4, balance=21, as_of=dt.date(2024, 3, 1)) == 6
    assert rules.expiring_points(lots, debited=12, balance=13, as_of=dt.date(2024, 7, 1)) == 8
    assert rules.expiring_points(lots, debited=0, balance=3, as_of=dt.date(2025, 1, 1)) == 3  # never below zero


@given(st.lists(st.tuples(st.one_of(st.none(), st.dates(dt.date(2023, 1, 1), dt.date(2025, 1, 1))),
                          st.integers(1, 100)), max_size=8),
       st.integers(0, 500), st.dates(dt.date(2023, 1, 1), dt.date(2025, 1, 1)))
def test_expiry_never_exceeds_what_is_due_or_the_balance(raw, debited, as_of):
    lots = [Lot(day, points) for day, points in raw]
    earned = sum(lot.points for lot in lots)
    debited = min(debited, earned)
    balance = earned - debited
    amount = rules.expiring_points(lots, debited, balance, as_of)
    due = sum(lot.points for lot in lots if lot.expires_on is not None and lot.expires_on <= as_of)
    assert 0 <= amount <= min(due, balance)
    assert rules.expiring_points(lots, debited + amount, balance - amount, as_of) == 0  # once only
