"""Mechanics of the registry import (the use case is `service.import_registry`): read the workbook, validate
every row with the same rules as the household form (`rules.py`, `validation.py`), then upsert households,
members and incomes in bulk. Nothing here decides what a valid household is.

All-or-nothing (default): any error and nothing is written. Skip-invalid: a household with any bad row is
skipped whole (its other rows say so), all other households are written. Upserts key on the household number
and the ID number's keyed hash, so importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from fupin.areas.queries import levels_of
from fupin.core.audit import AuditAction
from fupin.core.db import Database, begin_savepoint, bulk_insert, has_uncommitted_writes, is_in_memory, utcnow
from fupin.core.importing import ImportMode, ImportReport, RowError, gc_paused
from fupin.core.pipeline import PipelineFailed, forked
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.registry import errors as codes
from fupin.registry.fields import (
    FIELD_BY_KEY,
    HOUSEHOLD_FIELDS,
    INCOME_FIELDS,
    NATIONAL_HOUSEHOLD_KEYS,
    NATIONAL_PERSON_KEYS,
    PERSON_FIELDS,
)
from fupin.registry.idnumbers import id_hash
from fupin.registry.models import Household, HouseholdIncome, Person
from fupin.registry.queries import PERSON_COLUMNS, chunked, households_by_number, id_holders, member_of
from fupin.registry.rules import (
    TRANSFER_PARTS,
    Holder,
    IncomeFigures,
    Problem,
    area_problem,
    has_control_characters,
    head_problem,
    holder_problem,
    household_no_problem,
    land_problem,
    registration_year_problem,
    tidy_other_causes,
)
from fupin.registry.spreadsheets import Table, cell_text, error_report, read_table
from fupin.registry.validation import check_income, complete_income, complete_person, parse_cell

Progress = Callable[[str, int, int], None]
_BLANK = None  # what a blank cell parses to

HOUSEHOLD_KEYS = [f.key for f in HOUSEHOLD_FIELDS]
PERSON_KEYS = [f.key for f in PERSON_FIELDS]
INCOME_KEYS = [f.key for f in INCOME_FIELDS]
HOUSEHOLD_COLUMNS = ["area_code", "address", "phone", "poverty_attribute", "main_cause", "other_causes",
                     "registration_year", "has_vehicle", "has_commercial_flat", "runs_business",
                     *NATIONAL_HOUSEHOLD_KEYS]
FIGURE_KEYS = ["wages", "production_income", "property_income", "transfer_income", "production_costs"]
AMOUNT_KEYS = [*FIGURE_KEYS, *TRANSFER_PARTS]  # what an income row stores; IncomeFigures takes FIGURE_KEYS
# A valid member is a plain tuple (line, ID number, ID hash, *PERSON_COLUMNS): compact to send between processes
# and already in the order the persons table is written.
MEMBER_LINE, MEMBER_ID_NUMBER, MEMBER_ID_HASH, MEMBER_VALUES = 0, 1, 2, 3
MEMBER_NAME = MEMBER_VALUES + PERSON_COLUMNS.index("name")
MEMBER_RELATION = MEMBER_VALUES + PERSON_COLUMNS.index("relation")
_KEPT_WHEN_BLANK = frozenset(PERSON_COLUMNS.index(k) for k in ("id_number_original", *NATIONAL_PERSON_KEYS))


@dataclass
class ParsedHousehold:
    household_no: str
    lines: list[int] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    income: dict[str, Any] | None = None
    members: list[tuple[Any, ...]] = field(default_factory=list)  # see MEMBER_LINE …
    income_figures: tuple[Any, ...] | None = None  # (members, *AMOUNT_KEYS, net, per capita) as validated

    def __reduce__(self) -> tuple[Any, ...]:  # pickled as one constructor call (sent between processes)
        return ParsedHousehold, (self.household_no, self.lines, self.values, self.income, self.members,
                                 self.income_figures)


@dataclass
class RegistryImportResult:
    report: ImportReport
    error_file: bytes | None = None
    error_filename: str | None = None
    codes: list[tuple[int, str, str]] = field(default_factory=list)  # (line, field, error code) per error
    national: dict[str, Any] | None = None  # a national layout's summary (registry.national): columns not held …
    notices: list[RowError] = field(default_factory=list)  # rows the import changed as it read them


class _Errors:
    def __init__(self) -> None:
        self.items: list[RowError] = []
        self.codes: list[tuple[int, str, str]] = []
        self.by_line: dict[int, list[str]] = {}
        self.keys: set[tuple[int, str]] = set()
        self.notices: list[RowError] = []  # not errors: what the import changed as it read (a 15-digit ID number)

    def notice(self, line: int, key: str, value: Any, reason: str) -> None:
        self.notices.append(RowError(line, FIELD_BY_KEY[key].header, cell_text(value), reason))

    def add(self, line: int, problem: Problem, value: Any = None, key: str | None = None,
            header: str | None = None) -> None:
        key = key or problem.field
        header = header or (FIELD_BY_KEY[key].header if key in FIELD_BY_KEY else key)
        reason = problem.message
        self.items.append(RowError(line, header, cell_text(value), reason))
        self.codes.append((line, key, problem.code.code))
        self.by_line.setdefault(line, []).append(f"[{header}] {reason}")
        self.keys.add((line, key))

    def extend(self, other: _Errors) -> None:
        self.items.extend(other.items)
        self.codes.extend(other.codes)
        for line, reasons in other.by_line.items():
            self.by_line.setdefault(line, []).extend(reasons)
        self.keys |= other.keys
        self.notices.extend(other.notices)


def _parse_distinct(field_def: Any, column: Sequence[Any], today: dt.date) -> tuple[dict[Any, Any], bool]:
    """Parse each distinct value of a column once: value → (typed value, error, shown) or None when blank.

    True/1 and False/0 hash alike but read differently ("True" vs "1"), so a column holding booleans is keyed
    by (is-bool, value) instead (the second element of the result says so)."""
    distinct = set(column)
    keyed_by_type = any(type(v) is bool for v in distinct)
    if keyed_by_type:
        distinct = {(type(v) is bool, v) for v in column}
    results: dict[Any, Any] = {}
    fast_text = field_def.kind == "text"
    for key in distinct:
        value = key[1] if keyed_by_type else key
        if value is None:
            results[key] = _BLANK
            continue
        if type(value) is str:
            value = value.strip()
            if not value:
                results[key] = _BLANK
                continue
        if fast_text and type(value) is str and len(value) <= field_def.max_length \
                and not has_control_characters(value):
            results[key] = (value, None, value)
            continue
        parsed, error = parse_cell(field_def, value, today, False)
        results[key] = (parsed, error, value)
    return results, keyed_by_type


def _parse_rows(table: Table, start: int, stop: int, today: dt.date, errors: _Errors, progress: Progress,
                hash_key: bytes | None = None) -> tuple[dict[str, ParsedHousehold], dict[str, int]]:
    """Validate rows[start:stop]. Works column by column: each distinct value of a column is parsed once (codes,
    areas, years and amounts repeat across rows), only columns that hold something are visited, and the per-row
    pass touches only filled cells. Returns the households and the line of each ID number's first row."""
    total = stop - start
    first_line = table.first_data_line + start
    last_index = max(table.columns)
    rows = [row if len(row) > last_index else [*row, *([None] * (last_index + 1 - len(row)))]
            for row in table.rows[start:stop]]
    progress("校验", 0, total)

    values: dict[str, list[Any]] = {}  # key -> typed value per row (None: blank or bad)
    shown: dict[str, Sequence[Any]] = {}  # key -> the cell as written, for error messages (filled columns only)
    row_errors: dict[int, dict[str, Problem]] = {}  # offset -> key -> problem
    filled: dict[str, tuple[dict[Any, Any], bool, Sequence[Any]]] = {}
    transposed = list(zip(*rows, strict=False))
    for index, key in sorted(table.columns.items()):
        field_def = FIELD_BY_KEY[key]
        column = transposed[index]
        results, keyed_by_type = _parse_distinct(field_def, column, today)
        if all(r is _BLANK for r in results.values()):
            continue
        filled[key] = (results, keyed_by_type, column)
        keys = [(type(v) is bool, v) for v in column] if keyed_by_type else column
        typed = {k: r[0] for k, r in results.items() if r is not None and r[1] is None}
        values[key] = list(map(typed.get, keys))
        shown[key] = column
        bad = {k: r[1] for k, r in results.items() if r is not None and r[1] is not None}
        if bad:
            for offset, k in enumerate(keys):
                if k in bad:
                    row_errors.setdefault(offset, {})[key] = bad[k]
    progress("校验", total // 3, total)

    def is_blank(key: str, offset: int) -> bool:
        results, keyed_by_type, column = filled[key]
        value = column[offset]
        return results[(type(value) is bool, value) if keyed_by_type else value] is _BLANK

    # A row is empty when every filled column is blank on it; only rows without a household number can be.
    numbers = values.get("household_no", [None] * total)
    empty_rows = {offset for offset in range(total) if numbers[offset] is None and offset not in row_errors
                  and all(is_blank(key, offset) for key in filled)}

    levels = {key: f.level for key, f in FIELD_BY_KEY.items()}
    injected = table.row_problems or {}  # a national sheet's own problems (registry.national), by row offset
    household_columns = [(k, values[k]) for k in HOUSEHOLD_KEYS if k in values and k != "household_no"]
    person_columns = [(k, values[k]) for k in PERSON_KEYS if k in values]
    income_columns = [(k, values[k]) for k in INCOME_KEYS if k in values]
    person_required = [k for k in PERSON_KEYS if FIELD_BY_KEY[k].required]

    def shown_value(key: str, offset: int) -> Any:
        column = shown.get(key)
        if column is None:
            return None
        value = column[offset]
        return value.strip() if type(value) is str else value

    households: dict[str, ParsedHousehold] = {}
    seen_ids: dict[str, tuple[int, str | None]] = {}  # ID number -> (first line, its household number)
    dates: dict[dt.date, dt.date] = {}
    for offset in range(total):
        if offset in empty_rows:
            continue
        line = first_line + offset
        cell_errors = row_errors.get(offset, {})
        pre = injected.get(start + offset) if injected else None
        if pre:
            cell_errors = {**{k: p for k, (p, _v, _h) in pre.items()}, **cell_errors}
        household_errors = {k: r for k, r in cell_errors.items() if levels.get(k, "household") == "household"}
        person_errors = {k: r for k, r in cell_errors.items() if levels.get(k) == "person"}
        income_errors = {k: r for k, r in cell_errors.items() if levels.get(k) == "income"}
        household_no = numbers[offset]
        if household_no is None and "household_no" not in household_errors:
            household_errors["household_no"] = Problem.of("household_no", codes.REQUIRED, label="户编号")
        person_values = {k: column[offset] for k, column in person_columns if column[offset] is not None}
        for key in person_required:
            if key not in person_values and key not in person_errors:
                person_errors[key] = Problem.of(key, codes.REQUIRED, label=FIELD_BY_KEY[key].header)
        complete_person(person_values, person_errors, shown_value("id_number", offset))
        if person_values.get("id_number_original") is not None and "id_number" not in person_errors \
                and "id_number_original" not in shown:
            errors.notice(line, "id_number", shown_value("id_number", offset),
                          f"15位身份证号已升级为18位:{person_values['id_number']},原号码保存在“原15位身份证号”")
        income_values = {k: column[offset] for k, column in income_columns if column[offset] is not None}
        year = income_values.get("income_year")
        if year is not None and 2013 <= year <= today.year:
            has_income = True  # what check_income says for a row with a year in range, without the call
        else:
            has_income = bool(income_values or income_errors) and check_income(income_values, income_errors, today)
        if has_income and not income_errors:
            complete_income(income_values, income_errors)
        for key, problem in {**household_errors, **person_errors, **income_errors}.items():
            if pre and key in pre and pre[key][0] is problem:
                errors.add(line, problem, pre[key][1], key, pre[key][2])
            else:
                errors.add(line, problem, shown_value(key, offset), key)
        if household_no is None:
            continue
        parsed = households.get(household_no)
        if parsed is None:
            parsed = households[household_no] = ParsedHousehold(household_no)
        parsed.lines.append(line)
        # Household columns may be filled on one row only; repeated values must agree.
        for key, column in household_columns:
            value = column[offset]
            if value is None:
                continue
            previous = parsed.values.get(key)
            if previous is None:
                parsed.values[key] = value
            elif previous != value:
                errors.add(line, Problem.of(key, codes.ROWS_DISAGREE, household_no=household_no,
                                            label=FIELD_BY_KEY[key].header), shown_value(key, offset))
        if has_income and not income_errors:
            if parsed.income is None:
                parsed.income = income_values
            elif parsed.income != income_values and any(parsed.income.get(k) != v for k, v in income_values.items()):
                errors.add(line, Problem.of("income_year", codes.INCOMES_DISAGREE), shown_value("income_year", offset))
        number = person_values.get("id_number")
        if number is not None:
            if number in seen_ids:
                first_line, first_household = seen_ids[number]
                # Twice in one household is the form's "repeated in the household"; in two, a repeated row.
                problem = (Problem.of("id_number", codes.ID_REPEATED_IN_HOUSEHOLD) if first_household == household_no
                           else Problem.of("id_number", codes.ID_REPEATED_IN_FILE, line=first_line))
                errors.add(line, problem, shown_value("id_number", offset))
            else:
                seen_ids[number] = (line, household_no)
        if not person_errors:
            birth_date = person_values.get("birth_date")
            person_values["birth_date"] = dates.setdefault(birth_date, birth_date)  # one object per day
            parsed.members.append((line, person_values["id_number"],
                                   None if hash_key is None else id_hash(hash_key, person_values["id_number"]),
                                   *map(person_values.get, PERSON_COLUMNS)))
        if offset % 20000 == 0:
            progress("校验", total // 3 + offset * 2 // 3, total)
    progress("校验", total, total)
    return households, seen_ids


def _finish_households(households: dict[str, ParsedHousehold], today: dt.date, errors: _Errors) -> None:
    """The checks of a whole household (rules.py, as the form makes them), once all its rows are read."""
    for parsed in households.values():
        first = parsed.lines[0]
        problem = registration_year_problem(parsed.values.get("registration_year"), today)
        if problem is not None:
            errors.add(first, problem, parsed.values.get("registration_year"))
        problem = land_problem(parsed.values.get("arable_land_mu"), parsed.values.get("irrigated_land_mu"))
        if problem is not None:
            errors.add(first, problem, parsed.values.get("irrigated_land_mu"))
        if parsed.values.get("other_causes"):
            parsed.values["other_causes"] = tidy_other_causes(parsed.values.get("main_cause"),
                                                              parsed.values["other_causes"])
        for field_def in HOUSEHOLD_FIELDS:
            if field_def.required and field_def.key not in parsed.values and field_def.key != "household_no":
                if not any((line, field_def.key) in errors.keys for line in parsed.lines):
                    errors.add(first, Problem.of(field_def.key, codes.HOUSEHOLD_FIELD_MISSING, label=field_def.header))
        if len(parsed.members) == len(parsed.lines):  # every row a valid member: the household is complete
            problem = head_problem([m[MEMBER_RELATION] for m in parsed.members], field="relation")
            if problem is not None:
                errors.add(first, problem, "")


@dataclass
class _Chunk:
    """Rows [start:stop] of the sheet, validated: their households, the line of each ID number (emptied once the
    validating process has checked them against the other chunks), the errors."""

    households: dict[str, ParsedHousehold]
    seen_ids: dict[str, tuple[int, str | None]]
    errors: _Errors
    stop: int
    # The chunk's rows already in the database (households, persons), when the validating process looked them
    # up itself; None: this process looks them up.
    existing: tuple[dict[str, tuple[int, str, int]], dict[str, tuple]] | None = None


class _PipelineFailed(Exception):
    """The chunked import cannot give the whole-sheet result (a household or an ID number in two chunks, the
    validating process died): the sheet is imported again in one piece."""


def validate_rows(table: Table, start: int, stop: int, today: dt.date, key: bytes | None = None,
                  progress: Progress | None = None) -> _Chunk:
    """Validate rows[start:stop] into households, with every problem that the rows alone show (no database)."""
    errors = _Errors()
    households, seen_ids = _parse_rows(table, start, stop, today, errors, progress or (lambda *_: None), key)
    _finish_households(households, today, errors)
    for parsed in households.values():
        if parsed.income is not None:
            parsed.income_figures = _income_figures(parsed.income, len(parsed.members))
    return _Chunk(households, seen_ids, errors, stop)


_NO_AMOUNT = Decimal("0.00")  # one object: pickled once per chunk


def _income_figures(income: dict[str, Any], members: int) -> tuple[Any, ...]:
    """(members, *amounts, net income, per-capita net income) of an income row for a household of `members`."""
    amounts = [income.get(k) or _NO_AMOUNT for k in AMOUNT_KEYS]
    figures = IncomeFigures(*amounts[:len(FIGURE_KEYS)], members=members)
    return (members, *amounts, figures.net, figures.per_capita)


# A sheet this large is validated by a forked process, chunk by chunk, while this one checks each chunk against
# the database and writes it: the machine class has two cores, and validating and writing each take about half
# of an import. The first chunks are small (then doubling) so that writing starts early.
PIPELINE_MIN_ROWS = 20_000
FIRST_CHUNK_ROWS = 1_000
CHUNK_ROWS = 5_000


def _chunk_bounds(table: Table) -> list[tuple[int, int]]:
    """Consecutive row ranges covering the sheet, each ending where the household number changes."""
    total = len(table.rows)
    bounds: list[tuple[int, int]] = []
    start, size = 0, FIRST_CHUNK_ROWS
    while start < total:
        stop = total if start + size >= total else (_split_point(table, start + size) or total)
        bounds.append((start, stop))
        start, size = stop, min(2 * size, CHUNK_ROWS)
    return bounds


def _split_point(table: Table, middle: int) -> int | None:
    """The first row at or after `middle` that starts a new household number (None: no such row)."""
    index = next((i for i, key in table.columns.items() if key == "household_no"), None)
    if index is None or middle <= 0:
        return None
    rows = table.rows

    def number(i: int) -> Any:
        row = rows[i]
        value = row[index] if len(row) > index else None
        return value.strip() if type(value) is str else value

    before = number(middle - 1)
    for i in range(middle, len(rows)):
        if number(i) != before:
            return i
    return None


class _ChildValidation:
    """What the validating process does with each chunk (core.pipeline runs it in a forked child): validate the
    rows, make sure no household or ID number spans two chunks (else stop: None), and with `lookups` (database
    URL, caller's scope) check the chunk against the database over a connection of its own — the rows as
    committed before the import, which is what this process's transaction would see of a chunk's keys, since
    chunks share no household or ID number and nothing else was written."""

    def __init__(self, table: Table, today: dt.date, key: bytes, lookups: tuple[str, Scope] | None) -> None:
        self.table, self.today, self.key, self.lookups = table, today, key, lookups
        self.numbers: set[str] = set()
        self.ids: set[str] = set()
        self.levels: dict[str, str | None] = {}

    def open(self) -> Database | None:
        return Database(self.lookups[0]) if self.lookups else None

    @staticmethod
    def close(database: Database | None) -> None:
        if database is not None:
            database.dispose()

    def __call__(self, bounds: tuple[int, int], database: Database | None) -> _Chunk | None:
        chunk = validate_rows(self.table, bounds[0], bounds[1], self.today, self.key)
        if not self.numbers.isdisjoint(chunk.households) or not self.ids.isdisjoint(chunk.seen_ids):
            # The whole-sheet checks (rows of a household that agree, a person listed twice) would span chunks.
            return None
        self.numbers.update(chunk.households)
        self.ids.update(chunk.seen_ids)
        chunk.seen_ids = {}  # checked here; the writer does not need them
        if database is not None and self.lookups is not None:
            with database.session_factory() as session:
                chunk.existing = _validate_against_database(session, self.lookups[1], chunk.households, chunk.errors,
                                                            self.levels)
        return chunk


def _chunks_from_child(table: Table, bounds: list[tuple[int, int]], today: dt.date, key: bytes,
                       lookups: tuple[str, Scope] | None) -> Iterator[_Chunk]:
    """The chunks validated by a forked child (core.pipeline), each as soon as it is done."""
    work = _ChildValidation(table, today, key, lookups)
    results = forked(bounds, work, state=work.open, close=work.close)
    try:
        for chunk in results:
            if chunk is None:
                raise _PipelineFailed
            yield chunk
    except PipelineFailed:
        raise _PipelineFailed from None
    finally:
        results.close()  # the child is reaped before anything else happens


def _validate_against_database(session: Session, scope: Scope, households: dict[str, ParsedHousehold],
                               errors: _Errors, levels: dict[str, str | None],
                               ) -> tuple[dict[str, tuple[int, str, int]], dict[str, tuple]]:
    """The household rules that need the database, as the form applies them (rules.py, the one conflict query):
    the area exists, lies in scope and is a village or group; the household number, if it exists, is in scope;
    no ID number is active in another household. Returns the existing rows. `levels` caches each area code's
    level (None: no such area) across the chunks of one import."""
    codes_wanted = sorted({h.values["area_code"] for h in households.values() if "area_code" in h.values}
                          - levels.keys())
    if codes_wanted:
        found = levels_of(session, codes_wanted)
        levels.update({code: found.get(code) for code in codes_wanted})
    for parsed in households.values():
        code = parsed.values.get("area_code")
        if code is None:
            continue
        problem = area_problem(code, levels[code], scope)
        if problem is not None:
            errors.add(parsed.lines[0], problem, code)

    existing_households = households_by_number(session, list(households))
    for number, (_id, area_code, _v) in existing_households.items():
        problem = household_no_problem(area_code, number, scope, new_household=False)
        if problem is not None:
            errors.add(households[number].lines[0], problem, number)

    digests = [member[MEMBER_ID_HASH] for parsed in households.values() for member in parsed.members]
    held = id_holders(session, digests) if digests else {}
    existing_persons: dict[str, tuple] = {
        digest: (digest, h.person_id, h.household_id, h.household_no, h.version, *h.values) for digest, h in held.items()}
    if held:
        for parsed in households.values():
            for member in parsed.members:
                holder = held.get(member[MEMBER_ID_HASH])
                if holder is None:
                    continue
                problem = holder_problem(Holder(holder.household_no, holder.area_code), parsed.household_no, scope)
                if problem is not None:
                    errors.add(member[MEMBER_LINE], problem, "")
    return existing_households, existing_persons


def run_import(uow: UnitOfWork, filename: str, data: bytes, *, mode: ImportMode, key: bytes, today: dt.date,
               progress: Progress | None = None) -> RegistryImportResult:
    """The import inside the caller's open unit of work (service.import_registry opens it and checks the
    permission first)."""
    with gc_paused():
        return _import_registry(uow, filename, data, mode=mode, key=key, today=today,
                                progress=progress or (lambda _phase, _done, _total: None))


def _import_registry(uow: UnitOfWork, filename: str, data: bytes, *, mode: ImportMode, key: bytes, today: dt.date,
                     progress: Progress) -> RegistryImportResult:
    report = ImportReport(mode=mode)
    progress("读取", 0, 1)
    table = read_table(filename, data)
    national = None
    if table.national is not None:  # a national system's sheet (registry.national): translated, or its own path
        from fupin.registry.national import translate, updates

        if table.national.layout.kind != "members":
            return updates.run(uow, filename, data, table, mode=mode, key=key, today=today)
        table, national = translate.translate_members(uow, table, today)
    progress("读取", 1, 1)
    total = report.total = len(table.rows)
    errors = None
    if total >= PIPELINE_MIN_ROWS and (os.cpu_count() or 1) >= 2:
        errors = _import_pipelined(uow, table, mode=mode, key=key, today=today, report=report, progress=progress)
    if errors is None:
        whole = validate_rows(table, 0, total, today, key, lambda phase, done, _t: progress(phase, done, total))
        errors = _check_and_write(uow, [whole], total, mode=mode, report=report, progress=progress)

    order = sorted(range(len(errors.items)), key=lambda i: (errors.items[i].line, errors.items[i].column))
    report.errors = [errors.items[i] for i in order]
    result = RegistryImportResult(report, codes=[errors.codes[i] for i in order],
                                  notices=sorted(errors.notices, key=lambda n: n.line))
    if report.errors:
        result.error_file = error_report(table, errors.by_line)
        result.error_filename = filename.rsplit(".", 1)[0] + "_错误报告." + ("csv" if table.kind == "csv" else "xlsx")
    report.committed = not (report.errors and mode == ImportMode.all_or_nothing)
    if national is not None:
        from fupin.registry.national import translate

        translate.finish(uow, national, result, today)
    if not report.committed:
        return result
    uow.audit(AuditAction.imported, "households", None,
              area_code=uow.scope.prefix.ljust(12, "0") if uow.scope.prefix else None,
              detail={"file": filename, "sha256": hashlib.sha256(data).hexdigest(), "mode": mode.value,
                      "rows": report.total, "inserted": report.inserted, "updated": report.updated,
                      "unchanged": report.unchanged, "invalid_rows": report.invalid_lines})
    return result


def _import_pipelined(uow: UnitOfWork, table: Table, *, mode: ImportMode, key: bytes, today: dt.date,
                      report: ImportReport, progress: Progress) -> _Errors | None:
    """Write each chunk as soon as it is validated, inside a savepoint: all-or-nothing mode rolls the written
    chunks back once an error turns up. None when the sheet must be imported in one piece instead."""
    bounds = _chunk_bounds(table)
    if len(bounds) < 2:
        return None
    # The child may check the database itself when it can open the same database and this transaction has
    # written nothing yet (then both see the same rows).
    lookups = None if is_in_memory(uow.db.url) or has_uncommitted_writes(uow.session) else (uow.db.url, uow.scope)
    savepoint = begin_savepoint(uow.session)
    chunks = _chunks_from_child(table, bounds, today, key, lookups)
    try:
        errors = _check_and_write(uow, chunks, len(table.rows), mode=mode, report=report, progress=progress)
    except _PipelineFailed:
        errors = None
    except BaseException:
        savepoint.rollback()
        raise
    finally:
        chunks.close()  # the child is gone (reaped) before anything else happens
    if errors is None or (errors.items and mode == ImportMode.all_or_nothing):
        savepoint.rollback()
        report.inserted = report.updated = report.unchanged = 0
    else:
        savepoint.commit()
    return errors


def _check_and_write(uow: UnitOfWork, chunks: Iterable[_Chunk], total: int, *, mode: ImportMode,
                     report: ImportReport, progress: Progress) -> _Errors:
    """Check each validated chunk against the database and write what may be written: in all-or-nothing mode
    nothing from the first error on (the caller undoes what came before), in skip-invalid mode every household
    without a bad row. Chunks share no household or ID number (the chunked path makes sure)."""
    errors = _Errors()
    area_levels: dict[str, str | None] = {}
    for chunk in chunks:
        if chunk.existing is None:
            chunk.existing = _validate_against_database(uow.session, uow.scope, chunk.households, chunk.errors,
                                                        area_levels)
        existing_households, existing_persons = chunk.existing
        errors.extend(chunk.errors)
        progress("校验", chunk.stop, total)
        bad_lines = set(chunk.errors.by_line)
        if bad_lines and mode == ImportMode.skip_invalid:
            for parsed in chunk.households.values():
                if bad_lines.intersection(parsed.lines):
                    for line in parsed.lines:
                        if line not in errors.by_line:
                            errors.by_line.setdefault(line, []).append(codes.HOUSEHOLD_SKIPPED)
        if errors.items and mode == ImportMode.all_or_nothing:
            continue  # nothing more is written; the remaining chunks are still checked, for the report
        writable = [h for h in chunk.households.values() if not bad_lines.intersection(h.lines)]
        _write(uow, writable, existing_households, existing_persons, report)
        progress("写入", chunk.stop, total)
    return errors


def _write(uow: UnitOfWork, households: list[ParsedHousehold], existing_households: dict[str, tuple[int, str, int]],
           existing_persons: dict[str, tuple], report: ImportReport) -> None:
    session = uow.session
    connection = session.connection()
    dialect = connection.dialect.name
    now = utcnow()

    # Households: insert the new ones, update the changed ones.
    new_rows = []
    for parsed in households:
        if parsed.household_no in existing_households:
            continue
        values = parsed.values
        head = next((m[MEMBER_NAME] for m in parsed.members if m[MEMBER_RELATION] == "head"), "")
        new_rows.append((values["area_code"][:6], values["area_code"], parsed.household_no, head,
                         values.get("address"), values.get("phone"), values["poverty_attribute"],
                         values["main_cause"], values.get("other_causes"), values["registration_year"],
                         "identified", len(parsed.members), values.get("has_vehicle"),
                         values.get("has_commercial_flat"), values.get("runs_business"), now, now, 1,
                         *map(values.get, NATIONAL_HOUSEHOLD_KEYS)))
    household_columns = ["county_code", "area_code", "household_no", "head_name", "address", "phone",
                         "poverty_attribute", "main_cause", "other_causes", "registration_year", "status",
                         "member_count", "has_vehicle", "has_commercial_flat", "runs_business", "created_at",
                         "updated_at", "version", *NATIONAL_HOUSEHOLD_KEYS]
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
        for chunk in chunked([r[2] for r in new_rows]):
            ids.update(dict(connection.execute(select(Household.household_no, Household.id)
                                               .where(member_of(Household.household_no, chunk, dialect))).all()))

    changed_households = []
    if existing_households:
        current: dict[int, tuple] = {}
        existing_ids = [v[0] for v in existing_households.values()]
        for chunk in chunked(existing_ids):
            for row in connection.execute(select(Household.id, Household.head_name,
                                                 *[getattr(Household, c) for c in HOUSEHOLD_COLUMNS])
                                          .where(member_of(Household.id, chunk, dialect))):
                current[row[0]] = tuple(row[1:])
        for parsed in households:
            if parsed.household_no not in existing_households:
                continue
            household_id = existing_households[parsed.household_no][0]
            head = next((m[MEMBER_NAME] for m in parsed.members if m[MEMBER_RELATION] == "head"), None)
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
        county_code = area_code[:6]
        for member in parsed.members:
            existing = existing_persons.get(member[MEMBER_ID_HASH])
            if existing is None:
                new_people.append((household_id, county_code, area_code, *member[MEMBER_ID_NUMBER:], True, 1))
            else:
                old = existing[5:]
                new = member[MEMBER_VALUES:]
                if any(new[i] is None and old[i] is not None for i in _KEPT_WHEN_BLANK):
                    # a blank cell (or a file without the column) keeps the original 15-digit number and the
                    # national form's member fields: an 18-digit re-import or a national file of fewer columns
                    new = tuple(old[i] if i in _KEPT_WHEN_BLANK and v is None else v for i, v in enumerate(new))
                if old != new:
                    changed_people.append({"b_id": existing[1], **dict(zip(PERSON_COLUMNS, new, strict=True))})
    bulk_insert(connection, Person.__table__,
                ["household_id", "county_code", "area_code", "id_number", "id_hash", *PERSON_COLUMNS, "active",
                 "version"], new_people)
    if changed_people:
        stmt = (update(Person.__table__).where(Person.__table__.c.id == bindparam("b_id"))
                .values(**{c: bindparam(c) for c in PERSON_COLUMNS}, version=Person.__table__.c.version + 1))
        connection.execute(stmt, changed_people)

    existing_ids = {v[0] for v in existing_households.values()}
    touched = sorted({row[0] for row in new_people} & existing_ids)
    member_counts: dict[int, int] = {ids[p.household_no]: len(p.members) for p in households
                                     if p.household_no not in existing_households}
    for chunk in chunked(touched + [v[0] for v in existing_households.values() if v[0] not in touched]):
        member_counts.update(dict(connection.execute(
            select(Person.household_id, func.count()).where(member_of(Person.household_id, chunk, dialect),
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
    for chunk in chunked([hid for hid, _ in income_rows if hid in existing_ids]):
        for row in connection.execute(select(HouseholdIncome.household_id, HouseholdIncome.year, HouseholdIncome.id,
                                             HouseholdIncome.members, *[getattr(HouseholdIncome, k) for k in AMOUNT_KEYS])
                                      .where(member_of(HouseholdIncome.household_id, chunk, dialect))):
            existing_incomes[(row[0], row[1])] = tuple(row[2:])
    new_incomes, changed_incomes = [], []
    for household_id, parsed in income_rows:
        income = parsed.income
        assert income is not None
        members = member_counts.get(household_id, len(parsed.members))
        figures = parsed.income_figures
        if figures is None or figures[0] != members:  # the database holds other members too
            figures = _income_figures(income, members)
        old = existing_incomes.get((household_id, income["income_year"]))
        if old is None:
            new_incomes.append((household_id, parsed.values["area_code"][:6], parsed.values["area_code"],
                                income["income_year"], *figures, 1))
        elif (old[1], *old[2:]) != figures[: 1 + len(AMOUNT_KEYS)]:
            changed_incomes.append({"b_id": old[0], "members": members,
                                    **dict(zip(AMOUNT_KEYS, figures[1 : 1 + len(AMOUNT_KEYS)], strict=True)),
                                    "net_income": figures[-2], "per_capita_net": figures[-1]})
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
