"""Household, labour and village sheets: they describe records the member sheet brings in, so they update the
few fields fupin holds of records that exist already (households by 户编号, people by ID number through the keyed
hash), within the importer's scope, and list every other column as not held. A household or person not
registered yet (or outside the scope) is a row error: the member sheet comes first. All-or-nothing by default,
like every import; a second import of the same sheet changes nothing.

- 户信息: 联系电话, the 贫困户登记表's household facts (识别标准, 耕地面积, 危房等级 … `fields.NATIONAL_HOUSEHOLD_KEYS`;
  a blank cell keeps the value) and the income figures (the year: a 收入年度/年度 column, else the year before the
  import).
- 已外出务工信息: 务工所在地, 务工时间 of the person.
- 计划外出务工信息, 行政村信息: nothing fupin holds yet besides the names, which are checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select, update

from fupin.core.audit import AuditAction
from fupin.core.db import utcnow
from fupin.core.importing import ImportMode, ImportReport, RowError
from fupin.core.uow import UnitOfWork
from fupin.registry import errors, schemas
from fupin.registry.fields import FIELD_BY_KEY, NATIONAL_HOUSEHOLD_KEYS
from fupin.registry.idnumbers import id_hash
from fupin.registry.idrules import check_id_number
from fupin.registry.models import Household, HouseholdIncome, Person
from fupin.registry.national import vocab
from fupin.registry.national.areas import AreaResolver
from fupin.registry.national.translate import _clean, _text, columns_report
from fupin.registry.queries import chunked, households_by_number, id_holders
from fupin.registry.rules import Problem, land_problem
from fupin.registry.spreadsheets import Table, error_report
from fupin.registry.validation import parse_cell

AMOUNTS = ("wages", "production_income", "property_income", "transfer_income", "production_costs")
HOUSEHOLD_KEYS = ("phone", *NATIONAL_HOUSEHOLD_KEYS)  # what the household sheet writes on the household itself


def run(uow: UnitOfWork, filename: str, data: bytes, table: Table, *, mode: ImportMode, key: bytes,
        today: dt.date) -> Any:
    from fupin.registry.importer import RegistryImportResult

    found = table.national
    layout = found.layout
    held, not_held = columns_report(found)
    by_target = {c.target: i for i, c in found.columns.items()}
    header_of = {c.target: c.header for c in found.columns.values()}
    report = ImportReport(mode=mode, total=len(table.rows))
    codes: list[tuple[int, str, str]] = []
    reasons: dict[int, list[str]] = {}

    def cell(row: list[Any], target: str) -> Any:
        index = by_target.get(target)
        return _clean(row[index]) if index is not None and index < len(row) else None

    def refuse(line: int, target: str, problem: Problem, value: Any) -> None:
        header = header_of.get(target, FIELD_BY_KEY[target].header if target in FIELD_BY_KEY else target)
        report.errors.append(RowError(line, header, _text(value)[:60], problem.message))
        codes.append((line, target, problem.code.code))
        reasons.setdefault(line, []).append(f"[{header}] {problem.message}")

    resolver = AreaResolver(uow, False)
    paths = {tuple(_text(cell(row, t)) for t in ("@county", "@township", "@village", "@group")) for row in table.rows}
    resolver.prepare(paths)  # type: ignore[arg-type]
    numbers = sorted({str(cell(row, "household_no")) for row in table.rows if cell(row, "household_no") is not None})
    households = households_by_number(uow.session, numbers) if numbers else {}
    written = [k for k in HOUSEHOLD_KEYS if k in by_target] if layout.kind == "households" else []
    current = _current_households(uow, [h[0] for h in households.values()], written)
    ids: dict[int, str] = {}
    for offset, row in enumerate(table.rows):
        number = cell(row, "id_number")
        if number is not None:
            checked = check_id_number(_text(number), today)
            if checked.ok:
                ids[offset] = id_hash(key, checked.number)
            else:
                assert checked.problem is not None
                refuse(table.first_data_line + offset, "id_number",
                       Problem("id_number", checked.problem.code, checked.problem.values), number)
    holders = id_holders(uow.session, sorted(set(ids.values()))) if ids else {}

    household_changes: dict[int, dict[str, Any]] = {}
    incomes: dict[int, dict[str, Any]] = {}
    person_changes: dict[int, dict[str, Any]] = {}
    for offset, row in enumerate(table.rows):
        line = table.first_data_line + offset
        if all(_clean(c) is None for c in row):
            continue
        errors_before = len(report.errors) - sum(1 for e in report.errors if e.line == line)  # ID checks came first
        path = tuple(_text(cell(row, t)) for t in ("@county", "@township", "@village", "@group"))
        if "@village" in by_target:
            code, problem, column = resolver.resolve(*path)  # type: ignore[arg-type]
            if problem is not None:
                refuse(line, "@" + {"县": "county", "乡(镇)": "township", "村": "village", "组": "group"}.get(column, "village"),
                       problem, {"县": path[0], "乡(镇)": path[1], "村": path[2], "组": path[3]}.get(column, ""))
        if layout.kind == "households":
            number = cell(row, "household_no")
            existing = households.get(str(number)) if number is not None else None
            if existing is None or not uow.scope.contains(existing[1]):
                refuse(line, "household_no", Problem.of("household_no", errors.NATIONAL_HOUSEHOLD_UNKNOWN,
                                                        household_no=_text(number)[:32]), number)
                continue
            values: dict[str, Any] = {}
            for target in (*written, "income_year", *AMOUNTS):
                raw = cell(row, target)
                if raw is None:
                    continue
                if target in vocab.BY_TARGET:  # a coded field: the national wording → fupin's code
                    code = vocab.translate(target, _text(raw))
                    if code is vocab.MISSING:
                        refuse(line, target, Problem.of(target, errors.NATIONAL_BAD_VALUE, value=_text(raw)[:40],
                                                        label=header_of[target], options=vocab.options(target)), raw)
                    else:
                        values[target] = code
                    continue
                value, problem = parse_cell(FIELD_BY_KEY[target], raw, today)
                if problem is not None:
                    refuse(line, target, problem, raw)
                else:
                    values[target] = value
            stored = current.get(existing[0], {})
            land = land_problem(values.get("arable_land_mu", stored.get("arable_land_mu")),
                                values.get("irrigated_land_mu", stored.get("irrigated_land_mu")))
            if land is not None and ("arable_land_mu" in values or "irrigated_land_mu" in values):
                refuse(line, "irrigated_land_mu", land, values.get("irrigated_land_mu", ""))
            if len(report.errors) > errors_before:
                continue  # a row with a problem writes nothing
            change = {k: values[k] for k in written if k in values}
            if change:  # a blank cell keeps the value
                household_changes.setdefault(existing[0], {}).update(change)
            if any(k in values for k in AMOUNTS):
                incomes[existing[0]] = {"year": values.get("income_year", today.year - 1),
                                        **{k: values.get(k, Decimal("0")) for k in AMOUNTS}}
        elif layout.kind == "labour":
            digest = ids.get(offset)
            if digest is None:
                if cell(row, "id_number") is None:
                    refuse(line, "id_number", Problem.of("id_number", errors.ID_REQUIRED), "")
                continue
            holder = holders.get(digest)
            if holder is None or not uow.scope.contains(holder.area_code):
                refuse(line, "id_number", Problem.of("id_number", errors.NATIONAL_PERSON_UNKNOWN), "")
                continue
            change: dict[str, Any] = {}
            place = cell(row, "work_place")
            if place is not None:
                code = vocab.translate("work_place", _text(place))
                if code is vocab.MISSING:
                    refuse(line, "work_place", Problem.of("work_place", errors.NATIONAL_BAD_VALUE, value=_text(place)[:40],
                                                          label=header_of["work_place"], options=vocab.options("work_place")),
                           place)
                else:
                    change["work_place"] = code
            months = cell(row, "months_worked")
            if months is not None:
                value, problem = parse_cell(FIELD_BY_KEY["months_worked"], months, today)
                if problem is not None:
                    refuse(line, "months_worked", problem, months)
                else:
                    change["months_worked"] = value
            if change and layout.key == "labour_out" and len(report.errors) == errors_before:
                person_changes[holder.person_id] = change

    report.errors.sort(key=lambda e: (e.line, e.column))
    result = RegistryImportResult(report, codes=sorted(codes))
    result.national = {"layout": layout.key, "layout_title": layout.title, "columns_held": held,
                       "columns_not_held": not_held, "statuses_set": 0, "monitoring_started": 0, "groups_created": []}
    if report.errors:
        result.error_file = error_report(table, reasons)
        result.error_filename = filename.rsplit(".", 1)[0] + "_错误报告." + ("csv" if table.kind == "csv" else "xlsx")
        if mode == ImportMode.all_or_nothing:
            return result
    changed = _write_households(uow, household_changes, current) + _write_incomes(uow, incomes, today) \
        + _write_people(uow, person_changes)
    report.updated = changed
    report.unchanged = max(0, len(household_changes) + len(incomes) + len(person_changes) - changed)
    report.committed = True
    uow.audit(AuditAction.imported, "households" if layout.kind == "households" else "persons", None,
              area_code=uow.scope.prefix.ljust(12, "0") if uow.scope.prefix else None,
              detail={"file": filename, "sha256": hashlib.sha256(data).hexdigest(), "mode": mode.value,
                      "layout": layout.key, "rows": report.total, "updated": report.updated,
                      "invalid_rows": report.invalid_lines})
    return result


def _current_households(uow: UnitOfWork, ids: list[int], keys: list[str]) -> dict[int, dict[str, Any]]:
    """The stored values of the household fields the sheet writes (and the land areas, checked together)."""
    if not ids or not keys:
        return {}
    wanted = list(dict.fromkeys([*keys, "arable_land_mu", "irrigated_land_mu"]))
    table = Household.__table__
    out: dict[int, dict[str, Any]] = {}
    for chunk in chunked(sorted(ids)):
        for row in uow.session.execute(select(table.c.id, *(table.c[k] for k in wanted)).where(table.c.id.in_(chunk))):
            out[row[0]] = dict(zip(wanted, row[1:], strict=True))
    return out


def _write_households(uow: UnitOfWork, changes: dict[int, dict[str, Any]], current: dict[int, dict[str, Any]]) -> int:
    """Set-based: one statement for the households whose values differ (all written columns, merged with the
    stored values, so a blank cell keeps the value)."""
    changed = {hid: c for hid, c in changes.items() if any(current.get(hid, {}).get(k) != v for k, v in c.items())}
    if not changed:
        return 0
    keys = sorted({k for c in changed.values() for k in c})
    rows = [{"b_id": hid, **{f"b_{k}": c.get(k, current[hid].get(k)) for k in keys}} for hid, c in changed.items()]
    table = Household.__table__
    uow.session.execute(update(table).where(table.c.id == bindparam("b_id")).values(
        **{k: bindparam(f"b_{k}") for k in keys}, version=table.c.version + 1, updated_at=utcnow()), rows)
    return len(rows)


def _write_incomes(uow: UnitOfWork, incomes: dict[int, dict[str, Any]], today: dt.date) -> int:
    from fupin.registry import service

    changed = 0
    for household_id, figures in sorted(incomes.items()):
        existing = uow.session.execute(select(HouseholdIncome).where(
            HouseholdIncome.household_id == household_id, HouseholdIncome.year == figures["year"])).scalar_one_or_none()
        if existing is not None and all(getattr(existing, k) == figures[k] for k in AMOUNTS):
            continue
        service.record_income(uow, household_id, schemas.IncomeCreate(**figures), today=today)
        changed += 1
    return changed


def _write_people(uow: UnitOfWork, changes: dict[int, dict[str, Any]]) -> int:
    if not changes:
        return 0
    current = {row[0]: row[1:] for row in uow.session.execute(
        select(Person.id, Person.work_place, Person.months_worked).where(Person.id.in_(list(changes))))}
    rows = []
    for person_id, change in changes.items():
        old_place, old_months = current[person_id]
        place, months = change.get("work_place", old_place), change.get("months_worked", old_months)
        if (place, months) != (old_place, old_months):
            rows.append({"b_id": person_id, "b_place": place, "b_months": months})
    if rows:
        table = Person.__table__
        uow.session.execute(update(table).where(table.c.id == bindparam("b_id")).values(
            work_place=bindparam("b_place"), months_worked=bindparam("b_months"), version=table.c.version + 1), rows)
    return len(rows)
