"""Drill-down: the records behind any figure, for an area (its subtree) and year, scoped to the caller.

A ratio opens into the records of its numerator. Households are listed by their registry columns (never
ID numbers); employment figures are opened through the employment capability's own `figure_members`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fupin.core.errors import Invalid, NotFound
from fupin.core.scoping import Scope
from fupin.indicators import engine
from fupin.indicators.catalogue import BY_CODE

DEFAULT_LIMIT = 500
EMPLOYMENT_FIGURES = {"labour_force", "employed", "transfer_employed", "households_employed"}


def records(session: Session, scope: Scope, indicator_code: str, area_code: str, year: int,
            day: dt.date | None = None, limit: int = DEFAULT_LIMIT) -> list[dict[str, Any]]:
    indicator = BY_CODE.get(indicator_code)
    if indicator is None:
        raise NotFound("指标", indicator_code)
    inner = scope.narrowed_to(area_code)
    figure = indicator.numerator if indicator.is_ratio else indicator.code
    ctx = engine.Context(session, inner, area_code, year, day or min(dt.date.today(), dt.date(year, 12, 31)))
    if figure in EMPLOYMENT_FIGURES:
        from fupin.employment.queries import figure_members

        return figure_members(session, inner, area_code, year, figure or "", limit=limit)
    stmt = _households_behind(ctx, figure or "")
    if stmt is None:
        raise Invalid(f"指标“{indicator.name_zh}”没有可列出的户记录", field="indicator")
    return [dict(row._mapping) for row in session.execute(stmt.limit(limit))]


def _households_behind(ctx: engine.Context, figure: str):  # type: ignore[no-untyped-def]
    from fupin.registry.queries import CHECK_ITEMS, checks_select, households_subquery

    h = households_subquery(ctx.scope)
    columns = (h.c.id.label("household_id"), h.c.household_no, h.c.head_name, h.c.area_code, h.c.status,
               h.c.member_count)
    base = select(*columns).order_by(h.c.area_code, h.c.id)
    exited = engine.exited_in(h, ctx.year)
    poor = engine.remaining_poor(h, ctx.year)
    registered = engine.registered_by(h, ctx.year)
    simple = {
        "registered_households": registered, "registered_people": registered,
        "remaining_poor_households": poor, "remaining_poor_people": poor,
        "exited_households_year": exited, "exited_people_year": exited,
    }
    if figure in simple:
        return base.where(simple[figure])
    if figure == "eligible_not_exited":
        eligible = engine.eligible_households(ctx)
        return select(eligible.c.id.label("household_id"), eligible.c.household_no, eligible.c.head_name,
                      eligible.c.area_code, eligible.c.status, eligible.c.member_count
                      ).order_by(eligible.c.area_code, eligible.c.id)
    if figure == "checked_households" or figure.endswith("_ok_households"):
        checks = checks_select(ctx.scope, ctx.year).subquery("checks")
        joined = base.join(checks, checks.c.household_id == h.c.id)
        item = figure.removesuffix("_ok_households")
        return joined.where(checks.c[item].is_(True)) if item in CHECK_ITEMS else joined
    if figure == "paired_households":
        from fupin.pairing.queries import helpers_per_household

        helped = helpers_per_household(ctx.scope, ctx.day).subquery("helped")
        return base.join(helped, helped.c.household_id == h.c.id).where(engine.remaining_poor(h, ctx.year))
    if figure == "visited_30d_households":
        from fupin.registry.queries import last_visits

        visits = last_visits(ctx.session, ctx.scope).subquery("last_visits")
        return (base.join(visits, visits.c.household_id == h.c.id)
                .where(engine.remaining_poor(h, ctx.year), visits.c.last_visit >= ctx.day - dt.timedelta(days=30),
                       visits.c.last_visit <= ctx.day))
    if figure.startswith("relocation_") and figure != "relocation_sites":
        relocated_select = engine.provider("fupin.relocation.queries", "relocated_households_select")
        if relocated_select is None:
            return None
        r = relocated_select(ctx.scope).subquery("relocated")
        wanted = {"relocation_planned": None, "relocation_allocated": ("allocated", "moved_in"),
                  "relocation_moved_in": ("moved_in",)}[figure]
        everywhere = households_subquery(Scope.everything())
        stmt = (select(everywhere.c.id.label("household_id"), everywhere.c.household_no, everywhere.c.head_name,
                       r.c.site_area_code.label("area_code"), r.c.status, everywhere.c.member_count)
                .join(r, r.c.household_id == everywhere.c.id).order_by(r.c.site_area_code, everywhere.c.id))
        return stmt if wanted is None else stmt.where(r.c.status.in_(wanted))
    if figure in engine.MONITOR_TYPES.values() or figure == "monitored_risk_cleared":
        monitored_select = engine.provider("fupin.monitoring.queries", "monitored_select")
        if monitored_select is None:
            return None
        m = monitored_select(ctx.scope).subquery("monitored")
        everywhere = households_subquery(Scope.everything())
        stmt = (select(everywhere.c.id.label("household_id"), everywhere.c.household_no, everywhere.c.head_name,
                       m.c.area_code, m.c.status, everywhere.c.member_count)
                .join(m, m.c.household_id == everywhere.c.id).order_by(m.c.area_code, everywhere.c.id))
        if figure == "monitored_risk_cleared":
            return stmt.where(m.c.status == "cleared", m.c.cleared_on >= dt.date(ctx.year, 1, 1),
                              m.c.cleared_on <= dt.date(ctx.year, 12, 31))
        monitor_type = {v: k for k, v in engine.MONITOR_TYPES.items()}[figure]
        return stmt.where(engine.monitored_in_year(m, ctx.year), m.c.monitor_type == monitor_type)
    return None
