"""Exact splits by the largest-remainder method: they always add up, never go negative, never exceed a cap."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fupin.core.money import CENT, WHOLE, SplitError, split, split_capped, yuan

amounts = st.integers(min_value=0, max_value=10**10).map(lambda n: Decimal(n) / 100)
weights = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40).filter(lambda w: sum(w) > 0)


@given(amounts, weights)
@settings(max_examples=300, deadline=None)
def test_any_split_sums_to_the_cent_and_no_part_is_negative(total, shares):
    parts = split(total, shares)
    assert sum(parts) == total
    assert all(p >= 0 and p == p.quantize(CENT) for p in parts)
    assert all(p == 0 for p, w in zip(parts, shares, strict=True) if w == 0)
    assert split(total, shares) == parts, "the same inputs give the same result"


@given(st.integers(min_value=0, max_value=10**7), weights)
@settings(max_examples=200, deadline=None)
def test_whole_units_stay_whole(total, shares):
    parts = split(total, shares, unit=WHOLE)
    assert sum(parts) == total and all(p == int(p) for p in parts)


@given(amounts, weights, st.data())
@settings(max_examples=300, deadline=None)
def test_no_part_goes_above_its_cap_and_nothing_is_lost(total, shares, data):
    caps = [data.draw(st.one_of(st.none(), st.integers(min_value=0, max_value=10**8).map(lambda n: Decimal(n) / 100)))
            for _ in shares]
    parts, rest = split_capped(total, shares, caps)
    assert sum(parts) + rest == total and rest >= 0
    assert all(p <= c for p, c in zip(parts, caps, strict=True) if c is not None)
    assert all(p >= 0 for p in parts)
    uncapped_open = any(c is None and w > 0 for c, w in zip(caps, shares, strict=True))
    if uncapped_open:
        assert rest == 0, "a part without a cap takes whatever the others cannot"


def test_largest_remainders_take_the_cents_and_ties_go_to_the_earlier_part():
    assert split(Decimal("100.00"), [1, 1, 1]) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert split(Decimal("10"), [2, 3, 5]) == [Decimal("2.00"), Decimal("3.00"), Decimal("5.00")]
    assert split(Decimal("0.05"), [1, 1, 1, 1]) == [Decimal("0.02"), Decimal("0.01"), Decimal("0.01"),
                                                       Decimal("0.01")]
    # 40 % / 60 % of a profit of 1,000,000.01
    assert split(Decimal("1000000.01"), [40, 60]) == [Decimal("400000.00"), Decimal("600000.01")]


def test_caps_are_filled_then_the_rest_goes_on():
    parts, rest = split_capped(Decimal("1000"), [1, 1, 1], [Decimal("100"), None, Decimal("300")])
    assert parts == [Decimal("100.00"), Decimal("600.00"), Decimal("300.00")] and rest == 0
    parts, rest = split_capped(Decimal("1000"), [1, 1], [Decimal("100"), Decimal("200")])
    assert parts == [Decimal("100.00"), Decimal("200.00")] and rest == Decimal("700.00")


def test_refusals():
    with pytest.raises(SplitError):
        split(Decimal("-1"), [1])
    with pytest.raises(SplitError):
        split(Decimal("1"), [0, 0])
    with pytest.raises(SplitError):
        split(Decimal("0.005"), [1])
    assert split(Decimal("0"), [0, 0]) == [Decimal("0.00"), Decimal("0.00")]
    with pytest.raises(ValueError):
        yuan("1e400000")
    assert yuan("12.345") == Decimal("12.35")
