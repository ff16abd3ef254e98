"""Pure rules of industry: the distribution (property tests), the credit code, land contracts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fupin.core.errors import FupinError
from fupin.core.money import split
from fupin.industry.rules import (
    HouseholdIn,
    RunConfig,
    VillageIn,
    amount,
    credit_code,
    distribute,
    equal_capped,
    land_problems,
    period_year,
    rent_due,
)

households = st.lists(st.tuples(st.booleans(), st.integers(1, 9999)), max_size=12)
villages = st.lists(st.tuples(st.integers(0, 400), st.integers(0, 50), households), min_size=1, max_size=8)


def _villages(raw) -> list[VillageIn]:  # type: ignore[no-untyped-def]
    out = []
    for index, (registered, members, hs) in enumerate(raw):
        code = f"2104231{index:02d}200"
        out.append(VillageIn(code, registered_households=registered, member_households=members,
                             shares=Decimal(members) / 4, households=tuple(
                                 HouseholdIn(index * 100 + j + 1, f"{code}{no:04d}", below)
                                 for j, (below, no) in enumerate(hs))))
    return out


config_strategy = st.builds(
    RunConfig,
    enterprise_percent=st.decimals(0, 100, places=2),
    village_basis=st.sampled_from(["registered_households", "member_households", "shares", "equal"]),
    inside_village=st.sampled_from(["below_first", "collective"]),
    household_cap=st.one_of(st.none(), st.decimals(Decimal("0.01"), 5000, places=2)),
    unit=st.just("yuan"),
)


def _total_of(dist) -> Decimal:  # type: ignore[no-untyped-def]
    return dist.enterprise + sum((v.collective + sum((h.amount for h in v.households), Decimal(0))
                                  for v in dist.villages), Decimal(0))


@settings(max_examples=300, deadline=None)
@given(total=st.decimals(Decimal("0.01"), Decimal("99999999.99"), places=2), config=config_strategy, raw=villages)
def test_any_run_sums_to_the_cent_no_part_negative_no_household_above_cap(total, config, raw):
    vs = _villages(raw)
    # Nothing for the villages (the enterprise takes it all) is a valid run whatever the basis; something for
    # villages none of which has any of the basis is refused.
    _enterprise, villages_part = split(total, [config.enterprise_percent, 100 - config.enterprise_percent],
                                       config.step)
    if villages_part > 0 and config.village_basis != "equal" and not any(
            {"registered_households": v.registered_households, "member_households": v.member_households,
             "shares": v.shares}[config.village_basis] > 0 for v in vs):
        with pytest.raises(FupinError) as refused:
            distribute(total, config, vs)
        assert refused.value.code == "industry.nothing_to_share_by"
        return
    dist = distribute(total, config, vs)
    assert _total_of(dist) == total
    assert dist.enterprise + dist.villages_total == total
    assert sum((v.amount for v in dist.villages), Decimal(0)) == dist.villages_total
    for village in dist.villages:
        assert village.collective + sum((h.amount for h in village.households), Decimal(0)) == village.amount
        parts = [village.amount, village.collective, *[h.amount for h in village.households]]
        assert all(p >= 0 and p == p.quantize(Decimal("0.01")) for p in parts)
        if config.household_cap is not None:
            assert all(h.amount <= config.household_cap for h in village.households)
    # same inputs, same result, whatever order the villages and households come in
    assert distribute(total, config, list(reversed(vs))) == dist


@settings(max_examples=200, deadline=None)
@given(total=st.integers(1, 2_000_000), raw=villages, percent=st.decimals(0, 100, places=0))
def test_in_kind_runs_split_whole_units(total, raw, percent):
    vs = _villages(raw)
    config = RunConfig(enterprise_percent=percent, village_basis="equal", inside_village="collective", unit="piece")
    dist = distribute(Decimal(total), config, vs)
    assert _total_of(dist) == total
    assert all(v.amount == v.amount.to_integral_value() for v in dist.villages)


@given(units=st.integers(0, 10**9), count=st.integers(0, 300), cap=st.one_of(st.none(), st.integers(1, 10**6)))
def test_equal_capped_is_exact_and_under_cap(units, count, cap):
    parts, rest = equal_capped(units, count, cap)
    assert sum(parts) + rest == units and rest >= 0 and len(parts) == count
    if cap is not None:
        assert all(p <= cap for p in parts)
    if parts:
        assert max(parts) - min(parts) <= 1 and parts == sorted(parts, reverse=True)  # odd units to the earlier
    if cap is None and count:
        assert rest == 0


def test_ties_go_to_the_earlier_village_by_code():
    vs = [VillageIn("210423100201", registered_households=1), VillageIn("210423100200", registered_households=1),
          VillageIn("210423100202", registered_households=1)]
    dist = distribute(Decimal("1.00"), RunConfig(enterprise_percent=Decimal(0), inside_village="collective"), vs)
    assert [(v.code, v.amount) for v in dist.villages] == [
        ("210423100200", Decimal("0.34")), ("210423100201", Decimal("0.33")), ("210423100202", Decimal("0.33"))]


def test_households_below_the_standard_first_up_to_the_cap_rest_to_the_collective():
    village = VillageIn("210423100200", registered_households=3, households=(
        HouseholdIn(3, "0003", True), HouseholdIn(1, "0001", True), HouseholdIn(2, "0002", False)))
    config = RunConfig(enterprise_percent=Decimal(40), household_cap=Decimal("1000"))
    dist = distribute(Decimal("10000.00"), config, [village])
    assert dist.enterprise == Decimal("4000.00")
    (v,) = dist.villages
    assert [(h.household_no, h.amount) for h in v.households] == [("0001", Decimal("1000.00")),
                                                                  ("0003", Decimal("1000.00"))]
    assert v.collective == Decimal("4000.00")


@pytest.mark.parametrize(("code", "expected"), [
    ("91110000600037341L", "91110000600037341L"),
    (" 9111 0000 6000 3734 1l", "91110000600037341L"),
    ("", None),
])
def test_good_credit_codes_are_compacted(code, expected):
    assert credit_code(code) == expected


@pytest.mark.parametrize(("code", "error", "says"), [
    ("9111000060003734", "industry.credit_code_length", "18位(现为16位)"),
    ("91110000600037341M", "industry.credit_code_checksum", "应为L"),
    ("A1110000600037341L", "industry.credit_code_format", "前8位应为数字"),
    ("9111000060003734OL", "industry.credit_code_format", "不含I、O"),
])
def test_bad_credit_codes_are_refused_with_the_reason(code, error, says):
    with pytest.raises(FupinError) as refused:
        credit_code(code)
    assert refused.value.code == error
    assert says in refused.value.message


def test_land_contract_with_negative_area_or_end_before_start_is_refused():
    start, end = dt.date(2017, 3, 1), dt.date(2030, 2, 28)
    assert land_problems(Decimal("180"), start, end) == []
    assert [p.code for p in land_problems(Decimal("-1"), start, end)] == ["industry.area_negative"]
    assert [p.code for p in land_problems(Decimal("0"), start, end)] == ["industry.area_negative"]
    assert [p.code for p in land_problems(Decimal("1"), end, start)] == ["industry.end_before_start"]
    assert rent_due(Decimal("180"), Decimal("500"), start, end, 2017) == Decimal("90000.00")
    assert rent_due(Decimal("180"), Decimal("500"), start, end, 2031) == Decimal("0.00")


def test_amounts_and_periods():
    assert amount("1,234.50", "total") == Decimal("1234.50")
    for bad in ("-1", "abc", "NaN", "1.001", "1e20"):
        with pytest.raises(FupinError):
            amount(bad, "total")
    with pytest.raises(FupinError) as refused:
        amount("1.5", "total", unit=Decimal(1))
    assert refused.value.code == "industry.whole_units"
    assert period_year("2017秋") == 2017
    with pytest.raises(FupinError):
        period_year("秋季")
