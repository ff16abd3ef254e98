"""Use cases of monitoring: the only place monitoring records are written. Registry status moves and help
measures go through the registry's own service (composed: its `with uow:` joins this one's transaction).

Each use case opens the caller's unit of work and asks the permission table first. The procedure belongs to
levels: the village verifies, appraises and publicises; the township approves and clears the risk. Every step is
recorded exactly once under concurrent requests: the record's row is held (FOR UPDATE on PostgreSQL; SQLite's
writing transaction excludes other writers) while its steps are checked, and the (record, step) and "one open
record per household" unique keys refuse what would slip through; the loser gets 409.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from fupin.core.audit import AuditAction
from fupin.core.db import bulk_insert, utcnow
from fupin.core.errors import FupinError
from fupin.core.uow import UnitOfWork
from fupin.monitoring import errors, queries, rules
from fupin.monitoring.models import MonitoredHousehold, MonitoringStep, MonitoringThreshold
from fupin.monitoring.schemas import MeasureForm
from fupin.registry import queries as registry_queries
from fupin.registry import schemas as registry_schemas
from fupin.registry import service as registry_service
from fupin.registry.rules import money
from fupin.registry.vocab import ACTIVE_POOR_STATUSES

RISK_CODES_BY_NAME = {name: code for code, name in rules.RISK_TYPES.items()}


def _risk_codes(risk_types: list[str]) -> list[str]:
    codes: list[str] = []
    for raw in risk_types:
        text = (raw or "").strip()
        code = text if text in rules.RISK_TYPES else RISK_CODES_BY_NAME.get(text)
        if code is None:
            raise errors.UNKNOWN_RISK(field="risk_types", value=text)
        if code not in codes:
            codes.append(code)
    if not codes:
        raise errors.RISK_REQUIRED(field="risk_types")
    return codes


def _held(uow: UnitOfWork, monitored_id: int) -> MonitoredHousehold:
    """The record, held for the rest of the transaction; NotFound outside the caller's scope."""
    record = uow.session.execute(uow.locked(select(MonitoredHousehold).where(
        MonitoredHousehold.id == monitored_id))).scalar_one_or_none()
    if record is None or not uow.scope.contains(record.area_code):
        raise errors.NOT_FOUND(key=monitored_id)
    return record


def start_monitoring(uow: UnitOfWork, household_id: int, *, monitor_type: str, risk_types: list[str], channel: str,
                     clue_on: dt.date, note: str | None = None, today: dt.date | None = None) -> MonitoredHousehold:
    """Open a monitoring record from a clue (a proposal, a self-report, a department alert): the procedure starts."""
    today = today or dt.date.today()
    with uow:
        uow.require("monitoring.start")
        if monitor_type not in rules.MONITOR_TYPES:
            raise errors.UNKNOWN_TYPE(field="monitor_type", value=monitor_type)
        if channel not in rules.CHANNELS:
            raise errors.UNKNOWN_CHANNEL(field="channel", value=channel)
        codes = _risk_codes(risk_types)
        if clue_on > today:
            raise errors.CLUE_IN_FUTURE(field="clue_on")
        household = registry_queries.get_household(uow.session, household_id, uow.scope)
        if household.status in ACTIVE_POOR_STATUSES:
            raise errors.STILL_POOR(field="household_id")
        if queries.open_record_of(uow.session, household.id) is not None:
            raise errors.ALREADY_MONITORED(field="household_id")
        record = MonitoredHousehold(household_id=household.id, county_code=household.county_code,
                                    area_code=household.area_code, monitor_type=monitor_type,
                                    risk_types=",".join(codes), channel=channel, clue_on=clue_on,
                                    status="identifying", note=note)
        uow.session.add(record)
        uow.flush()  # a concurrent start for the same household loses here (one open record per household)
        uow.audit(AuditAction.create, "monitored_households", record.id, area_code=household.area_code,
                  after={"household_id": household.id, "monitor_type": monitor_type,
                         "risk_types": record.risk_types, "channel": channel, "clue_on": clue_on})
        return record


def start_monitoring_many(uow: UnitOfWork, starts: list[tuple[int, str, list[str], dt.date]], *, channel: str,
                          note: str | None = None, today: dt.date | None = None) -> int:
    """Open monitoring records for many households at once (household id, type, risks, clue date) — a national
    export brought in by the registry import. The same rules as `start_monitoring`; a household outside the
    scope, still poor, or with an open record already is left as it is (not an error: a second import of the
    same export starts nothing). One audit row for the load. Returns the records opened."""
    today = today or dt.date.today()
    with uow:
        uow.require("monitoring.start")
        if channel not in rules.CHANNELS:
            raise errors.UNKNOWN_CHANNEL(field="channel", value=channel)
        wanted: dict[int, tuple[str, str, dt.date]] = {}
        for household_id, monitor_type, risk_types, clue_on in starts:
            if monitor_type not in rules.MONITOR_TYPES:
                raise errors.UNKNOWN_TYPE(field="monitor_type", value=monitor_type)
            if clue_on > today:
                raise errors.CLUE_IN_FUTURE(field="clue_on")
            wanted[household_id] = (monitor_type, ",".join(_risk_codes(risk_types)), clue_on)
        if not wanted:
            return 0
        ids = sorted(wanted)
        households: dict[int, tuple[str, str, str]] = {}
        open_ids: set[int] = set()
        for start in range(0, len(ids), 5000):
            chunk = ids[start:start + 5000]
            stmt = registry_queries.households_select(uow.scope)
            stmt = stmt.where(stmt.selected_columns.id.in_(chunk))
            for row in uow.session.execute(stmt).all():
                households[row.id] = (row.county_code, row.area_code, row.status)
            open_ids.update(uow.session.scalars(select(MonitoredHousehold.household_id).where(
                MonitoredHousehold.household_id.in_(chunk), MonitoredHousehold.status.in_(rules.OPEN_STATUSES))))
        now = utcnow()
        rows = [(household_id, county, area, monitor_type, risks, channel, clue_on, "identifying", note, now, 1)
                for household_id, (monitor_type, risks, clue_on) in sorted(wanted.items())
                if household_id in households and household_id not in open_ids
                for county, area, status in [households[household_id]] if status not in ACTIVE_POOR_STATUSES]
        bulk_insert(uow.session.connection(), MonitoredHousehold.__table__,
                    ["household_id", "county_code", "area_code", "monitor_type", "risk_types", "channel", "clue_on",
                     "status", "note", "created_at", "version"], rows)
        if rows:
            uow.audit(AuditAction.imported, "monitored_households", None,
                      area_code=uow.scope.prefix.ljust(12, "0") if uow.scope.prefix else None,
                      detail={"records": len(rows), "channel": channel, "note": note})
        return len(rows)


def _step_refused(problem: rules.StepProblem) -> FupinError:
    name = rules.STEP_NAMES.get(problem.step, problem.step)
    day = problem.day.isoformat() if problem.day else ""
    match problem.kind:
        case "done":
            return errors.PROCEDURE_DONE(field="step")
        case "recorded":
            return errors.STEP_RECORDED(field="step", step=name)
        case "order":
            return errors.STEP_OUT_OF_ORDER(field="step", expected=rules.STEP_NAMES[problem.expected or ""])
        case "future":
            return errors.STEP_IN_FUTURE(field="happened_on")
        case "before_clue":
            return errors.STEP_BEFORE_CLUE(field="happened_on", day=day)
        case "before_previous":
            return errors.STEP_BEFORE_PREVIOUS(field="happened_on")
        case "publicity":
            return errors.PUBLICITY_TOO_SHORT(field="happened_on", days=rules.PUBLICITY_DAYS, day=day)
    return errors.UNKNOWN_STEP(field="step", step=problem.step)


def record_step(uow: UnitOfWork, monitored_id: int, step: str, happened_on: dt.date, note: str | None = None,
                today: dt.date | None = None) -> MonitoringStep:
    """One step of 入户核实 → 民主评议 → 村内公示(≥5天) → 乡镇审核确定; monitored after the last one."""
    today = today or dt.date.today()
    if step not in rules.STEP_NAMES:
        raise errors.UNKNOWN_STEP(field="step", step=step)
    with uow:
        uow.require(f"monitoring.step.{step}")
        record = _held(uow, monitored_id)
        if record.status != "identifying":
            raise errors.PROCEDURE_DONE(field="step")
        problem = rules.step_error(step, queries.steps_done(uow.session, record.id), happened_on, record.clue_on,
                                   today)
        if problem is not None:
            raise _step_refused(problem)
        event = MonitoringStep(monitored_id=record.id, area_code=record.area_code, step=step,
                               happened_on=happened_on, actor_name=uow.actor.name, note=note)
        uow.session.add(event)
        uow.flush()  # the (record, step) unique key: a step slipping past the lock is refused here
        if step == "approval":
            record.status = "monitored"
            record.identified_on = happened_on
            household = registry_queries.get_household(uow.session, record.household_id, uow.scope)
            # Only exited households move to 'monitored' in the registry (the registry's allowed move); a
            # household already 'monitored' stays so.
            if household.status == "exited":
                registry_service.change_status(uow, household.id, "monitored", happened_on,
                                               f"纳入防返贫监测({rules.MONITOR_TYPES[record.monitor_type]})",
                                               household.version)
            uow.flush()
        uow.audit(AuditAction.create, "monitoring_steps", event.id, area_code=record.area_code,
                  after={"monitored_id": record.id, "step": step, "step_name": rules.STEP_NAMES[step],
                         "happened_on": happened_on,
                         "overdue": step == "approval" and rules.overdue(record.clue_on, happened_on, today)})
        return event


def add_measure(uow: UnitOfWork, monitored_id: int, data: MeasureForm | registry_schemas.MeasureCreate,
                today: dt.date | None = None):  # type: ignore[no-untyped-def]
    """A help measure for the monitored household, recorded in its registry ledger."""
    with uow:
        uow.require("monitoring.measure.add")
        record = _held(uow, monitored_id)
        if record.status == "cleared":
            raise errors.MEASURE_AFTER_CLEARING(field="measure_type")
        measure = registry_schemas.MeasureCreate(**data.model_dump())
        return registry_service.add_measure(uow, record.household_id, measure, today=today)


def clear_risk(uow: UnitOfWork, monitored_id: int, on: dt.date, version: int | None = None, note: str | None = None,
               today: dt.date | None = None) -> MonitoredHousehold:
    """Mark the risk cleared (风险消除) — refused with every failing condition."""
    today = today or dt.date.today()
    with uow:
        uow.require("monitoring.risk.clear")
        record = _held(uow, monitored_id)
        if record.status == "cleared":
            raise errors.ALREADY_CLEARED(field="status")
        if version is not None and version != record.version:
            raise errors.STALE(field="version", sent=version, current=record.version)
        if record.status != "monitored":
            raise errors.NOT_IDENTIFIED(field="status")
        if on > today:
            raise errors.CLEARED_IN_FUTURE(field="cleared_on")
        refusals = rules.clearing_refusals(queries.clearing_facts(uow.session, record), on)
        if refusals:
            raise errors.NOT_CLEARABLE(field="status", reasons=";".join(refusals))
        record.status = "cleared"
        record.cleared_on = on
        if note:
            record.note = ((record.note or "") + ";" + note)[-500:].lstrip(";")
        household = registry_queries.get_household(uow.session, record.household_id, uow.scope)
        if household.status == "monitored":
            registry_service.end_monitoring(uow, household.id, on, "风险消除,结束监测")
        uow.flush()
        uow.audit(AuditAction.update, "monitored_households", record.id, area_code=record.area_code,
                  before={"status": "monitored"}, after={"status": "cleared", "cleared_on": on})
        return record


def _covers(uow: UnitOfWork, province_code: str) -> bool:
    """The whole country ("00") or the whole province lies inside the caller's scope."""
    prefix = uow.scope.prefix
    return prefix == "" if province_code == rules.NATIONAL else province_code.startswith(prefix) and len(prefix) <= 2


def set_threshold(uow: UnitOfWork, year: int, amount: Decimal | str, province_code: str = rules.NATIONAL,
                  note: str | None = None) -> MonitoringThreshold:
    """The monitoring threshold of a year, for the country ("00") or a province, set from a scope covering it."""
    with uow:
        uow.require("monitoring.threshold.set")
        if not 2021 <= year <= 2100:
            raise errors.THRESHOLD_YEAR(field="year")
        if len(province_code) != 2 or not province_code.isdigit():
            raise errors.THRESHOLD_PROVINCE(field="province_code")
        if not _covers(uow, province_code):
            raise errors.THRESHOLD_SCOPE(field="province_code",
                                         where="全国" if province_code == rules.NATIONAL else "省")
        try:
            value = Decimal(str(amount).replace(",", "").strip())
        except (InvalidOperation, ValueError):
            raise errors.THRESHOLD_NOT_NUMBER(field="amount", value=amount) from None
        if not value.is_finite() or value <= 0 or value > Decimal("1000000"):
            raise errors.THRESHOLD_AMOUNT(field="amount")
        national = uow.session.get(MonitoringThreshold, (year, rules.NATIONAL))
        if province_code != rules.NATIONAL and national is not None and value < national.amount:
            raise errors.THRESHOLD_BELOW_NATIONAL(field="amount", amount=national.amount)
        row = uow.session.execute(uow.locked(select(MonitoringThreshold).where(
            MonitoringThreshold.year == year, MonitoringThreshold.province_code == province_code)
        )).scalar_one_or_none()
        before = None if row is None else {"amount": row.amount}
        if row is None:
            row = MonitoringThreshold(year=year, province_code=province_code, amount=money(value), note=note)
            uow.session.add(row)
        else:
            row.amount, row.note = money(value), note
        uow.flush()
        uow.audit(AuditAction.update if before else AuditAction.create, "monitoring_thresholds",
                  f"{year}-{province_code}", before=before, after={"amount": money(value)})
        return row
