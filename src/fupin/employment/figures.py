"""Employment's indicator group (declared in the plugin's `indicator_groups`): labour force, employed, transfer-
employed and households with an employed member, from `queries.employment_figures` grouped by village; the
people (or households) behind each figure from `queries.figure_members`."""

from __future__ import annotations

from typing import Any

from fupin.core.areacodes import AreaLevel
from fupin.core.rollup import Context, Figures, IndicatorGroup, add
from fupin.employment.queries import employment_figures, figure_members

FIGURES = ("labour_force", "employed", "transfer_employed", "households_employed")


def _employment(ctx: Context, figures: Figures) -> None:
    for row in employment_figures(ctx.session, ctx.scope, ctx.year, AreaLevel.village):
        for name in FIGURES:
            add(figures, row.area_code, name, getattr(row, name))


def _records(ctx: Context, figure: str, limit: int) -> list[dict[str, Any]] | None:
    return figure_members(ctx.session, ctx.scope, ctx.area_code, ctx.year, figure, limit=limit)


GROUPS = {"employment": IndicatorGroup(FIGURES, _employment, _records)}
