"""Read side of monitoring. `monitored_select(scope)` is the building block for indicators; `warnings` runs the
early-warning rules set-based over the registry (one query per signal, never one per household)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from fupin.core.errors import NotFound
from fupin.core.scoping import Scope
from fupin.monitoring import rules
from fupin.monitoring.models import MonitoredHousehold, MonitoringStep, MonitoringThreshold
from fupin.registry.models import HelpMeasure, Household, HouseholdCheck, HouseholdIncome, Person, Visit
from fupin.registry.queries import poverty_lines
from fupin.registry.rules import CheckFigures, check_failures


def monitored_select(scope: Scope) -> Select:
    """Monitoring records in the scope: household_id, area_code, county_code, monitor_type, status
    ('identifying'|'monitored'|'cleared'), identified_on, cleared_on."""
    return select(MonitoredHousehold.household_id, MonitoredHousehold.area_code, MonitoredHousehold.county_code,
                  MonitoredHousehold.monitor_type, MonitoredHousehold.status, MonitoredHousehold.identified_on,
                  MonitoredHousehold.cleared_on).where(scope.condition(MonitoredHousehold.area_code))


def get_monitored(session: Session, monitored_id: int, scope: Scope) -> MonitoredHousehold:
    record = session.get(MonitoredHousehold, monitored_id)
    if record is None or not scope.contains(record.area_code):
        raise NotFound("监测户", monitored_id)
    return record


def open_record_of(session: Session, household_id: int) -> MonitoredHousehold | None:
    return session.scalar(select(MonitoredHousehold).where(MonitoredHousehold.household_id == household_id,
                                                           MonitoredHousehold.status.in_(rules.OPEN_STATUSES)))


@dataclass
class MonitoredRow:
    record: MonitoredHousehold
    household_no: str
    head_name: str


def list_monitored(session: Session, scope: Scope, *, status: str | None = None, monitor_type: str | None = None,
                   risk: str | None = None, area: str | None = None, limit: int = 100,
                   offset: int = 0) -> list[MonitoredRow]:
    scope = scope.narrowed_to(area) if area else scope
    stmt = (select(MonitoredHousehold, Household.household_no, Household.head_name)
            .join(Household, Household.id == MonitoredHousehold.household_id)
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
    rows = session.execute(
        select(MonitoredHousehold, Household.head_name, started.c.happened_on)
        .join(started, started.c.monitored_id == MonitoredHousehold.id)
        .join(Household, Household.id == MonitoredHousehold.household_id)
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


# ---------------------------------------------------------------- early warning


@dataclass
class Proposal:
    """A household the rules propose for checking; a person decides whether to start identification."""

    household_id: int
    household_no: str
    head_name: str
    area_code: str
    status: str
    reasons: dict[str, str] = field(default_factory=dict)  # rule code → Chinese reason


def _latest_per_household(model, scope: Scope, column):  # type: ignore[no-untyped-def]
    return (select(model.household_id, func.max(column).label("latest"))
            .where(scope.condition(model.area_code)).group_by(model.household_id).subquery())


def warnings(session: Session, scope: Scope, *, as_of: dt.date, factor: Decimal = rules.DEFAULT_WARNING_FACTOR,
             recent_days: int = 180, limit: int | None = None) -> list[Proposal]:
    """Households not poor now (exited or monitored) without an open monitoring record, which a rule flags."""
    def candidates(household_id):  # type: ignore[no-untyped-def]
        # Correlated EXISTS / NOT EXISTS: the planner makes hash semi- and anti-joins of them on both databases.
        not_poor = select(Household.id).where(Household.id == household_id,
                                              Household.status.in_(("exited", "monitored"))).exists()
        open_record = select(MonitoredHousehold.id).where(MonitoredHousehold.household_id == household_id,
                                                          MonitoredHousehold.status.in_(rules.OPEN_STATUSES)).exists()
        return not_poor & ~open_record

    found: dict[int, dict[str, str]] = {}

    def flag(household_id: int, rule: str, reason: str | None) -> None:
        if reason:
            found.setdefault(household_id, {})[rule] = reason

    # Income: the latest year recorded.
    latest = _latest_per_household(HouseholdIncome, scope, HouseholdIncome.year)
    table, lines = thresholds(session), poverty_lines(session)
    rows = session.execute(
        select(HouseholdIncome.household_id, HouseholdIncome.area_code, HouseholdIncome.year,
               HouseholdIncome.per_capita_net)
        .join(latest, (latest.c.household_id == HouseholdIncome.household_id)
              & (latest.c.latest == HouseholdIncome.year))
        .where(candidates(HouseholdIncome.household_id)))
    for r in rows:
        flag(r.household_id, "low_income", rules.low_income_warning(
            r.per_capita_net, r.year, rules.threshold_for(table, lines, r.year, r.area_code[:2]), factor))

    # Serious illness or disability among the active members.
    ill = func.sum(case((Person.health == "serious", 1), else_=0))
    disabled = func.sum(case((or_(Person.health == "disabled", Person.disability_grade.is_not(None)), 1), else_=0))
    rows = session.execute(
        select(Person.household_id, ill.label("ill"), disabled.label("disabled"))
        .where(scope.condition(Person.area_code), Person.active, candidates(Person.household_id),
               or_(Person.health.in_(("serious", "disabled")), Person.disability_grade.is_not(None)))
        .group_by(Person.household_id))
    for r in rows:
        flag(r.household_id, "illness_disability", rules.illness_disability_warning(int(r.ill or 0),
                                                                                      int(r.disabled or 0)))

    # A job ended: employed last year, nobody employed this year (employment capability, if built).
    for household_id, before, now in _employment_change(session, scope, as_of.year, candidates):
        flag(household_id, "job_ended", rules.job_ended_warning(before, now, as_of.year))

    # Disaster recorded in a recent visit.
    since = as_of - dt.timedelta(days=recent_days)
    rows = session.execute(
        select(Visit.household_id, Visit.visited_on, Visit.found)
        .where(scope.condition(Visit.area_code), Visit.visited_on >= since, Visit.visited_on <= as_of,
               candidates(Visit.household_id),
               or_(*[Visit.found.contains(word) for word in rules.DISASTER_WORDS]))
        .order_by(Visit.household_id, Visit.visited_on))
    for r in rows:
        flag(r.household_id, "disaster", rules.disaster_warning(r.visited_on, r.found))

    # Housing unsafe in the latest check.
    latest_check = _latest_per_household(HouseholdCheck, scope, HouseholdCheck.year)
    rows = session.execute(
        select(HouseholdCheck.household_id, HouseholdCheck.year, HouseholdCheck.housing_ok)
        .join(latest_check, (latest_check.c.household_id == HouseholdCheck.household_id)
              & (latest_check.c.latest == HouseholdCheck.year))
        .where(candidates(HouseholdCheck.household_id), HouseholdCheck.housing_ok.is_(False)))
    for r in rows:
        flag(r.household_id, "housing_unsafe", rules.housing_warning(r.housing_ok, r.year))

    ids = sorted(found)
    if limit is not None:
        ids = ids[:limit]
    proposals: list[Proposal] = []
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        for h in session.execute(select(Household.id, Household.household_no, Household.head_name,
                                        Household.area_code, Household.status).where(Household.id.in_(chunk))):
            proposals.append(Proposal(h.id, h.household_no, h.head_name, h.area_code, h.status, found[h.id]))
    proposals.sort(key=lambda p: (p.area_code, p.household_id))
    return proposals


def _employment_change(session: Session, scope: Scope, year: int, candidates) -> list[tuple[int, int, int]]:  # type: ignore[no-untyped-def]
    try:
        from fupin.employment.queries import employed_persons_subquery
    except ImportError:  # employment not installed: the rule stays silent rather than guessing
        return []
    last_year = employed_persons_subquery(scope, year - 1)
    this_year = employed_persons_subquery(scope, year)
    before = (select(last_year.c.household_id, func.count().label("n")).group_by(last_year.c.household_id)
              .subquery())
    now = (select(this_year.c.household_id, func.count().label("n")).group_by(this_year.c.household_id)
           .subquery())
    rows = session.execute(
        select(before.c.household_id, before.c.n, func.coalesce(now.c.n, 0))
        .outerjoin(now, now.c.household_id == before.c.household_id)
        .where(candidates(before.c.household_id), now.c.household_id.is_(None)))
    return [(int(r[0]), int(r[1]), int(r[2])) for r in rows]


# ---------------------------------------------------------------- risk clearing


def clearing_facts(session: Session, record: MonitoredHousehold) -> rules.ClearingFacts:
    table, lines = thresholds(session), poverty_lines(session)
    province = record.area_code[:2]
    incomes = [(i.year, i.per_capita_net, rules.threshold_for(table, lines, i.year, province))
               for i in session.scalars(select(HouseholdIncome).where(HouseholdIncome.household_id == record.household_id)
                                        .order_by(HouseholdIncome.year.desc()).limit(rules.STABLE_INCOME_YEARS))]
    check = session.scalar(select(HouseholdCheck).where(HouseholdCheck.household_id == record.household_id)
                           .order_by(HouseholdCheck.year.desc()).limit(1))
    failures = None if check is None else check_failures(CheckFigures(
        check.food_ok, check.clothing_ok, check.education_ok, check.medical_ok, check.housing_ok,
        check.water_litres_per_person_day, check.water_trip_minutes, check.water_outage_days,
        check.water_quality_ok, check.water_short_area))
    measures = 0
    if record.identified_on is not None:
        measures = session.scalar(select(func.count()).select_from(HelpMeasure).where(
            HelpMeasure.household_id == record.household_id, HelpMeasure.delivered_on >= record.identified_on)) or 0
    labour = session.scalar(select(func.count()).select_from(Person).where(
        Person.household_id == record.household_id, Person.active,
        Person.labour_capacity.in_(rules.LABOUR_CAPACITIES))) or 0
    return rules.ClearingFacts(record.identified_on, incomes, None if check is None else check.year, failures,
                               int(measures), int(labour))


def measures_of(session: Session, household_id: int) -> list[HelpMeasure]:
    return list(session.scalars(select(HelpMeasure).where(HelpMeasure.household_id == household_id)
                                .order_by(HelpMeasure.delivered_on.desc(), HelpMeasure.id.desc())))


def counts_by_status(session: Session, scope: Scope) -> dict[tuple[str, str], int]:
    rows = session.execute(select(MonitoredHousehold.monitor_type, MonitoredHousehold.status, func.count())
                           .where(scope.condition(MonitoredHousehold.area_code))
                           .group_by(MonitoredHousehold.monitor_type, MonitoredHousehold.status))
    return {(r[0], r[1]): int(r[2]) for r in rows}
