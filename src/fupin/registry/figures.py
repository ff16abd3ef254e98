"""The registry's indicator groups (declared in the plugin's `indicator_groups`): registered, remaining poor and
exited households and people, the 两不愁三保障 checks, and the households eligible to exit; each one set-based
query grouped by village, and the households behind each figure for the drill-down.

`registered_by`, `remaining_poor` and `exited_in` are the year-aware definitions other capabilities' groups use
over `registry.queries.households_subquery` (pairing counts remaining-poor households with a helper).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, or_, select

from fupin.core.rollup import Context, Figures, IndicatorGroup, area_key, collect, count_if, trend_name
from fupin.registry.queries import (
    CHECK_ITEMS,
    checks_select,
    exit_eligible_select,
    households_subquery,
    persons_subquery,
)
from fupin.registry.vocab import ACTIVE_POOR_STATUSES

EXITED_STATUSES = ("exited", "monitored")


def registered_by(h: Any, year: int) -> Any:
    return h.c.registration_year <= year


def remaining_poor(h: Any, year: int) -> Any:
    """Poor at the end of `year`: registered by then, and either still poor now or exited only after it, so
    past years' figures (the trend) come from the same records."""
    return and_(registered_by(h, year),
                or_(h.c.status.in_(ACTIVE_POOR_STATUSES),
                    and_(h.c.status.in_(EXITED_STATUSES), h.c.exit_year > year)))


def member_in(p: Any, year: int) -> Any:
    """A member of the household at the end of `year` (over `persons_subquery(scope, active_only=False)`): joined
    by then (no date: since registration) and not left by then. An inactive member without a leaving date left
    before dates were kept and counts in no year, as before."""
    end = dt.date(year, 12, 31)
    return and_(or_(p.c.joined_on.is_(None), p.c.joined_on <= end),
                or_(and_(p.c.active.is_(True), p.c.left_on.is_(None)), p.c.left_on > end))


def exited_in(h: Any, year: int) -> Any:
    return and_(h.c.status.in_(EXITED_STATUSES), h.c.exit_year == year)


def household_rows(h: Any) -> Any:
    """The drill-down's household columns of `households_subquery`, ordered by area."""
    return (select(h.c.id.label("household_id"), h.c.household_no, h.c.head_name, h.c.area_code, h.c.status,
                   h.c.member_count).order_by(h.c.area_code, h.c.id))


def _rows(ctx: Context, statement: Any, limit: int) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in ctx.session.execute(statement.limit(limit))]


# ---------------------------------------------------------------- households and people


HOUSEHOLD_FIGURES = ("registered_households", "remaining_poor_households", "exited_households_year")
PEOPLE_FIGURES = ("registered_people", "remaining_poor_people", "exited_people_year")


def _households(ctx: Context, figures: Figures) -> None:
    h = households_subquery(ctx.scope)
    stmt = (select(area_key(h.c.area_code), count_if(registered_by(h, ctx.year)),
                   count_if(remaining_poor(h, ctx.year)), count_if(exited_in(h, ctx.year)))
            .group_by(area_key(h.c.area_code)))
    collect(figures, ctx.session.execute(stmt), list(HOUSEHOLD_FIGURES))


def _people(ctx: Context, figures: Figures) -> None:
    h = households_subquery(ctx.scope)
    p = persons_subquery(ctx.scope, active_only=False)  # the members of each year, not today's
    now = member_in(p, ctx.year)
    columns = [count_if(and_(now, registered_by(h, ctx.year))), count_if(and_(now, remaining_poor(h, ctx.year))),
               count_if(and_(now, exited_in(h, ctx.year)))]
    names = list(PEOPLE_FIGURES)
    for year in ctx.trend_years:  # the dashboard's trend: more sums over the same join, not another scan
        if year != ctx.year:
            then = member_in(p, year)
            columns += [count_if(and_(then, remaining_poor(h, year))), count_if(and_(then, exited_in(h, year)))]
            names += [trend_name("remaining_poor_people", year, ctx.year),
                      trend_name("exited_people_year", year, ctx.year)]
    stmt = (select(area_key(p.c.area_code), *columns).join(h, h.c.id == p.c.household_id)
            .group_by(area_key(p.c.area_code)))
    collect(figures, ctx.session.execute(stmt), names)


def _household_records(ctx: Context, figure: str, limit: int) -> list[dict[str, Any]] | None:
    """The households behind a household or people figure (a people figure opens into its households)."""
    h = households_subquery(ctx.scope)
    condition = {"registered": registered_by, "remaining_poor": remaining_poor, "exited": exited_in}[
        _HOUSEHOLD_CONDITION[figure]](h, ctx.year)
    return _rows(ctx, household_rows(h).where(condition), limit)


_HOUSEHOLD_CONDITION = {
    "registered_households": "registered", "registered_people": "registered",
    "remaining_poor_households": "remaining_poor", "remaining_poor_people": "remaining_poor",
    "exited_households_year": "exited", "exited_people_year": "exited",
}


# ---------------------------------------------------------------- 两不愁三保障 checks


CHECK_FIGURES = ("checked_households", *[f"{item}_ok_households" for item in CHECK_ITEMS])


def _checks(ctx: Context, figures: Figures) -> None:
    checks = checks_select(ctx.scope, ctx.year).subquery("checks")
    stmt = (select(area_key(checks.c.area_code), func.count(),
                   *[count_if(checks.c[item].is_(True)) for item in CHECK_ITEMS])
            .group_by(area_key(checks.c.area_code)))
    collect(figures, ctx.session.execute(stmt), list(CHECK_FIGURES))


def _check_records(ctx: Context, figure: str, limit: int) -> list[dict[str, Any]] | None:
    h = households_subquery(ctx.scope)
    checks = checks_select(ctx.scope, ctx.year).subquery("checks")
    joined = household_rows(h).join(checks, checks.c.household_id == h.c.id)
    item = figure.removesuffix("_ok_households")
    return _rows(ctx, joined.where(checks.c[item].is_(True)) if item in CHECK_ITEMS else joined, limit)


# ---------------------------------------------------------------- eligible to exit, not exited


def eligible_households(ctx: Context) -> Any:
    """Remaining-poor households that the exit rule (`registry.rules.evaluate_exit`, as the household page
    evaluates it) finds eligible in the year: the registry's `exit_eligible_select`, one set-based select."""
    eligible = exit_eligible_select(ctx.scope, ctx.year).subquery("eligible_any_status")
    return select(eligible).where(remaining_poor(eligible, ctx.year)).subquery("eligible")


def _eligibility(ctx: Context, figures: Figures) -> None:
    eligible = eligible_households(ctx)
    stmt = select(area_key(eligible.c.area_code), func.count()).group_by(area_key(eligible.c.area_code))
    collect(figures, ctx.session.execute(stmt), ["eligible_not_exited"])


def _eligible_records(ctx: Context, figure: str, limit: int) -> list[dict[str, Any]] | None:
    return _rows(ctx, household_rows(eligible_households(ctx)), limit)


GROUPS = {
    "registry_households": IndicatorGroup(HOUSEHOLD_FIGURES, _households, _household_records),
    "registry_people": IndicatorGroup(PEOPLE_FIGURES, _people, _household_records),
    "checks": IndicatorGroup(CHECK_FIGURES, _checks, _check_records),
    "exit_eligibility": IndicatorGroup(("eligible_not_exited",), _eligibility, _eligible_records),
}
