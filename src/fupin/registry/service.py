"""Use cases of the registry: the only place households, members and their ledger are written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm.exc import StaleDataError

from fupin.areas.models import Area
from fupin.core.audit import AuditAction
from fupin.core.errors import Conflict, Invalid
from fupin.core.settings import get_settings
from fupin.core.uow import UnitOfWork
from fupin.registry import queries, schemas, vocab
from fupin.registry.idnumbers import id_hash
from fupin.registry.models import (
    HelpMeasure,
    Household,
    HouseholdCheck,
    HouseholdEvent,
    HouseholdIncome,
    Person,
    Visit,
)
from fupin.registry.rules import (
    EXIT_STEP_NAMES,
    IncomeFigures,
    exit_step_error,
    money,
    status_move_error,
)
from fupin.registry.validation import check_household, complete_person, parse_fields

PERSON_KEYS = ["id_number", "name", "relation", "sex", "birth_date", "ethnicity", "education", "schooling", "health",
               "disability_grade", "labour_capacity", "work_place", "months_worked", "medical_insurance",
               "pension_insurance", "minimum_allowance", "public_funded"]
STALE_MESSAGE = "记录已被他人修改(版本{sent},当前版本{current}),请刷新后重新填写;您的修改未保存"


def pii_key() -> bytes:
    return get_settings().resolved_secret_key().encode("utf-8")


def _first_error(errors: dict[str, str]) -> None:
    if errors:
        field, reason = next(iter(errors.items()))
        raise Invalid(reason, field=field)


def _check_version(sent: int | None, current: int) -> None:
    if sent is not None and sent != current:
        raise Conflict(STALE_MESSAGE.format(sent=sent, current=current))


def _snapshot(obj: Any, keys: list[str]) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in keys}


def validate_person(data: dict[str, Any], today: dt.date) -> dict[str, Any]:
    values, errors = parse_fields(data, PERSON_KEYS, today)
    complete_person(values, errors)
    _first_error(errors)
    return values


def _ensure_unique_person(uow: UnitOfWork, digest: str, household_no: str, exclude_person: int | None = None) -> None:
    stmt = (select(Household.household_no).join(Person, Person.household_id == Household.id)
            .where(Person.id_hash == digest, Person.active))
    if exclude_person is not None:
        stmt = stmt.where(Person.id != exclude_person)
    other = uow.session.scalar(stmt)
    if other is not None:
        where = "本户" if other == household_no else f"户{other}"
        raise Conflict(f"此人已在{where}中登记,不能同时登记在户{household_no}", field="id_number")


def _next_household_no(uow: UnitOfWork, area_code: str) -> str:
    village = area_code[:12]
    last = uow.session.scalar(select(func.max(Household.household_no))
                              .where(Household.household_no.like(f"{village}____")))
    sequence = int(last[-4:]) + 1 if last and last[-4:].isdigit() else 1
    return f"{village}{sequence:04d}"


def create_household(uow: UnitOfWork, data: schemas.HouseholdCreate, today: dt.date | None = None) -> Household:
    today = today or dt.date.today()
    raw = data.model_dump()
    raw["other_causes"] = "、".join(data.other_causes)
    values, errors = parse_fields(raw, ["area_code", "address", "phone", "poverty_attribute", "main_cause",
                                        "other_causes", "registration_year"], today)
    check_household(values, errors, today)
    _first_error(errors)
    area = uow.session.get(Area, values["area_code"])
    if area is None or not uow.scope.contains(area.code):
        raise Invalid(f"区划{values['area_code']}不存在或不在您的管辖范围内", field="area_code")
    if area.level not in ("village", "group"):
        raise Invalid("所在区划应为村(社区)或村民小组", field="area_code")
    members = [validate_person(m.model_dump(), today) for m in data.members]
    heads = [m for m in members if m["relation"] == "head"]
    if len(heads) != 1:
        raise Invalid("每户应有且只有一名户主", field="members")
    numbers = [m["id_number"] for m in members]
    if len(set(numbers)) != len(numbers):
        raise Invalid("同一户中身份证号重复", field="members")
    household_no = data.household_no or _next_household_no(uow, area.code)
    if uow.session.scalar(select(Household.id).where(Household.household_no == household_no)) is not None:
        raise Conflict(f"户编号{household_no}已存在", field="household_no")
    key = pii_key()
    for member in members:
        member["id_hash"] = id_hash(key, member["id_number"])
        _ensure_unique_person(uow, member["id_hash"], household_no)
    household = Household(
        county_code=area.code[:6], area_code=area.code, household_no=household_no, head_name=heads[0]["name"],
        address=values.get("address"), phone=values.get("phone"), poverty_attribute=values["poverty_attribute"],
        main_cause=values["main_cause"], other_causes=values.get("other_causes"),
        registration_year=values["registration_year"], status="identified", member_count=len(members),
    )
    uow.session.add(household)
    uow.session.flush()
    for member in members:
        uow.session.add(Person(household_id=household.id, county_code=household.county_code, area_code=area.code,
                               active=True, **member))
    uow.session.add(HouseholdEvent(household_id=household.id, area_code=area.code, kind="status", to_status="identified",
                                   happened_on=today, actor_name=uow.actor.name, note="建档立卡"))
    uow.session.flush()
    uow.audit(AuditAction.create, "households", household.id, area_code=area.code,
              after={"household_no": household_no, "head_name": household.head_name, "members": len(members),
                     "poverty_attribute": household.poverty_attribute, "main_cause": household.main_cause})
    return household


HOUSEHOLD_EDITABLE = ["address", "phone", "poverty_attribute", "main_cause", "other_causes", "has_vehicle",
                      "has_commercial_flat", "runs_business"]


def update_household(uow: UnitOfWork, household_id: int, data: schemas.HouseholdUpdate,
                     today: dt.date | None = None) -> Household:
    today = today or dt.date.today()
    household = queries.get_household(uow.session, household_id, uow.scope)
    _check_version(data.version, household.version)
    raw = data.model_dump(exclude_unset=True, exclude={"version"})
    if "other_causes" in raw and raw["other_causes"] is not None:
        raw["other_causes"] = "、".join(raw["other_causes"])
    keys = [k for k in HOUSEHOLD_EDITABLE if k in raw]
    values, errors = parse_fields(raw, keys, today, required=set())
    _first_error(errors)
    before = _snapshot(household, keys)
    for key in keys:
        setattr(household, key, values.get(key))
    household.updated_at = dt.datetime.now(dt.UTC)
    _flush_or_conflict(uow, data.version)
    uow.audit(AuditAction.update, "households", household.id, area_code=household.area_code, before=before,
              after=_snapshot(household, keys))
    return household


def _flush_or_conflict(uow: UnitOfWork, sent: int | None) -> None:
    try:
        uow.session.flush()
    except StaleDataError:
        raise Conflict(STALE_MESSAGE.format(sent=sent, current="?")) from None


def add_person(uow: UnitOfWork, household_id: int, data: schemas.PersonCreate, today: dt.date | None = None) -> Person:
    today = today or dt.date.today()
    household = queries.get_household(uow.session, household_id, uow.scope)
    values = validate_person(data.model_dump(), today)
    if values["relation"] == "head":
        raise Invalid("本户已有户主;更换户主请修改成员关系", field="relation")
    values["id_hash"] = id_hash(pii_key(), values["id_number"])
    _ensure_unique_person(uow, values["id_hash"], household.household_no)
    person = Person(household_id=household.id, county_code=household.county_code, area_code=household.area_code,
                    active=True, **values)
    uow.session.add(person)
    household.member_count += 1
    uow.session.flush()
    uow.audit(AuditAction.create, "persons", person.id, area_code=household.area_code,
              after={"name": person.name, "relation": person.relation, "id_number": person.id_number,
                     "household_no": household.household_no})
    return person


def update_person(uow: UnitOfWork, person_id: int, data: schemas.PersonUpdate, today: dt.date | None = None) -> Person:
    today = today or dt.date.today()
    person = queries.get_person(uow.session, person_id, uow.scope)
    _check_version(data.version, person.version)
    raw = data.model_dump(exclude_unset=True, exclude={"version"})
    keys = [k for k in PERSON_KEYS if k in raw and k not in ("id_number", "sex", "birth_date")]
    values, errors = parse_fields(raw, keys, today, required=set())
    _first_error(errors)
    before = _snapshot(person, keys)
    for key in keys:
        if values.get(key) is not None or key in ("disability_grade", "months_worked", "ethnicity"):
            setattr(person, key, values.get(key))
    _flush_or_conflict(uow, data.version)
    uow.audit(AuditAction.update, "persons", person.id, area_code=person.area_code, before=before,
              after=_snapshot(person, keys))
    return person


def remove_person(uow: UnitOfWork, person_id: int, reason: str, version: int) -> Person:
    """A member leaves the household (death, marriage out, …): kept as inactive, never deleted."""
    person = queries.get_person(uow.session, person_id, uow.scope)
    _check_version(version, person.version)
    if person.relation == "head":
        raise Invalid("不能移除户主;请先变更户主", field="relation")
    if not reason.strip():
        raise Invalid("请填写移除原因", field="reason")
    person.active = False
    household = uow.session.get(Household, person.household_id)
    household.member_count = max(0, household.member_count - 1)
    _flush_or_conflict(uow, version)
    uow.audit(AuditAction.update, "persons", person.id, area_code=person.area_code, before={"active": True},
              after={"active": False}, detail={"reason": reason})
    return person


def record_income(uow: UnitOfWork, household_id: int, data: schemas.IncomeCreate,
                  today: dt.date | None = None) -> HouseholdIncome:
    today = today or dt.date.today()
    household = queries.get_household(uow.session, household_id, uow.scope)
    if not 2013 <= data.year <= today.year:
        raise Invalid(f"收入年度应在2013年至{today.year}年之间", field="year")
    amounts = {}
    for key in ("wages", "production_income", "property_income", "transfer_income", "production_costs"):
        value = getattr(data, key)
        if value < 0:
            raise Invalid(f"{schemas_label(key)}不能为负数", field=key)
        amounts[key] = money(value)
    figures = IncomeFigures(**amounts, members=household.member_count)
    income = uow.session.scalar(select(HouseholdIncome).where(HouseholdIncome.household_id == household.id,
                                                              HouseholdIncome.year == data.year))
    if income is None:
        income = HouseholdIncome(household_id=household.id, county_code=household.county_code,
                                 area_code=household.area_code, year=data.year, members=household.member_count,
                                 net_income=figures.net, per_capita_net=figures.per_capita, **amounts)
        uow.session.add(income)
        uow.session.flush()
        uow.audit(AuditAction.create, "household_incomes", income.id, area_code=household.area_code,
                  after={"year": data.year, **amounts, "per_capita_net": figures.per_capita})
        return income
    _check_version(data.version, income.version)
    before = _snapshot(income, [*amounts, "members", "per_capita_net"])
    for key, value in amounts.items():
        setattr(income, key, value)
    income.members = household.member_count
    income.net_income = figures.net
    income.per_capita_net = figures.per_capita
    _flush_or_conflict(uow, data.version)
    uow.audit(AuditAction.update, "household_incomes", income.id, area_code=household.area_code, before=before,
              after=_snapshot(income, [*amounts, "members", "per_capita_net"]))
    return income


def schemas_label(key: str) -> str:
    from fupin.registry.rules import INCOME_FIELDS

    return INCOME_FIELDS.get(key, key)


CHECK_KEYS = ["checked_on", "food_ok", "clothing_ok", "education_ok", "medical_ok", "housing_ok",
              "water_litres_per_person_day", "water_trip_minutes", "water_outage_days", "water_quality_ok",
              "water_short_area", "checked_by", "note"]


def record_check(uow: UnitOfWork, household_id: int, data: schemas.CheckCreate,
                 today: dt.date | None = None) -> HouseholdCheck:
    today = today or dt.date.today()
    household = queries.get_household(uow.session, household_id, uow.scope)
    if data.checked_on > today:
        raise Invalid("核查日期不能晚于今天", field="checked_on")
    check = uow.session.scalar(select(HouseholdCheck).where(HouseholdCheck.household_id == household.id,
                                                            HouseholdCheck.year == data.year))
    values = {k: getattr(data, k) for k in CHECK_KEYS}
    if check is None:
        check = HouseholdCheck(household_id=household.id, county_code=household.county_code,
                               area_code=household.area_code, year=data.year, **values)
        uow.session.add(check)
        uow.session.flush()
        uow.audit(AuditAction.create, "household_checks", check.id, area_code=household.area_code,
                  after={"year": data.year, **values})
        return check
    _check_version(data.version, check.version)
    before = _snapshot(check, CHECK_KEYS)
    for key, value in values.items():
        setattr(check, key, value)
    _flush_or_conflict(uow, data.version)
    uow.audit(AuditAction.update, "household_checks", check.id, area_code=household.area_code, before=before,
              after=values)
    return check


def add_measure(uow: UnitOfWork, household_id: int, data: schemas.MeasureCreate,
                today: dt.date | None = None) -> HelpMeasure:
    today = today or dt.date.today()
    household = queries.get_household(uow.session, household_id, uow.scope)
    measure_type = vocab.code_of(vocab.MEASURE_TYPES, data.measure_type)
    if measure_type is None:
        raise Invalid(f"“{data.measure_type}”不是有效的帮扶措施类型", field="measure_type")
    if data.delivered_on > today:
        raise Invalid("日期不能晚于今天", field="delivered_on")
    measure = HelpMeasure(household_id=household.id, county_code=household.county_code,
                          area_code=household.area_code, measure_type=measure_type, description=data.description,
                          amount=None if data.amount is None else money(data.amount), delivered_on=data.delivered_on,
                          helper_name=data.helper_name or uow.actor.name)
    uow.session.add(measure)
    if household.status == "identified":
        _move_status(uow, household, "helped", today, "落实帮扶措施")
    uow.session.flush()
    uow.audit(AuditAction.create, "help_measures", measure.id, area_code=household.area_code,
              after={"measure_type": measure_type, "amount": measure.amount, "delivered_on": data.delivered_on})
    return measure


def add_visit(uow: UnitOfWork, household_id: int, data: schemas.VisitCreate, today: dt.date | None = None) -> Visit:
    today = today or dt.date.today()
    household = queries.get_household(uow.session, household_id, uow.scope)
    if data.visited_on > today:
        raise Invalid("走访日期不能晚于今天", field="visited_on")
    if not (data.found or data.done):
        raise Invalid("请至少填写“发现的问题”或“做了什么”", field="found")
    visit = Visit(household_id=household.id, county_code=household.county_code, area_code=household.area_code,
                  cadre_id=data.cadre_id, visitor_name=data.visitor_name or uow.actor.name, visited_on=data.visited_on,
                  found=data.found, done=data.done, created_by=uow.actor.user_id)
    uow.session.add(visit)
    uow.session.flush()
    uow.audit(AuditAction.create, "visits", visit.id, area_code=household.area_code,
              after={"visited_on": data.visited_on, "visitor_name": visit.visitor_name})
    return visit


def _move_status(uow: UnitOfWork, household: Household, target: str, on: dt.date, note: str | None) -> None:
    error = status_move_error(household.status, target)
    if error:
        raise Invalid(error, field="status")
    uow.session.add(HouseholdEvent(household_id=household.id, area_code=household.area_code, kind="status",
                                   from_status=household.status, to_status=target, happened_on=on,
                                   actor_name=uow.actor.name, note=note))
    before = household.status
    household.status = target
    household.updated_at = dt.datetime.now(dt.UTC)
    uow.audit(AuditAction.update, "households", household.id, area_code=household.area_code,
              before={"status": before}, after={"status": target})


def record_exit_step(uow: UnitOfWork, household_id: int, data: schemas.ExitStepCreate, year: int,
                     today: dt.date | None = None) -> HouseholdEvent:
    """One step of 民主评议 → 村内公示 → 乡镇审核 → 县级公告 → 销号; exited only after the last one."""
    today = today or dt.date.today()
    household = queries.get_household(uow.session, household_id, uow.scope)
    if data.happened_on > today:
        raise Invalid("日期不能晚于今天", field="happened_on")
    if household.status in ("exited", "monitored"):
        raise Invalid("该户已脱贫退出", field="step")
    done = queries.exit_steps_done(uow.session, household.id)
    evaluation = queries.evaluate_household(uow.session, household, year)
    error = exit_step_error(data.step, done, data.happened_on, evaluation.eligible)
    if error:
        raise Invalid(error, field="step")
    event = HouseholdEvent(household_id=household.id, area_code=household.area_code, kind="exit_step",
                           step=data.step, happened_on=data.happened_on, actor_name=uow.actor.name, note=data.note)
    uow.session.add(event)
    if data.step == "democratic_appraisal" and household.status != "exit_proposed":
        _move_status(uow, household, "exit_proposed", data.happened_on, "民主评议,拟退出")
    if data.step == "removal":
        _move_status(uow, household, "exited", data.happened_on, "销号,脱贫退出")
        household.exit_year = year
    uow.session.flush()
    uow.audit(AuditAction.create, "household_events", event.id, area_code=household.area_code,
              after={"step": data.step, "step_name": EXIT_STEP_NAMES[data.step], "happened_on": data.happened_on,
                     "year": year})
    return event


def change_status(uow: UnitOfWork, household_id: int, target: str, on: dt.date, note: str, version: int) -> Household:
    household = queries.get_household(uow.session, household_id, uow.scope)
    _check_version(version, household.version)
    if target == "exited":
        raise Invalid("脱贫退出须走完退出程序(民主评议→村内公示→乡镇审核→县级公告→销号)", field="status")
    _move_status(uow, household, target, on, note)
    _flush_or_conflict(uow, version)
    return household


def end_monitoring(uow: UnitOfWork, household_id: int, on: dt.date, note: str) -> Household:
    """A monitored household whose risk is cleared goes back to exited (the monitoring capability decides when)."""
    household = queries.get_household(uow.session, household_id, uow.scope)
    if household.status != "monitored":
        raise Invalid("该户不在监测中", field="status")
    _move_status(uow, household, "exited", on, note)
    uow.session.flush()
    return household


def rehash_ids(uow: UnitOfWork, new_key: bytes) -> int:
    """Every person's look-up hash under a new key, inside the caller's transaction (key rotation)."""
    table = Person.__table__
    rows = uow.session.execute(select(Person.id, Person.id_number)).all()
    statement = update(table).where(table.c.id == bindparam("person")).values(id_hash=bindparam("digest"))
    for start in range(0, len(rows), 5000):
        uow.session.execute(statement, [{"person": pid, "digest": id_hash(new_key, number)}
                                        for pid, number in rows[start:start + 5000]])
    return len(rows)


def set_poverty_line(uow: UnitOfWork, year: int, province_code: str, amount: Decimal, note: str | None) -> None:
    from fupin.registry.models import PovertyLine

    if uow.actor.role != "admin" and not (uow.actor.role == "county" and uow.scope.prefix[:2] == province_code):
        raise Invalid("只有管理员可以设置扶贫标准", field="province_code")
    if amount <= 0:
        raise Invalid("扶贫标准应为正数", field="amount")
    line = uow.session.get(PovertyLine, (year, province_code))
    national = uow.session.get(PovertyLine, (year, "00"))
    if province_code != "00" and national is not None and amount < national.amount:
        raise Invalid(f"省定标准不能低于国家标准{national.amount}元", field="amount")
    before = {"amount": line.amount} if line else None
    if line is None:
        line = PovertyLine(year=year, province_code=province_code, amount=money(amount), note=note)
        uow.session.add(line)
    else:
        line.amount = money(amount)
        line.note = note
    uow.session.flush()
    uow.audit(AuditAction.update if before else AuditAction.create, "poverty_lines", f"{year}-{province_code}",
              before=before, after={"amount": money(amount)})
