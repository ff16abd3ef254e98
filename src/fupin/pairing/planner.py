"""The pairing proposal as a min-cost flow (pure computation, no I/O).

Valid existing pairs are kept (stability) up to the cadre's quota; every other household that needs a helper
is pooled by (village, needs a Party member). Per connected component (a township, or a county when a
county-level cadre spans its townships) one OR-Tools min-cost flow sends households from pools to cadres:
pool → cadre arcs exist only where the cadre may help (his assigned area contains the village) and cost less
for the same village than for the township or the county; pool → sink is the expensive "left unpaired" arc.
The graph has one node per village pool and per cadre, never one per household × cadre.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

from fupin.core.areacodes import prefix_of

# One objective, in priority order: give every household a helper, then keep existing pairs, then stay near.
COST_UNPAIRED = 1_000_000
COST_BREAK = 1_000
COST_VILLAGE = 0
COST_TOWNSHIP = 3
COST_WIDER = 6


@dataclass(frozen=True)
class HouseholdNeed:
    id: int
    area_code: str
    needs_party_member: bool = False

    @property
    def village(self) -> str:
        return self.area_code[:12]


@lru_cache(maxsize=65536)
def _prefix(area_code: str) -> str:
    return prefix_of(area_code[:12])


@dataclass(frozen=True)
class CadreSlot:
    id: int
    area_code: str
    rank: str
    is_party_member: bool

    @property
    def prefix(self) -> str:
        return _prefix(self.area_code)


@dataclass(frozen=True)
class ExistingPair:
    id: int
    household_id: int
    cadre_id: int
    started_on: dt.date


@dataclass
class Plan:
    keep: list[int] = field(default_factory=list)
    end: list[dict[str, Any]] = field(default_factory=list)
    add: list[dict[str, Any]] = field(default_factory=list)
    unpaired: list[dict[str, Any]] = field(default_factory=list)
    over_quota: list[dict[str, Any]] = field(default_factory=list)

    def cost(self) -> dict[str, int]:
        out_of_village = sum(1 for a in self.add if a["level"] != "village")
        distance = sum(LEVEL_COST[a["level"]] for a in self.add)
        return {"unpaired": len(self.unpaired), "out_of_village": out_of_village, "broken": len(self.end),
                "added": len(self.add), "kept": len(self.keep), "distance": distance}


def weighted_cost(cost: dict[str, int]) -> int:
    """The flow's own objective, so that a plan and the greedy baseline are measured by the same rule."""
    return cost["unpaired"] * COST_UNPAIRED + cost["broken"] * COST_BREAK + cost["distance"]


def _level(cadre: CadreSlot, village: str) -> str | None:
    """How close the cadre is to the village, or None when he may not help there."""
    prefix = cadre.prefix
    if not village.startswith(prefix):
        return None
    if len(prefix) >= 12:
        return "village"
    if len(prefix) == 9:
        return "township"
    return "wider"


LEVEL_COST = {"village": COST_VILLAGE, "township": COST_TOWNSHIP, "wider": COST_WIDER}
LEVEL_ZH = {"village": "本村", "township": "本乡镇", "wider": "本县"}


def _invalid_reason(household: HouseholdNeed, cadre: CadreSlot | None) -> str | None:
    if cadre is None:
        return "帮扶干部已不在岗(或不在本范围)"
    if _level(cadre, household.village) is None:
        return "农户不在该干部派驻的区划内"
    if household.needs_party_member and not cadre.is_party_member:
        return "搬迁户须由党员干部联系,该干部不是党员"
    return None


def _sort_existing(households: dict[int, HouseholdNeed], cadres: dict[int, CadreSlot],
                   existing: list[ExistingPair], quotas: dict[str, int], plan: Plan,
                   used_elsewhere: dict[int, int]) -> tuple[dict[int, ExistingPair], dict[int, int]]:
    """End the pairs that break a rule; return each household's current valid pair (the oldest) and the room
    every cadre has for the flow. A household's second and later valid pairs are simply kept."""
    primary: dict[int, ExistingPair] = {}
    extra: dict[int, int] = defaultdict(int)
    load: dict[int, int] = defaultdict(int)
    for pair in sorted(existing, key=lambda p: (p.started_on, p.id)):
        household = households.get(pair.household_id)
        if household is None:
            continue  # the household is outside this plan's scope: its pairs are not this plan's business
        reason = _invalid_reason(household, cadres.get(pair.cadre_id))
        if reason is not None:
            plan.end.append({"pair_id": pair.id, "household_id": pair.household_id, "cadre_id": pair.cadre_id,
                             "reason": reason})
            continue
        load[pair.cadre_id] += 1
        if pair.household_id in primary:
            plan.keep.append(pair.id)
            extra[pair.cadre_id] += 1
        else:
            primary[pair.household_id] = pair
    room: dict[int, int] = {}
    for cadre_id, cadre in cadres.items():
        quota = max(0, quotas.get(cadre.rank, 0) - used_elsewhere.get(cadre_id, 0))
        if load.get(cadre_id, 0) > quota:
            plan.over_quota.append({"cadre_id": cadre_id, "rank": cadre.rank, "quota": quota,
                                    "pairs": load[cadre_id]})
        room[cadre_id] = max(0, quota - extra.get(cadre_id, 0))
    return primary, room


def _components(pools: dict[tuple[str, bool], list[int]], cadres: list[CadreSlot]) -> list[tuple[list, list]]:
    """Group pools and cadres into independent sub-problems (township, or wider where a cadre spans more)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    townships = sorted({village[:9] for village, _ in pools})
    for township in townships:
        find(township)
    for cadre in cadres:
        prefix = cadre.prefix
        if len(prefix) < 9:
            import bisect

            start = bisect.bisect_left(townships, prefix)
            first = None
            for township in townships[start:]:
                if not township.startswith(prefix):
                    break
                if first is None:
                    first = find(township)
                else:
                    parent[find(township)] = first
    groups_pools: dict[str, list] = defaultdict(list)
    groups_cadres: dict[str, list] = defaultdict(list)
    for key in pools:
        groups_pools[find(key[0][:9])].append(key)
    for cadre in cadres:
        prefix = cadre.prefix
        anchor = prefix[:9] if len(prefix) >= 9 else None
        if anchor is None:
            import bisect

            index = bisect.bisect_left(townships, prefix)
            if index < len(townships) and townships[index].startswith(prefix):
                anchor = townships[index]
        if anchor is not None and anchor in parent:
            groups_cadres[find(anchor)].append(cadre)
    return [(groups_pools[root], groups_cadres.get(root, [])) for root in groups_pools]


def plan_pairs(households: list[HouseholdNeed], cadres: list[CadreSlot], existing: list[ExistingPair],
               quotas: dict[str, int], used_elsewhere: dict[int, int] | None = None,
               progress: Callable[[int, int], None] | None = None) -> Plan:
    """`used_elsewhere`: active pairs a cadre of a wider area already has outside this plan's scope;
    `progress(done, total)` is told after each independent component is solved."""
    plan = Plan()
    by_household = {h.id: h for h in households}
    by_cadre = {c.id: c for c in cadres}
    primary, room = _sort_existing(by_household, by_cadre, existing, quotas, plan, used_elsewhere or {})
    pools: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for household in households:
        if household.id not in primary:
            pools[(household.village, household.needs_party_member)].append(household.id)
        else:
            pools.setdefault((household.village, household.needs_party_member), [])
    over = {o["cadre_id"] for o in plan.over_quota}
    paired_by_pool: dict[tuple[str, bool], list[tuple[int, ExistingPair]]] = defaultdict(list)
    for household_id, pair in primary.items():
        household = by_household[household_id]
        paired_by_pool[(household.village, household.needs_party_member)].append((household_id, pair))
    open_cadres = [c for c in cadres if room.get(c.id, 0) > 0]
    components = _components(pools, open_cadres)
    for done, (pool_keys, component_cadres) in enumerate(components, start=1):
        paired_here = [item for key in pool_keys for item in paired_by_pool.get(key, ())]
        _solve_component(pool_keys, component_cadres, pools, paired_here, by_household, room, over, plan)
        if progress is not None:
            progress(done, len(components))
    plan.keep.sort()
    plan.add.sort(key=lambda a: a["household_id"])
    plan.unpaired.sort(key=lambda u: u["household_id"])
    return plan


def _solve_component(pool_keys: list[tuple[str, bool]], cadres: list[CadreSlot],
                     pools: dict[tuple[str, bool], list[int]], paired_here: list[tuple[int, ExistingPair]],
                     households: dict[int, HouseholdNeed], room: dict[int, int], over: set[int], plan: Plan) -> None:
    # Cadres with the same assigned area and Party membership are interchangeable for a pool, so pools reach
    # them through one group node: pool → group → cadre, a few arcs per pool instead of one per cadre.
    source, sink = 0, 1
    groups: dict[tuple[str, bool], list[CadreSlot]] = defaultdict(list)
    for cadre in cadres:
        groups[(cadre.prefix, cadre.is_party_member)].append(cadre)
    next_node = 2
    pool_node: dict[tuple[str, bool], int] = {}
    for key in pool_keys:
        pool_node[key] = next_node
        next_node += 1
    group_node: dict[tuple[str, bool], int] = {}
    for key in groups:
        group_node[key] = next_node
        next_node += 1
    cadre_node: dict[int, int] = {}
    for cadre in cadres:
        cadre_node[cadre.id] = next_node
        next_node += 1
    tails: list[int] = []
    heads: list[int] = []
    capacities: list[int] = []
    costs: list[int] = []
    arc_meta: list[tuple | None] = []

    def arc(tail: int, head: int, capacity: int, cost: int, meta: tuple | None = None) -> None:
        tails.append(tail)
        heads.append(head)
        capacities.append(capacity)
        costs.append(cost)
        arc_meta.append(meta)

    demand = sum(len(pools[key]) for key in pool_keys) + len(paired_here)
    # A household with a valid pair: keep it (free) or give it up for another helper (COST_BREAK).
    for household_id, pair in paired_here:
        household = households[household_id]
        node = next_node
        next_node += 1
        arc(source, node, 1, 0)
        arc(node, pool_node[(household.village, household.needs_party_member)], 1, COST_BREAK,
            ("moved", household_id, pair))
        if pair.cadre_id in cadre_node:
            arc(node, cadre_node[pair.cadre_id], 1, 0, ("kept", household_id, pair))
    group_room = {key: sum(room[c.id] for c in members) for key, members in groups.items()}
    eligible_room: dict[tuple[str, bool], int] = {}
    for key in pool_keys:
        village, needs_party = key
        if pools[key]:
            arc(source, pool_node[key], len(pools[key]), 0)
        arc(pool_node[key], sink, demand, COST_UNPAIRED)
        total_room = 0
        for length in (12, 9, 6, 4, 2, 0):
            prefix = village[:length]
            level = "village" if length == 12 else "township" if length == 9 else "wider"
            for party in ((True,) if needs_party else (True, False)):
                group = (prefix, party)
                if group in group_node:
                    arc(pool_node[key], group_node[group], group_room[group], LEVEL_COST[level],
                        ("new", key, group, level))
                    total_room += group_room[group]
        eligible_room[key] = total_room
    for key, members in groups.items():
        for cadre in members:
            arc(group_node[key], cadre_node[cadre.id], room[cadre.id], 0, ("slot", key, cadre.id))
    for cadre in cadres:
        arc(cadre_node[cadre.id], sink, room[cadre.id], 0)
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32), np.array(heads, dtype=np.int32),
        np.array(capacities, dtype=np.int64), np.array(costs, dtype=np.int64))
    supplies = np.zeros(next_node, dtype=np.int64)
    supplies[source] = demand
    supplies[sink] = -demand
    solver.set_nodes_supplies(np.arange(next_node, dtype=np.int32), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    flows = solver.flows(arcs)
    used = np.nonzero(flows)[0]
    # Households that gave up their pair come first in their pool: they must not end up without a helper.
    waiting: dict[tuple[str, bool], list[int]] = {key: list(reversed(pools[key])) for key in pool_keys}
    slots: dict[tuple[str, bool], list[int]] = defaultdict(list)
    new_arcs: list[tuple[tuple, int]] = []
    for index in used:
        meta = arc_meta[index]
        if meta is None:
            continue
        flow = int(flows[index])
        if meta[0] == "kept":
            plan.keep.append(meta[2].id)
        elif meta[0] == "moved":
            _kind, household_id, pair = meta
            household = households[household_id]
            waiting[(household.village, household.needs_party_member)].append(household_id)
            reason = ("超出名额:该干部现结对超过其职级名额" if pair.cadre_id in over
                      else "为使更多农户有帮扶责任人,调整给同范围其他干部")
            plan.end.append({"pair_id": pair.id, "household_id": household_id, "cadre_id": pair.cadre_id,
                             "reason": reason})
        elif meta[0] == "slot":
            slots[meta[1]].extend([meta[2]] * flow)
        else:
            new_arcs.append((meta, flow))
    for (_kind, key, group, level), flow in new_arcs:
        for _ in range(flow):
            plan.add.append({"household_id": waiting[key].pop(), "cadre_id": slots[group].pop(), "level": level})
    for key, left in waiting.items():
        if not left:
            continue
        village, needs_party = key
        if eligible_room[key] == 0:
            reason = ("本村及上级区划没有可联系搬迁户的在岗党员干部" if needs_party
                      else "本村及所属乡镇没有在岗、有名额的帮扶干部")
        else:
            reason = (f"本乡镇帮扶干部名额不足:能帮扶本村的干部共余{eligible_room[key]}个名额,"
                      f"已全部排给本乡镇其他农户")
        for household_id in left:
            plan.unpaired.append({"household_id": household_id, "village": village, "reason": reason})


def greedy_plan(households: list[HouseholdNeed], cadres: list[CadreSlot], existing: list[ExistingPair],
                quotas: dict[str, int]) -> Plan:
    """The baseline a clerk with a spreadsheet would follow: households in order, keep the old helper if he
    still has room, else the first cadre with room in the village, then the township, then the county."""
    plan = Plan()
    by_cadre = {c.id: c for c in cadres}
    room = {c.id: quotas.get(c.rank, 0) for c in cadres}
    existing_by_household: dict[int, list[ExistingPair]] = defaultdict(list)
    for pair in existing:
        existing_by_household[pair.household_id].append(pair)
    by_prefix: dict[str, list[CadreSlot]] = defaultdict(list)
    for cadre in cadres:
        by_prefix[cadre.prefix].append(cadre)
    cursor: dict[str, int] = defaultdict(int)
    for household in sorted(households, key=lambda h: h.id):
        kept = False
        for pair in existing_by_household.get(household.id, ()):
            cadre = by_cadre.get(pair.cadre_id)
            valid = _invalid_reason(household, cadre) is None
            if valid and not kept and room[pair.cadre_id] > 0:
                room[pair.cadre_id] -= 1
                plan.keep.append(pair.id)
                kept = True
            else:
                plan.end.append({"pair_id": pair.id, "household_id": household.id, "cadre_id": pair.cadre_id,
                                 "reason": "greedy"})
        if kept:
            continue
        found = False
        for length, level in ((12, "village"), (9, "township"), (6, "wider")):
            prefix = household.village[:length]
            candidates = by_prefix.get(prefix, [])
            start = cursor[prefix]
            while start < len(candidates) and room[candidates[start].id] <= 0:
                start += 1
            cursor[prefix] = start
            for cadre in candidates[start:]:
                if room[cadre.id] > 0 and (cadre.is_party_member or not household.needs_party_member):
                    room[cadre.id] -= 1
                    plan.add.append({"household_id": household.id, "cadre_id": cadre.id, "level": level})
                    found = True
                    break
            if found:
                break
        if not found:
            plan.unpaired.append({"household_id": household.id, "village": household.village, "reason": "greedy"})
    return plan
