"""Monitoring's indicator group (declared in the plugin's `indicator_groups`): households under monitoring in the
year by type, and those whose risk was cleared in the year; one query grouped by village, and the households
behind each figure for the drill-down."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, or_, select

from fupin.core.rollup import Context, Figures, IndicatorGroup, area_key, collect, count_if
from fupin.core.scoping import Scope
from fupin.monitoring.queries import monitored_select
from fupin.registry.queries import households_subquery

TYPE_FIGURES = {"unstable": "monitored_unstable", "marginal": "monitored_marginal", "sudden": "monitored_sudden"}
CLEARED_FIGURE = "monitored_risk_cleared"
FIGURES = (*TYPE_FIGURES.values(), CLEARED_FIGURE)


def monitored_in_year(m: Any, year: int) -> Any:
    """Under monitoring at some time in the year: identified by its end, not cleared before its start."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return and_(m.c.identified_on.is_not(None), m.c.identified_on <= end,
                or_(m.c.status != "cleared", m.c.cleared_on.is_(None), m.c.cleared_on >= start))


def cleared_in_year(m: Any, year: int) -> Any:
    return and_(m.c.status == "cleared", m.c.cleared_on >= dt.date(year, 1, 1), m.c.cleared_on <= dt.date(year, 12, 31))


def _monitoring(ctx: Context, figures: Figures) -> None:
    m = monitored_select(ctx.scope).subquery("monitored")
    in_year = monitored_in_year(m, ctx.year)
    stmt = (select(area_key(m.c.area_code), *[count_if(and_(in_year, m.c.monitor_type == t)) for t in TYPE_FIGURES],
                   count_if(cleared_in_year(m, ctx.year)))
            .group_by(area_key(m.c.area_code)))
    collect(figures, ctx.session.execute(stmt), list(FIGURES))


def _records(ctx: Context, figure: str, limit: int) -> list[dict[str, Any]] | None:
    m = monitored_select(ctx.scope).subquery("monitored")
    h = households_subquery(Scope.everything())  # the record is in scope; its household is the same one
    stmt = (select(h.c.id.label("household_id"), h.c.household_no, h.c.head_name, m.c.area_code, m.c.status,
                   h.c.member_count)
            .join(m, m.c.household_id == h.c.id).order_by(m.c.area_code, h.c.id))
    if figure == CLEARED_FIGURE:
        stmt = stmt.where(cleared_in_year(m, ctx.year))
    else:
        monitor_type = {v: k for k, v in TYPE_FIGURES.items()}[figure]
        stmt = stmt.where(monitored_in_year(m, ctx.year), m.c.monitor_type == monitor_type)
    return [dict(row._mapping) for row in ctx.session.execute(stmt.limit(limit))]


GROUPS = {"monitoring": IndicatorGroup(FIGURES, _monitoring, _records)}
