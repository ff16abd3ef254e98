"""Read side of the registry. Other capabilities use these selects instead of the registry's tables.

`households_subquery` / `persons_subquery` are set-based building blocks: join them, group them, count them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from fupin.core.errors import NotFound
from fupin.core.scoping import Scope
from fupin.registry.models import Household, Person
from fupin.registry.vocab import ACTIVE_POOR_STATUSES


def households_select(scope: Scope, statuses: Sequence[str] | None = None) -> Select:
    """Registered households in the scope: id, county_code, area_code, household_no, head_name, status,
    exit_year, member_count, poverty_attribute, main_cause, registration_year."""
    stmt = select(
        Household.id,
        Household.county_code,
        Household.area_code,
        Household.household_no,
        Household.head_name,
        Household.status,
        Household.exit_year,
        Household.member_count,
        Household.poverty_attribute,
        Household.main_cause,
        Household.registration_year,
    ).where(scope.condition(Household.area_code))
    if statuses:
        stmt = stmt.where(Household.status.in_(list(statuses)))
    return stmt


def households_subquery(scope: Scope, statuses: Sequence[str] | None = None):  # type: ignore[no-untyped-def]
    return households_select(scope, statuses).subquery("households_in_scope")


def persons_select(scope: Scope, active_only: bool = True) -> Select:
    """Members in the scope (never the ID number): id, household_id, county_code, area_code, name, sex,
    birth_date, relation, health, disability_grade, labour_capacity, work_place, months_worked, schooling,
    education, medical_insurance, pension_insurance, minimum_allowance, active."""
    stmt = select(
        Person.id,
        Person.household_id,
        Person.county_code,
        Person.area_code,
        Person.name,
        Person.sex,
        Person.birth_date,
        Person.relation,
        Person.health,
        Person.disability_grade,
        Person.labour_capacity,
        Person.work_place,
        Person.months_worked,
        Person.schooling,
        Person.education,
        Person.medical_insurance,
        Person.pension_insurance,
        Person.minimum_allowance,
        Person.active,
    ).where(scope.condition(Person.area_code))
    if active_only:
        stmt = stmt.where(Person.active.is_(True))
    return stmt


def persons_subquery(scope: Scope, active_only: bool = True):  # type: ignore[no-untyped-def]
    return persons_select(scope, active_only).subquery("persons_in_scope")


def get_household(session: Session, household_id: int, scope: Scope) -> Household:
    household = session.get(Household, household_id)
    if household is None or not scope.contains(household.area_code):
        raise NotFound("户", household_id)
    return household


def get_person(session: Session, person_id: int, scope: Scope) -> Person:
    person = session.get(Person, person_id)
    if person is None or not scope.contains(person.area_code):
        raise NotFound("人员", person_id)
    return person


def is_active_poor(status: str) -> bool:
    return status in ACTIVE_POOR_STATUSES


def visits_select(scope: Scope) -> Select:
    """Visits in the scope: id, household_id, area_code, cadre_id, visitor_name, visited_on."""
    from fupin.registry.models import Visit

    return select(Visit.id, Visit.household_id, Visit.area_code, Visit.cadre_id, Visit.visitor_name,
                  Visit.visited_on).where(scope.condition(Visit.area_code))
