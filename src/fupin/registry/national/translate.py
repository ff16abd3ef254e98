"""A national sheet → the registry importer's own table (member layouts), and what follows a committed import.

Member sheets (the monitoring system's 监测对象信息, the 2014–2020 建档立卡 export) become rows of fupin's
template, column by column (each distinct value is translated once), so the importer's validation, chunking and
bulk writes apply unchanged. What the translation itself finds wrong (an unknown area name, a national value
outside its list, a 监测户 without category or risk) travels with the table as row problems, which the importer
reports with its own. Household, labour and village sheets update the few held fields of records that exist
already (`updates.py`).

After a committed import: households get the status the national sheet gives them (脱贫户 → 已脱贫, 监测户 →
监测中) when they are new or still at fupin's default (已识别) — a status fupin changed through its own
procedures is never overwritten; 监测户 whose risk is not cleared get a monitoring record through the monitoring
capability's hook (`monitoring.start_monitoring`), once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select, update

from fupin.core.capability import provided
from fupin.core.db import begin_savepoint, utcnow
from fupin.core.uow import UnitOfWork
from fupin.registry import errors
from fupin.registry.fields import FIELD_BY_KEY, Field
from fupin.registry.models import Household
from fupin.registry.national import vocab
from fupin.registry.national.areas import AreaResolver
from fupin.registry.national.layouts import Column, Found
from fupin.registry.queries import chunked, member_of
from fupin.registry.rules import Problem
from fupin.registry.spreadsheets import Table
from fupin.registry.validation import parse_cell

FIRST_REGISTRATION_YEAR = 2014  # 建档立卡 began in 2014: the year of a 脱贫户 whose sheet gives none
IDENTIFIED_ON = Field("@identified_on", "识别监测时间", "household", "date")
EXIT_YEAR = Field("@exit_year", "脱贫年度", "household", "int")
_VOCAB_LABELS = {"@household_type": "户类型", "@monitor_type": "监测对象类别", "@poor_status": "贫困户状态",
                 "@risk_cleared": "风险是否已消除", "@working": "是否已务工"}


@dataclass
class HouseholdFacts:
    household_type: str | None = None
    monitor_type: str | None = None
    identified_on: dt.date | None = None
    risks: list[str] = field(default_factory=list)
    cleared: bool | None = None
    poor_status: str | None = None
    exit_year: int | None = None
    lines: list[int] = field(default_factory=list)

    def status(self) -> str | None:
        """The registry status the national sheet gives the household (None: fupin's default)."""
        if self.household_type == "monitored" or (self.household_type == "general" and self.monitor_type):
            return "exited" if self.cleared else "monitored"
        if self.household_type == "exited":
            return "exited"
        if self.poor_status is not None:
            return self.poor_status
        if self.exit_year is not None:
            return "exited"
        return None

    def monitoring(self) -> bool:
        return self.status() == "monitored"


@dataclass
class National:
    """A national sheet, translated: the layout found, the columns fupin holds and does not hold, and per
    household what the import does once committed."""

    found: Found
    held: list[str] = field(default_factory=list)
    not_held: list[str] = field(default_factory=list)
    households: dict[str, HouseholdFacts] = field(default_factory=dict)
    header_names: dict[str, str] = field(default_factory=dict)  # fupin header -> national header (the report)
    resolver: AreaResolver | None = None
    savepoint: Any = None
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def layout_title(self) -> str:
        return self.found.layout.title


def _clean(value: Any) -> Any:
    if type(value) is str:
        value = value.strip()
        return value or None
    if type(value) is float and value.is_integer():
        return int(value)
    return value


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def columns_report(found: Found) -> tuple[list[str], list[str]]:
    """(held, not held) national headers of the sheet; unknown headers count as not held."""
    held = [column.header for column in found.columns.values() if column.held]
    not_held = [column.header for column in found.columns.values() if not column.held] + found.unknown
    return held, not_held


def translate_members(uow: UnitOfWork, table: Table, today: dt.date, *, create_groups: bool = True
                      ) -> tuple[Table, National]:
    """The member sheet as the importer's table, with the translation's own row problems."""
    found: Found = table.national
    national = National(found)
    national.held, national.not_held = columns_report(found)
    total = len(table.rows)
    width = max(found.columns) + 1 if found.columns else 0
    raw = [row if len(row) >= width else [*row, *([None] * (width - len(row)))] for row in table.rows]
    by_target: dict[str, tuple[int, Column]] = {c.target: (i, c) for i, c in found.columns.items()}
    transposed = list(zip(*raw, strict=False)) if raw else []

    def column(target: str, raw: bool = False) -> list[Any] | None:
        """The column as written (raw: for fupin's own parsing) or cleaned (blank → None), distinct values once."""
        entry = by_target.get(target)
        if entry is None or entry[0] >= len(transposed):
            return None
        cells = transposed[entry[0]]
        if raw:
            return list(cells)
        cleaned = {v: _clean(v) for v in set(cells)}
        return list(map(cleaned.__getitem__, cells))

    problems: dict[int, dict[str, tuple[Problem, Any, str]]] = {}

    def problem(offset: int, key: str, found_problem: Problem, shown: Any, header: str) -> None:
        problems.setdefault(offset, {}).setdefault(key, (found_problem, shown, header))

    def translated(target: str, key: str | None = None) -> list[Any] | None:
        """A coded column through its national vocabulary (distinct values once); a value outside it is a row
        problem quoting it."""
        values = column(target)
        if values is None:
            return None
        header = by_target[target][1].header
        mapping: dict[Any, Any] = {}
        for value in set(values):
            mapping[value] = None if value is None else vocab.translate(target, _text(value))
        out = list(map(mapping.__getitem__, values))
        if any(code is vocab.MISSING for code in mapping.values()):
            for offset, code in enumerate(out):
                if code is vocab.MISSING:
                    value = values[offset]
                    problem(offset, key or target, Problem.of(key or target, errors.NATIONAL_BAD_VALUE,
                                                              value=_text(value)[:40], label=header,
                                                              options=vocab.options(target)), value, header)
                    out[offset] = None
        return out

    out: dict[str, list[Any]] = {}
    # Areas by name.
    resolver = national.resolver = AreaResolver(uow, create_groups and uow.may("areas.group.create"))
    if resolver.may_create_groups:  # groups made for rows that are then refused go with them
        national.savepoint = begin_savepoint(uow.session)
    names = [column(t) or [None] * total for t in ("@county", "@township", "@village", "@group")]
    paths = [tuple(_text(v) for v in parts) for parts in zip(*names, strict=True)]
    resolver.prepare(set(paths))
    codes: dict[tuple[str, ...], tuple[str | None, Problem | None, str]] = {}
    area_column: list[str | None] = []
    for offset, path in enumerate(paths):
        result = codes.get(path)
        if result is None:
            result = codes[path] = resolver.resolve(*path)  # type: ignore[arg-type]
        code, area_problem, header = result
        if area_problem is not None:
            shown = {"县": path[0], "乡(镇)": path[1], "村": path[2], "组": path[3]}.get(header, "")
            problem(offset, "area_code", area_problem, shown, header)
        area_column.append(code)
    out["area_code"] = area_column

    # Held fupin fields: coded ones through the national vocabularies, the rest as written (fupin parses them).
    for target, (_index, col) in by_target.items():
        if target not in FIELD_BY_KEY or target == "area_code":
            continue
        if target in vocab.BY_TARGET:
            values = translated(target)
        else:
            values = column(target, raw=True)  # the importer parses these exactly as in fupin's own template
        if values is not None:
            out[target] = values
            national.header_names[FIELD_BY_KEY[target].header] = col.header

    # ID type: fupin registers resident ID numbers.
    id_types = column("@id_type")
    if id_types is not None:
        for offset, value in enumerate(id_types):
            if value is not None and _text(value) not in vocab.ID_TYPES:
                problem(offset, "id_number", Problem.of("id_number", errors.NATIONAL_ID_TYPE, value=_text(value)[:20]),
                        value, "证件类型")

    # What the household is (type, category, date, risks) and the fields derived from it.
    household_types = translated("@household_type", "@household_type")
    monitor_types = translated("@monitor_type", "@monitor_type")
    poor_statuses = translated("@poor_status", "@poor_status")
    cleared = translated("@risk_cleared", "@risk_cleared")
    risk_columns = [translated(f"@risk{i}", f"@risk{i}") for i in range(1, 6)]
    identified = column("@identified_on")
    identified_dates: list[dt.date | None] = [None] * total
    if identified is not None:
        parsed_dates: dict[Any, tuple[Any, Problem | None]] = {v: parse_cell(IDENTIFIED_ON, v, today) for v in set(identified)}
        for offset, value in enumerate(identified):
            day, date_problem = parsed_dates[value]
            if date_problem is not None:
                problem(offset, "@identified_on", date_problem, value, "识别监测时间")
            identified_dates[offset] = day
    exit_years_raw = column("@exit_year")
    exit_years: list[int | None] = [None] * total
    if exit_years_raw is not None:
        parsed_years = {v: parse_cell(EXIT_YEAR, v, today) for v in set(exit_years_raw)}
        for offset, value in enumerate(exit_years_raw):
            year, year_problem = parsed_years[value]
            if year_problem is not None:
                problem(offset, "@exit_year", year_problem, value, "脱贫年度")
            exit_years[offset] = year

    numbers = column("household_no") or [None] * total
    first_line = table.first_data_line
    facts_of: dict[str, HouseholdFacts] = national.households
    for offset in range(total):
        number = numbers[offset]
        if number is None:
            continue
        facts = facts_of.get(str(number))
        if facts is None:
            facts = facts_of[str(number)] = HouseholdFacts()
        facts.lines.append(first_line + offset)
        for name, values in (("household_type", household_types), ("monitor_type", monitor_types),
                             ("poor_status", poor_statuses), ("cleared", cleared)):
            if values is not None and values[offset] is not None and getattr(facts, name) is None:
                setattr(facts, name, values[offset])
        if facts.identified_on is None and identified_dates[offset] is not None:
            facts.identified_on = identified_dates[offset]
        if facts.exit_year is None and exit_years[offset] is not None:
            facts.exit_year = exit_years[offset]
        for risks in risk_columns:
            if risks is not None and risks[offset] is not None and risks[offset] not in facts.risks:
                facts.risks.append(risks[offset])
    for number, facts in facts_of.items():
        first = facts.lines[0] - first_line
        if facts.household_type == "general" and not facts.monitor_type:
            problem(first, "@household_type", Problem.of("@household_type", errors.NATIONAL_BAD_VALUE, value="一般农户",
                                                         label="户类型(非监测对象的一般农户不属于建档立卡或监测范围)",
                                                         options="脱贫户、监测户"), "一般农户", "户类型")
        if facts.monitoring():
            if not facts.monitor_type:
                problem(first, "@monitor_type", Problem.of("@monitor_type", errors.NATIONAL_MONITOR_TYPE_REQUIRED),
                        "", "监测对象类别")
            if not facts.risks:
                problem(first, "@risk1", Problem.of("@risk1", errors.NATIONAL_RISK_REQUIRED), "", "致贫/返贫风险1")
        del number

    # Required household fields the monitoring system does not carry: derived, each decision recorded.
    if "poverty_attribute" not in out:
        out["poverty_attribute"] = ["general"] * total
    if "main_cause" not in out:
        first_risk = risk_columns[0]
        out["main_cause"] = [vocab.RISK_CAUSES.get(first_risk[o], "other") if first_risk and first_risk[o] else
                             _household_cause(facts_of, numbers[o]) for o in range(total)]
    if "registration_year" not in out:
        out["registration_year"] = [
            _registration_year(facts_of.get(str(numbers[o])) if numbers[o] is not None else None) for o in range(total)]
    if "phone" not in out:
        phones = column("@member_phone")
        relations = out.get("relation")
        if phones is not None:
            out["phone"] = [phones[o] if relations is not None and relations[o] == "head" else None
                            for o in range(total)]
            national.header_names[FIELD_BY_KEY["phone"].header] = by_target["@member_phone"][1].header
    if "income_year" not in out:
        amounts = [out[k] for k in ("wages", "production_income", "property_income", "transfer_income",
                                    "production_costs") if k in out]
        if amounts:
            year = today.year - 1
            out["income_year"] = [year if any(a[o] is not None for a in amounts) else None for o in range(total)]

    keys = list(out)
    rows = [list(row) for row in zip(*(out[k] for k in keys), strict=True)]
    translated_table = Table(table.kind, keys, rows, table.first_data_line, dict(enumerate(keys)),
                             row_problems=problems, source=table)
    national.header_names["所在村组区划代码"] = "村"
    return translated_table, national


def _household_cause(facts_of: dict[str, HouseholdFacts], number: Any) -> str:
    facts = facts_of.get(str(number)) if number is not None else None
    if facts is not None and facts.risks:
        return vocab.RISK_CAUSES.get(facts.risks[0], "other")
    return "other"


def _registration_year(facts: HouseholdFacts | None) -> int:
    if facts is not None and facts.identified_on is not None and facts.household_type != "exited":
        return facts.identified_on.year
    return FIRST_REGISTRATION_YEAR


def finish(uow: UnitOfWork, national: National, result: Any, today: dt.date) -> None:
    """After the importer: national headers in the report, the columns not held, and — when the import
    committed — statuses and monitoring records."""
    report = result.report
    renamed = national.header_names
    report.errors = [replace(e, column=renamed.get(e.column, e.column)) for e in report.errors]
    summary = national.summary
    summary.update({"layout": national.found.layout.key, "layout_title": national.layout_title,
                    "columns_held": national.held, "columns_not_held": national.not_held,
                    "statuses_set": 0, "monitoring_started": 0, "groups_created": []})
    result.national = summary
    if national.savepoint is not None:
        if report.committed:
            national.savepoint.commit()
        else:
            national.savepoint.rollback()
    if not report.committed:
        return
    summary["groups_created"] = [f"{name}({code})" for code, name in (national.resolver.created if national.resolver else [])]
    bad_lines = {e.line for e in report.errors}
    wanted = {number: facts for number, facts in national.households.items()
              if not bad_lines.intersection(facts.lines)}
    if not wanted:
        return
    session = uow.session
    connection = session.connection()
    dialect = connection.dialect.name
    rows: dict[str, tuple[int, str, str]] = {}
    for chunk in chunked(sorted(wanted)):
        for household_id, number, status, area_code in connection.execute(
                select(Household.id, Household.household_no, Household.status, Household.area_code)
                .where(member_of(Household.household_no, chunk, dialect))):
            if uow.scope.contains(area_code):
                rows[number] = (household_id, status, area_code)
    now = utcnow()
    by_status: dict[str, list[int]] = {}
    for number, (household_id, status, _area) in rows.items():
        target = wanted[number].status()
        if target is not None and status == "identified" and target != status:
            by_status.setdefault(target, []).append(household_id)
    changes = [household_id for ids in by_status.values() for household_id in ids]
    table = Household.__table__
    for target, ids in sorted(by_status.items()):  # set-based: one statement per status and chunk
        for chunk in chunked(sorted(ids)):
            connection.execute(update(table).where(member_of(table.c.id, chunk, dialect), table.c.status == "identified")
                               .values(status=target, version=table.c.version + 1, updated_at=now))
    if changes:
        session.expire_all()
    summary["statuses_set"] = len(changes)
    monitored = [(number, facts) for number, facts in sorted(wanted.items()) if facts.monitoring() and number in rows]
    if not monitored:
        return
    start_many = provided("monitoring.start_monitoring_many")
    started = start_many(uow, [(rows[number][0], facts.monitor_type, facts.risks, facts.identified_on or today)
                               for number, facts in monitored],
                         channel="department_alert", note=f"自{national.layout_title}导入(全国系统)", today=today)
    summary["monitoring_started"] = started

