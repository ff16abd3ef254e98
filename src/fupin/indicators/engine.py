"""The roll-up engine: every figure of a group in ONE set-based query (GROUP BY the 12-digit village prefix of
the record's area code), then folded up to each level by code prefix over the grouped rows — never a loop over
areas or records. Rates are recomputed at each level from the summed numerator and denominator.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, case, func, literal_column, or_, select
from sqlalchemy.orm import Session

from fupin.core.areacodes import LEVEL_ORDER, PREFIX_LENGTH, AreaLevel, level_of
from fupin.core.errors import Invalid, NotFound
from fupin.core.scoping import Scope
from fupin.indicators.catalogue import BY_CODE, INDICATORS, Indicator

NOT_BUILT = "尚未建成 / not built yet"
KEY_LENGTH = PREFIX_LENGTH[AreaLevel.village]
ROLLUP_LEVELS = (AreaLevel.province, AreaLevel.prefecture, AreaLevel.county, AreaLevel.township, AreaLevel.village)

Figures = dict[str, dict[str, int]]  # village-prefix key → figure code → count


@dataclass
class Context:
    session: Session
    scope: Scope  # already narrowed to the selected area
    area_code: str
    year: int
    day: dt.date
    trend_years: tuple[int, ...] = ()  # other years whose people figures ride along in the same scan


@dataclass
class Value:
    indicator: str
    value: Decimal | int | None
    numerator: int | None = None
    denominator: int | None = None
    note: str | None = None  # why there is no value ("尚未建成", "分母为0", …)

    def as_json(self) -> dict[str, Any]:
        shown = None if self.value is None else (str(self.value) if isinstance(self.value, Decimal) else self.value)
        return {"value": shown, "numerator": self.numerator, "denominator": self.denominator, "note": self.note}


@dataclass
class AreaFigures:
    code: str
    name: str
    level: AreaLevel
    values: dict[str, Value] = field(default_factory=dict)


@dataclass
class IndicatorTable:
    area_code: str
    year: int
    day: dt.date
    indicators: list[Indicator]
    rows: list[AreaFigures]  # the selected area first, then each level down, ordered by code
    trend: dict[str, list[Decimal | int | None]] | None = None  # of the selected area, when trend years were asked

    def at_level(self, level: AreaLevel) -> list[AreaFigures]:
        return [row for row in self.rows if row.level == level]

    def root(self) -> AreaFigures:
        return self.rows[0]


# ---- providers of the other capabilities (None while not built) -------------------------------------------

def provider(module: str, function: str) -> Callable[..., Any] | None:
    try:
        loaded = importlib.import_module(module)
    except ImportError:
        return None
    return getattr(loaded, function, None)


def _key(column: Any) -> Any:
    # Literal numbers, so the GROUP BY repeats the select's expression exactly (PostgreSQL compares them).
    return func.substr(column, literal_column("1"), literal_column(str(KEY_LENGTH)))


def _sum(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _collect(figures: Figures, rows: Iterable[Any], names: list[str]) -> None:
    for row in rows:
        key, *counts = row
        target = figures[key]
        for name, count in zip(names, counts, strict=True):
            target[name] = target.get(name, 0) + int(count or 0)


# ---- the groups: one query each ---------------------------------------------------------------------------

def registered_by(h: Any, year: int) -> Any:
    return h.c.registration_year <= year


def remaining_poor(h: Any, year: int) -> Any:
    """Poor at the end of `year`: registered by then, and either still poor now or exited only after it, so
    past years' figures (the trend) come from the same records."""
    from fupin.registry.vocab import ACTIVE_POOR_STATUSES

    return and_(registered_by(h, year),
                or_(h.c.status.in_(ACTIVE_POOR_STATUSES),
                    and_(h.c.status.in_(("exited", "monitored")), h.c.exit_year > year)))


def exited_in(h: Any, year: int) -> Any:
    return and_(h.c.status.in_(("exited", "monitored")), h.c.exit_year == year)


def _registry_households(ctx: Context, figures: Figures) -> None:
    from fupin.registry.queries import households_subquery

    h = households_subquery(ctx.scope)
    stmt = (select(_key(h.c.area_code), _sum(registered_by(h, ctx.year)), _sum(remaining_poor(h, ctx.year)),
                   _sum(exited_in(h, ctx.year)))
            .group_by(_key(h.c.area_code)))
    _collect(figures, ctx.session.execute(stmt),
             ["registered_households", "remaining_poor_households", "exited_households_year"])


def _registry_people(ctx: Context, figures: Figures) -> None:
    from fupin.registry.queries import households_subquery, persons_subquery

    h = households_subquery(ctx.scope)
    p = persons_subquery(ctx.scope)
    columns = [_sum(registered_by(h, ctx.year)), _sum(remaining_poor(h, ctx.year)), _sum(exited_in(h, ctx.year))]
    names = ["registered_people", "remaining_poor_people", "exited_people_year"]
    for year in ctx.trend_years:  # the dashboard's trend: more sums over the same join, not another scan
        if year != ctx.year:
            columns += [_sum(remaining_poor(h, year)), _sum(exited_in(h, year))]
            names += [_trend_name("remaining_poor_people", year, ctx.year),
                      _trend_name("exited_people_year", year, ctx.year)]
    stmt = select(_key(p.c.area_code), *columns).join(h, h.c.id == p.c.household_id).group_by(_key(p.c.area_code))
    _collect(figures, ctx.session.execute(stmt), names)


def _trend_name(figure: str, year: int, selected_year: int) -> str:
    """The figure's name for another year of the trend (the selected year's is the figure itself)."""
    return figure if year == selected_year else f"{figure}@{year}"


def _population(ctx: Context, figures: Figures) -> None:
    from fupin.indicators.models import RuralPopulation

    stmt = (select(_key(RuralPopulation.area_code), func.sum(RuralPopulation.rural_population))
            .where(ctx.scope.condition(RuralPopulation.area_code), RuralPopulation.year == ctx.year)
            .group_by(_key(RuralPopulation.area_code)))
    _collect(figures, ctx.session.execute(stmt), ["rural_population"])


def _checks(ctx: Context, figures: Figures) -> None:
    from fupin.registry.queries import CHECK_ITEMS, checks_select

    checks = checks_select(ctx.scope, ctx.year).subquery("checks")
    stmt = (select(_key(checks.c.area_code), func.count(), *[_sum(checks.c[item].is_(True)) for item in CHECK_ITEMS])
            .group_by(_key(checks.c.area_code)))
    _collect(figures, ctx.session.execute(stmt), ["checked_households", *[f"{i}_ok_households" for i in CHECK_ITEMS]])


def eligible_households(ctx: Context):  # type: ignore[no-untyped-def]
    """Remaining-poor households that the exit rule (`registry.rules.evaluate_exit`, as the household page
    evaluates it) finds eligible in the year: the registry's `exit_eligible_select`, one set-based select."""
    from fupin.registry.queries import exit_eligible_select

    eligible = exit_eligible_select(ctx.scope, ctx.year).subquery("eligible_any_status")
    return select(eligible).where(remaining_poor(eligible, ctx.year)).subquery("eligible")


def _exit_eligibility(ctx: Context, figures: Figures) -> None:
    eligible = eligible_households(ctx)
    stmt = select(_key(eligible.c.area_code), func.count()).group_by(_key(eligible.c.area_code))
    _collect(figures, ctx.session.execute(stmt), ["eligible_not_exited"])


def _pairing(ctx: Context, figures: Figures) -> None:
    from fupin.pairing.queries import helpers_per_household
    from fupin.registry.queries import households_subquery, last_visits

    h = households_subquery(ctx.scope)
    helped = helpers_per_household(ctx.scope, ctx.day).subquery("helped")
    visits = last_visits(ctx.session, ctx.scope).subquery("last_visits")
    since = ctx.day - dt.timedelta(days=30)
    stmt = (select(_key(h.c.area_code), _sum(helped.c.household_id.is_not(None)),
                   _sum(and_(visits.c.last_visit >= since, visits.c.last_visit <= ctx.day)))
            .outerjoin(helped, helped.c.household_id == h.c.id)
            .outerjoin(visits, visits.c.household_id == h.c.id)
            .where(remaining_poor(h, ctx.year)).group_by(_key(h.c.area_code)))
    _collect(figures, ctx.session.execute(stmt), ["paired_households", "visited_30d_households"])


def _employment(ctx: Context, figures: Figures) -> None:
    from fupin.employment.queries import employment_figures

    for row in employment_figures(ctx.session, ctx.scope, ctx.year, AreaLevel.village):
        target = figures[row.area_code[:KEY_LENGTH]]
        for name in ("labour_force", "employed", "transfer_employed", "households_employed"):
            target[name] = target.get(name, 0) + int(getattr(row, name))


def _relocation(ctx: Context, figures: Figures) -> None:
    relocated_select = provider("fupin.relocation.queries", "relocated_households_select")
    if relocated_select is None:
        raise _NotBuilt
    r = relocated_select(ctx.scope).subquery("relocated")
    stmt = (select(_key(r.c.site_area_code), func.count(), _sum(r.c.status.in_(("allocated", "moved_in"))),
                   _sum(r.c.status == "moved_in")).group_by(_key(r.c.site_area_code)))
    _collect(figures, ctx.session.execute(stmt),
             ["relocation_planned", "relocation_allocated", "relocation_moved_in"])


def _relocation_sites(ctx: Context, figures: Figures) -> None:
    sites_select = provider("fupin.relocation.queries", "sites_select")
    if sites_select is None:
        raise _NotBuilt
    s = sites_select(ctx.scope).subquery("sites")
    stmt = select(_key(s.c.area_code), func.count()).group_by(_key(s.c.area_code))
    _collect(figures, ctx.session.execute(stmt), ["relocation_sites"])


MONITOR_TYPES = {"unstable": "monitored_unstable", "marginal": "monitored_marginal", "sudden": "monitored_sudden"}


def monitored_in_year(m: Any, year: int) -> Any:
    """Under monitoring at some time in the year: identified by its end, not cleared before its start."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return and_(m.c.identified_on.is_not(None), m.c.identified_on <= end,
                or_(m.c.status != "cleared", m.c.cleared_on.is_(None), m.c.cleared_on >= start))


def _monitoring(ctx: Context, figures: Figures) -> None:
    monitored_select = provider("fupin.monitoring.queries", "monitored_select")
    if monitored_select is None:
        raise _NotBuilt
    m = monitored_select(ctx.scope).subquery("monitored")
    in_year = monitored_in_year(m, ctx.year)
    start, end = dt.date(ctx.year, 1, 1), dt.date(ctx.year, 12, 31)
    stmt = (select(_key(m.c.area_code), *[_sum(and_(in_year, m.c.monitor_type == t)) for t in MONITOR_TYPES],
                   _sum(and_(m.c.status == "cleared", m.c.cleared_on >= start, m.c.cleared_on <= end)))
            .group_by(_key(m.c.area_code)))
    _collect(figures, ctx.session.execute(stmt), [*MONITOR_TYPES.values(), "monitored_risk_cleared"])


class _NotBuilt(Exception):
    """The capability (or the query) that feeds a group does not exist yet."""


def _not_built(ctx: Context, figures: Figures) -> None:
    raise _NotBuilt


def _grids(ctx: Context, figures: Figures) -> None:
    grids_select = provider("fupin.relocation.queries", "grids_select")
    if grids_select is None:
        raise _NotBuilt("搬迁模块尚未提供网格查询 grids_select / no grid query yet")
    g = grids_select(ctx.scope).subquery("grids")
    stmt = (select(_key(g.c.site_area_code), func.count(), _sum(g.c.has_leader))
            .group_by(_key(g.c.site_area_code)))
    _collect(figures, ctx.session.execute(stmt), ["grids", "grid_leaders"])


GROUPS: dict[str, Callable[[Context, Figures], None]] = {
    "registry_households": _registry_households,
    "registry_people": _registry_people,
    "population": _population,
    "exit_eligibility": _exit_eligibility,
    "checks": _checks,
    "pairing": _pairing,
    "employment": _employment,
    "relocation": _relocation,
    "relocation_sites": _relocation_sites,
    "monitoring": _monitoring,
    "grids": _grids,
    "industry": _not_built,
    "incentives": _not_built,
    "services": _not_built,
}
# Figures of a ratio whose group differs from the indicator's (poverty incidence reads registry people).
FIGURE_GROUP: dict[str, str] = {
    "remaining_poor_people": "registry_people",
    "remaining_poor_households": "registry_households",
}


def _figure_group(code: str) -> str:
    if code in FIGURE_GROUP:
        return FIGURE_GROUP[code]
    indicator = BY_CODE.get(code)
    if indicator is not None:
        return indicator.group
    for i in INDICATORS:
        if code in (i.numerator, i.denominator):
            return i.group
    raise KeyError(code)


def _groups_needed(indicators: list[Indicator]) -> set[str]:
    groups: set[str] = set()
    for i in indicators:
        if i.group == "coverage":
            groups.add("coverage")
        elif i.is_ratio:
            groups.update({_figure_group(i.numerator or ""), _figure_group(i.denominator or "")})
        else:
            groups.add(i.group)
    return groups


# ---- coverage rules: covered / total per area, folded like every other figure ------------------------------

def _coverage(ctx: Context, indicators: list[Indicator], figures: Figures) -> dict[str, str]:
    """The coverage rules' covered / total per 12-digit area code (one GROUP BY per rule, `orgs.coverage.
    coverage_by_area`) added to the figures as each indicator's numerator / denominator; returns the indicators
    whose rule has no data yet, with the reason (shown instead of a number at every level)."""
    from fupin.orgs import coverage

    wanted = {i.code.removeprefix("org_"): i for i in indicators if i.group == "coverage"}
    missing: dict[str, str] = {}
    for key, answer in coverage.coverage_by_area(ctx.session, ctx.scope, ctx.day, only=set(wanted)).items():
        indicator = wanted[key]
        if not answer.has_data:
            missing[indicator.code] = answer.no_data_reason or NOT_BUILT
            continue
        numerator, denominator = indicator.numerator or "", indicator.denominator or ""
        for code, (covered, total) in answer.counts.items():
            target = figures[code]
            target[numerator] = target.get(numerator, 0) + covered
            target[denominator] = target.get(denominator, 0) + total
    return missing


# ---- the public entry points ------------------------------------------------------------------------------

def _ratio(indicator: Indicator, numerator: int, denominator: int) -> Value:
    if not denominator:
        return Value(indicator.code, None, numerator, denominator, note="分母为0 / no denominator")
    value = (Decimal(numerator) * indicator.scale / Decimal(denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Value(indicator.code, value, numerator, denominator)


def levels_below(area_code: str, deepest: AreaLevel | None) -> list[AreaLevel]:
    top = level_of(area_code)
    if top not in ROLLUP_LEVELS:
        raise Invalid("指标汇总到村一级,不能选择组/屯", field="area")
    deepest = deepest or AreaLevel.village
    if LEVEL_ORDER.index(deepest) < LEVEL_ORDER.index(top):
        raise Invalid(f"汇总层级“{deepest.value}”不能高于所选区域", field="level")
    if deepest == AreaLevel.group:
        raise Invalid("指标汇总到村一级,不能选择组/屯", field="level")
    return [lvl for lvl in ROLLUP_LEVELS if LEVEL_ORDER.index(top) <= LEVEL_ORDER.index(lvl)
            <= LEVEL_ORDER.index(deepest)]


def _fold(figures: Figures, levels: list[AreaLevel]) -> dict[str, dict[str, int]]:
    """Sum the grouped rows into every area of every level (over the few grouped keys, not the records)."""
    folded: dict[str, dict[str, int]] = defaultdict(dict)
    for key, counts in figures.items():
        for lvl in levels:
            code = key[:PREFIX_LENGTH[lvl]].ljust(KEY_LENGTH, "0")
            if level_of(code) != lvl:
                # A record coded at a higher level (a township site) belongs to that level and above only; at
                # the lower levels its code is that same area again, which must not count it twice.
                continue
            target = folded[code]
            for name, count in counts.items():
                target[name] = target.get(name, 0) + count
    return folded


def _run_groups(ctx: Context, groups: list[str]) -> tuple[Figures, dict[str, str]]:
    figures: Figures = defaultdict(dict)
    unavailable: dict[str, str] = {}
    for group in groups:
        try:
            GROUPS[group](ctx, figures)
        except _NotBuilt as reason:
            unavailable[group] = str(reason) if reason.args else NOT_BUILT
    return figures, unavailable


def _run_groups_in_threads(ctx: Context, groups: list[str], workers: int) -> tuple[Figures, dict[str, str]]:
    """The groups' queries on `workers` connections at once (the database works while Python waits; both
    SQLite in WAL mode and PostgreSQL serve concurrent readers). Each thread has its own session, so this is
    only for reading committed data (pages), never inside a unit of work that wrote something."""
    from concurrent.futures import ThreadPoolExecutor

    bind = ctx.session.get_bind()

    def run(group: str) -> tuple[Figures, dict[str, str]]:
        with Session(bind=bind) as own:
            return _run_groups(Context(own, ctx.scope, ctx.area_code, ctx.year, ctx.day, ctx.trend_years), [group])

    figures: Figures = defaultdict(dict)
    unavailable: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for part, missing in pool.map(run, groups):
            for code, counts in part.items():
                target = figures[code]
                for name, count in counts.items():
                    target[name] = target.get(name, 0) + count
            unavailable.update(missing)
    return figures, unavailable


def compute(session: Session, scope: Scope, area_code: str, year: int, level: AreaLevel | None = None,
            codes: Iterable[str] | None = None, day: dt.date | None = None, workers: int = 1,
            trend_years: Iterable[int] = ()) -> IndicatorTable:
    """All (or `codes`) indicators for `area_code` and every area below it down to `level`, for `year`.
    `workers` > 1 runs the indicator groups on that many connections at once (read-only callers only).
    `trend_years` adds the selected area's trend (as `trend` would give it) from the same registry scan."""
    from fupin.areas.models import Area

    inner = scope.narrowed_to(area_code)
    indicators = select_indicators(codes)
    levels = levels_below(area_code, level)
    day = day or min(dt.date.today(), dt.date(year, 12, 31))
    trend_years = tuple(trend_years)
    ctx = Context(session, inner, area_code, year, day, trend_years)
    groups = sorted(_groups_needed(indicators) - {"coverage"} | ({"registry_people"} if trend_years else set()))
    figures, unavailable = (_run_groups_in_threads(ctx, groups, workers) if workers > 1
                            else _run_groups(ctx, groups))
    coverage_missing = _coverage(ctx, indicators, figures) if "coverage" in _groups_needed(indicators) else {}
    folded = _fold(figures, levels)

    root = session.get(Area, area_code)
    if root is None:
        raise NotFound("区划", area_code)
    below = [lvl.value for lvl in levels if lvl != level_of(area_code)]
    areas = session.execute(select(Area.code, Area.name, Area.level).where(
        inner.condition(Area.code), Area.level.in_(below)).order_by(Area.code)).all() if below else []
    unique_rows = [AreaFigures(root.code, root.name, level_of(root.code))]
    unique_rows += sorted((AreaFigures(code, name, AreaLevel(lvl)) for code, name, lvl in areas),
                          key=lambda r: (LEVEL_ORDER.index(r.level), r.code))
    for row in unique_rows:
        counts = folded.get(row.code, {})
        for indicator in indicators:
            row.values[indicator.code] = _value(indicator, counts, unavailable, coverage_missing)
    table = IndicatorTable(area_code, year, day, indicators, unique_rows)
    if trend_years:
        root_counts = folded.get(area_code, {})
        people = {y: (root_counts.get(_trend_name("remaining_poor_people", y, year), 0),
                      root_counts.get(_trend_name("exited_people_year", y, year), 0)) for y in trend_years}
        table.trend = _trend_values(session, inner, list(trend_years), people)
    return table


def _value(indicator: Indicator, counts: dict[str, int], unavailable: dict[str, str],
           coverage_missing: dict[str, str]) -> Value:
    if indicator.code in coverage_missing:
        return Value(indicator.code, None, note=coverage_missing[indicator.code])
    if indicator.is_ratio:
        groups = {_figure_group(indicator.numerator or ""), _figure_group(indicator.denominator or "")}
        missing = groups & set(unavailable)
        if missing:
            return Value(indicator.code, None, note=unavailable[sorted(missing)[0]])
        return _ratio(indicator, counts.get(indicator.numerator or "", 0), counts.get(indicator.denominator or "", 0))
    if indicator.group in unavailable:
        reason = unavailable[indicator.group]
        return Value(indicator.code, None, note=f"{indicator.owner}: {reason}" if reason == NOT_BUILT else reason)
    return Value(indicator.code, counts.get(indicator.code, 0))


def select_indicators(codes: Iterable[str] | None) -> list[Indicator]:
    if not codes:
        return list(INDICATORS)
    chosen = []
    for code in codes:
        if code not in BY_CODE:
            raise Invalid(f"没有指标“{code}”", field="indicator")
        chosen.append(BY_CODE[code])
    return chosen


def trend(session: Session, scope: Scope, area_code: str, years: list[int]) -> dict[str, list[Decimal | int | None]]:
    """Remaining poor people, people exited and poverty incidence of one area for several years (the dashboard's
    trend chart): the registry scan of `compute` with the years riding along, plus the population per year."""
    table = compute(session, scope, area_code, max(years), level_of(area_code), codes=["registered_people"],
                    trend_years=years)
    assert table.trend is not None
    return table.trend


def _trend_values(session: Session, inner: Scope, years: list[int],
                  people: dict[int, tuple[int, int]]) -> dict[str, list[Decimal | int | None]]:
    """Remaining poor, exited and incidence per year, from (remaining poor, exited) people per year."""
    from fupin.indicators.models import RuralPopulation

    population = dict(session.execute(
        select(RuralPopulation.year, func.sum(RuralPopulation.rural_population))
        .where(inner.condition(RuralPopulation.area_code), RuralPopulation.year.in_(years))
        .group_by(RuralPopulation.year)).all())
    incidence_indicator = BY_CODE["poverty_incidence"]
    result: dict[str, list[Decimal | int | None]] = {"remaining_poor_people": [], "exited_people_year": [],
                                                     "poverty_incidence": []}
    for year in years:
        poor, exited = people[year]
        result["remaining_poor_people"].append(poor)
        result["exited_people_year"].append(exited)
        result["poverty_incidence"].append(_ratio(incidence_indicator, poor, int(population.get(year) or 0)).value)
    return result
