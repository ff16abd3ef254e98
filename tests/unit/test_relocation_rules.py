import hashlib
from collections import Counter
from decimal import Decimal

import pytest

from fupin.relocation.rules import (
    Applicant,
    FreeUnit,
    GridSlot,
    LotteryRefused,
    SizeRule,
    draw_number,
    next_status,
    pick_leader,
    propose_grids,
    run_lottery,
)

RULE = SizeRule()


def _site(households: int, units_per_class: dict[int, int], priority_every: int = 0):
    applicants = [Applicant(h, members=2 + h % 4, priority_group=1 if priority_every and h % priority_every == 0 else 0)
                  for h in range(1, households + 1)]
    units, uid = [], 1000
    for size_class, count in units_per_class.items():
        for _ in range(count):
            units.append(FreeUnit(uid, Decimal(25 * size_class)))
            uid += 1
    return applicants, units


def test_the_draw_number_is_a_plain_sha256_anyone_can_recompute():
    assert draw_number("会泽2019", "household", 42) == hashlib.sha256("会泽2019:household:42".encode()).hexdigest()


def test_same_seed_same_result_and_another_seed_another_result():
    applicants, units = _site(40, {2: 10, 3: 10, 4: 10, 5: 10})
    first = run_lottery("seed-1", applicants, units)
    again = run_lottery("seed-1", list(reversed(applicants)), list(reversed(units)))
    other = run_lottery("seed-2", applicants, units)
    assert first.lines == again.lines, "input order does not matter, only seed and contents"
    assert first.digest() == again.digest()
    assert first.allocations != other.allocations


def test_every_unit_fits_its_household_size_and_no_unit_goes_twice():
    applicants, units = _site(40, {2: 12, 3: 12, 4: 12, 5: 12})
    result = run_lottery("s", applicants, units)
    area = {u.unit_id: u.area_m2 for u in units}
    members = {a.household_id: a.members for a in applicants}
    assert len(result.allocations) == 40
    assert len(set(result.allocations.values())) == 40
    for household, unit in result.allocations.items():
        assert RULE.fits(area[unit], members[household]), (household, unit)


def test_size_classes_follow_25_square_metres_a_person():
    assert RULE.unit_class(Decimal("50")) == 2 and RULE.unit_class(Decimal("60")) == 3
    assert RULE.household_class(1) == 2 and RULE.household_class(9) == 6
    assert RULE.fits(Decimal("100"), 4) and not RULE.fits(Decimal("100"), 3)


def test_priority_households_draw_first_when_units_of_their_size_are_scarce():
    # 20 households of 2 people, 5 of them priority; only 10 fitting units (and 10 of another size).
    applicants = [Applicant(h, 2, 1 if h <= 5 else 0) for h in range(1, 21)]
    units = [FreeUnit(u, Decimal("50")) for u in range(100, 110)] + [FreeUnit(u, Decimal("150")) for u in range(200, 210)]
    result = run_lottery("p", applicants, units)
    assert [ln.household_id for ln in result.lines[:5]] == sorted(
        range(1, 6), key=lambda h: draw_number("p", "household", h))
    assert all(h in result.allocations for h in range(1, 6))
    assert len(result.allocations) == 10 and len(result.unplaced) == 10


def test_fewer_units_than_households_is_refused_unless_the_waiting_households_are_named():
    applicants, units = _site(12, {2: 3, 3: 3, 4: 2, 5: 2})
    with pytest.raises(LotteryRefused) as short:
        run_lottery("s", applicants, units)
    assert short.value.error.code == "relocation.too_few_units" and short.value.error.params["short"] == 2
    with pytest.raises(LotteryRefused) as still_short:
        run_lottery("s", applicants, units, waiting=[1])
    assert still_short.value.error.code == "relocation.too_few_units"
    result = run_lottery("s", applicants, units, waiting=[1, 2])
    assert {1, 2}.isdisjoint(ln.household_id for ln in result.lines)
    with pytest.raises(LotteryRefused) as unknown:
        run_lottery("s", applicants, units, waiting=[999, 1, 2])
    assert unknown.value.error.code == "relocation.waiting_unknown" and "999" in unknown.value.error.params["ids"]


def test_an_empty_seed_is_refused():
    applicants, units = _site(2, {2: 1, 3: 1})
    with pytest.raises(LotteryRefused) as empty:
        run_lottery("  ", applicants, units)
    assert empty.value.error.code == "relocation.seed_invalid"


@pytest.mark.parametrize(("households", "size"), [(95, 10), (5400, 10), (37, 7), (10, 10), (23, 12)])
def test_grids_are_near_the_configured_size_and_hold_every_household_once(households, size):
    slots = [GridSlot(i, f"{i // 24 + 1}幢", (i % 24) // 4 + 1, f"{(i % 24) // 4 + 1}0{i % 4 + 1}")
             for i in range(households)]
    grids = propose_grids(slots, size)
    sizes = [len(g) for g in grids]
    assert sum(sizes) == households
    assert Counter(r for g in grids for r in g) == Counter(range(households))
    assert max(sizes) - min(sizes) <= 1
    if households >= size:
        assert all(abs(s - size) <= max(1, size // 2) for s in sizes), sizes


def test_grids_follow_building_then_floor_order():
    slots = [GridSlot(1, "2幢", 1, "101"), GridSlot(2, "10幢", 1, "101"), GridSlot(3, "1幢", 2, "201"),
             GridSlot(4, "1幢", 1, "102"), GridSlot(5, "1幢", 1, "101")]
    assert propose_grids(slots, 5) == [[5, 4, 3, 1, 2]]


def test_a_party_member_leads_before_a_household_head():
    assert pick_leader([(1, "甲", False, True), (2, "乙", True, False)]) == (2, "乙", True)
    assert pick_leader([(1, "甲", False, False), (3, "丙", False, True)]) == (3, "丙", False)
    assert pick_leader([(1, "甲", False, False)]) is None


def test_status_moves_forward_only():
    assert next_status("planned", "allocated") == "allocated"
    with pytest.raises(ValueError) as backwards:
        next_status("moved_in", "planned")
    assert backwards.value.error.code == "relocation.status_transition"


def test_building_names_sort_naturally_whatever_characters_they_hold():
    slots = [GridSlot(1, "10幢", 1, "101"), GridSlot(2, "2幢", 1, "101"), GridSlot(3, "¹幢", 1, "1¹01"),
             GridSlot(4, "٣幢", 1, "101")]
    assert propose_grids(slots, 4) == [[2, 4, 1, 3]]
