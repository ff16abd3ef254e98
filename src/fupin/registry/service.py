"""Use cases of the registry: the only place households, members and their ledger are written.

Every use case owns its unit of work (`with uow:`), asks the permission table first (`uow.require`), and is
race-free on both databases: ledger writes hold the household's row (`FOR UPDATE` on PostgreSQL; SQLite writers
take turns under BEGIN IMMEDIATE), so an upsert of a new year creates one row and the racers behind it update
it, and an exit step is recorded once while its racers get 409. Household numbers are allocated inside a
savepoint and retried when a concurrent creation took the same number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError

from fupin.areas.queries import levels_of
from fupin.core import errors as core_errors
from fupin.core.audit import AuditAction
from fupin.core.errors import NotFound
from fupin.core.importing import ImportMode
from fupin.core.settings import get_settings
from fupin.core.uow import UnitOfWork
from fupin.registry import errors, queries, schemas, vocab
from fupin.registry.fields import NATIONAL_HOUSEHOLD_KEYS, PERSON_FIELDS
from fupin.registry.idnumbers import id_hash
from fupin.registry.models import (
    HelpMeasure,
    Household,
    HouseholdCheck,
    HouseholdEvent,
    HouseholdIncome,
    Person,
    PovertyLine,
    Visit,
)
from fupin.registry.rules import (
    EXIT_STEP_ACTIONS,
    EXIT_STEP_NAMES,
    INCOME_FIELDS,
    TRANSFER_PARTS,
    IncomeFigures,
    Problem,
    amount_problem,
    area_problem,
    exit_step_problem,
    head_problem,
    holder_problem,
    household_no_problem,
    land_problem,
    member_detail_problems,
    money,
    name_initials,
    not_in_future,
    raise_first,
    registration_year_problem,
    repeated_id_problem,
    status_move_problem,
    text_problem,
    tidy_other_causes,
    year_problem,
)
from fupin.registry.validation import complete_income, complete_person, parse_fields

PERSON_KEYS = [f.key for f in PERSON_FIELDS]  # id_number_original comes from a 15-digit id_number, never sent
HOUSEHOLD_KEYS = ["area_code", "address", "phone", "poverty_attribute", "main_cause", "other_causes",
                  "registration_year", *NATIONAL_HOUSEHOLD_KEYS]
HOUSEHOLD_EDITABLE = ["address", "phone", "poverty_attribute", "main_cause", "other_causes", "has_vehicle",
                      "has_commercial_flat", "runs_business", *NATIONAL_HOUSEHOLD_KEYS]
PERSON_FIXED = ("id_number", "sex", "birth_date", "id_number_original")  # taken from the ID number at registration
CHECK_KEYS = ["checked_on", "food_ok", "clothing_ok", "education_ok", "medical_ok", "housing_ok",
              "water_litres_per_person_day", "water_trip_minutes", "water_outage_days", "water_quality_ok",
              "water_short_area", "checked_by", "note"]
# Member fields a form may empty (a blank means "not recorded"); the others keep their value when left blank.
CLEARABLE_PERSON_KEYS = ("disability_grade", "months_worked", "ethnicity", "political_status", "disability_category",
                         "disability_certificate_no", "serious_illness_insurance", "commercial_medical_insurance",
                         "medical_assistance", "active_serviceman")
NUMBER_ATTEMPTS = 8  # household numbers tried before a concurrent creation in the same village gives up (409)


def pii_key() -> bytes:
    return get_settings().resolved_secret_key().encode("utf-8")


def _check_version(sent: int | None, current: int) -> None:
    if sent is not None and sent != current:
        raise core_errors.STALE_VERSION(sent=sent, current=current)


def _snapshot(obj: Any, keys: list[str]) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in keys}


def _flush_or_conflict(uow: UnitOfWork, sent: int | None) -> None:
    try:
        uow.flush()
    except StaleDataError:
        raise core_errors.STALE_VERSION(sent=sent if sent is not None else "?", current="?") from None


def _edits(data: Any, current_version: int, editable: Sequence[str], today: dt.date, joined: tuple[str, ...] = ()
           ) -> tuple[dict[str, Any], list[str], dict[str, Any]]:
    """What an update form sent, after the version check (a stale one: 409): the sent values, the editable fields
    among them (a field not sent stays as it is) and their typed values; the first problem raised. The `joined`
    fields come as lists and are stored as one text."""
    _check_version(data.version, current_version)
    sent = data.model_dump(exclude_unset=True, exclude={"version"})
    for key in joined:
        if sent.get(key) is not None:
            sent[key] = "、".join(sent[key])
    keys = [k for k in editable if k in sent]
    values, problems = parse_fields(sent, keys, today, required=set())
    raise_first(problems.values())
    return sent, keys, values


def _household_for_update(uow: UnitOfWork, household_id: int) -> Household:
    """The household, held for the rest of the use case (FOR UPDATE on PostgreSQL), or NotFound outside scope."""
    return uow.locked_in_scope(Household, household_id, "户")


def _person_for_update(uow: UnitOfWork, person_id: int) -> Person:
    return uow.locked_in_scope(Person, person_id, "人员")


# ---------------------------------------------------------------- members and households: the shared checks


def validate_person(data: dict[str, Any], today: dt.date, field_prefix: str = "") -> dict[str, Any]:
    """Typed member values, or the first problem raised (its field prefixed, e.g. "members.1.id_number")."""
    data = {k: v for k, v in data.items() if k != "id_number_original"}
    values, problems = parse_fields(data, PERSON_KEYS, today)
    complete_person(values, problems, data.get("id_number"))
    for problem in problems.values():
        raise Problem(field_prefix + problem.field, problem.code, problem.values).error()
    return values


def _household_problems(uow: UnitOfWork, data: schemas.HouseholdCreate, today: dt.date
                        ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The household form's values and members after every household rule (rules.py), raising the first
    problem: the same rules and codes as the import."""
    raw = data.model_dump()
    raw["other_causes"] = "、".join(data.other_causes)
    values, problems = parse_fields(raw, HOUSEHOLD_KEYS, today)
    raise_first(problems.values())
    raise_first([registration_year_problem(values.get("registration_year"), today),
                 land_problem(values.get("arable_land_mu"), values.get("irrigated_land_mu"))])
    values["other_causes"] = tidy_other_causes(values.get("main_cause"), values.get("other_causes"))
    members = [validate_person(m.model_dump(), today, f"members.{i}.") for i, m in enumerate(data.members)]
    raise_first([head_problem([m["relation"] for m in members]),
                 _repeated_in_household([m["id_number"] for m in members])])
    code = values["area_code"]
    raise_first([area_problem(code, levels_of(uow.session, [code]).get(code), uow.scope)])
    return values, members


def _repeated_in_household(numbers: list[str]) -> Problem | None:
    """The household's repeated ID number, on the member row that repeats it."""
    problem = repeated_id_problem(numbers)
    if problem is None:
        return None
    seen: set[str] = set()
    for index, number in enumerate(numbers):
        if number in seen:
            return Problem(f"members.{index}.id_number", problem.code, problem.values)
        seen.add(number)
    return problem


def _refuse_held_ids(uow: UnitOfWork, digests: list[str], household_no: str, field_of: Callable[[int], str]) -> None:
    """The one conflict query (queries.id_holders) and its rule (rules.holder_problem)."""
    held = queries.id_holders(uow.session, digests)
    for index, digest in enumerate(digests):
        holder = held.get(digest)
        problem = holder_problem(None if holder is None else holder.holder, household_no, uow.scope, field_of(index))
        if problem is not None:
            raise problem.error()


def _next_household_no(uow: UnitOfWork, area_code: str, skip: int = 0) -> str:
    village = area_code[:12]
    last = uow.session.scalar(select(func.max(Household.household_no))
                              .where(Household.household_no.like(f"{village}____")))
    sequence = (int(last[-4:]) if last and last[-4:].isdigit() else 0) + 1 + skip
    return f"{village}{sequence:04d}"


def _insert_household(uow: UnitOfWork, values: dict[str, Any], head_name: str, members: int,
                      household_no: str | None) -> Household:
    """Insert the household under its number; a number lost to a concurrent creation in the same village is
    allocated again (a savepoint keeps the rest of the use case), a chosen number already taken is 409."""
    area_code = values["area_code"]
    if household_no is None:
        uow.serialised(f"household_no:{area_code[:12]}")  # one number allocated at a time in a village
    for attempt in range(NUMBER_ATTEMPTS):
        number = household_no or _next_household_no(uow, area_code, skip=attempt)
        household = Household(
            county_code=area_code[:6], area_code=area_code, household_no=number, head_name=head_name,
            address=values.get("address"), phone=values.get("phone"), poverty_attribute=values["poverty_attribute"],
            main_cause=values["main_cause"], other_causes=values.get("other_causes"),
            registration_year=values["registration_year"], status="identified", member_count=members,
            **{key: values.get(key) for key in NATIONAL_HOUSEHOLD_KEYS})
        savepoint = uow.session.begin_nested()
        uow.session.add(household)
        try:
            uow.session.flush()
        except sa_exc.IntegrityError:
            savepoint.rollback()
            if household_no is not None:
                raise errors.HOUSEHOLD_NO_TAKEN(field="household_no", household_no=household_no) from None
            continue
        savepoint.commit()
        return household
    raise core_errors.CONCURRENT_WRITE()


def create_household(uow: UnitOfWork, data: schemas.HouseholdCreate, today: dt.date | None = None) -> Household:
    """建档立卡: a household with its members, checked by the same rules as the import."""
    today = today or dt.date.today()
    with uow:
        uow.require("registry.household.create")
        values, members = _household_problems(uow, data, today)
        if data.household_no:
            existing = queries.households_by_number(uow.session, [data.household_no]).get(data.household_no)
            raise_first([household_no_problem(None if existing is None else existing[1], data.household_no,
                                              uow.scope, new_household=True)])
        key = pii_key()
        for member in members:
            member["id_hash"] = id_hash(key, member["id_number"])
        _refuse_held_ids(uow, [m["id_hash"] for m in members], data.household_no or "",
                         lambda i: f"members.{i}.id_number")
        head = next(m for m in members if m["relation"] == "head")
        household = _insert_household(uow, values, head["name"], len(members), data.household_no)
        for member in members:
            uow.session.add(Person(household_id=household.id, county_code=household.county_code,
                                   area_code=household.area_code, active=True, **member))
        uow.session.add(HouseholdEvent(household_id=household.id, area_code=household.area_code, kind="status",
                                       to_status="identified", happened_on=today, actor_name=uow.actor.name,
                                       note="建档立卡"))
        uow.flush()  # a member's ID number taken by a concurrent creation: 409
        uow.audit(AuditAction.create, "households", household.id, area_code=household.area_code,
                  after={"household_no": household.household_no, "head_name": household.head_name,
                         "members": len(members), "poverty_attribute": household.poverty_attribute,
                         "main_cause": household.main_cause})
        return household


def update_household(uow: UnitOfWork, household_id: int, data: schemas.HouseholdUpdate,
                     today: dt.date | None = None) -> Household:
    today = today or dt.date.today()
    with uow:
        uow.require("registry.household.update")
        household = _household_for_update(uow, household_id)
        _sent, keys, values = _edits(data, household.version, HOUSEHOLD_EDITABLE, today, joined=("other_causes",))
        if "other_causes" in values:
            values["other_causes"] = tidy_other_causes(values.get("main_cause", household.main_cause),
                                                       values["other_causes"])
        raise_first([land_problem(values.get("arable_land_mu") if "arable_land_mu" in keys else household.arable_land_mu,
                                  values.get("irrigated_land_mu") if "irrigated_land_mu" in keys
                                  else household.irrigated_land_mu)])
        before = _snapshot(household, keys)
        for key in keys:
            setattr(household, key, values.get(key))
        household.updated_at = dt.datetime.now(dt.UTC)
        _flush_or_conflict(uow, data.version)
        uow.audit(AuditAction.update, "households", household.id, area_code=household.area_code, before=before,
                  after=_snapshot(household, keys))
        return household


def add_person(uow: UnitOfWork, household_id: int, data: schemas.PersonCreate, today: dt.date | None = None) -> Person:
    today = today or dt.date.today()
    with uow:
        uow.require("registry.member.edit")
        household = _household_for_update(uow, household_id)
        values = validate_person(data.model_dump(), today)
        if values["relation"] == "head":
            raise errors.HEAD_EXISTS(field="relation")
        joined_on = data.joined_on or today
        raise_first([not_in_future("joined_on", "加入日期", joined_on, today)])
        join_reason = vocab.code_of(vocab.JOIN_REASONS, data.join_reason or "other")
        if join_reason is None:
            raise errors.JOIN_REASON(field="join_reason")
        values.update(joined_on=joined_on, join_reason=join_reason)
        values["id_hash"] = id_hash(pii_key(), values["id_number"])
        _refuse_held_ids(uow, [values["id_hash"]], household.household_no, lambda _i: "id_number")
        person = Person(household_id=household.id, county_code=household.county_code, area_code=household.area_code,
                        active=True, **values)
        uow.session.add(person)
        household.member_count += 1
        uow.flush()
        _member_event(uow, household, joined_on, f"成员加入:{person.name}({vocab.JOIN_REASONS[join_reason]})")
        uow.audit(AuditAction.create, "persons", person.id, area_code=household.area_code,
                  after={"name": person.name, "relation": person.relation, "household_no": household.household_no,
                         "joined_on": joined_on, "join_reason": join_reason})
        return person


def _member_event(uow: UnitOfWork, household: Household, on: dt.date, note: str) -> None:
    """A dated line of the household's history: a member joined or left."""
    uow.session.add(HouseholdEvent(household_id=household.id, area_code=household.area_code, kind="member",
                                   happened_on=on, actor_name=uow.actor.name, note=note[:500]))


def update_person(uow: UnitOfWork, person_id: int, data: schemas.PersonUpdate, today: dt.date | None = None) -> Person:
    today = today or dt.date.today()
    with uow:
        uow.require("registry.member.edit")
        person = _person_for_update(uow, person_id)
        raw, keys, values = _edits(data, person.version, [k for k in PERSON_KEYS if k not in PERSON_FIXED], today)
        if values.get("relation") == "head" and person.relation != "head":
            raise errors.HEAD_EXISTS(field="relation")
        if "relation" in values and person.relation == "head" and values["relation"] != "head":
            raise errors.ONE_HEAD(field="relation", count=0)
        health = values.get("health", person.health)
        grade = values["disability_grade"] if "disability_grade" in raw else person.disability_grade
        months = values["months_worked"] if "months_worked" in raw else person.months_worked
        raise_first(member_detail_problems(health, grade, months))
        before = _snapshot(person, keys)
        for key in keys:
            if values.get(key) is not None or key in CLEARABLE_PERSON_KEYS:
                setattr(person, key, values.get(key))
        if "name" in values:
            person.name_initials = name_initials(person.name)
        _flush_or_conflict(uow, data.version)
        after = _snapshot(person, keys)
        for snapshot in (before, after):  # the certificate number holds the ID number: never in the audit log
            if snapshot.get("disability_certificate_no"):
                snapshot["disability_certificate_no"] = "(已记录)"
        uow.audit(AuditAction.update, "persons", person.id, area_code=person.area_code, before=before, after=after)
        return person


def remove_person(uow: UnitOfWork, person_id: int, reason: str, version: int, left_on: dt.date | None = None,
                  note: str | None = None, today: dt.date | None = None) -> Person:
    """A member leaves the household on a date (death, marriage out, moving out …): kept as inactive with the date
    and the reason, never deleted, so the figures of the years before still count him. A reason that is none of
    the listed ones is kept as "other" with its words."""
    today = today or dt.date.today()
    with uow:
        uow.require("registry.member.edit")
        person = _person_for_update(uow, person_id)
        _check_version(version, person.version)
        if person.relation == "head":
            raise errors.CANNOT_REMOVE_HEAD(field="relation")
        reason = (reason or "").strip()
        if not reason:
            raise errors.REMOVAL_REASON(field="reason")
        raise_first([text_problem("reason", "原因", reason, 200)])
        left_on = left_on or today
        raise_first([not_in_future("left_on", "离开日期", left_on, today)])
        if person.joined_on is not None and left_on < person.joined_on:
            raise errors.LEFT_BEFORE_JOINED(field="left_on", joined=person.joined_on.isoformat())
        if not person.active:
            raise core_errors.STALE_VERSION(sent=version, current=person.version)
        code = vocab.code_of(vocab.LEAVE_REASONS, reason)
        if code is None:
            code, note = "other", (f"{reason};{note}" if note else reason)
        household = _household_for_update(uow, person.household_id)
        person.active = False
        person.left_on, person.leave_reason, person.leave_note = left_on, code, (note or None) and note[:200]
        household.member_count = max(0, household.member_count - 1)
        _member_event(uow, household, left_on, f"成员离开:{person.name}({vocab.LEAVE_REASONS[code]})"
                      + (f" {note}" if note else ""))
        _flush_or_conflict(uow, version)
        uow.audit(AuditAction.update, "persons", person.id, area_code=person.area_code, before={"active": True},
                  after={"active": False, "left_on": left_on, "leave_reason": code}, detail={"reason": reason})
        return person


# ---------------------------------------------------------------- the ledger


def record_income(uow: UnitOfWork, household_id: int, data: schemas.IncomeCreate,
                  today: dt.date | None = None) -> HouseholdIncome:
    """The year's income (upsert): the racers of a new year wait for the household's row, so one creates the
    year and the others update it (or get 409 on a stale version)."""
    today = today or dt.date.today()
    with uow:
        uow.require("registry.income.record")
        raise_first([year_problem("year", "收入年度", data.year, today)])
        entered = {key: getattr(data, key) for key in [*INCOME_FIELDS, *TRANSFER_PARTS]}
        raise_first(amount_problem(key, {**INCOME_FIELDS, **TRANSFER_PARTS}[key], value)
                    for key, value in entered.items() if value is not None)
        household = _household_for_update(uow, household_id)
        entered = {key: None if value is None else money(value) for key, value in entered.items()}
        problems: dict[str, Problem] = {}
        complete_income(entered, problems)
        raise_first(problems.values())
        amounts = {key: entered[key] or money(0) for key in [*INCOME_FIELDS, *TRANSFER_PARTS]}
        figures = IncomeFigures(**{key: amounts[key] for key in INCOME_FIELDS}, members=household.member_count)
        income = uow.session.execute(select(HouseholdIncome).where(
            HouseholdIncome.household_id == household.id, HouseholdIncome.year == data.year)
            .execution_options(populate_existing=True)).scalar_one_or_none()
        if income is None:
            income = HouseholdIncome(household_id=household.id, county_code=household.county_code,
                                     area_code=household.area_code, year=data.year, members=household.member_count,
                                     net_income=figures.net, per_capita_net=figures.per_capita, **amounts)
            uow.session.add(income)
            uow.flush()
            uow.audit(AuditAction.create, "household_incomes", income.id, area_code=household.area_code,
                      after={"year": data.year, **amounts, "per_capita_net": figures.per_capita})
            return income
        _check_version(data.version, income.version)
        keys = [*amounts, "members", "per_capita_net"]
        before = _snapshot(income, keys)
        for key, value in amounts.items():
            setattr(income, key, value)
        income.members = household.member_count
        income.net_income = figures.net
        income.per_capita_net = figures.per_capita
        _flush_or_conflict(uow, data.version)
        uow.audit(AuditAction.update, "household_incomes", income.id, area_code=household.area_code, before=before,
                  after=_snapshot(income, keys))
        return income


def add_to_income(uow: UnitOfWork, year: int, field: str, amounts: dict[int, Decimal], note: str) -> int:
    """Add amounts (e.g. dividends of an industry run) to one income field (财产性收入 or 生产经营性收入) of the
    year of each household, creating the year's row if missing; set-based (a run may pay 100,000 households): the
    households and their income rows are held (FOR UPDATE on PostgreSQL) while they change, and every household's
    change is an audit row. Returns how many households were credited. (Used by industry's confirmed runs.)"""
    from sqlalchemy import insert

    from fupin.core.audit import AuditEntry, changed_fields
    from fupin.core.sql import chunks

    if field not in ("property_income", "production_income"):
        raise ValueError(f"not an income field dividends go to: {field}")
    with uow:
        uow.require("registry.income.record")
        session, ids = uow.session, sorted(amounts)
        held = {row.id: row for chunk in chunks(ids) for row in session.execute(uow.locked(
            select(Household.id, Household.county_code, Household.area_code, Household.member_count)
            .where(Household.id.in_(chunk))))}
        for household_id in ids:
            if household_id not in held or not uow.scope.contains(held[household_id].area_code):
                raise NotFound("户", household_id)
        keys = list(INCOME_FIELDS)
        current = {row.household_id: row for chunk in chunks(ids) for row in session.execute(uow.locked(
            select(HouseholdIncome.id, HouseholdIncome.household_id, HouseholdIncome.version,
                   *[getattr(HouseholdIncome, key) for key in keys])
            .where(HouseholdIncome.year == year, HouseholdIncome.household_id.in_(chunk))))}
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        audits: list[dict[str, Any]] = []
        for household_id in ids:
            household, row = held[household_id], current.get(household_id)
            values = {key: money(getattr(row, key) if row is not None else 0) for key in keys}
            before = values[field]
            values[field] = money(before + amounts[household_id])
            figures = IncomeFigures(**values, members=household.member_count)
            derived = {"members": household.member_count, "net_income": figures.net,
                       "per_capita_net": figures.per_capita}
            if row is None:
                inserts.append({"household_id": household_id, "county_code": household.county_code,
                                "area_code": household.area_code, "year": year, "version": 1, **values, **derived})
            else:
                updates.append({"b_id": row.id, "b_version": row.version + 1, **values, **derived})
            audits.append({"actor_id": uow.actor.user_id, "actor_name": uow.actor.name, "actor_role": uow.actor.role,
                           "action": AuditAction.update.value, "entity": "households", "entity_id": str(household_id),
                           "area_code": household.area_code,
                           "changes": {**changed_fields({field: before}, {field: values[field]}),
                                       "detail": {"year": year, "income": field, "note": note}}})
        for start in range(0, len(inserts), 5000):
            session.execute(insert(HouseholdIncome.__table__), inserts[start:start + 5000])
        table = HouseholdIncome.__table__
        statement = update(table).where(table.c.id == bindparam("b_id")).values(
            version=bindparam("b_version"), **{key: bindparam(key) for key in
                                               [*keys, "members", "net_income", "per_capita_net"]})
        for start in range(0, len(updates), 5000):
            session.execute(statement, updates[start:start + 5000])
        for start in range(0, len(audits), 5000):
            session.execute(insert(AuditEntry.__table__), audits[start:start + 5000])
        return len(ids)


def record_check(uow: UnitOfWork, household_id: int, data: schemas.CheckCreate,
                 today: dt.date | None = None) -> HouseholdCheck:
    """The year's 两不愁三保障 check (upsert, race-free as `record_income`)."""
    today = today or dt.date.today()
    with uow:
        uow.require("registry.check.record")
        raise_first([year_problem("year", "核查年度", data.year, today),
                     not_in_future("checked_on", "核查日期", data.checked_on, today)])
        household = _household_for_update(uow, household_id)
        check = uow.session.execute(select(HouseholdCheck).where(
            HouseholdCheck.household_id == household.id, HouseholdCheck.year == data.year)
            .execution_options(populate_existing=True)).scalar_one_or_none()
        values = {k: getattr(data, k) for k in CHECK_KEYS}
        if check is None:
            check = HouseholdCheck(household_id=household.id, county_code=household.county_code,
                                   area_code=household.area_code, year=data.year, **values)
            uow.session.add(check)
            uow.flush()
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
    with uow:
        uow.require("registry.measure.add")
        measure_type = vocab.code_of(vocab.MEASURE_TYPES, data.measure_type)
        if measure_type is None:
            raise errors.MEASURE_TYPE(field="measure_type", value=data.measure_type[:40])
        raise_first([not_in_future("delivered_on", "落实日期", data.delivered_on, today)])
        if data.amount is not None:
            raise_first([amount_problem("amount", "金额", data.amount)])
        household = _household_for_update(uow, household_id)
        measure = HelpMeasure(household_id=household.id, county_code=household.county_code,
                              area_code=household.area_code, measure_type=measure_type, description=data.description,
                              amount=None if data.amount is None else money(data.amount),
                              delivered_on=data.delivered_on, helper_name=data.helper_name or uow.actor.name)
        uow.session.add(measure)
        if household.status == "identified":
            _move_status(uow, household, "helped", today, "落实帮扶措施")
        uow.flush()
        uow.audit(AuditAction.create, "help_measures", measure.id, area_code=household.area_code,
                  after={"measure_type": measure_type, "amount": measure.amount, "delivered_on": data.delivered_on})
        return measure


def visiting_cadres(session: Any, household_id: int, scope: Any, user_id: int | None,
                    day: dt.date | None = None) -> tuple[Any, list[dict[str, Any]]]:
    """Who may be named on a visit to the household: the caller's own cadre (orgs links a login account to a
    cadre; None when not linked or not in post) and the household's helpers on `day` (pairing lends them)."""
    from fupin.core.capability import provided

    day = day or dt.date.today()
    own = provided("orgs.cadre_of_user")(session, user_id)
    helpers = [p for p in provided("pairing.household_pair_history")(session, household_id, scope)
               if p["started_on"] <= day and (p["ended_on"] is None or p["ended_on"] > day)]
    return own, helpers


def add_visit(uow: UnitOfWork, household_id: int, data: schemas.VisitCreate, today: dt.date | None = None) -> Visit:
    """A visit made by a cadre: the one named (the caller's own cadre, one of the household's helpers, or a cadre
    serving the area — orgs lends the look-up), by default the caller's own cadre; a visit by someone who is no
    cadre names the visitor instead. Pairing's follow-up list and the 30-day visit figure count cadres' visits."""
    from fupin.core.capability import provided

    today = today or dt.date.today()
    with uow:
        uow.require("registry.visit.add")
        raise_first([not_in_future("visited_on", "走访日期", data.visited_on, today)])
        if not (data.found or data.done):
            raise errors.VISIT_EMPTY(field="found")
        household = queries.get_household(uow.session, household_id, uow.scope)
        own, helpers = visiting_cadres(uow.session, household.id, uow.scope, uow.actor.user_id, data.visited_on)
        cadre_id, visitor = data.cadre_id, data.visitor_name
        if cadre_id is None and not visitor and own is not None:
            cadre_id = own.id
        if cadre_id is not None:
            known = {own.id: own.name} if own is not None else {}
            known.update({p["cadre_id"]: p["cadre_name"] for p in helpers})
            if cadre_id not in known:
                cadre = provided("orgs.cadre_in_scope")(uow.session, uow.scope, cadre_id)
                if cadre is None:
                    raise errors.VISIT_CADRE(field="cadre_id")
                known[cadre_id] = cadre.name
            visitor = visitor or known[cadre_id]
        visit = Visit(household_id=household.id, county_code=household.county_code, area_code=household.area_code,
                      cadre_id=cadre_id, visitor_name=visitor or uow.actor.name, visited_on=data.visited_on,
                      found=data.found, done=data.done, created_by=uow.actor.user_id)
        uow.session.add(visit)
        uow.flush()
        uow.audit(AuditAction.create, "visits", visit.id, area_code=household.area_code,
                  after={"visited_on": data.visited_on, "visitor_name": visit.visitor_name, "cadre_id": cadre_id})
        return visit


def _move_status(uow: UnitOfWork, household: Household, target: str, on: dt.date, note: str | None) -> None:
    raise_first([status_move_problem(household.status, target)])
    uow.session.add(HouseholdEvent(household_id=household.id, area_code=household.area_code, kind="status",
                                   from_status=household.status, to_status=target, happened_on=on,
                                   actor_name=uow.actor.name, note=note))
    before = household.status
    household.status = target
    household.updated_at = dt.datetime.now(dt.UTC)
    uow.audit(AuditAction.update, "households", household.id, area_code=household.area_code,
              before={"status": before}, after={"status": target})


def record_exit_step(uow: UnitOfWork, household_id: int, data: schemas.ExitStepCreate, year: int | None = None,
                     today: dt.date | None = None) -> HouseholdEvent:
    """One step of 民主评议 → 村内公示 → 乡镇审核 → 县级公告 → 销号, each by its level (the permission table);
    exited only after the last one. Racers of the same step wait for the household's row and get 409."""
    today = today or dt.date.today()
    action = EXIT_STEP_ACTIONS.get(data.step)
    if action is None:
        raise errors.EXIT_STEP_UNKNOWN(field="step", step=data.step[:40])
    with uow:
        uow.require(action)
        raise_first([not_in_future("happened_on", "日期", data.happened_on, today)])
        household = _household_for_update(uow, household_id)
        year = year or data.year or queries.default_year(uow.session, household.id)
        raise_first([year_problem("year", "年度", year, today)])
        if household.status in ("exited", "monitored"):
            raise errors.ALREADY_EXITED(field="step")
        done = queries.exit_steps_done(uow.session, household.id)
        evaluation = queries.evaluate_household(uow.session, household, year)
        raise_first([exit_step_problem(data.step, done, data.happened_on, evaluation.eligible)])
        event = HouseholdEvent(household_id=household.id, area_code=household.area_code, kind="exit_step",
                               step=data.step, happened_on=data.happened_on, actor_name=uow.actor.name,
                               note=data.note)
        uow.session.add(event)
        if data.step == "democratic_appraisal" and household.status != "exit_proposed":
            _move_status(uow, household, "exit_proposed", data.happened_on, "民主评议,拟退出")
        if data.step == "removal":
            _move_status(uow, household, "exited", data.happened_on, "销号,脱贫退出")
            household.exit_year = year
        uow.flush()
        uow.audit(AuditAction.create, "household_events", event.id, area_code=household.area_code,
                  after={"step": data.step, "step_name": EXIT_STEP_NAMES[data.step],
                         "happened_on": data.happened_on, "year": year})
        return event


def change_status(uow: UnitOfWork, household_id: int, target: str, on: dt.date, note: str, version: int) -> Household:
    with uow:
        uow.require("registry.status.change")
        household = _household_for_update(uow, household_id)
        _check_version(version, household.version)
        if target == "exited":
            raise errors.EXIT_BY_PROCEDURE(field="status")
        _move_status(uow, household, target, on, note)
        _flush_or_conflict(uow, version)
        return household


def end_monitoring(uow: UnitOfWork, household_id: int, on: dt.date, note: str) -> Household:
    """A monitored household whose risk is cleared goes back to exited (the monitoring capability decides when)."""
    with uow:
        uow.require("registry.status.change")
        household = _household_for_update(uow, household_id)
        if household.status != "monitored":
            raise errors.NOT_MONITORED(field="status")
        _move_status(uow, household, "exited", on, note)
        uow.flush()
        return household


def rehash_ids(uow: UnitOfWork, new_key: bytes) -> int:
    """Every person's look-up hash under a new key, inside the caller's transaction (key rotation)."""
    table = Person.__table__
    statement = update(table).where(table.c.id == bindparam("person")).values(id_hash=bindparam("digest"))
    with uow:
        rows = uow.session.execute(select(Person.id, Person.id_number)).all()
        for start in range(0, len(rows), 5000):
            uow.session.execute(statement, [{"person": pid, "digest": id_hash(new_key, number)}
                                            for pid, number in rows[start:start + 5000]])
        return len(rows)


def set_poverty_line(uow: UnitOfWork, year: int, province_code: str, amount: Decimal, note: str | None) -> None:
    with uow:
        uow.require("registry.poverty_line.set")
        if uow.actor.role != "admin" and not (province_code != "00" and uow.scope.prefix[:2] == province_code):
            raise errors.POVERTY_LINE_SCOPE(field="province_code")
        raise_first([year_problem("year", "年度", year, dt.date(dt.date.today().year + 1, 12, 31))])
        if amount <= 0:
            raise errors.POVERTY_LINE_POSITIVE(field="amount")
        raise_first([amount_problem("amount", "扶贫标准", amount)])
        line = uow.session.get(PovertyLine, (year, province_code))
        national = uow.session.get(PovertyLine, (year, "00"))
        if province_code != "00" and national is not None and amount < national.amount:
            raise errors.POVERTY_LINE_BELOW_NATIONAL(field="amount", amount=national.amount)
        before = {"amount": line.amount} if line else None
        if line is None:
            line = PovertyLine(year=year, province_code=province_code, amount=money(amount), note=note)
            uow.session.add(line)
        else:
            line.amount = money(amount)
            line.note = note
        uow.flush()
        uow.audit(AuditAction.update if before else AuditAction.create, "poverty_lines", f"{year}-{province_code}",
                  before=before, after={"amount": money(amount)})


# ---------------------------------------------------------------- import, export, quality


def import_registry(uow: UnitOfWork, filename: str, data: bytes, *, mode: ImportMode = ImportMode.all_or_nothing,
                    today: dt.date | None = None, progress: Callable[[str, int, int], None] | None = None,
                    key: bytes | None = None) -> Any:
    """Import a registry workbook (all-or-nothing, or skip the households with bad rows): the same household
    rules and codes as the form; returns importer.RegistryImportResult."""
    from fupin.registry import importer

    with uow:
        uow.require("registry.import")
        return importer.run_import(uow, filename, data, mode=mode, key=key or pii_key(),
                                   today=today or dt.date.today(), progress=progress)


def export_registry(uow: UnitOfWork, area_code: str | None, fmt: str) -> tuple[bytes, int]:
    """The scope's registry in the import template's columns, masked for the caller's role; an audit row says
    who exported what and how many rows. Returns (file, rows)."""
    from fupin.registry import exporter

    with uow:
        uow.require("registry.export")
        scope = queries.area_filter_scope(uow.scope, area_code)
        content, rows = exporter.export_file(uow.session, scope, uow.viewer, fmt=fmt)
        uow.audit(AuditAction.exported, "persons", None, area_code=scope.prefix.ljust(12, "0") if scope.prefix else None,
                  detail={"what": "建档立卡导出", "format": fmt, "rows": rows, "scope": scope.prefix,
                          "masked": uow.viewer.masked})
        return content, rows


def export_registry_national(uow: UnitOfWork, area_code: str | None) -> tuple[bytes, int]:
    """The scope in the monitoring system's layout (member and household sheets, names not codes), masked for
    the caller's role and audited like every export. Returns (xlsx, member rows)."""
    from fupin.areas.queries import path_names
    from fupin.core.db import utcnow
    from fupin.registry.national import export

    with uow:
        uow.require("registry.export")
        scope = queries.area_filter_scope(uow.scope, area_code)
        names = [a.name for a in path_names(uow.session, scope.prefix.ljust(12, "0"))] if scope.prefix else ["全国"]
        content, rows = export.workbook(uow.session, scope, uow.viewer, "".join(names), utcnow())
        uow.audit(AuditAction.exported, "persons", None, area_code=scope.prefix.ljust(12, "0") if scope.prefix else None,
                  detail={"what": "全国系统格式导出", "format": "xlsx", "rows": rows, "scope": scope.prefix,
                          "masked": uow.viewer.masked})
        return content, rows


def reconcile_national(uow: UnitOfWork, filename: str, data: bytes, area_code: str | None,
                       today: dt.date | None = None, key: bytes | None = None) -> Any:
    """Compare a national export with fupin's records for the same area: people only on one side, fields that
    differ (read-only; the check a county runs before each national data-quality campaign)."""
    from fupin.registry.national import reconcile

    with uow:
        uow.require("registry.export")
        scope = queries.area_filter_scope(uow.scope, area_code)
        result = reconcile.reconcile(uow, scope, filename, data, key=key or pii_key(), today=today or dt.date.today())
        uow.audit(AuditAction.exported, "persons", None, area_code=scope.prefix.ljust(12, "0") if scope.prefix else None,
                  detail={"what": "全国系统数据比对", "file": filename, "rows": result.compared,
                          "masked": uow.viewer.masked})
        return result
