"""fupin's records in the monitoring system's layout: the member sheet (监测对象信息) and the household sheet
(户信息), each with a title row, an export line and the header on the third row, names instead of codes — so data
corrected in fupin can be re-keyed or uploaded. Only columns fupin holds are written; the columns come from the
layout table, so a field the registry gains later (e.g. 政治面貌) is exported without touching this module.
Personal data goes through the caller's viewer, as every export."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin.areas import queries as area_queries
from fupin.core.capability import provided
from fupin.core.personal_data import PersonalField, Viewer, birth_shown
from fupin.core.scoping import Scope
from fupin.registry import vocab as fupin_vocab
from fupin.registry.fields import FIELD_BY_KEY, NATIONAL_HOUSEHOLD_KEYS
from fupin.registry.models import Household, HouseholdIncome, Person
from fupin.registry.national import vocab
from fupin.registry.national.layouts import HOUSEHOLDS, MONITORING_MEMBERS, Column, Layout
from fupin.registry.rules import strip_control_characters

# Specials the export can write (the rest of the layout's `@` columns are import-only).
_EXPORTED_SPECIALS = {"@county", "@township", "@village", "@group", "@id_type", "@household_type", "@monitor_type",
                      "@identified_on", "@risk1", "@risk2", "@risk3", "@risk4", "@risk5", "@risk_cleared",
                      "@member_phone", "@per_capita", "@head_name", "@head_id", "@member_count"}
_HOUSEHOLD_TYPE = {"exited": "脱贫户", "monitored": "监测户"}
_WITHHELD = {"health": PersonalField.health, "disability_grade": PersonalField.disability,
             "disability_category": PersonalField.disability, "disability_certificate_no": PersonalField.disability}


def export_columns(layout: Layout) -> list[Column]:
    return [c for c in layout.columns if c.target in FIELD_BY_KEY or c.target in _EXPORTED_SPECIALS]


def _wording(target: str, value: Any) -> Any:
    if value is None:
        return None
    if target in vocab.EXPORT_WORDING:
        return vocab.EXPORT_WORDING[target].get(value, value)
    field = FIELD_BY_KEY.get(target)
    if field is None:
        return value
    if field.kind == "code" and field.vocabulary:
        return field.vocabulary.get(value, value)
    if field.kind == "causes":
        return "、".join(fupin_vocab.CAUSES.get(c, c) for c in str(value).split(",") if c)
    if field.kind == "bool":
        return "是" if value else "否"
    if field.kind == "date":
        return value.isoformat()
    if field.kind in ("money", "decimal"):
        return str(value)  # exact, as stored (an area in 亩 like an amount)
    if isinstance(value, str):
        return strip_control_characters(value)
    return value


class _Areas:
    """Names of the county, township, village and group of each area code in the scope."""

    def __init__(self, session: Session, scope: Scope) -> None:
        self.names: dict[str, tuple[str, str | None]] = {}
        if scope.prefix:
            for area in area_queries.path_names(session, scope.prefix.ljust(12, "0")):
                self.names[area.code] = (area.name, area.level)
        for code, name, level, _parent in session.execute(area_queries.areas_select(scope)).all():
            self.names[code] = (name, level)

    def parts(self, code: str) -> dict[str, str | None]:
        candidates = {"@county": code[:6].ljust(12, "0"), "@township": code[:9].ljust(12, "0"),
                      "@village": code[:12], "@group": code if len(code) == 15 else None}
        return {k: (self.names.get(c, (None, None))[0] if c else None) for k, c in candidates.items()}


def _records(session: Session, scope: Scope) -> dict[int, Any]:
    """The latest monitoring record of each household (through the monitoring capability's hook)."""
    latest: dict[int, Any] = {}
    for row in session.execute(provided("monitoring.records_select")(scope)).all():
        latest[row.household_id] = row
    return latest


def member_rows(session: Session, scope: Scope, viewer: Viewer) -> Iterator[list[Any]]:
    columns = export_columns(MONITORING_MEMBERS)
    areas = _Areas(session, scope)
    records = _records(session, scope)
    incomes = _latest_incomes(session, scope)
    people: dict[int, list[Person]] = {}
    for person in session.execute(select(Person).where(scope.condition(Person.area_code), Person.active)
                                  .order_by(Person.household_id, Person.id)).scalars():
        people.setdefault(person.household_id, []).append(person)
    full_birth = viewer.full(PersonalField.birth_date)
    withheld = {key for key, f in _WITHHELD.items() if not viewer.shows(f)}
    order = {"head": 0, "spouse": 1}
    for household in session.execute(select(Household).where(scope.condition(Household.area_code))
                                      .order_by(Household.household_no)).scalars():
        record = records.get(household.id)
        income = incomes.get(household.id)
        household_values = _household_values(household, record, income, areas, viewer)
        for person in sorted(people.get(household.id, []), key=lambda p: (order.get(p.relation, 2), p.id)):
            row = []
            for column in columns:
                target = column.target
                if target in household_values:
                    value = household_values[target]
                    if target == "@member_phone" and person.relation != "head":
                        value = None
                elif target == "@id_type":
                    value = "居民身份证"
                elif target == "id_number":
                    value = viewer.id_number(person.id_number)
                elif target == "birth_date":
                    value = person.birth_date.isoformat() if full_birth and person.birth_date else \
                        birth_shown(person.birth_date, False) or None
                elif target in withheld:
                    value = None
                elif FIELD_BY_KEY.get(target) is not None and FIELD_BY_KEY[target].level == "person":
                    value = _wording(target, getattr(person, target, None))
                else:
                    value = None
                row.append(value)
            yield row


def _household_values(household: Household, record: Any, income: HouseholdIncome | None, areas: _Areas,
                      viewer: Viewer) -> dict[str, Any]:
    values: dict[str, Any] = dict(areas.parts(household.area_code))
    values["household_no"] = household.household_no
    for key in ("address", "poverty_attribute", "main_cause", "other_causes", "registration_year",
                *NATIONAL_HOUSEHOLD_KEYS):
        values[key] = _wording(key, getattr(household, key))
    values["@household_type"] = _HOUSEHOLD_TYPE.get(household.status, "贫困户")
    values["phone"] = values["@member_phone"] = viewer.phone(household.phone)
    if record is not None and (record.status != "cleared" or household.status == "monitored"):
        values["@monitor_type"] = vocab.EXPORT_MONITOR_TYPES.get(record.monitor_type)
        values["@identified_on"] = (record.identified_on or record.clue_on).isoformat()
        risks = [r for r in (record.risk_types or "").split(",") if r]
        for i in range(5):
            values[f"@risk{i + 1}"] = vocab.EXPORT_RISKS.get(risks[i]) if i < len(risks) else None
        values["@risk_cleared"] = "是" if record.status == "cleared" else "否"
    if income is not None:
        for key in ("wages", "production_income", "property_income", "transfer_income", "production_costs"):
            values[key] = str(getattr(income, key))
        values["@per_capita"] = str(income.per_capita_net)
        values["income_year"] = income.year
    values["@head_name"] = household.head_name
    values["@member_count"] = household.member_count
    return values


def _latest_incomes(session: Session, scope: Scope) -> dict[int, HouseholdIncome]:
    latest = (select(HouseholdIncome.household_id, func.max(HouseholdIncome.year).label("year"))
              .where(scope.condition(HouseholdIncome.area_code)).group_by(HouseholdIncome.household_id).subquery())
    return {row.household_id: row for row in session.execute(
        select(HouseholdIncome).join(latest, (latest.c.household_id == HouseholdIncome.household_id)
                                     & (latest.c.year == HouseholdIncome.year))).scalars()}


def household_rows(session: Session, scope: Scope, viewer: Viewer) -> Iterator[list[Any]]:
    columns = export_columns(HOUSEHOLDS)
    areas = _Areas(session, scope)
    records = _records(session, scope)
    incomes = _latest_incomes(session, scope)
    heads = dict(session.execute(select(Person.household_id, Person.id_number).where(
        scope.condition(Person.area_code), Person.active, Person.relation == "head")).tuples().all())
    for household in session.execute(select(Household).where(scope.condition(Household.area_code))
                                      .order_by(Household.household_no)).scalars():
        values = _household_values(household, records.get(household.id), incomes.get(household.id), areas, viewer)
        values["@head_id"] = viewer.id_number(heads.get(household.id))
        yield [values.get(c.target) for c in columns]


def workbook(session: Session, scope: Scope, viewer: Viewer, scope_name: str, now: dt.datetime) -> tuple[bytes, int]:
    """(the .xlsx with both sheets, member rows)."""
    book = Workbook(write_only=True)
    written = 0
    for layout, rows in ((MONITORING_MEMBERS, member_rows(session, scope, viewer)),
                         (HOUSEHOLDS, household_rows(session, scope, viewer))):
        sheet = book.create_sheet(layout.title)
        sheet.append([f"全国防返贫监测信息系统 {layout.title}"])
        sheet.append([f"导出时间:{now:%Y-%m-%d %H:%M:%S}", None, f"导出范围:{scope_name}", None,
                      "由 fupin 按全国系统格式导出(仅含本系统掌握的列)"])
        sheet.append([c.header for c in export_columns(layout)])
        count = 0
        for row in rows:
            sheet.append(row)
            count += 1
        if layout is MONITORING_MEMBERS:
            written = count
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), written
