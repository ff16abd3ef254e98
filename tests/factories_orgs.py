"""Factories of the orgs and pairing tests: households, organisations, cadres, and stand-ins for the selects the
relocation and employment capabilities lend (literal selects, so these tests do not depend on those packages)."""

from __future__ import annotations

import datetime as dt
from itertools import count

from sqlalchemy import Integer, String, literal, select, union_all

from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.uow import UnitOfWork
from fupin.orgs import service as org_service
from fupin.registry.models import Household

_numbers = count(1)
VILLAGE_A = "530326100200"
VILLAGE_B = "530326100201"
VILLAGE_C = "530326101200"
TOWNSHIP_1 = "530326100000"
TOWNSHIP_2 = "530326101000"
COUNTY = "530326000000"
OTHER_VILLAGE = "530321100200"


def add_household(db: Database, area_code: str = VILLAGE_A, status: str = "helped", head_name: str = "张三") -> int:
    with db.session_factory() as session:
        household = Household(county_code=area_code[:6], area_code=area_code,
                              household_no=f"{area_code}{next(_numbers):05d}", head_name=head_name,
                              poverty_attribute="general", main_cause="illness", registration_year=2015,
                              status=status, member_count=3)
        session.add(household)
        session.commit()
        return household.id


def add_org(db: Database, name: str = "北坎村党支部", org_type: str = "branch", area_code: str = VILLAGE_A,
            base_kind: str = "village", parent_id: int | None = None, **extra) -> int:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.system("test")) as uow:
        return org_service.create_org(uow, name=name, org_type=org_type, area_code=area_code, base_kind=base_kind,
                                      founded_on=extra.pop("founded_on", dt.date(2015, 1, 1)),
                                      parent_id=parent_id, **extra).id


def add_cadre(db: Database, area_code: str = VILLAGE_A, rank: str = "general", party: bool = True,
              name: str = "李干部", active_to: dt.date | None = None) -> int:
    with UnitOfWork(db, Actor.system("test")) as uow:
        return org_service.add_cadre(uow, name=name, work_unit="县扶贫办", rank=rank, post="work_team",
                                     area_code=area_code, active_from=dt.date(2015, 1, 1), active_to=active_to,
                                     is_party_member=party).id


def _rows(columns: list[tuple[str, object]], rows: list[tuple]):  # type: ignore[no-untyped-def]
    selects = []
    for row in rows:
        selects.append(select(*[literal(value, String() if isinstance(value, str) else Integer()).label(name)
                                for (name, _type), value in zip(columns, row, strict=True)]))
    if not selects:
        # An empty result with the right columns.
        return select(*[literal(0 if t is int else "x").label(n) for n, t in columns]).where(literal(1) == 0)
    return union_all(*selects) if len(selects) > 1 else selects[0]


class FakeProviders:
    """Stand-in query functions with the contract's columns; filled by the tests."""

    def __init__(self) -> None:
        self.sites: list[tuple] = []          # id, name, area_code, planned_households, planned_people
        self.relocated: list[tuple] = []      # household_id, site_id, status, site_area_code
        self.stations: list[tuple] = []       # id, name, area_code, site_id
        self.concentrations: list[tuple] = []  # destination, county_code, workers

    def _select(self, columns, rows):  # type: ignore[no-untyped-def]
        built = _rows(columns, rows)
        return select(*built.subquery().c) if len(rows) > 1 else built

    def sites_select(self, scope):  # type: ignore[no-untyped-def]
        rows = [r for r in self.sites if scope.contains(r[2])]
        return self._select([("id", int), ("name", str), ("area_code", str), ("planned_households", int),
                             ("planned_people", int)], rows)

    def relocated_households_select(self, scope):  # type: ignore[no-untyped-def]
        rows = [r for r in self.relocated if scope.contains(r[3])]
        return self._select([("household_id", int), ("site_id", int), ("status", str), ("site_area_code", str)], rows)

    def stations_select(self, scope):  # type: ignore[no-untyped-def]
        rows = [r for r in self.stations if scope.contains(r[2])]
        return self._select([("id", int), ("name", str), ("area_code", str), ("site_id", int)], rows)

    def export_concentrations_select(self, scope):  # type: ignore[no-untyped-def]
        rows = [r for r in self.concentrations if scope.contains(r[1] + "000000")]
        return self._select([("destination", str), ("county_code", str), ("workers", int)], rows)

    NAMES = {"relocation.sites_select": "sites_select",
             "relocation.relocated_households_select": "relocated_households_select",
             "employment.stations_select": "stations_select",
             "employment.export_concentrations_select": "export_concentrations_select"}

    def _late(self, attribute: str):  # type: ignore[no-untyped-def]
        """Looked up at each call, so a test may replace a stand-in after installing."""
        return lambda *args, **kwargs: getattr(self, attribute)(*args, **kwargs)

    @staticmethod
    def not_built(monkeypatch, *capabilities: str) -> None:  # type: ignore[no-untyped-def]
        """The coverage rules see these capabilities as not built yet (their rules answer "no data")."""
        from fupin.orgs import coverage

        real = coverage.is_built
        monkeypatch.setattr(coverage, "is_built", lambda name: name not in capabilities and real(name))

    def install(self, monkeypatch) -> FakeProviders:  # type: ignore[no-untyped-def]
        """Every `provided(name)` of the four selects answers with these stand-ins (the hook table itself is
        swapped, so each caller — orgs' and pairing's coverage rules, the plan — sees them)."""
        from fupin.core import capability

        real = capability._provided()
        table = {**real, **{name: (name.split(".")[0], self._late(attribute))
                            for name, attribute in self.NAMES.items()}}
        monkeypatch.setattr(capability, "_provided", lambda: table)
        return self
