"""Relocation's indicator groups (declared in the plugin's `indicator_groups`): resettlement sites, relocated
households by progress, grids and their leaders — counted at the site's area; the relocated households behind
each progress figure for the drill-down."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, select

from fupin.core.rollup import Context, Figures, IndicatorGroup, area_key, collect, count_if
from fupin.core.scoping import Scope
from fupin.registry.queries import households_subquery
from fupin.relocation.queries import grids_select, relocated_households_select, sites_select

ALLOCATED = ("allocated", "moved_in")
PROGRESS_FIGURES = ("relocation_planned", "relocation_allocated", "relocation_moved_in")


def allocated_by(r: Any, ctx: Context) -> Any:
    """Allocated a unit by the end of the figure's year (a record without the date counts: it predates dates)."""
    return and_(r.c.status.in_(ALLOCATED), or_(r.c.allocated_on.is_(None), r.c.allocated_on <= ctx.year_end))


def moved_in_by(r: Any, ctx: Context) -> Any:
    """Moved in by the end of the figure's year: a 2016 dashboard does not count who moved in later."""
    return and_(r.c.status == "moved_in", or_(r.c.moved_in_on.is_(None), r.c.moved_in_on <= ctx.year_end))


def _progress(ctx: Context, figures: Figures) -> None:
    r = relocated_households_select(ctx.scope).subquery("relocated")
    stmt = (select(area_key(r.c.site_area_code), func.count(), count_if(allocated_by(r, ctx)),
                   count_if(moved_in_by(r, ctx))).group_by(area_key(r.c.site_area_code)))
    collect(figures, ctx.session.execute(stmt), list(PROGRESS_FIGURES))


def _progress_records(ctx: Context, figure: str, limit: int) -> list[dict[str, Any]] | None:
    r = relocated_households_select(ctx.scope).subquery("relocated")
    # The household may come from another area than the site's; the site is what the figure counts.
    h = households_subquery(Scope.everything())
    stmt = (select(h.c.id.label("household_id"), h.c.household_no, h.c.head_name,
                   r.c.site_area_code.label("area_code"), r.c.status, h.c.member_count)
            .join(r, r.c.household_id == h.c.id).order_by(r.c.site_area_code, h.c.id))
    if figure == "relocation_allocated":
        stmt = stmt.where(allocated_by(r, ctx))
    elif figure == "relocation_moved_in":
        stmt = stmt.where(moved_in_by(r, ctx))
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
