"""The roll-up engine: every figure of a group in ONE set-based query (GROUP BY the 12-digit village prefix of
the record's area code), then folded up to each level by code prefix over the grouped rows — never a loop over
areas or records. Rates are recomputed at each level from the summed numerator and denominator.

The groups are the capabilities' own (`indicator_groups` in each plugin, collected with
`contributions("indicator_groups")`): a group declares the figures it computes. A figure no group computes is
"尚未建成" only when the capability owning it (the catalogue's `owner`) says `built=False`; for a built capability
a missing group is a defect and raises, so a renamed group can never turn into a silent "not built".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin.areas.queries import get_area, subtree
from fupin.core.areacodes import LEVEL_ORDER, PREFIX_LENGTH, AreaLevel, level_of
from fupin.core.capability import UnknownHook, capability, contributions
from fupin.core.rollup import KEY_LENGTH, Context, Figures, IndicatorGroup, new_figures, trend_name
from fupin.core.scoping import Scope
from fupin.indicators import errors
from fupin.indicators.catalogue import BY_CODE, INDICATORS, Indicator

NOT_BUILT = "尚未建成"  # after the owning capability's Chinese title: "产业扶贫尚未建成"
NO_DENOMINATOR = "分母为0,无法计算"
ROLLUP_LEVELS = (AreaLevel.province, AreaLevel.prefecture, AreaLevel.county, AreaLevel.township, AreaLevel.village)
TREND_FIGURES = ("remaining_poor_people", "exited_people_year")

Progress = Callable[[int, int], None]  # (groups done, groups in all)


@dataclass
class Value:
    indicator: str
    value: Decimal | int | None
    numerator: int | None = None
    denominator: int | None = None
    note: str | None = None  # why there is no value ("尚未建成", "分母为0", …)
    opens: bool = False  # the records behind it can be listed (drill-down)

    scale: int = 100

    @property
    def exact(self) -> Fraction | None:
        """A ratio's exact value (numerator × scale ÷ denominator) — what limits are compared against; `value`
        is it rounded for display. None for a count or without a denominator."""
        if self.numerator is None or not self.denominator:
            return None
        return Fraction(self.numerator * self.scale, self.denominator)

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


# ---- the groups the capabilities lend ----------------------------------------------------------------------


class MissingGroup(UnknownHook):
    """A figure of a built capability that no indicator group computes: a defect, never "not built"."""


@lru_cache
def groups() -> dict[str, tuple[str, IndicatorGroup]]:
    """Group name → (capability, group), from every plugin's `indicator_groups`."""
    found: dict[str, tuple[str, IndicatorGroup]] = {}
    for owner, (name, group) in contributions("indicator_groups"):
        if name in found:
            raise ValueError(f"indicator group {name!r} is declared by {found[name][0]} and {owner}")
        if not isinstance(group, IndicatorGroup):
            raise TypeError(f"indicator group {name!r} of {owner} is not a core.rollup.IndicatorGroup")
        found[name] = (owner, group)
    return found


@lru_cache
def figure_sources() -> dict[str, str]:
    """Figure code → the name of the group computing it."""
    sources: dict[str, str] = {}
    for name, (_owner, group) in groups().items():
        for figure in group.figure_names():
            if figure in sources:
                raise ValueError(f"figure {figure!r} is computed by groups {sources[figure]!r} and {name!r}")
            sources[figure] = name
    return sources


def figures_of(indicator: Indicator) -> tuple[str, ...]:
    return (indicator.numerator or "", indicator.denominator or "") if indicator.is_ratio else (indicator.code,)


def owner_of(figure: str) -> str:
    """The capability owning a figure: the catalogue's owner of the indicator that is, or divides by, it."""
    indicator = BY_CODE.get(figure)
    if indicator is not None:
        return indicator.owner
    for candidate in INDICATORS:
        if figure in figures_of(candidate):
            return candidate.owner
    raise MissingGroup(f"figure {figure!r} belongs to no indicator of the catalogue")


def _plan(figures: Iterable[str]) -> tuple[list[str], dict[str, str]]:
    """The groups to run for `figures`, and the figures whose capability is not built (with the reason)."""
    needed: set[str] = set()
    unavailable: dict[str, str] = {}
    sources = figure_sources()
    for figure in figures:
        if figure in sources:
            needed.add(sources[figure])
            continue
        owner = owner_of(figure)
        if capability(owner).built:
            raise MissingGroup(f"{owner} is built but no indicator group computes {figure!r} "
                               f"(declare it in {owner}/plugin.py `indicator_groups`)")
        unavailable[figure] = f"{capability(owner).title_zh}{NOT_BUILT}"
    return sorted(needed), unavailable


# ---- computing and folding ---------------------------------------------------------------------------------


def _ratio(indicator: Indicator, numerator: int, denominator: int) -> Value:
    if not denominator:
        return Value(indicator.code, None, numerator, denominator, note=NO_DENOMINATOR)
    value = (Decimal(numerator) * indicator.scale / Decimal(denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Value(indicator.code, value, numerator, denominator, scale=indicator.scale)


def levels_below(area_code: str, deepest: AreaLevel | None) -> list[AreaLevel]:
    top = level_of(area_code)
    if top not in ROLLUP_LEVELS:
        raise errors.GROUP_LEVEL(field="area")
    deepest = deepest or AreaLevel.village
    if deepest == AreaLevel.group:
        raise errors.GROUP_LEVEL(field="level")
    if LEVEL_ORDER.index(deepest) < LEVEL_ORDER.index(top):
        raise errors.LEVEL_ABOVE_AREA(field="level", level=deepest.value)
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


def _run_groups(ctx: Context, names: list[str], progress: Progress | None) -> tuple[Figures, dict[str, str]]:
    figures = new_figures()
    missing: dict[str, str] = {}
    table = groups()
    for done, name in enumerate(names):
        if progress is not None:
            progress(done, len(names))
        answer: Mapping[str, str] | None = table[name][1](ctx, figures)
        if answer:
            missing.update(answer)
    if progress is not None:
        progress(len(names), len(names))
    return figures, missing


def compute(session: Session, scope: Scope, area_code: str, year: int, level: AreaLevel | None = None,
            codes: Iterable[str] | None = None, day: dt.date | None = None, trend_years: Iterable[int] = (),
            progress: Progress | None = None) -> IndicatorTable:
    """All (or `codes`) indicators for `area_code` and every area below it down to `level`, for `year`, on the
    caller's session. `trend_years` adds the selected area's trend (as `trend` would give it) from the same
    registry scan; `progress(done, total)` is told after each group (a job reports it)."""
    inner = scope.narrowed_to(area_code)
    indicators = select_indicators(codes)
    levels = levels_below(area_code, level)
    root = get_area(session, area_code, scope)
    day = day or min(dt.date.today(), dt.date(year, 12, 31))
    trend_years = tuple(trend_years)
    wanted = {figure for indicator in indicators for figure in figures_of(indicator)}
    if trend_years:
        wanted |= set(TREND_FIGURES)
    names, unavailable = _plan(sorted(wanted))
    ctx = Context(session, inner, area_code, year, day, trend_years, frozenset(wanted))
    figures, missing = _run_groups(ctx, names, progress)
    unavailable |= missing
    folded = _fold(figures, levels)

    below = {lvl for lvl in levels if lvl != level_of(area_code)}
    areas = [a for a in subtree(session, area_code, scope, max_level=levels[-1].value)
             if a.code != root.code and AreaLevel(a.level) in below] if below else []
    rows = [AreaFigures(root.code, root.name, level_of(root.code))]
    rows += sorted((AreaFigures(a.code, a.name, AreaLevel(a.level)) for a in areas),
                   key=lambda r: (LEVEL_ORDER.index(r.level), r.code))
    openable = {figure for figure, name in figure_sources().items() if groups()[name][1].records is not None}
    for row in rows:
        counts = folded.get(row.code, {})
        for indicator in indicators:
            row.values[indicator.code] = _value(indicator, counts, unavailable, openable)
    table = IndicatorTable(area_code, year, day, indicators, rows)
    if trend_years:
        root_counts = folded.get(area_code, {})
        people = {y: (root_counts.get(trend_name("remaining_poor_people", y, year), 0),
                      root_counts.get(trend_name("exited_people_year", y, year), 0)) for y in trend_years}
        table.trend = _trend_values(session, inner, list(trend_years), people)
    return table


def _value(indicator: Indicator, counts: dict[str, int], unavailable: dict[str, str], openable: set[str]) -> Value:
    parts = figures_of(indicator)
    for figure in parts:
        if figure in unavailable:
            return Value(indicator.code, None, note=unavailable[figure])
    opens = parts[0] in openable
    if indicator.is_ratio:
        value = _ratio(indicator, counts.get(parts[0], 0), counts.get(parts[1], 0))
        value.opens = opens
        return value
    return Value(indicator.code, counts.get(indicator.code, 0), opens=opens)


def select_indicators(codes: Iterable[str] | None) -> list[Indicator]:
    if not codes:
        return list(INDICATORS)
    chosen = []
    for code in codes:
        if code not in BY_CODE:
            raise errors.UNKNOWN_INDICATOR(field="indicator", indicator=code)
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
