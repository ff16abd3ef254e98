"""The coverage rules (全覆盖): contributions of the capabilities, each evaluated set-based over any area scope.

A rule (`CoverageRule`) says what it counts as one select of *items* (sites, villages, households, members, …)
with the item's area code, a condition that the item is covered, and how an uncovered item reads in the gap
list. From that one definition come both `evaluate` (the totals and gaps of one scope, for pages, the API and
the CLI) and `coverage_by_area` (covered / total per 12-digit area code in one GROUP BY per rule, for the
indicators to fold up every level), so the two always agree.

Rules are contributions: orgs declares its own (`ORGS_RULES`, in its plugin's `coverage_rules`), pairing declares
the household-helper rules, and `all_rules()` collects them with `contributions("coverage_rules")`. Data of other
capabilities comes through the selects they lend (`provided("relocation.sites_select")` …); a rule answers "no
data" (never a made-up zero) only while the capability owning that data is marked not built — a missing name
of a built capability raises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, literal_column, select
from sqlalchemy.orm import Session

from fupin.areas import queries as area_queries
from fupin.core.capability import capability, contributions, provided
from fupin.core.scoping import Scope
from fupin.core.sql import rows_in
from fupin.orgs.models import PartyMember, PartyOrg
from fupin.orgs.queries import active_org_condition
from fupin.orgs.rules import NOT_A_VILLAGE_IF_NAME_CONTAINS, NOT_A_VILLAGE_IF_NAME_ENDS_WITH, Gap, RuleResult
from fupin.orgs.vocab import BRANCH_TYPES, ECONOMIC_BASE_KINDS

DEFAULT_GAP_LIMIT = 200
SITE_STATION_MIN_PEOPLE = 200
MIGRANT_BRANCH_MIN_WORKERS = 30
AREA_KEY_LENGTH = 12


@dataclass
class RuleItems:
    """What a rule counts: `base` has one row per item (with the columns `gap_of` reads); `area` is the item's
    area code (a column of `base`'s FROM), `covered` a condition on the same FROM."""

    base: Select
    area: Any
    covered: Any
    gap_of: Callable[[Any], Gap]


@dataclass
class CoverageContext:
    session: Session
    scope: Scope
    day: dt.date
    gap_limit: int | None

    def limited(self, stmt: Select) -> Select:
        return stmt if self.gap_limit is None else stmt.limit(self.gap_limit)

    def area_names(self, codes: set[str]) -> dict[str, str]:
        areas = area_queries.areas_select(Scope.everything()).subquery("named_areas")
        return {row.code: row.name for row in rows_in(
            self.session, lambda chunk: select(areas.c.code, areas.c.name).where(areas.c.code.in_(chunk)),
            [c for c in codes if c])}


@dataclass(frozen=True)
class CoverageRule:
    """One coverage rule: its key (the stable code: API, indicators `org_<key>`), names, seed and threshold text,
    and `items`, which evaluates the rule's items for a context — or returns the "no data" reason."""

    key: str
    name_zh: str
    name_en: str
    seed: str
    threshold: str
    items: Callable[[CoverageContext], RuleItems | str]
    order: int = 100  # where the rule is listed (pages, API, workbook)


def is_built(capability_name: str) -> bool:
    return capability(capability_name).built


def _no_data(what: str) -> str:
    return f"无数据:{what}尚未建成 / no data yet"


def lent_select(name: str, what: str) -> Callable[..., Select] | str:
    """The select another capability lends under `name` (e.g. "relocation.sites_select"), or the "no data"
    reason while that capability is not built."""
    if not is_built(name.split(".", 1)[0]):
        return _no_data(what)
    return provided(name)


def area_key(column: Any) -> Any:
    # Literal numbers, so the GROUP BY repeats the select's expression exactly (PostgreSQL compares them).
    return func.substr(column, literal_column("1"), literal_column(str(AREA_KEY_LENGTH)))


def administrative_village_condition(name: Any) -> Any:
    """`rules.is_administrative_village` in SQL, from the same declaration (name parts that mark a community)."""
    return and_(*[~name.like(f"%{part}%") for part in NOT_A_VILLAGE_IF_NAME_CONTAINS],
                *[~name.like(f"%{suffix}") for suffix in NOT_A_VILLAGE_IF_NAME_ENDS_WITH])


# ---- the rules of orgs -------------------------------------------------------------------------------------

SITES = "易地搬迁安置点(搬迁模块)"


def _sites_covered(ctx: CoverageContext) -> RuleItems | str:
    sites_select = lent_select("relocation.sites_select", SITES)
    if isinstance(sites_select, str):
        return sites_select
    sites = sites_select(ctx.scope).subquery("sites")
    covering = exists().where(active_org_condition(ctx.day), PartyOrg.org_type != "group",
                              (PartyOrg.site_id == sites.c.id) | (PartyOrg.area_code == sites.c.area_code))
    return RuleItems(select(sites.c.id, sites.c.name, sites.c.area_code), sites.c.area_code, covering,
                     lambda row: Gap(f"安置点 {row.name}", row.area_code, "",
                                     "没有自己的、临时的或迁入社区的党组织覆盖"))


def _village_rule(ctx: CoverageContext, condition: Any, why: str) -> RuleItems:
    """Administrative villages of the scope; covered when an active organisation meeting `condition` works in the
    village or one of its groups."""
    covered_codes = select(area_key(PartyOrg.area_code)).where(
        ctx.scope.condition(PartyOrg.area_code), active_org_condition(ctx.day), condition)
    villages = area_queries.areas_select(ctx.scope, levels=("village",)).subquery("villages")
    base = (select(villages.c.code.label("area_code"), villages.c.name)
            .where(administrative_village_condition(villages.c.name))
            .order_by(villages.c.code))
    return RuleItems(base, villages.c.code, villages.c.code.in_(covered_codes),
                     lambda row: Gap(row.name, row.area_code, row.name, why))


def _village_branch(ctx: CoverageContext) -> RuleItems | str:
    return _village_rule(ctx, PartyOrg.org_type.in_(BRANCH_TYPES), "村里没有在册的党支部(党总支)")


def _village_cooperative(ctx: CoverageContext) -> RuleItems | str:
    """Covered by an organisation built on a cooperative, enterprise or chain in the village, or by a cooperative
    of the industry records working in the village that names an active organisation as its leader."""
    items = _village_rule(ctx, PartyOrg.base_kind.in_(ECONOMIC_BASE_KINDS),
                          "没有建在合作社、企业或产业链上的党组织,也没有党组织领办的合作社(党支部领办合作社)")
    led_select = lent_select("industry.branch_led_villages_select", "合作社(产业模块)")
    if isinstance(led_select, str):
        return items
    led = led_select(ctx.scope, ctx.day).subquery("branch_led")
    leader = PartyOrg.__table__.alias("leader")
    led_codes = select(led.c.area_code).join(leader, leader.c.id == led.c.led_by_org_id).where(
        leader.c.founded_on <= ctx.day, (leader.c.dissolved_on.is_(None)) | (leader.c.dissolved_on > ctx.day))
    return RuleItems(items.base, items.area, items.covered | items.area.in_(led_codes), items.gap_of)


def _site_station(ctx: CoverageContext) -> RuleItems | str:
    sites_select = lent_select("relocation.sites_select", SITES)
    if isinstance(sites_select, str):
        return sites_select
    stations_select = lent_select("employment.stations_select", "就业服务站(就业模块)")
    if isinstance(stations_select, str):
        return stations_select
    sites = sites_select(ctx.scope).subquery("sites")
    stations = stations_select(Scope.everything()).subquery("stations")
    served = exists().where((stations.c.site_id == sites.c.id) |
                            (stations.c.site_id.is_(None) & (stations.c.area_code == sites.c.area_code)))
    base = select(sites.c.id, sites.c.name, sites.c.area_code, sites.c.planned_people).where(
        sites.c.planned_people >= SITE_STATION_MIN_PEOPLE)
    return RuleItems(base, sites.c.area_code, served,
                     lambda row: Gap(f"安置点 {row.name}({row.planned_people}人)", row.area_code, "",
                                     f"安置{SITE_STATION_MIN_PEOPLE}人以上,没有就业服务站"))


def _migrant_branch(ctx: CoverageContext) -> RuleItems | str:
    concentrations_select = lent_select("employment.export_concentrations_select", "劳务输出集中地(就业模块)")
    if isinstance(concentrations_select, str):
        return concentrations_select
    places = concentrations_select(ctx.scope).subquery("places")
    has_branch = exists().where(active_org_condition(ctx.day), PartyOrg.base_kind == "migrant",
                                PartyOrg.origin_county_code == places.c.county_code,
                                PartyOrg.destination == places.c.destination)
    base = select(places.c.destination, places.c.county_code, places.c.workers).where(
        places.c.workers >= MIGRANT_BRANCH_MIN_WORKERS)
    # A concentration belongs to its origin county (the 6-digit code, padded when grouped by area).
    return RuleItems(base, places.c.county_code, has_branch,
                     lambda row: Gap(f"{row.destination}:{row.workers}名务工人员", row.county_code + "000000", "",
                                     f"同一县来的务工人员达{MIGRANT_BRANCH_MIN_WORKERS}人以上,没有流动党员党支部"))


def _floating_managed(ctx: CoverageContext) -> RuleItems | str:
    manager = PartyOrg.__table__.alias("manager")
    managed = exists().where(manager.c.id == PartyMember.managing_org_id,
                             manager.c.founded_on <= ctx.day,
                             (manager.c.dissolved_on.is_(None)) | (manager.c.dissolved_on > ctx.day))
    base = select(PartyMember.id, PartyMember.name, PartyMember.area_code, PartyMember.current_location).where(
        ctx.scope.condition(PartyMember.area_code), PartyMember.active.is_(True), PartyMember.is_floating.is_(True))
    return RuleItems(base, PartyMember.area_code, managed,
                     lambda row: Gap(f"流动党员 {row.name}(现在{row.current_location or '未知'})", row.area_code, "",
                                     "没有由在册党组织管理"))


ORGS_RULES: tuple[CoverageRule, ...] = (
    CoverageRule("site_org", "每个易地搬迁安置点都有党组织覆盖", "Every resettlement site is covered by a Party organisation",
                 "000", "100%(自建、临时或迁入社区党组织)", _sites_covered, order=10),
    CoverageRule("village_branch", "每个行政村都有党支部", "Every administrative village has a branch", "000, 004",
                 "100%", _village_branch, order=20),
    CoverageRule("village_cooperative", "每个行政村都有党支部领办的合作社", "Every village has a branch-led cooperative",
                 "001, 004", "100%", _village_cooperative, order=30),
    CoverageRule("site_station", "200人以上安置点都有就业服务站", "Sites of 200+ people have an employment station",
                 "000", f"安置人口≥{SITE_STATION_MIN_PEOPLE}", _site_station, order=40),
    CoverageRule("migrant_branch", "务工集中地都有流动党员党支部", "Migrant-worker concentrations have a branch",
                 "000, 002", f"同一县务工人员≥{MIGRANT_BRANCH_MIN_WORKERS}", _migrant_branch, order=50),
    CoverageRule("floating_member_managed", "每名流动党员都有党组织管理", "Every floating member is managed by a branch",
                 "000, 002", "100%", _floating_managed, order=80),
)


def all_rules() -> list[CoverageRule]:
    """Every capability's coverage rules, in their listing order; a key declared twice is a programming error."""
    rules = sorted((rule for _name, rule in contributions("coverage_rules")), key=lambda r: (r.order, r.key))
    keys = [rule.key for rule in rules]
    if len(set(keys)) != len(keys):
        raise ValueError(f"a coverage rule key is declared twice: {keys}")
    return rules


def __getattr__(name: str) -> Any:
    # `coverage.RULES` was a constant before the rules became contributions; callers that still read it get them.
    if name == "RULES":
        return tuple(all_rules())
    raise AttributeError(name)


# ---- shared counting ---------------------------------------------------------------------------------------

def _flagged(items: RuleItems) -> Any:
    """The items with their area code and a 0/1 covered flag, as a subquery (the EXISTS or the outer-joined
    column refers to the base's own FROM, so it is added to the base select, not applied on a subquery)."""
    return (items.base.order_by(None)
            .add_columns(items.area.label("item_area_code"),
                         case((items.covered, 1), else_=0).label("item_covered"))
            .subquery("rule_items"))


def _count_and_gaps(ctx: CoverageContext, result: RuleResult, items: RuleItems) -> None:
    flagged = _flagged(items)
    total, covered = ctx.session.execute(select(func.count(), func.sum(flagged.c.item_covered))).one()
    result.total = int(total or 0)
    result.covered = int(covered or 0)
    result.gap_count = result.total - result.covered
    result.gaps = [items.gap_of(row) for row in ctx.session.execute(ctx.limited(items.base.where(~items.covered)))]
    _name_gaps(ctx, result)


def _name_gaps(ctx: CoverageContext, result: RuleResult) -> None:
    names = ctx.area_names({(g.area_code or "")[:12] for g in result.gaps})
    result.gaps = [Gap(g.what, g.area_code, g.where or names.get((g.area_code or "")[:12], g.area_code or ""), g.why)
                   for g in result.gaps]


def _selected(only: set[str] | None) -> list[CoverageRule]:
    return [rule for rule in all_rules() if not only or rule.key in only]


def evaluate(session: Session, scope: Scope, day: dt.date | None = None, gap_limit: int | None = DEFAULT_GAP_LIMIT,
             only: set[str] | None = None) -> list[RuleResult]:
    """Every rule (or `only` these) over the whole scope: covered, total and up to `gap_limit` gaps."""
    ctx = CoverageContext(session=session, scope=scope, day=day or dt.date.today(), gap_limit=gap_limit)
    results: list[RuleResult] = []
    for rule in _selected(only):
        result = RuleResult(key=rule.key, name_zh=rule.name_zh, name_en=rule.name_en, seed=rule.seed,
                            threshold=rule.threshold)
        items = rule.items(ctx)
        if isinstance(items, str):
            result.has_data = False
            result.no_data_reason = items
        else:
            _count_and_gaps(ctx, result, items)
        results.append(result)
    return results


@dataclass
class AreaCoverage:
    """One rule's covered / total per area code (12 digits: the village, or the higher area an item is coded
    at). `has_data` False: the rule's data is not built yet, and `counts` is empty — not zeros."""

    key: str
    has_data: bool = True
    no_data_reason: str | None = None
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def covered(self) -> int:
        return sum(c for c, _ in self.counts.values())

    @property
    def total(self) -> int:
        return sum(t for _, t in self.counts.values())


def coverage_by_area(session: Session, scope: Scope, day: dt.date | None = None,
                     only: set[str] | None = None) -> dict[str, AreaCoverage]:
    """rule key → covered / total grouped by the items' 12-digit area code: ONE GROUP BY per rule over the
    scope, never a loop over areas. The same items as `evaluate`, so the sum over all codes equals its figure.

    An item coded above the scope (a migrant-worker concentration belongs to its origin county, which contains
    a township scope) is counted at the scope's own area."""
    ctx = CoverageContext(session=session, scope=scope, day=day or dt.date.today(), gap_limit=0)
    own_code = scope.prefix.ljust(AREA_KEY_LENGTH, "0")
    answers: dict[str, AreaCoverage] = {}
    for rule in _selected(only):
        items = rule.items(ctx)
        if isinstance(items, str):
            answers[rule.key] = AreaCoverage(rule.key, has_data=False, no_data_reason=items)
            continue
        flagged = _flagged(items)
        key = area_key(flagged.c.item_area_code)
        stmt = select(key, func.count(), func.sum(flagged.c.item_covered)).group_by(key)
        counts: dict[str, tuple[int, int]] = {}
        for code, total, covered in session.execute(stmt):
            code = (code or "").ljust(AREA_KEY_LENGTH, "0")
            if not code.startswith(scope.prefix):
                code = own_code
            before_covered, before_total = counts.get(code, (0, 0))
            counts[code] = (before_covered + int(covered or 0), before_total + int(total or 0))
        answers[rule.key] = AreaCoverage(rule.key, counts=counts)
    return answers
