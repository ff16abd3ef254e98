"""Set-based selects of the registry's ledger tables for the capabilities that read them (monitoring, indicators).

Each is a plain `Select` with named columns, restricted to a scope; callers join, filter (through
`statement.selected_columns.<name>`), group and count them, and never see the registry's tables. Personal
fields are not among the columns unless a name says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from fupin.core.scoping import Scope
from fupin.registry.models import HelpMeasure, Household, HouseholdCheck, HouseholdIncome, Person, Visit

CHUNK = 5000


def incomes_select(scope: Scope) -> Select:
    """Yearly incomes: household_id, area_code, year, per_capita_net (rounded to the fen), net_income, members."""
    return select(HouseholdIncome.household_id, HouseholdIncome.area_code, HouseholdIncome.year,
                  HouseholdIncome.per_capita_net, HouseholdIncome.net_income,
                  HouseholdIncome.members).where(scope.condition(HouseholdIncome.area_code))


def latest_incomes_select(scope: Scope) -> Select:
    """Each household's income of its latest recorded year (the columns of `incomes_select`)."""
    latest = (select(HouseholdIncome.household_id, func.max(HouseholdIncome.year).label("latest"))
              .where(scope.condition(HouseholdIncome.area_code)).group_by(HouseholdIncome.household_id).subquery())
    return (incomes_select(scope)
            .join(latest, (latest.c.household_id == HouseholdIncome.household_id)
                  & (latest.c.latest == HouseholdIncome.year)))


def checks_full_select(scope: Scope) -> Select:
    """两不愁三保障 checks with every figure the rules read: household_id, area_code, year, food_ok, clothing_ok,
    education_ok, medical_ok, housing_ok, water_litres_per_person_day, water_trip_minutes, water_outage_days,
    water_quality_ok, water_short_area."""
    c = HouseholdCheck
    return select(c.household_id, c.area_code, c.year, c.food_ok, c.clothing_ok, c.education_ok, c.medical_ok,
                  c.housing_ok, c.water_litres_per_person_day, c.water_trip_minutes, c.water_outage_days,
                  c.water_quality_ok, c.water_short_area).where(scope.condition(c.area_code))


def latest_checks_select(scope: Scope) -> Select:
    """Each household's check of its latest checked year (the columns of `checks_full_select`)."""
    latest = (select(HouseholdCheck.household_id, func.max(HouseholdCheck.year).label("latest"))
              .where(scope.condition(HouseholdCheck.area_code)).group_by(HouseholdCheck.household_id).subquery())
    return (checks_full_select(scope)
            .join(latest, (latest.c.household_id == HouseholdCheck.household_id)
                  & (latest.c.latest == HouseholdCheck.year)))


def visit_findings_select(scope: Scope) -> Select:
    """Visits with what the visitor found: household_id, area_code, visited_on, found."""
    return select(Visit.household_id, Visit.area_code, Visit.visited_on, Visit.found).where(
        scope.condition(Visit.area_code))


def measures_select(scope: Scope) -> Select:
    """Help measures: id, household_id, area_code, measure_type, delivered_on, amount, description."""
    return select(HelpMeasure.id, HelpMeasure.household_id, HelpMeasure.area_code, HelpMeasure.measure_type,
                  HelpMeasure.delivered_on, HelpMeasure.amount, HelpMeasure.description).where(
        scope.condition(HelpMeasure.area_code))


def household_in_status(household_id: Any, statuses: Sequence[str]) -> Any:
    """A correlated EXISTS: the household `household_id` (a column of the caller's query) has one of `statuses`
    (the planner makes a hash semi-join of it on both databases)."""
    return select(Household.id).where(Household.id == household_id, Household.status.in_(list(statuses))).exists()


def household_labels(session: Session, household_ids: Iterable[int]) -> dict[int, tuple[str, str, str, str]]:
    """id → (household_no, head_name, area_code, status) of the given households, in chunks."""
    ids = sorted(set(household_ids))
    found: dict[int, tuple[str, str, str, str]] = {}
    for start in range(0, len(ids), CHUNK):
        for row in session.execute(select(Household.id, Household.household_no, Household.head_name,
                                          Household.area_code, Household.status)
                                   .where(Household.id.in_(ids[start:start + CHUNK]))):
            found[row.id] = (row.household_no, row.head_name, row.area_code, row.status)
    return found


def members_with_labour(session: Session, household_id: int, capacities: Sequence[str]) -> int:
    """Active members of the household whose labour capacity is one of `capacities`."""
    return int(session.scalar(select(func.count()).select_from(Person).where(
        Person.household_id == household_id, Person.active, Person.labour_capacity.in_(list(capacities)))) or 0)
