"""The coverage rules (全覆盖): a declarative list, each evaluated set-based over any area scope.

A rule whose data belongs to a capability that is not built yet answers "no data" (never a made-up zero);
the other capabilities are reached through their `queries` modules, found with a guarded import.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from fupin.core.scoping import Scope
from fupin.orgs.models import PartyMember, PartyOrg
from fupin.orgs.queries import active_org_condition
from fupin.orgs.rules import Gap, RuleResult, is_administrative_village
from fupin.orgs.vocab import BRANCH_TYPES, ECONOMIC_BASE_KINDS

DEFAULT_GAP_LIMIT = 200
SITE_STATION_MIN_PEOPLE = 200
MIGRANT_BRANCH_MIN_WORKERS = 30


@dataclass(frozen=True)
class CoverageRule:
    key: str
    name_zh: str
    name_en: str
    seed: str
    threshold: str
    evaluate: Callable[[CoverageContext, RuleResult], None]


@dataclass
class CoverageContext:
    session: Session
    scope: Scope
    day: dt.date
    gap_limit: int | None

    def limited(self, stmt: Select) -> Select:
        return stmt if self.gap_limit is None else stmt.limit(self.gap_limit)

    def area_names(self, codes: set[str]) -> dict[str, str]:
        from fupin.areas.models import Area  # names only, for the gap list

        names: dict[str, str] = {}
        wanted = sorted({c for c in codes if c})
        for start in range(0, len(wanted), 900):
            chunk = wanted[start:start + 900]
            names.update(dict(self.session.execute(select(Area.code, Area.name).where(Area.code.in_(chunk))).all()))
        return names


def _provider(module: str, function: str) -> Callable[..., Select] | None:
    """The other capability's query function, or None while that capability is not built."""
    try:
        loaded = importlib.import_module(module)
    except ImportError:
        return None
    return getattr(loaded, function, None)


def _no_data(result: RuleResult, what: str) -> None:
    result.has_data = False
    result.no_data_reason = f"无数据:{what}尚未建成 / no data yet"


def _active_orgs(ctx: CoverageContext, scope: Scope | None = None) -> Select:
    return select(PartyOrg).where((scope or Scope.everything()).condition(PartyOrg.area_code),
                                  active_org_condition(ctx.day))


# ---- the rules ---------------------------------------------------------------------------------------------

def _sites_covered(ctx: CoverageContext, result: RuleResult) -> None:
    sites_select = _provider("fupin.relocation.queries", "sites_select")
    if sites_select is None:
        return _no_data(result, "易地搬迁安置点(搬迁模块)")
    sites = sites_select(ctx.scope).subquery("sites")
    covering = exists().where(active_org_condition(ctx.day), PartyOrg.org_type != "group",
                              (PartyOrg.site_id == sites.c.id) | (PartyOrg.area_code == sites.c.area_code))
    _count_and_gaps(ctx, result, select(sites.c.id, sites.c.name, sites.c.area_code), covering,
                    lambda row: Gap(f"安置点 {row.name}", row.area_code, "",
                                    "没有自己的、临时的或迁入社区的党组织覆盖"))


def _villages(ctx: CoverageContext) -> list[tuple[str, str]]:
    from fupin.areas.models import Area  # the list of villages is the areas' own public shape

    rows = ctx.session.execute(select(Area.code, Area.name).where(ctx.scope.condition(Area.code),
                                                                  Area.level == "village").order_by(Area.code))
    return [(code, name) for code, name in rows if is_administrative_village(name)]


def _village_rule(ctx: CoverageContext, result: RuleResult, condition: Any, why: str, what: str) -> None:
    villages = _villages(ctx)
    covered_codes: set[str] = set()
    stmt = select(PartyOrg.area_code).where(ctx.scope.condition(PartyOrg.area_code), active_org_condition(ctx.day),
                                            condition)
    for (code,) in ctx.session.execute(stmt):
        covered_codes.add(code[:12])
    result.total = len(villages)
    gaps = [(code, name) for code, name in villages if code not in covered_codes]
    result.covered = result.total - len(gaps)
    result.gap_count = len(gaps)
    shown = gaps if ctx.gap_limit is None else gaps[: ctx.gap_limit]
    result.gaps = [Gap(f"{name}{what}", code, name, why) for code, name in shown]


def _village_branch(ctx: CoverageContext, result: RuleResult) -> None:
    _village_rule(ctx, result, PartyOrg.org_type.in_(BRANCH_TYPES), "村里没有在册的党支部(党总支)", "")


def _village_cooperative(ctx: CoverageContext, result: RuleResult) -> None:
    _village_rule(ctx, result, PartyOrg.base_kind.in_(ECONOMIC_BASE_KINDS),
                  "没有建在合作社、企业或产业链上的党组织(党支部领办合作社)", "")


def _site_station(ctx: CoverageContext, result: RuleResult) -> None:
    sites_select = _provider("fupin.relocation.queries", "sites_select")
    stations_select = _provider("fupin.employment.queries", "stations_select")
    if sites_select is None:
        return _no_data(result, "易地搬迁安置点(搬迁模块)")
    if stations_select is None:
        return _no_data(result, "就业服务站(就业模块)")
    sites = sites_select(ctx.scope).subquery("sites")
    stations = stations_select(Scope.everything()).subquery("stations")
    served = exists().where((stations.c.site_id == sites.c.id) |
                            (stations.c.site_id.is_(None) & (stations.c.area_code == sites.c.area_code)))
    base = select(sites.c.id, sites.c.name, sites.c.area_code, sites.c.planned_people).where(
        sites.c.planned_people >= SITE_STATION_MIN_PEOPLE)
    _count_and_gaps(ctx, result, base, served,
                    lambda row: Gap(f"安置点 {row.name}({row.planned_people}人)", row.area_code, "",
                                    f"安置{SITE_STATION_MIN_PEOPLE}人以上,没有就业服务站"))


def _migrant_branch(ctx: CoverageContext, result: RuleResult) -> None:
    concentrations_select = _provider("fupin.employment.queries", "export_concentrations_select")
    if concentrations_select is None:
        return _no_data(result, "劳务输出集中地(就业模块)")
    places = concentrations_select(ctx.scope).subquery("places")
    has_branch = exists().where(active_org_condition(ctx.day), PartyOrg.base_kind == "migrant",
                                PartyOrg.origin_county_code == places.c.county_code,
                                PartyOrg.destination == places.c.destination)
    base = select(places.c.destination, places.c.county_code, places.c.workers).where(
        places.c.workers >= MIGRANT_BRANCH_MIN_WORKERS)
    _count_and_gaps(ctx, result, base, has_branch,
                    lambda row: Gap(f"{row.destination}:{row.workers}名务工人员", row.county_code + "000000", "",
                                    f"同一县来的务工人员达{MIGRANT_BRANCH_MIN_WORKERS}人以上,没有流动党员党支部"))


def _household_helper(ctx: CoverageContext, result: RuleResult) -> None:
    from fupin.pairing.queries import helpers_per_household
    from fupin.registry.queries import households_select

    households = households_select(ctx.scope).subquery("households")
    helped = helpers_per_household(ctx.scope, ctx.day).subquery("helped")
    base = select(households.c.id, households.c.household_no, households.c.head_name, households.c.area_code)
    _count_by_join(ctx, result, households, helped,
                   lambda row: Gap(f"{row.head_name}户({row.household_no})", row.area_code, "",
                                   "没有在岗的结对帮扶责任人"), base)


def _relocated_party_contact(ctx: CoverageContext, result: RuleResult) -> None:
    relocated_select = _provider("fupin.relocation.queries", "relocated_households_select")
    if relocated_select is None:
        return _no_data(result, "搬迁户(搬迁模块)")
    from fupin.pairing.queries import helpers_per_household
    from fupin.registry.queries import households_select

    relocated = relocated_select(ctx.scope).subquery("relocated")
    households = households_select(Scope.everything()).subquery("households")
    party = helpers_per_household(Scope.everything(), ctx.day, party_members_only=True).subquery("helped")
    base = (select(relocated.c.household_id.label("id"), households.c.household_no, households.c.head_name,
                   households.c.area_code)
            .join(households, households.c.id == relocated.c.household_id)
            .where(relocated.c.status != "planned"))
    moved = base.subquery("moved")
    _count_by_join(ctx, result, moved, party,
                   lambda row: Gap(f"{row.head_name}户({row.household_no})", row.area_code, "",
                                   "搬迁户没有党员干部联系"),
                   select(moved.c.id, moved.c.household_no, moved.c.head_name, moved.c.area_code))


def _floating_managed(ctx: CoverageContext, result: RuleResult) -> None:
    manager = PartyOrg.__table__.alias("manager")
    managed = exists().where(manager.c.id == PartyMember.managing_org_id,
                             manager.c.founded_on <= ctx.day,
                             (manager.c.dissolved_on.is_(None)) | (manager.c.dissolved_on > ctx.day))
    base = select(PartyMember.id, PartyMember.name, PartyMember.area_code, PartyMember.current_location).where(
        ctx.scope.condition(PartyMember.area_code), PartyMember.active.is_(True), PartyMember.is_floating.is_(True))
    _count_and_gaps(ctx, result, base, managed,
                    lambda row: Gap(f"流动党员 {row.name}(现在{row.current_location or '未知'})", row.area_code, "",
                                    "没有由在册党组织管理"))


# ---- shared counting ---------------------------------------------------------------------------------------

def _count_and_gaps(ctx: CoverageContext, result: RuleResult, base: Select, covered_condition: Any,
                    gap_of: Callable[[Any], Gap]) -> None:
    rows = base.subquery("rule_base")
    total = ctx.session.scalar(select(func.count()).select_from(rows)) or 0
    # The EXISTS refers to the base's own columns, so it is applied on the base select, not on the subquery.
    uncovered_stmt = base.where(~covered_condition)
    uncovered = ctx.session.scalar(select(func.count()).select_from(uncovered_stmt.subquery())) or 0
    result.total = total
    result.covered = total - uncovered
    result.gap_count = uncovered
    result.gaps = [gap_of(row) for row in ctx.session.execute(ctx.limited(uncovered_stmt))]
    _name_gaps(ctx, result)


def _count_by_join(ctx: CoverageContext, result: RuleResult, population: Any, helped: Any,
                   gap_of: Callable[[Any], Gap], base: Select) -> None:
    total = ctx.session.scalar(select(func.count()).select_from(population)) or 0
    covered = ctx.session.scalar(select(func.count()).select_from(population)
                                 .join(helped, helped.c.household_id == population.c.id)) or 0
    result.total = total
    result.covered = covered
    result.gap_count = total - covered
    gaps_stmt = (base.outerjoin(helped, helped.c.household_id == population.c.id)
                 .where(helped.c.household_id.is_(None)).order_by(population.c.area_code, population.c.id))
    result.gaps = [gap_of(row) for row in ctx.session.execute(ctx.limited(gaps_stmt))]
    _name_gaps(ctx, result)


def _name_gaps(ctx: CoverageContext, result: RuleResult) -> None:
    names = ctx.area_names({(g.area_code or "")[:12] for g in result.gaps})
    result.gaps = [Gap(g.what, g.area_code, g.where or names.get((g.area_code or "")[:12], g.area_code or ""), g.why)
                   for g in result.gaps]


RULES: tuple[CoverageRule, ...] = (
    CoverageRule("site_org", "每个易地搬迁安置点都有党组织覆盖", "Every resettlement site is covered by a Party organisation",
                 "000", "100%(自建、临时或迁入社区党组织)", _sites_covered),
    CoverageRule("village_branch", "每个行政村都有党支部", "Every administrative village has a branch", "000, 004",
                 "100%", _village_branch),
    CoverageRule("village_cooperative", "每个行政村都有党支部领办的合作社", "Every village has a branch-led cooperative",
                 "001, 004", "100%", _village_cooperative),
    CoverageRule("site_station", "200人以上安置点都有就业服务站", "Sites of 200+ people have an employment station",
                 "000", f"安置人口≥{SITE_STATION_MIN_PEOPLE}", _site_station),
    CoverageRule("migrant_branch", "务工集中地都有流动党员党支部", "Migrant-worker concentrations have a branch",
                 "000, 002", f"同一县务工人员≥{MIGRANT_BRANCH_MIN_WORKERS}", _migrant_branch),
    CoverageRule("household_helper", "每户建档立卡户都有帮扶责任人", "Every registered household has a helper",
                 "003", "≥1名在岗帮扶干部", _household_helper),
    CoverageRule("relocated_party_contact", "每户搬迁户都有党员联系", "Every relocated household has a Party-member contact",
                 "000", "≥1名党员干部", _relocated_party_contact),
    CoverageRule("floating_member_managed", "每名流动党员都有党组织管理", "Every floating member is managed by a branch",
                 "000, 002", "100%", _floating_managed),
)


def evaluate(session: Session, scope: Scope, day: dt.date | None = None, gap_limit: int | None = DEFAULT_GAP_LIMIT,
             only: set[str] | None = None) -> list[RuleResult]:
    ctx = CoverageContext(session=session, scope=scope, day=day or dt.date.today(), gap_limit=gap_limit)
    results: list[RuleResult] = []
    for rule in RULES:
        if only and rule.key not in only:
            continue
        result = RuleResult(key=rule.key, name_zh=rule.name_zh, name_en=rule.name_en, seed=rule.seed,
                            threshold=rule.threshold)
        rule.evaluate(ctx, result)
        results.append(result)
    return results

