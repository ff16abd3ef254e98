"""Read side of monitoring. `monitored_select(scope)` is the building block the indicators use (provided as
`monitoring.monitored_select`); `warnings` runs every early-warning signal set-based over the registry (one query
per signal, never one per household). The registry's ledger is read through `registry.queries` and
`registry.selects`, never its tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from fupin.core.capability import contributions
from fupin.core.scoping import Scope
from fupin.monitoring import errors, rules
from fupin.monitoring.models import MonitoredHousehold, MonitoringStep, MonitoringThreshold
from fupin.monitoring.signals import WarningSignal, signal_context
from fupin.registry import selects
from fupin.registry.queries import households_select, poverty_lines
from fupin.registry.rules import CheckFigures, check_failures


def monitored_select(scope: Scope) -> Select:
    """Monitoring records in the scope: household_id, area_code, county_code, monitor_type, status
    ('identifying'|'monitored'|'cleared'), identified_on, cleared_on."""
    return select(MonitoredHousehold.household_id, MonitoredHousehold.area_code, MonitoredHousehold.county_code,
                  MonitoredHousehold.monitor_type, MonitoredHousehold.status, MonitoredHousehold.identified_on,
                  MonitoredHousehold.cleared_on).where(scope.condition(MonitoredHousehold.area_code))


def records_select(scope: Scope) -> Select:
    """Every monitoring record in the scope with what the national layout shows of it: household_id, monitor_type,
    risk_types (comma-separated codes), status, clue_on, identified_on, cleared_on, id (latest last)."""
    return select(MonitoredHousehold.household_id, MonitoredHousehold.monitor_type, MonitoredHousehold.risk_types,
                  MonitoredHousehold.status, MonitoredHousehold.clue_on, MonitoredHousehold.identified_on,
                  MonitoredHousehold.cleared_on, MonitoredHousehold.id).where(
        scope.condition(MonitoredHousehold.area_code)).order_by(MonitoredHousehold.id)


def get_monitored(session: Session, monitored_id: int, scope: Scope) -> MonitoredHousehold:
    record = session.get(MonitoredHousehold, monitored_id)
    if record is None or not scope.contains(record.area_code):
        raise errors.NOT_FOUND(key=monitored_id)
    return record


def open_record_of(session: Session, household_id: int) -> MonitoredHousehold | None:
    return session.scalar(select(MonitoredHousehold).where(MonitoredHousehold.household_id == household_id,
                                                           MonitoredHousehold.status.in_(rules.OPEN_STATUSES)))


def _households() -> Any:
    """The registry's households (labels only), to join to records already restricted to the scope."""
    return households_select(Scope.everything()).subquery("registry_households")


@dataclass
class MonitoredRow:
    record: MonitoredHousehold
    household_no: str
    head_name: str


def list_monitored(session: Session, scope: Scope, *, status: str | None = None, monitor_type: str | None = None,
                   risk: str | None = None, area: str | None = None, limit: int = 100,
                   offset: int = 0) -> list[MonitoredRow]:
    scope = scope.narrowed_to(area) if area else scope
    h = _households()
    stmt = (select(MonitoredHousehold, h.c.household_no, h.c.head_name)
            .join(h, h.c.id == MonitoredHousehold.household_id)
            .where(scope.condition(MonitoredHousehold.area_code)))
    if status:
        stmt = stmt.where(MonitoredHousehold.status == status)
    if monitor_type:
        stmt = stmt.where(MonitoredHousehold.monitor_type == monitor_type)
    if risk:
        stmt = stmt.where(MonitoredHousehold.risk_types.contains(risk))
    rows = session.execute(stmt.order_by(MonitoredHousehold.area_code, MonitoredHousehold.id)
                           .limit(limit).offset(offset))
    return [MonitoredRow(r[0], r[1], r[2]) for r in rows]


def in_publicity(session: Session, scope: Scope) -> list[tuple[MonitoredHousehold, str, dt.date]]:
    """Records whose publicity (公示) is running: head name and publicity start, never ID numbers or phones."""
    started = (select(MonitoringStep.monitored_id, MonitoringStep.happened_on)
               .where(MonitoringStep.step == "publicity", scope.condition(MonitoringStep.area_code)).subquery())
    h = _households()
    rows = session.execute(
        select(MonitoredHousehold, h.c.head_name, started.c.happened_on)
        .join(started, started.c.monitored_id == MonitoredHousehold.id)
        .join(h, h.c.id == MonitoredHousehold.household_id)
        .where(MonitoredHousehold.status == "identifying", scope.condition(MonitoredHousehold.area_code))
        .order_by(MonitoredHousehold.area_code, MonitoredHousehold.id).limit(1000))
    return [(r[0], r[1], r[2]) for r in rows]


def steps_done(session: Session, monitored_id: int) -> list[tuple[str, dt.date]]:
    rows = session.execute(select(MonitoringStep.step, MonitoringStep.happened_on)
                           .where(MonitoringStep.monitored_id == monitored_id).order_by(MonitoringStep.id))
    return [(r.step, r.happened_on) for r in rows]


def steps_of(session: Session, monitored_id: int) -> list[MonitoringStep]:
    return list(session.scalars(select(MonitoringStep).where(MonitoringStep.monitored_id == monitored_id)
                                .order_by(MonitoringStep.id)))


def thresholds(session: Session) -> dict[tuple[int, str], Decimal]:
    return {(t.year, t.province_code): t.amount for t in session.scalars(select(MonitoringThreshold))}


def threshold_for(session: Session, year: int, province_code: str) -> Decimal | None:
    return rules.threshold_for(thresholds(session), poverty_lines(session), year, province_code)


def missing_threshold_years(session: Session, province_code: str | None, last_year: int) -> list[int]:
    """Monitoring years up to `last_year` without a threshold for the province (None: the national one)."""
    return rules.missing_years(thresholds(session), province_code, last_year)


def province_of(scope: Scope) -> str | None:
    """The province whose thresholds apply to a scope (None for the whole country)."""
    return scope.prefix[:2] if len(scope.prefix) >= 2 else None


@dataclass(frozen=True)
class ThresholdYear:
    year: int
    national: Decimal | None
    provincial: Decimal | None
    in_force: Decimal | None  # None: not set — flagged, never an earlier year's value
    national_line: Decimal | None  # the year's poverty lines (扶贫标准), kept by the registry
    provincial_line: Decimal | None


def threshold_years(session: Session, province_code: str | None, last_year: int) -> list[ThresholdYear]:
    """Every year from 2013 (建档立卡) to `last_year`, newest first: the monitoring thresholds (from 2021) and the
    poverty lines, national and the province's, and what is in force."""
    table, lines = thresholds(session), poverty_lines(session)
    years = sorted({y for y, _ in table} | {y for y, _ in lines} | set(range(rules.MONITORING_FROM, last_year + 1)),
                   reverse=True)
    province = province_code or rules.NATIONAL
    return [ThresholdYear(y, table.get((y, rules.NATIONAL)), table.get((y, province)) if province_code else None,
                          rules.threshold_for(table, lines, y, province),
                          lines.get((y, rules.NATIONAL)), lines.get((y, province)) if province_code else None)
            for y in years if y >= 2013]


# ---------------------------------------------------------------- early warning


@dataclass
class Proposal:
    """A household the rules propose for checking; a person decides whether to start identification."""

    household_id: int
    household_no: str
    head_name: str
    area_code: str
    status: str
    reasons: dict[str, str] = field(default_factory=dict)  # signal code → Chinese reason


def warning_signals() -> list[WarningSignal]:
    """Every early-warning signal the capabilities contribute (`warning_signals` in their plugins)."""
    found = [signal for _owner, signal in contributions("warning_signals")]
    codes = [signal.code for signal in found]
    if len(codes) != len(set(codes)):
        raise ValueError(f"a warning signal is declared twice: {codes}")
    return found


def warning_names() -> dict[str, str]:
    return {signal.code: signal.name_zh for signal in warning_signals()}


def warnings(session: Session, scope: Scope, *, as_of: dt.date, factor: Decimal = rules.DEFAULT_WARNING_FACTOR,
             recent_days: int = 180, limit: int | None = None) -> list[Proposal]:
    """Households not poor now (exited or monitored) without an open monitoring record, which a signal flags."""
    def candidates(household_id: Any) -> Any:
        # Correlated EXISTS / NOT EXISTS: the planner makes hash semi- and anti-joins of them on both databases.
        open_record = select(MonitoredHousehold.id).where(MonitoredHousehold.household_id == household_id,
                                                          MonitoredHousehold.status.in_(rules.OPEN_STATUSES)).exists()
        return selects.household_in_status(household_id, ("exited", "monitored")) & ~open_record

    ctx = signal_context(session, scope, as_of, factor, recent_days, thresholds(session), candidates)
    found: dict[int, dict[str, str]] = {}
    for signal in warning_signals():
        for household_id, reason in signal.find(ctx):
            if reason:
                found.setdefault(household_id, {})[signal.code] = reason

    ids = sorted(found)
    if limit is not None:
        ids = ids[:limit]
    labels = selects.household_labels(session, ids)
    proposals = [Proposal(h, *labels[h], found[h]) for h in ids if h in labels]
    proposals.sort(key=lambda p: (p.area_code, p.household_id))
    return proposals


# ---------------------------------------------------------------- risk clearing


def clearing_facts(session: Session, record: MonitoredHousehold) -> rules.ClearingFacts:
    table, lines = thresholds(session), poverty_lines(session)
    province = record.area_code[:2]
    everywhere = Scope.everything()
    incomes_stmt = selects.incomes_select(everywhere)
    i = incomes_stmt.selected_columns
    incomes = [(r.year, rules.exact_per_capita(r.net_income, r.members, r.per_capita_net),
                rules.threshold_for(table, lines, r.year, province))
               for r in session.execute(incomes_stmt.where(i.household_id == record.household_id)
                                        .order_by(i.year.desc()).limit(rules.STABLE_INCOME_YEARS))]
    checks_stmt = selects.checks_full_select(everywhere)
    c = checks_stmt.selected_columns
    check = session.execute(checks_stmt.where(c.household_id == record.household_id)
                            .order_by(c.year.desc()).limit(1)).first()
    failures = None if check is None else check_failures(CheckFigures(
        check.food_ok, check.clothing_ok, check.education_ok, check.medical_ok, check.housing_ok,
        check.water_litres_per_person_day, check.water_trip_minutes, check.water_outage_days,
        check.water_quality_ok, check.water_short_area))
    measures = 0
    if record.identified_on is not None:
        m = selects.measures_select(everywhere)
        mc = m.selected_columns
        measures = session.scalar(select(func.count()).select_from(
            m.where(mc.household_id == record.household_id, mc.delivered_on >= record.identified_on).subquery())) or 0
    labour = selects.members_with_labour(session, record.household_id, rules.LABOUR_CAPACITIES)
    return rules.ClearingFacts(record.identified_on, incomes, None if check is None else check.year, failures,
                               int(measures), labour)


def measures_of(session: Session, household_id: int) -> list[Any]:
    m = selects.measures_select(Scope.everything())
    c = m.selected_columns
    return list(session.execute(m.where(c.household_id == household_id)
                                .order_by(c.delivered_on.desc(), c.id.desc())))


def counts_by_status(session: Session, scope: Scope) -> dict[tuple[str, str], int]:
    rows = session.execute(select(MonitoredHousehold.monitor_type, MonitoredHousehold.status, func.count())
                           .where(scope.condition(MonitoredHousehold.area_code))
                           .group_by(MonitoredHousehold.monitor_type, MonitoredHousehold.status))
    return {(r[0], r[1]): int(r[2]) for r in rows}
