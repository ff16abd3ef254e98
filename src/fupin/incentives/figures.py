"""Incentives' indicator group (declared in the plugin's `indicator_groups`): points issued and points redeemed in
the year, one query grouped by village; the households behind each figure for the drill-down."""

from __future__ import annotations

from typing import Any

from fupin.core.rollup import Context, Figures, IndicatorGroup, add
from fupin.incentives.queries import households_with_points, points_by_village

FIGURES = ("points_issued", "points_redeemed")
KIND = {"points_issued": "earned", "points_redeemed": "spent"}


def _points(ctx: Context, figures: Figures) -> None:
    for key, issued, redeemed in points_by_village(ctx.session, ctx.scope, ctx.year_start, ctx.year_end):
        add(figures, key, "points_issued", int(issued or 0))
        add(figures, key, "points_redeemed", int(redeemed or 0))


def _records(ctx: Context, figure: str, limit: int) -> list[dict[str, Any]] | None:
    return households_with_points(ctx.session, ctx.scope, KIND[figure], ctx.year_start, ctx.year_end, limit)


GROUPS = {"incentives": IndicatorGroup(FIGURES, _points, _records)}
