"""Relocation's indicator groups (declared in the plugin's `indicator_groups`): resettlement sites, relocated
households by progress, grids and their leaders — counted at the site's area; the relocated households behind
each progress figure for the drill-down."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from fupin.core.rollup import Context, Figures, IndicatorGroup, area_key, collect, count_if
from fupin.core.scoping import Scope
from fupin.registry.queries import households_subquery
from fupin.relocation.queries import grids_select, relocated_households_select, sites_select

ALLOCATED = ("allocated", "moved_in")
PROGRESS_FIGURES = ("relocation_planned", "relocation_allocated", "relocation_moved_in")


def _progress(ctx: Context, figures: Figures) -> None:
    r = relocated_households_select(ctx.scope).subquery("relocated")
    stmt = (select(area_key(r.c.site_area_code), func.count(), count_if(r.c.status.in_(ALLOCATED)),
                   count_if(r.c.status == "moved_in")).group_by(area_key(r.c.site_area_code)))
    collect(figures, ctx.session.execute(stmt), list(PROGRESS_FIGURES))


def _progress_records(ctx: Context, figure: str, limit: int) -> list[dict[str, Any]] | None:
    r = relocated_households_select(ctx.scope).subquery("relocated")
    # The household may come from another area than the site's; the site is what the figure counts.
    h = households_subquery(Scope.everything())
    stmt = (select(h.c.id.label("household_id"), h.c.household_no, h.c.head_name,
                   r.c.site_area_code.label("area_code"), r.c.status, h.c.member_count)
            .join(r, r.c.household_id == h.c.id).order_by(r.c.site_area_code, h.c.id))
    wanted = {"relocation_planned": None, "relocation_allocated": ALLOCATED, "relocation_moved_in": ("moved_in",)}
    statuses = wanted[figure]
    if statuses is not None:
        stmt = stmt.where(r.c.status.in_(statuses))
    return [dict(row._mapping) for row in ctx.session.execute(stmt.limit(limit))]


def _sites(ctx: Context, figures: Figures) -> None:
    s = sites_select(ctx.scope).subquery("sites")
    stmt = select(area_key(s.c.area_code), func.count()).group_by(area_key(s.c.area_code))
    collect(figures, ctx.session.execute(stmt), ["relocation_sites"])


def _grids(ctx: Context, figures: Figures) -> None:
    g = grids_select(ctx.scope).subquery("grids")
    stmt = (select(area_key(g.c.site_area_code), func.count(), count_if(g.c.has_leader))
            .group_by(area_key(g.c.site_area_code)))
    collect(figures, ctx.session.execute(stmt), ["grids", "grid_leaders"])


GROUPS = {
    "relocation": IndicatorGroup(PROGRESS_FIGURES, _progress, _progress_records),
    "relocation_sites": IndicatorGroup(("relocation_sites",), _sites),
    "grids": IndicatorGroup(("grids", "grid_leaders"), _grids),
}
