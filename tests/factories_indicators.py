"""A small county for the indicator tests, written directly so each figure can be counted by hand."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from decimal import Decimal

from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.uow import UnitOfWork
from fupin.indicators.models import RuralPopulation
from fupin.orgs.models import Cadre
from fupin.pairing.models import Pair
from fupin.registry.idnumbers import id_hash, make_id_number
from fupin.registry.models import Household, HouseholdCheck, HouseholdIncome, Person, Visit

_sequence = itertools.count(1)
YEAR = 2019
DAY = dt.date(2019, 12, 31)


def household(db: Database, area_code: str, *, members: int = 2, status: str = "helped", exit_year: int | None = None,
              income: str | None = None, check: dict[str, bool] | None = None, helper: bool = False,
              visited_on: dt.date | None = None) -> int:
    """A household of `members` people; optionally its YEAR income (per-capita net), check, helper and visit."""
    with UnitOfWork(db, Actor.system("test")) as uow:
        s = uow.session
        n = next(_sequence)
        h = Household(county_code=area_code[:6], area_code=area_code, household_no=f"I{area_code}{n:05d}",
                      head_name=f"户主{n}", poverty_attribute="general", main_cause="illness", registration_year=2014,
                      status=status, exit_year=exit_year, member_count=members)
        s.add(h)
        s.flush()
        for i in range(members):
            k = next(_sequence)
            birth = dt.date(1970 + i, 1, 1 + k % 27)
            number = make_id_number(area_code[:6], birth, k % 999)
            s.add(Person(household_id=h.id, county_code=area_code[:6], area_code=area_code, id_number=number,
                         id_hash=id_hash(b"ind", number + str(k)), name=f"成员{k}", sex="M", birth_date=birth,
                         relation="head" if i == 0 else "son"))
        if income is not None:
            value = Decimal(income)
            s.add(HouseholdIncome(household_id=h.id, county_code=area_code[:6], area_code=area_code, year=YEAR,
                                  members=members, net_income=value * members, per_capita_net=value))
        if check is not None:
            items = {"food_ok": True, "clothing_ok": True, "education_ok": True, "medical_ok": True,
                     "housing_ok": True, "water_quality_ok": True} | check
            s.add(HouseholdCheck(household_id=h.id, county_code=area_code[:6], area_code=area_code, year=YEAR,
                                 checked_on=dt.date(YEAR, 10, 1), **items))
        if helper:
            cadre = Cadre(name=f"干部{n}", work_unit="县委", rank="section", post="staff", area_code=area_code,
                          active_from=dt.date(2017, 1, 1))
            s.add(cadre)
            s.flush()
            s.add(Pair(household_id=h.id, cadre_id=cadre.id, area_code=area_code, started_on=dt.date(2018, 1, 1)))
        if visited_on is not None:
            s.add(Visit(household_id=h.id, county_code=area_code[:6], area_code=area_code, visitor_name="王干部",
                        visited_on=visited_on))
        return h.id


def population(db: Database, area_code: str, people: int, year: int = YEAR) -> None:
    with UnitOfWork(db, Actor.system("test")) as uow:
        uow.session.add(RuralPopulation(year=year, area_code=area_code, rural_population=people))


def random_county(db: Database, villages: list[str], households: int, seed: int) -> None:
    """Random households over the villages, for the sums-over-children tests."""
    rng = random.Random(seed)
    statuses = ["identified", "helped", "exit_proposed", "exited", "monitored", "returned"]
    for _ in range(households):
        status = rng.choice(statuses)
        household(db, rng.choice(villages), members=rng.randint(1, 5), status=status,
                  exit_year=rng.choice([2018, 2019]) if status == "exited" else None,
                  income=rng.choice([None, "3000.00", "5000.00"]),
                  check=rng.choice([None, {}, {"housing_ok": False}, {"water_quality_ok": False}]),
                  helper=rng.random() < 0.5, visited_on=rng.choice([None, dt.date(2019, 12, 20), dt.date(2019, 6, 1)]))


def monitored(db: Database, household_id: int, area_code: str, monitor_type: str, status: str,
              identified_on: dt.date | None, cleared_on: dt.date | None = None) -> None:
    """A monitoring record written directly (the monitoring capability's table, for the indicator counts)."""
    from fupin.monitoring.models import MonitoredHousehold

    with UnitOfWork(db, Actor.system("test")) as uow:
        uow.session.add(MonitoredHousehold(household_id=household_id, county_code=area_code[:6], area_code=area_code,
                                           monitor_type=monitor_type, risk_types="illness", channel="self_report",
                                           clue_on=identified_on or dt.date(YEAR, 1, 1), status=status,
                                           identified_on=identified_on, cleared_on=cleared_on))
