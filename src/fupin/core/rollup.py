"""Roll-up primitives every capability's indicator group shares (the groups live in `<capability>/figures.py`).

An indicator group is ONE set-based query of its capability's records, grouped by the 12-digit village prefix of
the records' area codes, that adds additive counts ("figures") to a `Figures` table; the indicators engine folds
those grouped rows up to every level by code prefix and computes the ratios from the summed counts. A capability
lends its group through its plugin:

    indicator_groups={"relocation": IndicatorGroup(figures=("relocation_planned", …), compute=…, records=…)}

`compute(ctx, figures)` adds its counts (and may answer, per figure, why it has no data yet); `records(ctx,
figure, limit)` lists the households (or people) behind one figure for the drill-down, as dicts with at least
`area_code` and either `household_id` or `person_id`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, literal_column
from sqlalchemy.orm import Session

from fupin.core.areacodes import PREFIX_LENGTH, AreaLevel
from fupin.core.scoping import Scope

KEY_LENGTH = PREFIX_LENGTH[AreaLevel.village]

# village-prefix key → figure code → count
Figures = dict[str, dict[str, int]]


def new_figures() -> Figures:
    return defaultdict(dict)


@dataclass
class Context:
    """What a group's query needs: the session of the caller, the scope narrowed to the selected area, the year
    and reference day, the other years of a trend, and which figures were asked for (a group may skip others)."""

    session: Session
    scope: Scope
    area_code: str
    year: int
    day: dt.date
    trend_years: tuple[int, ...] = ()
    wanted: frozenset[str] = field(default_factory=frozenset)

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.year, 12, 31)


def area_key(column: Any) -> Any:
    """The village prefix of an area-code column, as the GROUP BY key. Literal numbers, so the GROUP BY repeats
    the select's expression exactly (PostgreSQL compares them)."""
    return func.substr(column, literal_column("1"), literal_column(str(KEY_LENGTH)))


def count_if(condition: Any) -> Any:
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END)."""
    return func.sum(case((condition, 1), else_=0))


def collect(figures: Figures, rows: Iterable[Any], names: list[str]) -> None:
    """Add grouped rows `(key, count, count, …)` to the figures under `names`."""
    for row in rows:
        key, *counts = row
        target = figures[key]
        for name, count in zip(names, counts, strict=True):
            target[name] = target.get(name, 0) + int(count or 0)


def add(figures: Figures, key: str, name: str, count: int) -> None:
    target = figures[key[:KEY_LENGTH]]
    target[name] = target.get(name, 0) + int(count or 0)


def trend_name(figure: str, year: int, selected_year: int) -> str:
    """A figure's name for another year of a trend (the selected year's is the figure itself)."""
    return figure if year == selected_year else f"{figure}@{year}"


ComputeFn = Callable[[Context, Figures], "Mapping[str, str] | None"]
RecordsFn = Callable[[Context, str, int], "list[dict[str, Any]] | None"]


@dataclass(frozen=True)
class IndicatorGroup:
    """One capability's contribution to the indicators: the figures it computes, the query computing them, and
    (optionally) the records behind each figure. `compute` answers {figure: reason} for figures whose data does
    not exist yet (shown instead of a number, never a zero), or None."""

    figures: tuple[str, ...] | Callable[[], tuple[str, ...]]  # a callable when the figures depend on hooks
    compute: ComputeFn
    records: RecordsFn | None = None

    def __call__(self, ctx: Context, figures: Figures) -> Mapping[str, str] | None:
        return self.compute(ctx, figures)

    def figure_names(self) -> tuple[str, ...]:
        return self.figures() if callable(self.figures) else self.figures


# The columns a household drill-down answers (a group's `records` may add others).
HOUSEHOLD_RECORD_COLUMNS = ("household_id", "household_no", "head_name", "area_code", "status", "member_count")
