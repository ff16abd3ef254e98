"""Use cases of monitoring: the only place monitoring records are written. Registry status moves and help
measures go through the registry's own service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from fupin.core.audit import AuditAction
from fupin.core.errors import Conflict, Invalid
from fupin.core.uow import UnitOfWork
from fupin.monitoring import queries, rules
from fupin.monitoring.models import MonitoredHousehold, MonitoringStep, MonitoringThreshold
from fupin.registry import queries as registry_queries
from fupin.registry import schemas as registry_schemas
from fupin.registry import service as registry_service
from fupin.registry.models import HelpMeasure
from fupin.registry.rules import money
from fupin.registry.vocab import ACTIVE_POOR_STATUSES

STALE = "记录已被他人修改(版本{sent},当前版本{current}),请刷新后重新操作"


def _risk_codes(risk_types: list[str]) -> list[str]:
    codes: list[str] = []
    for raw in risk_types:
        text = (raw or "").strip()
        code = text if text in rules.RISK_TYPES else {v: k for k, v in rules.RISK_TYPES.items()}.get(text)
        if code is None:
            raise Invalid(f"“{text}”不是有效的风险类型", field="risk_types")
        if code not in codes:
            codes.append(code)
    if not codes:
        raise Invalid("请至少选择一种风险类型", field="risk_types")
    return codes


def start_monitoring(uow: UnitOfWork, household_id: int, *, monitor_type: str, risk_types: list[str], channel: str,
                     clue_on: dt.date, note: str | None = None, today: dt.date | None = None) -> MonitoredHousehold:
    """Open a monitoring record from a clue (a proposal, a self-report, a department alert): the procedure starts."""
    today = today or dt.date.today()
    household = registry_queries.get_household(uow.session, household_id, uow.scope)
    if monitor_type not in rules.MONITOR_TYPES:
        raise Invalid(f"“{monitor_type}”不是有效的监测对象类型", field="monitor_type")
    if channel not in rules.CHANNELS:
        raise Invalid(f"“{channel}”不是有效的发现途径", field="channel")
    codes = _risk_codes(risk_types)
    if clue_on > today:
        raise Invalid("发现线索日期不能晚于今天", field="clue_on")
    if household.status in ACTIVE_POOR_STATUSES:
        raise Invalid("该户为未脱贫户,按建档立卡贫困户帮扶,不纳入防返贫监测", field="household_id")
    if queries.open_record_of(uow.session, household.id) is not None:
        raise Conflict("该户已在监测认定或监测帮扶中")
    if note and len(note) > 500:
        raise Invalid("备注不超过500字", field="note")
    record = MonitoredHousehold(household_id=household.id, county_code=household.county_code,
                                area_code=household.area_code, monitor_type=monitor_type, risk_types=",".join(codes),
                                channel=channel, clue_on=clue_on, status="identifying", note=note)
    uow.session.add(record)
    uow.session.flush()
    uow.audit(AuditAction.create, "monitored_households", record.id, area_code=household.area_code,
              after={"household_id": household.id, "monitor_type": monitor_type, "risk_types": record.risk_types,
                     "channel": channel, "clue_on": clue_on})
    return record


def record_step(uow: UnitOfWork, monitored_id: int, step: str, happened_on: dt.date, note: str | None = None,
                today: dt.date | None = None) -> MonitoringStep:
    """One step of 入户核实 → 民主评议 → 村内公示(≥5天) → 乡镇审核确定; monitored after the last one."""
    today = today or dt.date.today()
    record = queries.get_monitored(uow.session, monitored_id, uow.scope)
    if record.status != "identifying":
        raise Invalid("认定程序已完成", field="step")
    error = rules.step_error(step, queries.steps_done(uow.session, record.id), happened_on, record.clue_on, today)
    if error:
        raise Invalid(error, field="step")
    event = MonitoringStep(monitored_id=record.id, area_code=record.area_code, step=step, happened_on=happened_on,
                           actor_name=uow.actor.name, note=note)
    uow.session.add(event)
    if step == "approval":
        record.status = "monitored"
        record.identified_on = happened_on
        household = registry_queries.get_household(uow.session, record.household_id, uow.scope)
        # Only exited households move to 'monitored' in the registry (the registry's allowed move); a household
        # already 'monitored' stays so.
        if household.status == "exited":
            registry_service.change_status(uow, household.id, "monitored", happened_on,
                                           f"纳入防返贫监测({rules.MONITOR_TYPES[record.monitor_type]})",
                                           household.version)
    uow.session.flush()
    uow.audit(AuditAction.create, "monitoring_steps", event.id, area_code=record.area_code,
              after={"monitored_id": record.id, "step": step, "step_name": rules.STEP_NAMES[step],
                     "happened_on": happened_on,
                     "overdue": step == "approval" and rules.overdue(record.clue_on, happened_on, today)})
    return event


def add_measure(uow: UnitOfWork, monitored_id: int, data: registry_schemas.MeasureCreate,
                today: dt.date | None = None) -> HelpMeasure:
    record = queries.get_monitored(uow.session, monitored_id, uow.scope)
    if record.status == "cleared":
        raise Invalid("风险已消除,如需帮扶请重新纳入监测", field="measure_type")
    return registry_service.add_measure(uow, record.household_id, data, today=today)


def clear_risk(uow: UnitOfWork, monitored_id: int, on: dt.date, version: int | None = None, note: str | None = None,
               today: dt.date | None = None) -> MonitoredHousehold:
    """Mark the risk cleared (风险消除) — refused with every failing condition."""
    today = today or dt.date.today()
    record = queries.get_monitored(uow.session, monitored_id, uow.scope)
    if version is not None and version != record.version:
        raise Conflict(STALE.format(sent=version, current=record.version))
    if record.status == "cleared":
        raise Invalid("风险已消除", field="status")
    if on > today:
        raise Invalid("日期不能晚于今天", field="cleared_on")
    refusals = rules.clearing_refusals(queries.clearing_facts(uow.session, record), on)
    if refusals:
        raise Invalid("不能标注风险消除:" + ";".join(refusals), field="status")
    record.status = "cleared"
    record.cleared_on = on
    if note:
        record.note = ((record.note or "") + ";" + note)[-500:].lstrip(";")
    household = registry_queries.get_household(uow.session, record.household_id, uow.scope)
    if household.status == "monitored":
        registry_service.end_monitoring(uow, household.id, on, "风险消除,结束监测")
    uow.session.flush()
    uow.audit(AuditAction.update, "monitored_households", record.id, area_code=record.area_code,
              before={"status": "monitored"}, after={"status": "cleared", "cleared_on": on})
    return record


def set_threshold(uow: UnitOfWork, year: int, amount: Decimal | str, province_code: str = rules.NATIONAL,
                  note: str | None = None) -> MonitoringThreshold:
    if uow.actor.role != "admin":
        raise Invalid("只有管理员可以设置监测标准", field="province_code")
    if not 2021 <= year <= 2100:
        raise Invalid("监测标准年度应在2021年至2100年之间", field="year")
    if len(province_code) != 2 or not province_code.isdigit():
        raise Invalid("省级代码应为两位数字;全国为00", field="province_code")
    try:
        value = Decimal(str(amount).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise Invalid(f"“{amount}”不是数字", field="amount") from None
    if not value.is_finite() or value <= 0 or value > Decimal("1000000"):
        raise Invalid("监测标准应为正数且不超过100万元", field="amount")
    national = uow.session.get(MonitoringThreshold, (year, rules.NATIONAL))
    if province_code != rules.NATIONAL and national is not None and value < national.amount:
        raise Invalid(f"省定监测标准不能低于全国标准{national.amount}元", field="amount")
    row = uow.session.get(MonitoringThreshold, (year, province_code))
    before = None if row is None else {"amount": row.amount}
    if row is None:
        row = MonitoringThreshold(year=year, province_code=province_code, amount=money(value), note=note)
        uow.session.add(row)
    else:
        row.amount, row.note = money(value), note
    uow.session.flush()
    uow.audit(AuditAction.update if before else AuditAction.create, "monitoring_thresholds",
              f"{year}-{province_code}", before=before, after={"amount": money(value)})
    return row
