"""Households, members, sites and workers for the employment and relocation tests, written directly and small."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.uow import UnitOfWork
from fupin.registry.idnumbers import id_hash, make_id_number
from fupin.registry.models import Household, Person

_sequence = itertools.count(1)
TODAY = dt.date(2024, 1, 1)


def add_household(db: Database, area_code: str, members: list[dict] | None = None, *, head_name: str = "张三"
                  ) -> tuple[int, list[int]]:
    """A household of `members` (dicts of age, labour_capacity, education, relation, schooling); returns
    (household id, person ids). The default is one head of 40 with normal labour."""
    members = members or [{"age": 40}]
    with UnitOfWork(db, Actor.system("test")) as uow:
        n = next(_sequence)
        household = Household(county_code=area_code[:6], area_code=area_code, household_no=f"T{area_code}{n:05d}",
                              head_name=head_name, poverty_attribute="general", main_cause="no_skill",
                              registration_year=2014, status="helped", member_count=len(members))
        uow.session.add(household)
        uow.session.flush()
        ids = []
        for i, m in enumerate(members):
            k = next(_sequence)
            birth = dt.date(TODAY.year - m.get("age", 40), 3, 1 + (k % 27))
            number = make_id_number(area_code[:6], birth, (k * 2 + 1) % 999)
            person = Person(household_id=household.id, county_code=area_code[:6], area_code=area_code,
                            id_number=number, id_hash=id_hash(b"test", number + str(k)),
                            name=m.get("name", f"{head_name}{i}"), sex="M", birth_date=birth,
                            relation=m.get("relation", "head" if i == 0 else "son"),
                            education=m.get("education", "junior"), schooling=m.get("schooling", "not_in_school"),
                            labour_capacity=m.get("labour_capacity", "normal"))
            uow.session.add(person)
            uow.session.flush()
            ids.append(person.id)
        return household.id, ids


def add_site(db: Database, area_code: str = "530326100200", *, grid_size: int = 10) -> int:
    from fupin.relocation.service import create_site

    with UnitOfWork(db, Actor.system("test")) as uow:
        return create_site(uow, name="测试安置点", area_code=area_code, planned_households=10, planned_people=30,
                           grid_size=grid_size).id


def add_building(db: Database, site_id: int, name: str, floors: int, areas: list[str]) -> int:
    from fupin.relocation.service import add_building as add

    with UnitOfWork(db, Actor.system("test")) as uow:
        return add(uow, site_id, name=name, floors=floors, unit_areas=[Decimal(a) for a in areas]).id


def relocate(db: Database, site_id: int, household_id: int, priority_group: int = 0) -> int:
    from fupin.relocation.service import add_relocated_household

    with UnitOfWork(db, Actor.system("test")) as uow:
        return add_relocated_household(uow, site_id, household_id, priority_group=priority_group).id


def add_worker(db: Database, person_id: int, **fields) -> int:  # type: ignore[no-untyped-def]
    from fupin.employment.service import register_worker

    with UnitOfWork(db, Actor.system("test")) as uow:
        return register_worker(uow, person_id, today=TODAY, **fields).id


def place(db: Database, worker_id: int, source: str, work_place: str = "in_county", *,
          started_on: dt.date = dt.date(2023, 3, 1), destination: str | None = None, wage: str = "3000.00") -> int:
    from fupin.employment.service import add_placement

    with UnitOfWork(db, Actor.system("test")) as uow:
        return add_placement(uow, worker_id, source=source, work_place=work_place, destination=destination,
                             employer_name=f"单位{next(_sequence)}", employer_kind="enterprise",
                             started_on=started_on, monthly_wage=wage).id
