import datetime as dt
import random
from collections import Counter

import pytest

from fupin.core.errors import Invalid
from fupin.pairing.planner import (
    CadreSlot,
    ExistingPair,
    HouseholdNeed,
    greedy_plan,
    plan_pairs,
    weighted_cost,
)
from fupin.pairing.rules import DEFAULT_QUOTAS, may_help, overdue, parse_quotas

QUOTAS = DEFAULT_QUOTAS
DAY = dt.date(2020, 1, 1)
V1, V2, V3 = "530326100200", "530326100201", "530326101200"


def _check(plan, households, cadres, existing, quotas=QUOTAS):  # type: ignore[no-untyped-def]
    """The invariants every plan keeps: quotas, scope, the Party-member rule, one helper per household."""
    by_cadre = {c.id: c for c in cadres}
    by_household = {h.id: h for h in households}
    kept = {p.id: p for p in existing if p.id in set(plan.keep)}
    load = Counter(p.cadre_id for p in kept.values())
    load.update(a["cadre_id"] for a in plan.add)
    for cadre_id, n in load.items():
        assert n <= quotas[by_cadre[cadre_id].rank], f"cadre {cadre_id} over quota"
    for a in plan.add:
        household, cadre = by_household[a["household_id"]], by_cadre[a["cadre_id"]]
        assert may_help(cadre.area_code, household.area_code), "paired across the cadre's area"
        assert cadre.is_party_member or not household.needs_party_member
    helped = {p.household_id for p in kept.values()} | {a["household_id"] for a in plan.add}
    unpaired = {u["household_id"] for u in plan.unpaired}
    assert helped | unpaired == set(by_household) and not helped & unpaired
    assert len({a["household_id"] for a in plan.add}) == len(plan.add)


def test_quotas_by_rank_fill_the_village_first_and_leave_the_rest_unpaired_with_a_reason():
    households = [HouseholdNeed(i, V1 + "001") for i in range(1, 11)]
    cadres = [CadreSlot(1, V1, "county", True), CadreSlot(2, V1, "general", True)]
    plan = plan_pairs(households, cadres, [], QUOTAS)
    _check(plan, households, cadres, [])
    assert Counter(a["cadre_id"] for a in plan.add) == {1: 5, 2: 3}
    assert len(plan.unpaired) == 2
    assert "名额不足" in plan.unpaired[0]["reason"]


def test_a_village_cadre_never_helps_another_village_and_township_cadres_come_second():
    households = [HouseholdNeed(1, V1), HouseholdNeed(2, V2), HouseholdNeed(3, V3)]
    cadres = [CadreSlot(1, V1, "general", True), CadreSlot(2, "530326100000", "general", True)]
    plan = plan_pairs(households, cadres, [], QUOTAS)
    _check(plan, households, cadres, [])
    pairs = {a["household_id"]: (a["cadre_id"], a["level"]) for a in plan.add}
    assert pairs[1] == (1, "village") and pairs[2] == (2, "township")
    assert [u["household_id"] for u in plan.unpaired] == [3]
    assert "没有" in plan.unpaired[0]["reason"]


def test_valid_pairs_are_kept_and_pairs_breaking_a_rule_are_ended():
    households = [HouseholdNeed(1, V1), HouseholdNeed(2, V1, needs_party_member=True), HouseholdNeed(3, V2)]
    cadres = [CadreSlot(1, V1, "general", False), CadreSlot(2, V1, "general", True)]
    existing = [ExistingPair(10, 1, 1, DAY),   # valid: kept
                ExistingPair(11, 2, 1, DAY),   # relocated household with a non-member
                ExistingPair(12, 3, 2, DAY),   # household outside the cadre's village
                ExistingPair(13, 1, 99, DAY)]  # the cadre left
    plan = plan_pairs(households, cadres, existing, QUOTAS)
    _check(plan, households, cadres, existing)
    assert plan.keep == [10]
    assert {e["pair_id"]: e["reason"] for e in plan.end}.keys() == {11, 12, 13}
    assert [(a["household_id"], a["cadre_id"]) for a in plan.add] == [(2, 2)]


def test_a_cadre_over_quota_keeps_only_his_quota_and_is_reported():
    households = [HouseholdNeed(i, V1) for i in range(1, 6)]
    cadres = [CadreSlot(1, V1, "general", True)]
    existing = [ExistingPair(100 + i, i, 1, DAY + dt.timedelta(days=i)) for i in range(1, 6)]
    plan = plan_pairs(households, cadres, existing, QUOTAS)
    _check(plan, households, cadres, existing)
    assert len(plan.keep) == 3 and len(plan.end) == 2
    assert all("超出名额" in e["reason"] for e in plan.end)
    assert len(plan.unpaired) == 2, "nobody else may help them"
    assert plan.over_quota == [{"cadre_id": 1, "rank": "general", "quota": 3, "pairs": 5}]


def test_wider_cadres_pairs_elsewhere_count_against_the_quota():
    households = [HouseholdNeed(i, V1) for i in range(1, 5)]
    cadres = [CadreSlot(1, "530326000000", "section", True)]
    plan = plan_pairs(households, cadres, [], QUOTAS, used_elsewhere={1: 3})
    assert len(plan.add) == 1 and len(plan.unpaired) == 3


@pytest.mark.parametrize("seed", range(8))
def test_the_flow_is_never_worse_than_the_greedy_baseline(seed):
    rng = random.Random(seed)
    villages = [f"5303261{t:02d}{200 + v:03d}" for t in range(3) for v in range(4)]
    households = [HouseholdNeed(i, rng.choice(villages), rng.random() < 0.15) for i in range(1, 301)]
    cadres = []
    for i in range(1, 71):
        roll = rng.random()
        area = rng.choice(villages) if roll < 0.6 else (rng.choice(villages)[:9] + "000" if roll < 0.95
                                                       else "530326000000")
        cadres.append(CadreSlot(i, area, rng.choice(["county", "section", "general", "general"]), rng.random() < 0.8))
    existing = [ExistingPair(1000 + i, h.id, rng.randint(1, 75), DAY) for i, h in enumerate(households) if i % 3 == 0]
    flow = plan_pairs(households, cadres, existing, QUOTAS)
    greedy = greedy_plan(households, cadres, existing, QUOTAS)
    _check(flow, households, cadres, existing)
    assert flow.cost()["unpaired"] <= greedy.cost()["unpaired"]
    assert weighted_cost(flow.cost()) <= weighted_cost(greedy.cost())


def test_quota_settings_and_visit_follow_up():
    assert parse_quotas("county=6, general=2") == {"county": 6, "section": 4, "general": 2}
    with pytest.raises(Invalid):
        parse_quotas("mayor=9")
    assert overdue(None, DAY) and overdue(DAY - dt.timedelta(days=31), DAY)
    assert not overdue(DAY - dt.timedelta(days=30), DAY)
