"""Exactly-once use cases of the registry raced through a real served process, on SQLite and PostgreSQL:
20 requests released at one instant; never a 500, never two rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
from sqlalchemy import func, select

from fupin.core.audit import AuditEntry
from fupin.registry.models import Household, HouseholdCheck, HouseholdEvent, HouseholdIncome, Person
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_registry import add_household, id_number
from tests.served import api_token, race, statuses

VILLAGE = "530326100200"


def _setup(db):
    add_areas(db)
    add_user(db, "village_a", "village", VILLAGE)
    return add_household(db)


def _count(db, model, *where):
    with db.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_twenty_parallel_puts_of_a_new_income_year_create_one_row(db, served):
    household_id = _setup(db)
    base = served(db)
    headers = api_token(base, "village_a", PASSWORD)
    calls = iter(range(20))

    def put() -> httpx.Response:
        wages = 10000 + next(calls)
        return httpx.put(f"{base}/api/v1/registry/households/{household_id}/incomes", headers=headers,
                         json={"year": 2020, "wages": str(wages)}, timeout=60)

    answers = race(20, put)
    codes = statuses(answers)
    assert set(codes) <= {200, 409} and codes.count(200) >= 1, [a.text for a in answers if a.status_code != 200]
    assert _count(db, HouseholdIncome) == 1, "one row, however many racers"
    with db.session_factory() as session:
        income = session.scalars(select(HouseholdIncome)).one()
        assert income.per_capita_net == (income.wages / 2).quantize(Decimal("0.01")), "a consistent row"
        assert income.wages in {Decimal(a.json()["wages"]) for a in answers if a.status_code == 200}
    assert _count(db, AuditEntry, AuditEntry.entity == "household_incomes", AuditEntry.action == "create") == 1


def test_twenty_parallel_puts_of_a_new_check_year_create_one_row(db, served):
    household_id = _setup(db)
    base = served(db)
    headers = api_token(base, "village_a", PASSWORD)
    answers = race(20, lambda: httpx.put(
        f"{base}/api/v1/registry/households/{household_id}/checks", headers=headers,
        json={"year": 2020, "checked_on": "2020-11-02", "water_litres_per_person_day": 60}, timeout=60))
    codes = statuses(answers)
    assert set(codes) <= {200, 409} and codes.count(200) >= 1
    assert _count(db, HouseholdCheck) == 1
    assert _count(db, AuditEntry, AuditEntry.entity == "household_checks", AuditEntry.action == "create") == 1


def test_twenty_parallel_posts_of_the_same_exit_step_record_it_once(db, served):
    household_id = _setup(db)
    base = served(db)
    headers = api_token(base, "village_a", PASSWORD)
    url = f"{base}/api/v1/registry/households/{household_id}"
    assert httpx.put(f"{url}/incomes", headers=headers, json={"year": 2020, "wages": "12000"}).status_code == 200
    assert httpx.put(f"{url}/checks", headers=headers, json={"year": 2020, "checked_on": "2020-11-02",
                                                             "water_litres_per_person_day": 60}).status_code == 200
    answers = race(20, lambda: httpx.post(f"{url}/exit-steps?year=2020", headers=headers,
                                          json={"step": "democratic_appraisal", "happened_on": "2020-11-05"},
                                          timeout=60))
    assert statuses(answers) == [201] + [409] * 19, [a.text for a in answers if a.status_code not in (201, 409)]
    assert _count(db, HouseholdEvent, HouseholdEvent.kind == "exit_step") == 1
    with db.session_factory() as session:
        assert session.get(Household, household_id).status == "exit_proposed"


def test_twenty_parallel_creations_in_one_village_get_distinct_household_numbers(db, served):
    _setup(db)
    base = served(db)
    headers = api_token(base, "village_a", PASSWORD)
    bodies = iter([{"area_code": VILLAGE, "poverty_attribute": "一般贫困户", "main_cause": "因病",
                    "registration_year": 2016,
                    "members": [{"name": f"户主{i}", "relation": "户主",
                                 "id_number": id_number(dt.date(1960 + i, 1, 1))}]} for i in range(20)])

    def create() -> httpx.Response:
        return httpx.post(f"{base}/api/v1/registry/households", headers=headers, json=next(bodies), timeout=60)

    answers = race(20, create)
    codes = statuses(answers)
    assert set(codes) <= {201, 409} and codes.count(201) >= 19, [a.text for a in answers if a.status_code != 201]
    numbers = [a.json()["household_no"] for a in answers if a.status_code == 201]
    assert len(set(numbers)) == len(numbers), "no number given twice"
    assert _count(db, Household) == 1 + len(numbers) and _count(db, Person) == 2 + len(numbers)
