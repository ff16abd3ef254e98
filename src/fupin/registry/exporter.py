"""Export of a scope's registry in the import template's columns (masked unless the caller may see PII)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin.core.scoping import Scope
from fupin.core.security_text import mask_id_number
from fupin.registry.fields import FIELDS, YES_NO
from fupin.registry.models import Household, HouseholdIncome, Person
from fupin.registry.spreadsheets import write_rows_csv, write_rows_xlsx

HEADERS = [f.header for f in FIELDS]
_RELATION_ORDER = {"head": 0, "spouse": 1}


def _cell(field_kind: str, vocabulary: dict[str, str] | None, value: Any) -> Any:
    if value is None:
        return None
    if field_kind == "code" and vocabulary:
        return vocabulary.get(value, value)
    if field_kind == "causes":
        from fupin.registry.vocab import CAUSES

        return "、".join(CAUSES.get(c, c) for c in str(value).split(",") if c)
    if field_kind == "bool":
        return YES_NO["true" if value else "false"]
    if field_kind == "date":
        return value.isoformat()
    if field_kind == "money":
        return str(value)
    return value


def export_rows(session: Session, scope: Scope, *, can_view_pii: bool) -> Iterator[list[Any]]:
    latest = (select(HouseholdIncome.household_id, func.max(HouseholdIncome.year).label("year"))
              .where(scope.condition(HouseholdIncome.area_code)).group_by(HouseholdIncome.household_id).subquery())
    incomes = {row.household_id: row for row in session.execute(
        select(HouseholdIncome).join(latest, (latest.c.household_id == HouseholdIncome.household_id)
                                     & (latest.c.year == HouseholdIncome.year))).scalars()}
    households = session.execute(select(Household).where(scope.condition(Household.area_code))
                                 .order_by(Household.household_no)).scalars()
    person_stmt = (select(Person).where(scope.condition(Person.area_code), Person.active)
                   .order_by(Person.household_id, Person.id))
    members: dict[int, list[Person]] = {}
    for person in session.execute(person_stmt).scalars():
        members.setdefault(person.household_id, []).append(person)
    for household in households:
        income = incomes.get(household.id)
        people = sorted(members.get(household.id, []), key=lambda p: (_RELATION_ORDER.get(p.relation, 2), p.id))
        for person in people:
            row: list[Any] = []
            for field in FIELDS:
                if field.level == "household":
                    value = getattr(household, field.key)
                elif field.level == "person":
                    value = getattr(person, field.key)
                    if field.key == "id_number" and not can_view_pii:
                        value = mask_id_number(value)
                else:
                    if income is None:
                        value = None
                    elif field.key == "income_year":
                        value = income.year
                    else:
                        value = getattr(income, field.key)
                row.append(_cell(field.kind, field.vocabulary, value))
            yield row


def export_file(session: Session, scope: Scope, *, can_view_pii: bool, fmt: str) -> bytes:
    rows = list(export_rows(session, scope, can_view_pii=can_view_pii))
    if fmt == "csv":
        return write_rows_csv(HEADERS, rows)
    return write_rows_xlsx(HEADERS, rows)
