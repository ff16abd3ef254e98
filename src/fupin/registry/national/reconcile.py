"""A national member sheet against fupin's records for the same area (read-only): people only in the national
export, people only in fupin, and the fields that differ for people on both sides (matched by ID number through
the keyed hash). Only columns the sheet has are compared; values are shown in the national wording, personal
data through the caller's viewer. Rows fupin cannot read (a bad ID number, an unknown area name) are listed."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select

from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.registry import errors
from fupin.registry.fields import FIELD_BY_KEY, NATIONAL_HOUSEHOLD_KEYS
from fupin.registry.idnumbers import id_hash
from fupin.registry.models import Household, Person
from fupin.registry.national import translate
from fupin.registry.national.export import _HOUSEHOLD_TYPE, _WITHHELD, _wording
from fupin.registry.spreadsheets import read_table
from fupin.registry.validation import parse_cell

PERSON_COMPARED = ("name", "relation", "ethnicity", "education", "schooling", "health", "disability_grade",
                   "labour_capacity", "work_place", "months_worked", "medical_insurance", "pension_insurance",
                   "minimum_allowance", "political_status", "disability_category", "serious_illness_insurance",
                   "commercial_medical_insurance", "medical_assistance", "active_serviceman")
HOUSEHOLD_COMPARED = ("household_no", "area_code", "poverty_attribute", "main_cause", "registration_year", "address",
                      *NATIONAL_HOUSEHOLD_KEYS)


@dataclass
class Difference:
    household_no: str
    name: str
    id_shown: str
    column: str
    national: str
    fupin: str


@dataclass
class Reconciliation:
    compared: int = 0
    only_national: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, household no, name, ID
    only_fupin: list[tuple[str, str, str]] = field(default_factory=list)  # household no, name, ID
    differences: list[Difference] = field(default_factory=list)
    unreadable: list[tuple[int, str, str]] = field(default_factory=list)  # line, column, reason

    def lines(self) -> list[str]:
        out = [f"仅全国系统有:第{line}行 户编号{number} {name} {shown}" for line, number, name, shown in self.only_national]
        out += [f"仅本系统有:户编号{number} {name} {shown}" for number, name, shown in self.only_fupin]
        out += [f"不一致:户编号{d.household_no} {d.name} [{d.column}] 全国系统“{d.national}” 本系统“{d.fupin}”"
                for d in self.differences]
        out += [f"无法比对:第{line}行 [{column}] {reason}" for line, column, reason in self.unreadable]
        return out

    def workbook(self) -> bytes:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("字段不一致")
        sheet.append(["户编号", "姓名", "证件号码", "字段", "全国系统", "本系统"])
        for d in self.differences:
            sheet.append([d.household_no, d.name, d.id_shown, d.column, d.national, d.fupin])
        sheet = book.create_sheet("仅全国系统有")
        sheet.append(["行号", "户编号", "姓名", "证件号码"])
        for row in self.only_national:
            sheet.append(list(row))
        sheet = book.create_sheet("仅本系统有")
        sheet.append(["户编号", "姓名", "证件号码"])
        for row in self.only_fupin:
            sheet.append(list(row))
        sheet = book.create_sheet("无法比对")
        sheet.append(["行号", "列", "原因"])
        for row in self.unreadable:
            sheet.append(list(row))
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def _shown(value: Any, key: str, names: dict[str, str]) -> str:
    if key == "area_code":
        return "" if value is None else names.get(str(value), str(value))
    shown = _wording(key, value)
    return "" if shown is None else str(shown)


def reconcile(uow: UnitOfWork, scope: Scope, filename: str, data: bytes, *, key: bytes, today: dt.date) -> Reconciliation:
    table = read_table(filename, data)
    if table.national is None or table.national.layout.kind != "members":
        raise errors.NO_HEADER()
    translated, national = translate.translate_members(uow, table, today, create_groups=False)
    result = Reconciliation()
    header_of = {FIELD_BY_KEY[k].header: h for k, h in
                 ((k, national.header_names.get(FIELD_BY_KEY[k].header)) for k in FIELD_BY_KEY) if h}
    present = {key for key in translated.columns.values()}
    for offset, problems in sorted((translated.row_problems or {}).items()):
        for _k, (problem, _value, header) in problems.items():
            result.unreadable.append((translated.first_data_line + offset, header, problem.message))
    viewer = uow.viewer
    hidden = {k for k, f in _WITHHELD.items() if not viewer.shows(f)}  # health, disability: not shown, not compared
    nodes = national.resolver.nodes if national.resolver else {}
    names = {code: node.name for code, node in nodes.items()}
    index = {k: i for i, k in translated.columns.items()}
    file_people: dict[str, tuple[int, dict[str, Any]]] = {}
    for offset, row in enumerate(translated.rows):
        line = translated.first_data_line + offset
        raw_id = row[index["id_number"]] if "id_number" in index else None
        number, problem = parse_cell(FIELD_BY_KEY["id_number"], raw_id, today)
        if problem is not None:
            if raw_id is not None or any(v is not None for v in row):
                result.unreadable.append((line, header_of.get("身份证号", "证件号码"), problem.message))
            continue
        values: dict[str, Any] = {}
        for k in present:
            if k in ("id_number",) or k not in FIELD_BY_KEY:
                continue
            value, cell_problem = parse_cell(FIELD_BY_KEY[k], row[index[k]], today, False)
            values[k] = None if cell_problem is not None else value
        values["id_number"] = number
        file_people[id_hash(key, number)] = (line, values)

    people = uow.session.execute(
        select(Person, Household).join(Household, Household.id == Person.household_id)
        .where(scope.condition(Person.area_code), Person.active)).all()
    seen: set[str] = set()
    for person, household in people:
        entry = file_people.get(person.id_hash)
        shown_id = viewer.id_number(person.id_number) or ""
        if entry is None:
            result.only_fupin.append((household.household_no, person.name, shown_id))
            continue
        seen.add(person.id_hash)
        result.compared += 1
        _line, values = entry
        for k in HOUSEHOLD_COMPARED + PERSON_COMPARED:
            if k not in present or k not in values or k in hidden:
                continue
            ours = getattr(household, k) if k in HOUSEHOLD_COMPARED else getattr(person, k)
            theirs = values[k]
            if theirs is None and k not in ("household_no", "name"):
                continue  # a blank national cell: fupin's value stands (defaults fill blanks on import)
            if theirs != ours:
                result.differences.append(Difference(household.household_no, person.name, shown_id,
                                                     header_of.get(FIELD_BY_KEY[k].header, FIELD_BY_KEY[k].header),
                                                     _shown(theirs, k, names), _shown(ours, k, names)))
        facts = national.households.get(str(values.get("household_no")))
        wanted = facts.status() if facts is not None else None
        if wanted is not None and wanted != household.status and person.relation == "head":
            result.differences.append(Difference(household.household_no, person.name, shown_id, "户类型",
                                                 _HOUSEHOLD_TYPE.get(wanted, wanted), _HOUSEHOLD_TYPE.get(household.status,
                                                                                                      "贫困户")))
    for digest, (line, values) in file_people.items():
        if digest not in seen:
            result.only_national.append((line, str(values.get("household_no") or ""), str(values.get("name") or ""),
                                         viewer.id_number(values["id_number"]) or ""))
    result.only_national.sort()
    result.only_fupin.sort()
    result.differences.sort(key=lambda d: (d.household_no, d.name, d.column))
    return result
