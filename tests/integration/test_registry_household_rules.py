"""One place per household rule: the same bad household gives the same error code through the household form
(page), the API and the import (rules.py is the one source; the conflict query is shared)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fupin.core.identity import Actor
from fupin.core.importing import ImportMode
from fupin.core.uow import UnitOfWork
from fupin.registry import service
from fupin.registry.models import Household, Person
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_registry import add_household, id_number, member

VILLAGE_A, VILLAGE_B = "530326100200", "530326101200"  # B lies in another township
TOWNSHIP = "530326100000"
HEAD, SPOUSE = id_number(dt.date(1966, 3, 4)), id_number(dt.date(1968, 7, 8), "F")
HELD_IN_A, HELD_IN_B = "<held in village A>", "<held in village B>"  # replaced by the numbers the fixture made


def _wrong_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def _household(**changes):
    household = {"area_code": VILLAGE_A, "poverty_attribute": "一般贫困户", "main_cause": "因病",
                 "registration_year": 2016,
                 "members": [{"name": "赵一", "id_number": HEAD, "relation": "户主"},
                             {"name": "钱二", "id_number": SPOUSE, "relation": "配偶"}]}
    members = changes.pop("members", {})
    household.update(changes)
    for index, values in members.items():
        household["members"][index] = household["members"][index] | values
    return household


CASES = {
    "two heads": (_household(members={1: {"relation": "户主"}}), "registry.one_head"),
    "no head": (_household(members={0: {"relation": "之子"}}), "registry.one_head"),
    "a township": (_household(area_code=TOWNSHIP), "registry.area_level"),
    "another village": (_household(area_code=VILLAGE_B), "registry.area_not_available"),
    "no such area": (_household(area_code="530326999200"), "registry.area_not_available"),
    "check digit": (_household(members={1: {"id_number": _wrong_check_digit(SPOUSE)}}), "registry.id_check_digit"),
    "one ID twice": (_household(members={1: {"id_number": HEAD}}), "registry.id_repeated_in_household"),
    "held in scope": (_household(members={1: {"id_number": HELD_IN_A}}), "registry.id_registered_in"),
    "held elsewhere": (_household(members={1: {"id_number": HELD_IN_B}}), "registry.id_registered_elsewhere"),
    "year": (_household(registration_year=2001), "registry.year_range"),
    "control character": (_household(members={0: {"name": "赵\x01一"}}), "registry.control_characters"),
    "attribute": (_household(poverty_attribute="富裕户"), "registry.bad_code"),
}


@pytest.fixture
def client(db):
    add_areas(db)
    add_user(db, "township_a", "township", TOWNSHIP)
    add_household(db, VILLAGE_A, members=[member("孙老汉", "head", dt.date(1950, 1, 2))])
    add_household(db, VILLAGE_B, members=[member("周老汉", "head", dt.date(1951, 2, 3))])
    with TestClient(create_app(db=db)) as c:
        yield c


def _held_numbers(db, household):
    """The case with the ID numbers the fixture's households hold."""
    with db.session_factory() as session:
        held = dict(session.execute(select(Household.area_code, Person.id_number)
                                    .join(Person, Person.household_id == Household.id)).all())
    numbers = {HELD_IN_A: held[VILLAGE_A], HELD_IN_B: held[VILLAGE_B]}
    return household | {"members": [p | {"id_number": numbers.get(p["id_number"], p["id_number"])}
                                     for p in household["members"]]}


def _csv(household) -> bytes:
    lines = ["户编号,所在村组区划代码,贫困户属性,主要致贫原因,识别年度,姓名,身份证号,与户主关系"]
    for index, person in enumerate(household["members"]):
        head = [household["area_code"], household["poverty_attribute"], household["main_cause"],
                str(household["registration_year"])] if index == 0 else ["", "", "", ""]
        lines.append(",".join(["T1", *head, person["name"], person["id_number"], person["relation"]]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _form(household, csrf) -> dict[str, str]:
    data = {"csrf_token": csrf, **{k: str(v) for k, v in household.items() if k != "members"}}
    for index, person in enumerate(household["members"]):
        data |= {f"members.{index}.{k}": v for k, v in person.items()}
    return data


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_same_bad_household_gives_the_same_code_through_the_form_the_api_and_the_import(client, db, case):
    household, code = CASES[case]
    household = _held_numbers(db, household)
    token = client.post("/api/v1/auth/token", json={"username": "township_a", "password": PASSWORD}).json()
    api = client.post("/api/v1/registry/households", json=household,
                      headers={"Authorization": f"Bearer {token['access_token']}"})
    assert api.status_code in (409, 422) and api.json()["error"] == code, api.json()

    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": "township_a", "password": PASSWORD, "csrf_token": csrf, "next": "/"})
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/registry/new").text).group(1)
    form = client.post("/registry/new", data=_form(household, csrf))
    assert form.status_code == 422
    shown = html.unescape(form.text)
    assert api.json()["message"] in shown, "the same message, beside its field"
    field = api.json()["field"]
    assert f'data-field="{field}"' in form.text, f"the error stands beside {field}"
    for person in household["members"]:
        assert f'value="{html.escape(person["name"])}"' in form.text, "what was typed is kept"

    actor = Actor(user_id=None, name="township_a", role="township", scope_prefix="530326100")
    result = service.import_registry(UnitOfWork(db, actor), "t.csv", _csv(household),
                                     mode=ImportMode.all_or_nothing, today=dt.date.today())
    assert code in {c for _line, _field, c in result.codes}, result.codes
    assert not result.report.committed
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Household)) == 2, "nothing written"
