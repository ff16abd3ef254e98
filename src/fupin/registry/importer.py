"""Import of the registry workbook: validate every row, then upsert households, members and incomes in bulk.

All-or-nothing (default): any error and nothing is written. Skip-invalid: a household with any bad row is
skipped whole (its other rows say so), all other households are written. Upserts key on the household number
and the ID number's keyed hash, so importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ARRAY, any_, bindparam, func, select, update

from fupin.areas.models import Area
from fupin.core.audit import AuditAction
from fupin.core.db import bulk_insert, utcnow
from fupin.core.importing import ImportMode, ImportReport, RowError
from fupin.core.uow import UnitOfWork
from fupin.registry.fields import FIELD_BY_KEY, HOUSEHOLD_FIELDS, INCOME_FIELDS, PERSON_FIELDS
from fupin.registry.idnumbers import id_hash
from fupin.registry.models import Household, HouseholdIncome, Person
from fupin.registry.rules import IncomeFigures
from fupin.registry.spreadsheets import Table, cell_text, error_report, read_table
from fupin.registry.validation import check_household, check_income, complete_person, parse_cell

Progress = Callable[[str, int, int], None]
_CACHEABLE = frozenset({"code", "area", "int", "bool", "money", "causes"})
CHUNK = 5000  # bind parameters per IN (...) look-up; below SQLite's 32,766 and PostgreSQL's 65,535

HOUSEHOLD_KEYS = [f.key for f in HOUSEHOLD_FIELDS]
PERSON_KEYS = [f.key for f in PERSON_FIELDS]
INCOME_KEYS = [f.key for f in INCOME_FIELDS]
HOUSEHOLD_COLUMNS = ["area_code", "address", "phone", "poverty_attribute", "main_cause", "other_causes",
                     "registration_year", "has_vehicle", "has_commercial_flat", "runs_business"]
PERSON_COLUMNS = ["name", "sex", "birth_date", "relation", "ethnicity", "education", "schooling", "health",
                  "disability_grade", "labour_capacity", "work_place", "months_worked", "medical_insurance",
                  "pension_insurance", "minimum_allowance", "public_funded"]
AMOUNT_KEYS = ["wages", "production_income", "property_income", "transfer_income", "production_costs"]


@dataclass
class ParsedHousehold:
    household_no: str
    lines: list[int] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    income: dict[str, Any] | None = None
    members: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


@dataclass
class RegistryImportResult:
    report: ImportReport
    error_file: bytes | None = None
    error_filename: str | None = None


def _member_of(column: Any, values: list[Any], dialect: str) -> Any:
    """`column IN (values)`; on PostgreSQL as `= ANY(array)`: one parameter instead of thousands to parse."""
    if dialect == "postgresql":
        return column == any_(bindparam(None, value=list(values), type_=ARRAY(column.type)))
    return column.in_(values)


def _chunks(items: list[Any], size: int = CHUNK):  # type: ignore[no-untyped-def]
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Errors:
    def __init__(self) -> None:
        self.items: list[RowError] = []
        self.by_line: dict[int, list[str]] = {}
        self.keys: set[tuple[int, str]] = set()

    def add(self, line: int, key: str, value: Any, reason: str) -> None:
        header = FIELD_BY_KEY[key].header if key in FIELD_BY_KEY else key
        self.items.append(RowError(line, header, cell_text(value), reason))
        self.by_line.setdefault(line, []).append(f"[{header}] {reason}")
        self.keys.add((line, key))


def parse_table(table: Table, today: dt.date, errors: _Errors, progress: Progress) -> dict[str, ParsedHousehold]:
    households: dict[str, ParsedHousehold] = {}
    seen_ids: dict[str, int] = {}
    total = len(table.rows)
    # One pass per row over the mapped columns only; empty cells cost one comparison.
    levels = {"household": 0, "person": 1, "income": 2}
    columns = [(key, FIELD_BY_KEY[key], levels[FIELD_BY_KEY[key].level],
                FIELD_BY_KEY[key].kind == "text", FIELD_BY_KEY[key].kind in _CACHEABLE, FIELD_BY_KEY[key].max_length)
               for _index, key in sorted(table.columns.items())]
    indexes = sorted(table.columns)
    last_index = indexes[-1]
    cache: dict[tuple[str, Any], tuple[Any, str | None]] = {}
    person_required = [k for k in PERSON_KEYS if FIELD_BY_KEY[k].required]
    for offset, row in enumerate(table.rows):
        line = table.first_data_line + offset
        if len(row) <= last_index:
            row = [*row, *([None] * (last_index + 1 - len(row)))]
        household_values: dict[str, Any] = {}
        person_values: dict[str, Any] = {}
        income_values: dict[str, Any] = {}
        household_errors: dict[str, str] = {}
        person_errors: dict[str, str] = {}
        income_errors: dict[str, str] = {}
        values_by_level = (household_values, person_values, income_values)
        errors_by_level = (household_errors, person_errors, income_errors)
        raw: dict[str, Any] = {}
        empty = True
        for (key, field_def, level, is_text, cacheable, max_length), value in zip(
                columns, [row[i] for i in indexes], strict=True):
            if value is None or value == "":
                continue
            if type(value) is str:
                value = value.strip()
                if not value:
                    continue
                if is_text and len(value) <= max_length:
                    empty = False
                    raw[key] = value
                    values_by_level[level][key] = value
                    continue
            empty = False
            raw[key] = value
            if cacheable:
                # Coded columns, area codes, years and amounts repeat across rows: parse each distinct value once.
                cached = cache.get((key, value))
                if cached is None:
                    cached = cache[(key, value)] = parse_cell(field_def, value, today, False)
                parsed_value, error = cached
            else:
                parsed_value, error = parse_cell(field_def, value, today, False)
            if error:
                errors_by_level[level][key] = error
            else:
                values_by_level[level][key] = parsed_value
        if empty:
            continue
        if "household_no" not in household_values and "household_no" not in household_errors:
            household_errors["household_no"] = "户编号不能为空"
        for key in person_required:
            if key not in person_values and key not in person_errors:
                person_errors[key] = f"{FIELD_BY_KEY[key].header}不能为空"
        complete_person(person_values, person_errors)
        has_income = check_income(income_values, income_errors, today)
        household_no = household_values.get("household_no")
        bad_household_fields = {k: v for k, v in household_errors.items() if k != "household_no"}
        for key, reason in {**household_errors, **person_errors, **income_errors}.items():
            errors.add(line, key, raw.get(key), reason)
        if household_no is None:
            continue
        parsed = households.setdefault(household_no, ParsedHousehold(household_no))
        parsed.lines.append(line)
        # Household columns may be filled on one row only; repeated values must agree.
        for key in HOUSEHOLD_KEYS:
            value = household_values.get(key)
            if value is None or key in bad_household_fields:
                continue
            previous = parsed.values.get(key)
            if previous is None:
                parsed.values[key] = value
            elif previous != value:
                errors.add(line, key, raw.get(key), f"同一户(户编号{household_no})的{FIELD_BY_KEY[key].header}前后不一致")
        if has_income and not income_errors:
            if parsed.income is None:
                parsed.income = income_values
            elif any(parsed.income.get(k) != income_values.get(k) for k in INCOME_KEYS if income_values.get(k) is not None):
                errors.add(line, "income_year", raw.get("income_year"), "同一户填写了不同的收入数据")
        number = person_values.get("id_number")
        if number is not None:
            if number in seen_ids:
                errors.add(line, "id_number", raw.get("id_number"), f"身份证号与第{seen_ids[number]}行重复")
            else:
                seen_ids[number] = line
        if not person_errors:
            parsed.members.append((line, person_values))
        if offset % 5000 == 0:
            progress("校验", offset, total)
    progress("校验", total, total)
    for parsed in households.values():
        first = parsed.lines[0]
        household_errors: dict[str, str] = {}
        check_household(parsed.values, household_errors, today)
        for key, reason in household_errors.items():
            errors.add(first, key, parsed.values.get(key), reason)
        for field_def in HOUSEHOLD_FIELDS:
            if field_def.required and field_def.key not in parsed.values and field_def.key != "household_no":
                if not any((line, field_def.key) in errors.keys for line in parsed.lines):
                    errors.add(first, field_def.key, "", f"该户缺少{field_def.header}")
        heads = [line for line, m in parsed.members if m.get("relation") == "head"]
        if len(heads) != 1 and len(parsed.members) == len(parsed.lines):
            errors.add(first, "relation", "", "每户应有且只有一名户主" + (f"(现有{len(heads)}名)" if heads else ""))
    return households


def _validate_against_database(uow: UnitOfWork, households: dict[str, ParsedHousehold], key: bytes,
                               errors: _Errors) -> tuple[dict[str, tuple[int, str, int]], dict[str, tuple]]:
    """Area codes exist and lie in scope; ID numbers not active in another household. Returns existing rows."""
    session = uow.session
    scope = uow.scope
    dialect = session.get_bind().dialect.name
    codes = sorted({h.values["area_code"] for h in households.values() if "area_code" in h.values})
    levels: dict[str, str] = {}
    for chunk in _chunks(codes):
        levels.update(dict(session.execute(select(Area.code, Area.level).where(_member_of(Area.code, chunk, dialect))).all()))
    for parsed in households.values():
        code = parsed.values.get("area_code")
        if code is None:
            continue
        if code not in levels:
            errors.add(parsed.lines[0], "area_code", code, f"区划代码{code}不存在")
        elif levels[code] not in ("village", "group"):
            errors.add(parsed.lines[0], "area_code", code, "所在区划应为村(社区)或村民小组")
        elif not scope.contains(code):
            errors.add(parsed.lines[0], "area_code", code, "该区划不在您的管辖范围内")

    existing_households: dict[str, tuple[int, str, int]] = {}
    numbers = sorted(households)
    for chunk in _chunks(numbers):
        for row in session.execute(select(Household.household_no, Household.id, Household.area_code,
                                          Household.version).where(_member_of(Household.household_no, chunk, dialect))):
            existing_households[row.household_no] = (row.id, row.area_code, row.version)
    for number, (_id, area_code, _v) in existing_households.items():
        if not scope.contains(area_code):
            errors.add(households[number].lines[0], "household_no", number, "户编号已在您管辖范围外登记")

    hashes: dict[str, tuple[str, int]] = {}
    for parsed in households.values():
        for line, member in parsed.members:
            member["id_hash"] = id_hash(key, member["id_number"])
            hashes[member["id_hash"]] = (parsed.household_no, line)
    existing_persons: dict[str, tuple] = {}
    hash_list = sorted(hashes)
    for chunk in _chunks(hash_list):
        rows = session.execute(
            select(Person.id_hash, Person.id, Person.household_id, Household.household_no, Person.version,
                   *[getattr(Person, c) for c in PERSON_COLUMNS])
            .join(Household, Household.id == Person.household_id)
            .where(_member_of(Person.id_hash, chunk, dialect), Person.active)
        )
        for row in rows:
            existing_persons[row.id_hash] = tuple(row)
    for digest, row in existing_persons.items():
        household_no, line = hashes[digest]
        if row[3] != household_no:
            errors.add(line, "id_number", "", f"此人已在户{row[3]}中登记,不能同时登记在户{household_no}")
    return existing_households, existing_persons


def import_registry(
    uow: UnitOfWork,
    filename: str,
    data: bytes,
    *,
    mode: ImportMode = ImportMode.all_or_nothing,
    key: bytes,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> RegistryImportResult:
    today = today or dt.date.today()
    progress = progress or (lambda _phase, _done, _total: None)
    report = ImportReport(mode=mode)
    progress("读取", 0, 1)
    table = read_table(filename, data)
    progress("读取", 1, 1)
    report.total = len(table.rows)
    errors = _Errors()
    households = parse_table(table, today, errors, progress)
    existing_households, existing_persons = _validate_against_database(uow, households, key, errors)

    bad_lines = set(errors.by_line)
    if bad_lines and mode == ImportMode.skip_invalid:
        for parsed in households.values():
            if bad_lines.intersection(parsed.lines):
                for line in parsed.lines:
                    if line not in errors.by_line:
                        errors.by_line.setdefault(line, []).append("同户有错误行,整户未导入")
    report.errors = sorted(errors.items, key=lambda e: (e.line, e.column))
    result = RegistryImportResult(report)
    if report.errors:
        result.error_file = error_report(table, errors.by_line)
        result.error_filename = filename.rsplit(".", 1)[0] + "_错误报告." + ("csv" if table.kind == "csv" else "xlsx")
    if report.errors and mode == ImportMode.all_or_nothing:
        return result

    writable = [h for h in households.values() if not bad_lines.intersection(h.lines)]
    _write(uow, writable, existing_households, existing_persons, report, progress)
    report.committed = True
    uow.audit(AuditAction.imported, "households", None, area_code=uow.scope.prefix.ljust(12, "0") if uow.scope.prefix else None,
              detail={"file": filename, "sha256": hashlib.sha256(data).hexdigest(), "mode": mode.value,
                      "rows": report.total, "inserted": report.inserted, "updated": report.updated,
                      "unchanged": report.unchanged, "invalid_rows": report.invalid_lines})
    return result


def _write(uow: UnitOfWork, households: list[ParsedHousehold], existing_households: dict[str, tuple[int, str, int]],
           existing_persons: dict[str, tuple], report: ImportReport, progress: Progress) -> None:
    session = uow.session
    connection = session.connection()
    dialect = connection.dialect.name
    now = utcnow()
    total = len(households)
    progress("写入", 0, total)

    # Households: insert the new ones, update the changed ones.
    new_rows = []
    for parsed in households:
        if parsed.household_no in existing_households:
            continue
        values = parsed.values
        head = next((m["name"] for _, m in parsed.members if m.get("relation") == "head"), "")
        new_rows.append((values["area_code"][:6], values["area_code"], parsed.household_no, head,
                         values.get("address"), values.get("phone"), values["poverty_attribute"],
                         values["main_cause"], values.get("other_causes"), values["registration_year"],
                         "identified", len(parsed.members), values.get("has_vehicle"),
                         values.get("has_commercial_flat"), values.get("runs_business"), now, now, 1))
    household_columns = ["county_code", "area_code", "household_no", "head_name", "address", "phone",
                         "poverty_attribute", "main_cause", "other_causes", "registration_year", "status",
                         "member_count", "has_vehicle", "has_commercial_flat", "runs_business", "created_at",
                         "updated_at", "version"]
    ids: dict[str, int] = {n: v[0] for n, v in existing_households.items()}
    if connection.dialect.name == "postgresql" and new_rows:
        # Reserve ids from the sequence in one round trip, so households and members go out in one COPY each.
        reserved = connection.execute(select(func.array_agg(func.nextval("households_id_seq"))).select_from(
            func.generate_series(1, len(new_rows)))).scalar_one()
        new_rows = [(reserved[i], *row) for i, row in enumerate(new_rows)]
        bulk_insert(connection, Household.__table__, ["id", *household_columns], new_rows)
        ids.update({row[3]: row[0] for row in new_rows})
    else:
        bulk_insert(connection, Household.__table__, household_columns, new_rows)
        for chunk in _chunks([r[2] for r in new_rows]):
            ids.update(dict(connection.execute(select(Household.household_no, Household.id)
                                               .where(_member_of(Household.household_no, chunk, dialect))).all()))
    progress("写入", total // 3, total)

    changed_households = []
    if existing_households:
        current: dict[int, tuple] = {}
        existing_ids = [v[0] for v in existing_households.values()]
        for chunk in _chunks(existing_ids):
            for row in connection.execute(select(Household.id, Household.head_name,
                                                 *[getattr(Household, c) for c in HOUSEHOLD_COLUMNS])
                                          .where(_member_of(Household.id, chunk, dialect))):
                current[row[0]] = tuple(row[1:])
        for parsed in households:
            if parsed.household_no not in existing_households:
                continue
            household_id = existing_households[parsed.household_no][0]
            head = next((m["name"] for _, m in parsed.members if m.get("relation") == "head"), None)
            old = current[household_id]
            new = (head or old[0], *[parsed.values.get(c) if c in parsed.values else old[i + 1]
                                     for i, c in enumerate(HOUSEHOLD_COLUMNS)])
            if new != old:
                changed_households.append({"b_id": household_id, "head_name": new[0],
                                           **{c: new[i + 1] for i, c in enumerate(HOUSEHOLD_COLUMNS)}})
    if changed_households:
        stmt = (update(Household.__table__).where(Household.__table__.c.id == bindparam("b_id"))
                .values(head_name=bindparam("head_name"), **{c: bindparam(c) for c in HOUSEHOLD_COLUMNS},
                        version=Household.__table__.c.version + 1, updated_at=now))
        connection.execute(stmt, changed_households)

    # Members.
    new_people = []
    changed_people = []
    for parsed in households:
        household_id = ids[parsed.household_no]
        area_code = parsed.values["area_code"]
        for _line, member in parsed.members:
            existing = existing_persons.get(member["id_hash"])
            if existing is None:
                new_people.append((household_id, area_code[:6], area_code, member["id_number"], member["id_hash"],
                                   *[member.get(c) for c in PERSON_COLUMNS], True, 1))
            else:
                old = existing[5:]
                new = tuple(member.get(c) for c in PERSON_COLUMNS)
                if old != new:
                    changed_people.append({"b_id": existing[1], **dict(zip(PERSON_COLUMNS, new, strict=True))})
    bulk_insert(connection, Person.__table__,
                ["household_id", "county_code", "area_code", "id_number", "id_hash", *PERSON_COLUMNS, "active",
                 "version"], new_people)
    if changed_people:
        stmt = (update(Person.__table__).where(Person.__table__.c.id == bindparam("b_id"))
                .values(**{c: bindparam(c) for c in PERSON_COLUMNS}, version=Person.__table__.c.version + 1))
        connection.execute(stmt, changed_people)
    progress("写入", 2 * total // 3, total)

    existing_ids = {v[0] for v in existing_households.values()}
    touched = sorted({row[0] for row in new_people} & existing_ids)
    member_counts: dict[int, int] = {ids[p.household_no]: len(p.members) for p in households
                                     if p.household_no not in existing_households}
    for chunk in _chunks(touched + [v[0] for v in existing_households.values() if v[0] not in touched]):
        member_counts.update(dict(connection.execute(
            select(Person.household_id, func.count()).where(_member_of(Person.household_id, chunk, dialect),
                                                            Person.active)
            .group_by(Person.household_id)).all()))
    stale_counts = [{"b_id": hid, "member_count": member_counts.get(hid, 0)} for hid in touched
                    if hid in member_counts]
    if stale_counts:
        connection.execute(update(Household.__table__).where(Household.__table__.c.id == bindparam("b_id"))
                           .values(member_count=bindparam("member_count")), stale_counts)

    # Incomes, keyed by (household, year).
    income_rows = [(ids[p.household_no], p) for p in households if p.income is not None]
    existing_incomes: dict[tuple[int, int], tuple] = {}
    for chunk in _chunks([hid for hid, _ in income_rows if hid in existing_ids]):
        for row in connection.execute(select(HouseholdIncome.household_id, HouseholdIncome.year, HouseholdIncome.id,
                                             HouseholdIncome.members, *[getattr(HouseholdIncome, k) for k in AMOUNT_KEYS])
                                      .where(_member_of(HouseholdIncome.household_id, chunk, dialect))):
            existing_incomes[(row[0], row[1])] = tuple(row[2:])
    new_incomes, changed_incomes = [], []
    for household_id, parsed in income_rows:
        income = parsed.income
        assert income is not None
        amounts = [income.get(k) or Decimal("0.00") for k in AMOUNT_KEYS]
        members = member_counts.get(household_id, len(parsed.members))
        figures = IncomeFigures(*amounts, members=members)
        old = existing_incomes.get((household_id, income["income_year"]))
        if old is None:
            new_incomes.append((household_id, parsed.values["area_code"][:6], parsed.values["area_code"],
                                income["income_year"], members, *amounts, figures.net, figures.per_capita, 1))
        elif (old[1], *old[2:]) != (members, *amounts):
            changed_incomes.append({"b_id": old[0], "members": members, **dict(zip(AMOUNT_KEYS, amounts, strict=True)),
                                    "net_income": figures.net, "per_capita_net": figures.per_capita})
    bulk_insert(connection, HouseholdIncome.__table__,
                ["household_id", "county_code", "area_code", "year", "members", *AMOUNT_KEYS, "net_income",
                 "per_capita_net", "version"], new_incomes)
    if changed_incomes:
        table = HouseholdIncome.__table__
        connection.execute(update(table).where(table.c.id == bindparam("b_id")).values(
            members=bindparam("members"), **{k: bindparam(k) for k in AMOUNT_KEYS},
            net_income=bindparam("net_income"), per_capita_net=bindparam("per_capita_net"),
            version=table.c.version + 1), changed_incomes)

    household_of_person = {v[1]: v[2] for v in existing_persons.values()}
    household_of_income = {v[0]: k[0] for k, v in existing_incomes.items()}
    changed_ids = {c["b_id"] for c in changed_households}
    changed_ids |= {household_of_person[row["b_id"]] for row in changed_people}
    changed_ids |= {household_of_income[row["b_id"]] for row in changed_incomes}
    changed_ids |= {row[0] for row in new_incomes}
    changed_ids |= {row[0] for row in new_people}
    for parsed in households:
        household_id = ids[parsed.household_no]
        if parsed.household_no not in existing_households:
            report.inserted += 1
        elif household_id in changed_ids:
            report.updated += 1
        else:
            report.unchanged += 1
    progress("写入", total, total)
