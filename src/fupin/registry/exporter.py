"""Export of a scope's registry in the import template's columns, through the personal-data policy.

For a masked viewer: the ID number without its birth digits, the birth date as its year only, the phone masked,
health and disability left blank for roles that may not see them. Old data never breaks an export: control
characters are dropped on the way out, and CSV cells that a spreadsheet would run as a formula (= + - @, tab,
carriage return) are neutralised with a leading apostrophe.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin.core.personal_data import PersonalField, Viewer, birth_shown
from fupin.core.scoping import Scope
from fupin.registry.fields import FIELDS, YES_NO
from fupin.registry.models import Household, HouseholdIncome, Person
from fupin.registry.rules import strip_control_characters
from fupin.registry.spreadsheets import write_rows_csv, write_rows_xlsx
from fupin.registry.vocab import CAUSES

HEADERS = [f.header for f in FIELDS]
_RELATION_ORDER = {"head": 0, "spouse": 1}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_WITHHELD = {"health": PersonalField.health, "disability_grade": PersonalField.disability,
             "disability_category": PersonalField.disability}


def _cell(field_kind: str, vocabulary: dict[str, str] | None, value: Any) -> Any:
    if value is None:
        return None
    if field_kind == "code" and vocabulary:
        return vocabulary.get(value, value)
    if field_kind == "causes":
        return "、".join(CAUSES.get(c, c) for c in str(value).split(",") if c)
    if field_kind == "bool":
        return YES_NO["true" if value else "false"]
    if field_kind == "date":
        return value.isoformat() if hasattr(value, "isoformat") else value
    if field_kind in ("money", "decimal"):
        return str(value)
    if isinstance(value, str):
        return strip_control_characters(value)
    return value


def neutralise_csv_cell(value: Any) -> Any:
    """A text cell a spreadsheet would read as a formula gets a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_rows(session: Session, scope: Scope, viewer: Viewer) -> Iterator[list[Any]]:
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
    full_birth = viewer.full(PersonalField.birth_date)
    withheld = {key for key, field in _WITHHELD.items() if not viewer.shows(field)}
    for household in households:
        income = incomes.get(household.id)
        people = sorted(members.get(household.id, []), key=lambda p: (_RELATION_ORDER.get(p.relation, 2), p.id))
        for person in people:
            row: list[Any] = []
            for field in FIELDS:
                kind = field.kind
                if field.level == "household":
                    value = getattr(household, field.key)
                    if field.key == "phone":
                        value = viewer.phone(value)
                elif field.level == "person":
                    value = getattr(person, field.key)
                    if field.key in ("id_number", "id_number_original"):
                        value = viewer.id_number(value)
                    elif field.key == "disability_certificate_no":
                        value = viewer.disability_certificate(value)
                    elif field.key == "birth_date" and not full_birth:
                        value, kind = birth_shown(value, False), "text"
                    elif field.key in withheld:
                        value = None
                else:
                    if income is None:
                        value = None
                    elif field.key == "income_year":
                        value = income.year
                    else:
                        value = getattr(income, field.key)
                row.append(_cell(kind, field.vocabulary, value))
            yield row


def export_file(session: Session, scope: Scope, viewer: Viewer, *, fmt: str) -> tuple[bytes, int]:
    """(file, rows): xlsx, or csv with formula-like cells neutralised."""
    rows = list(export_rows(session, scope, viewer))
    if fmt == "csv":
        return write_rows_csv(HEADERS, [[neutralise_csv_cell(v) for v in row] for row in rows]), len(rows)
    return write_rows_xlsx(HEADERS, rows), len(rows)
