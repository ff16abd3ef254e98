"""Services' indicator group (declared in the plugin's `indicator_groups`): the requests received in the year and,
of those, done, done on time, overdue, done in one visit (最多跑一次), confirmed and satisfied; wishes posted and
fulfilled. One query per table grouped by village, and the households behind each figure for the drill-down."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, select

from fupin.core.rollup import Context, Figures, IndicatorGroup, area_key, collect, count_if
from fupin.core.scoping import Scope
from fupin.services.models import ServiceRequest, Wish
from fupin.services.queries import request_conditions

REQUEST_FIGURES = {
    "received": "requests_received",
    "done": "requests_done",
    "done_on_time": "requests_done_on_time",
    "overdue": "requests_overdue",
    "one_visit": "requests_one_visit",
    "confirmed": "requests_confirmed",
    "satisfied": "requests_satisfied",
}
WISH_FIGURES = ("wishes_posted", "wishes_fulfilled")
FIGURES = (*REQUEST_FIGURES.values(), *WISH_FIGURES)


def _conditions(ctx: Context) -> dict[str, Any]:
    conditions = request_conditions(ServiceRequest, ctx.year_start, ctx.year_end, ctx.day)
    received = conditions["received"]
    return {name: c if name == "received" else and_(received, c) for name, c in conditions.items()}


def _wish_conditions(ctx: Context) -> dict[str, Any]:
    posted = and_(Wish.posted_on >= ctx.year_start, Wish.posted_on <= ctx.year_end)
    return {"wishes_posted": posted,
            "wishes_fulfilled": and_(Wish.status == "fulfilled", Wish.fulfilled_on >= ctx.year_start,
                                     Wish.fulfilled_on <= ctx.year_end)}


def _services(ctx: Context, figures: Figures) -> None:
    key = area_key(ServiceRequest.area_code)
    conditions = _conditions(ctx)
    stmt = (select(key, *[count_if(c) for c in conditions.values()])
            .where(ctx.scope.condition(ServiceRequest.area_code)).group_by(key))
    collect(figures, ctx.session.execute(stmt), [REQUEST_FIGURES[n] for n in conditions])
    wish_key = area_key(Wish.area_code)
    wishes = _wish_conditions(ctx)
    stmt = (select(wish_key, *[count_if(c) for c in wishes.values()])
            .where(ctx.scope.condition(Wish.area_code)).group_by(wish_key))
    collect(figures, ctx.session.execute(stmt), list(wishes))


def _records(ctx: Context, figure: str, limit: int) -> list[dict[str, Any]] | None:
    from fupin.registry.queries import households_subquery

    h = households_subquery(Scope.everything())  # the record is in scope; its household is the same one
    if figure in WISH_FIGURES:
        condition, table = _wish_conditions(ctx)[figure], Wish
    else:
        name = {v: k for k, v in REQUEST_FIGURES.items()}.get(figure)
        if name is None:
            return None
        condition, table = _conditions(ctx)[name], ServiceRequest
    stmt = (select(h.c.id.label("household_id"), h.c.household_no, h.c.head_name, table.area_code,
                   table.status, h.c.member_count, table.id.label("record_id"))
            .join(table, table.household_id == h.c.id)
            .where(condition, ctx.scope.condition(table.area_code))
            .order_by(table.area_code, table.id))
    return [dict(row._mapping) for row in ctx.session.execute(stmt.limit(limit))]


GROUPS = {"services": IndicatorGroup(FIGURES, _services, _records)}


def period_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
