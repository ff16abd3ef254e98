"""Pairing's indicator group (declared in the plugin's `indicator_groups`): remaining-poor households with an
active helper on the reference day, and those visited in the 30 days before it; one query grouped by village."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, select

from fupin.core.rollup import Context, Figures, IndicatorGroup, area_key, collect, count_if
from fupin.pairing.queries import helpers_per_household
from fupin.registry.figures import household_rows, remaining_poor
from fupin.registry.queries import households_subquery, last_visits

VISIT_DAYS = 30
FIGURES = ("paired_households", "visited_30d_households")


def _visited_recently(visits: Any, day: dt.date) -> Any:
    return and_(visits.c.last_visit >= day - dt.timedelta(days=VISIT_DAYS), visits.c.last_visit <= day)


def _pairing(ctx: Context, figures: Figures) -> None:
    h = households_subquery(ctx.scope)
    helped = helpers_per_household(ctx.scope, ctx.day).subquery("helped")
    visits = last_visits(ctx.session, ctx.scope).subquery("last_visits")
    stmt = (select(area_key(h.c.area_code), count_if(helped.c.household_id.is_not(None)),
                   count_if(_visited_recently(visits, ctx.day)))
            .outerjoin(helped, helped.c.household_id == h.c.id)
            .outerjoin(visits, visits.c.household_id == h.c.id)
            .where(remaining_poor(h, ctx.year)).group_by(area_key(h.c.area_code)))
    collect(figures, ctx.session.execute(stmt), list(FIGURES))


def _records(ctx: Context, figure: str, limit: int) -> list[dict[str, Any]] | None:
    h = households_subquery(ctx.scope)
    if figure == "paired_households":
        helped = helpers_per_household(ctx.scope, ctx.day).subquery("helped")
        stmt = household_rows(h).join(helped, helped.c.household_id == h.c.id)
    else:
        visits = last_visits(ctx.session, ctx.scope).subquery("last_visits")
        stmt = household_rows(h).join(visits, visits.c.household_id == h.c.id).where(
            _visited_recently(visits, ctx.day))
    return [dict(r._mapping) for r in ctx.session.execute(stmt.where(remaining_poor(h, ctx.year)).limit(limit))]


GROUPS = {"pairing": IndicatorGroup(FIGURES, _pairing, _records)}
