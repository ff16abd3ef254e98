"""Early-warning signals: each one set-based query over a capability's records that proposes households for
checking, with a Chinese reason per household. They are contributions (`warning_signals` in a plugin), the way
monitoring declares its own five; another capability adds a signal the same way, and `queries.warnings` runs
every contributed signal. Data of other capabilities is reached through their queries or provided selects
(the job-ended signal reads employment's placements through `employment.employed_persons_subquery`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from fupin.core.capability import provided
from fupin.core.scoping import Scope
from fupin.monitoring import rules
from fupin.registry import selects
from fupin.registry.queries import persons_select, poverty_lines


@dataclass(frozen=True)
class SignalContext:
    session: Session
    scope: Scope
    as_of: dt.date
    factor: Decimal
    recent_days: int
    thresholds: dict[tuple[int, str], Decimal]
    poverty_lines: dict[tuple[int, str], Decimal]
    # household_id column → SQL condition: not poor now (exited or monitored) and without an open record
    candidates: Callable[[Any], Any]


@dataclass(frozen=True)
class WarningSignal:
    code: str
    name_zh: str
    name_en: str
    find: Callable[[SignalContext], Iterable[tuple[int, str | None]]]  # (household_id, reason or None)


def _low_income(ctx: SignalContext) -> Iterable[tuple[int, str | None]]:
    latest = selects.latest_incomes_select(ctx.scope)
    columns = latest.selected_columns
    for r in ctx.session.execute(latest.where(ctx.candidates(columns.household_id))):
        threshold = rules.threshold_for(ctx.thresholds, ctx.poverty_lines, r.year, r.area_code[:2])
        per_capita = rules.exact_per_capita(r.net_income, r.members, r.per_capita_net)
        yield r.household_id, rules.low_income_warning(per_capita, r.year, threshold, ctx.factor)


def _illness_disability(ctx: SignalContext) -> Iterable[tuple[int, str | None]]:
    p = persons_select(ctx.scope).subquery("members")
    ill = func.sum(case((p.c.health == "serious", 1), else_=0))
    disabled = func.sum(case((or_(p.c.health == "disabled", p.c.disability_grade.is_not(None)), 1), else_=0))
    rows = ctx.session.execute(
        select(p.c.household_id, ill.label("ill"), disabled.label("disabled"))
        .where(ctx.candidates(p.c.household_id),
               or_(p.c.health.in_(("serious", "disabled")), p.c.disability_grade.is_not(None)))
        .group_by(p.c.household_id))
    for r in rows:
        yield r.household_id, rules.illness_disability_warning(int(r.ill or 0), int(r.disabled or 0))


def _job_ended(ctx: SignalContext) -> Iterable[tuple[int, str | None]]:
    employed = provided("employment.employed_persons_subquery")
    year = ctx.as_of.year
    last_year, this_year = employed(ctx.scope, year - 1), employed(ctx.scope, year)
    before = (select(last_year.c.household_id, func.count().label("n")).group_by(last_year.c.household_id)
              .subquery())
    now = (select(this_year.c.household_id, func.count().label("n")).group_by(this_year.c.household_id)
           .subquery())
    rows = ctx.session.execute(
        select(before.c.household_id, before.c.n, func.coalesce(now.c.n, 0))
        .outerjoin(now, now.c.household_id == before.c.household_id)
        .where(ctx.candidates(before.c.household_id), now.c.household_id.is_(None)))
    for household_id, employed_before, employed_now in rows:
        yield int(household_id), rules.job_ended_warning(int(employed_before), int(employed_now), year)


def _disaster(ctx: SignalContext) -> Iterable[tuple[int, str | None]]:
    visits = selects.visit_findings_select(ctx.scope)
    v = visits.selected_columns
    since = ctx.as_of - dt.timedelta(days=ctx.recent_days)
    rows = ctx.session.execute(
        visits.where(v.visited_on >= since, v.visited_on <= ctx.as_of, ctx.candidates(v.household_id),
                     or_(*[v.found.contains(word) for word in rules.DISASTER_WORDS]))
        .order_by(v.household_id, v.visited_on))
    for r in rows:
        yield r.household_id, rules.disaster_warning(r.visited_on, r.found)


def _housing(ctx: SignalContext) -> Iterable[tuple[int, str | None]]:
    latest = selects.latest_checks_select(ctx.scope)
    c = latest.selected_columns
    for r in ctx.session.execute(latest.where(ctx.candidates(c.household_id), c.housing_ok.is_(False))):
        yield r.household_id, rules.housing_warning(r.housing_ok, r.year)


SIGNALS = [
    WarningSignal("low_income", "收入低于监测标准", "Income below the threshold", _low_income),
    WarningSignal("illness_disability", "家庭成员大病或残疾", "Serious illness or disability", _illness_disability),
    WarningSignal("job_ended", "务工就业中断", "Job ended", _job_ended),
    WarningSignal("disaster", "遭受灾害", "Disaster", _disaster),
    WarningSignal("housing_unsafe", "住房不安全", "Unsafe housing", _housing),
]


def signal_context(session: Session, scope: Scope, as_of: dt.date, factor: Decimal, recent_days: int,
                   thresholds: dict[tuple[int, str], Decimal], candidates: Callable[[Any], Any]) -> SignalContext:
    return SignalContext(session, scope, as_of, factor, recent_days, thresholds, poverty_lines(session), candidates)
