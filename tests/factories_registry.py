"""Registry fixtures: households built through the service, ID numbers that pass every check."""

from __future__ import annotations

import datetime as dt
import itertools

from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.uow import UnitOfWork
from fupin.registry import schemas, service
from fupin.registry.idnumbers import make_id_number

_sequence = itertools.count(1)


def id_number(birth: dt.date, sex: str = "M", region: str = "530326") -> str:
    n = next(_sequence) % 400
    return make_id_number(region, birth, n * 2 + (1 if sex == "M" else 2))


def member(name: str, relation: str, birth: dt.date, sex: str = "M", **extra) -> schemas.PersonCreate:
    return schemas.PersonCreate(id_number=id_number(birth, sex), name=name, relation=relation, **extra)


def add_household(db: Database, area_code: str = "530326100200", members: list[schemas.PersonCreate] | None = None,
                  **extra) -> int:
    members = members or [member("张大山", "head", dt.date(1970, 5, 1)),
                          member("李秀英", "spouse", dt.date(1972, 3, 8), "F")]
    data = schemas.HouseholdCreate(area_code=area_code, poverty_attribute=extra.pop("poverty_attribute", "general"),
                                   main_cause=extra.pop("main_cause", "no_skill"),
                                   registration_year=extra.pop("registration_year", 2015), members=members, **extra)
    with UnitOfWork(db, Actor.system("test")) as uow:
        return service.create_household(uow, data, today=dt.date(2024, 6, 1)).id


def lend_pairing_hook(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The quality run asks pairing for `pairing.helpers_per_household` (the orgs-pairing branch declares it);
    until that branch is on main, tests lend pairing's existing select under that name. A no-op once declared."""
    import fupin.core.capability as capability
    from fupin.pairing import queries as pairing_queries

    table = dict(capability._provided())
    if "pairing.helpers_per_household" in table:
        return
    table["pairing.helpers_per_household"] = ("pairing", pairing_queries.helpers_per_household)
    monkeypatch.setattr(capability, "_provided", lambda: table)
