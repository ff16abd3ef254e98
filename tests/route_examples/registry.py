"""Write routes of the registry (API and pages), each with a valid request inside the demo village."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from fupin.registry.idnumbers import make_id_number
from fupin.registry.models import Household, Person
from tests.route_examples import Call, Demo, Example

TODAY = dt.date.today().isoformat()
LAST_YEAR = dt.date.today().year - 1
NEW_HEAD = make_id_number("530326", dt.date(1961, 6, 7), 977)
NEW_CHILD = make_id_number("530326", dt.date(2012, 6, 7), 978)
IMPORT_SHEET = ("户编号,所在村组区划代码,贫困户属性,主要致贫原因,识别年度,姓名,身份证号,与户主关系\n"
                "EXAMPLE1,{village},一般贫困户,因学,2016,示例户主,{head},户主\n")


def _household(demo: Demo) -> int:
    return demo.session.scalar(select(Household.id).where(Household.area_code.startswith(demo.village_code))
                               .order_by(Household.id).limit(1))


def _member(demo: Demo) -> tuple[int, int]:
    """A member who is not the head (removable), with its version."""
    row = demo.session.execute(select(Person.id, Person.version).where(
        Person.household_id == _household(demo), Person.relation != "head", Person.active)
        .order_by(Person.id).limit(1)).first()
    if row is None:
        row = demo.session.execute(select(Person.id, Person.version).where(Person.household_id == _household(demo))
                                   .limit(1)).first()
    return row[0], row[1]


def _version(demo: Demo) -> int:
    return demo.session.scalar(select(Household.version).where(Household.id == _household(demo)))


def _new_household(demo: Demo) -> dict:
    return {"area_code": demo.village_code, "poverty_attribute": "general", "main_cause": "illness",
            "registration_year": 2016, "members": [{"name": "示例户主", "id_number": NEW_HEAD, "relation": "head"}]}


def _new_household_form(demo: Demo) -> dict:
    return {"area_code": demo.village_code, "poverty_attribute": "general", "main_cause": "illness",
            "registration_year": "2016", "members.0.name": "示例户主", "members.0.id_number": NEW_HEAD,
            "members.0.relation": "head"}


def _sheet(demo: Demo) -> dict:
    content = IMPORT_SHEET.format(village=demo.village_code, head=NEW_HEAD).encode("utf-8")
    return {"file": ("example.csv", content, "text/csv")}


H = "{household_id}"
P = "{person_id}"
API = "/api/v1/registry"

EXAMPLES = [
    # ---- API
    Example("POST", f"{API}/households", "registry.household.create",
            lambda d: Call(f"{API}/households", json=_new_household(d))),
    Example("PATCH", f"{API}/households/{H}", "registry.household.update",
            lambda d: Call(f"{API}/households/{_household(d)}", json={"version": _version(d), "address": "示例地址"})),
    Example("POST", f"{API}/households/{H}/persons", "registry.member.edit",
            lambda d: Call(f"{API}/households/{_household(d)}/persons",
                           json={"name": "示例子女", "id_number": NEW_CHILD, "relation": "son", "schooling": "primary"})),
    Example("PATCH", f"{API}/persons/{P}", "registry.member.edit",
            lambda d: Call(f"{API}/persons/{_member(d)[0]}", json={"version": _member(d)[1], "work_place": "none"})),
    Example("POST", f"{API}/persons/{P}/removal", "registry.member.edit",
            lambda d: Call(f"{API}/persons/{_member(d)[0]}/removal", json={"version": _member(d)[1] + 100,
                                                                            "reason": "示例(版本不符,不会移除)"})),
    Example("PUT", f"{API}/households/{H}/incomes", "registry.income.record",
            lambda d: Call(f"{API}/households/{_household(d)}/incomes", json={"year": LAST_YEAR, "wages": "9000"})),
    Example("PUT", f"{API}/households/{H}/checks", "registry.check.record",
            lambda d: Call(f"{API}/households/{_household(d)}/checks",
                           json={"year": LAST_YEAR, "checked_on": TODAY, "water_litres_per_person_day": 60})),
    Example("POST", f"{API}/households/{H}/measures", "registry.measure.add",
            lambda d: Call(f"{API}/households/{_household(d)}/measures",
                           json={"measure_type": "training", "delivered_on": TODAY, "description": "示例"})),
    Example("POST", f"{API}/households/{H}/visits", "registry.visit.add",
            lambda d: Call(f"{API}/households/{_household(d)}/visits", json={"visited_on": TODAY, "found": "示例"})),
    Example("POST", f"{API}/households/{H}/exit-steps", "registry.exit.democratic_appraisal",
            lambda d: Call(f"{API}/households/{_household(d)}/exit-steps",
                           json={"step": "democratic_appraisal", "happened_on": TODAY})),
    Example("POST", f"{API}/imports", "registry.import",
            lambda d: Call(f"{API}/imports", data={"mode": "all-or-nothing"}, files=_sheet(d))),
    # ---- pages
    Example("POST", "/registry/new", "registry.household.create",
            lambda d: Call("/registry/new", data=_new_household_form(d))),
    Example("POST", f"/registry/households/{H}/income", "registry.income.record",
            lambda d: Call(f"/registry/households/{_household(d)}/income",
                           data={"year": str(LAST_YEAR), "wages": "9000"})),
    Example("POST", f"/registry/households/{H}/check", "registry.check.record",
            lambda d: Call(f"/registry/households/{_household(d)}/check",
                           data={"year": str(LAST_YEAR), "checked_on": TODAY, "food_ok": "on",
                                 "water_litres_per_person_day": "60"})),
    Example("POST", f"/registry/households/{H}/measure", "registry.measure.add",
            lambda d: Call(f"/registry/households/{_household(d)}/measure",
                           data={"measure_type": "training", "delivered_on": TODAY})),
    Example("POST", f"/registry/households/{H}/visit", "registry.visit.add",
            lambda d: Call(f"/registry/households/{_household(d)}/visit", data={"visited_on": TODAY, "found": "示例"})),
    Example("POST", f"/registry/households/{H}/exit-step", "registry.exit.democratic_appraisal",
            lambda d: Call(f"/registry/households/{_household(d)}/exit-step",
                           data={"step": "democratic_appraisal", "happened_on": TODAY})),
    Example("POST", f"/registry/households/{H}/members", "registry.member.edit",
            lambda d: Call(f"/registry/households/{_household(d)}/members",
                           data={"name": "示例子女", "id_number": NEW_CHILD, "relation": "son"})),
    Example("POST", f"/registry/households/{H}/edit", "registry.household.update",
            lambda d: Call(f"/registry/households/{_household(d)}/edit",
                           data={"version": str(_version(d)), "address": "示例地址"})),
    Example("POST", f"/registry/persons/{P}/edit", "registry.member.edit",
            lambda d: Call(f"/registry/persons/{_member(d)[0]}/edit",
                           data={"version": str(_member(d)[1]), "work_place": "none"})),
    Example("POST", f"/registry/persons/{P}/remove", "registry.member.edit",
            lambda d: Call(f"/registry/persons/{_member(d)[0]}/remove",
                           data={"version": str(_member(d)[1] + 100), "reason": "示例(版本不符,不会移除)"})),
    Example("POST", "/registry/import", "registry.import",
            lambda d: Call("/registry/import", data={"mode": "all-or-nothing"}, files=_sheet(d))),
    Example("POST", "/registry/export", "registry.export", lambda d: Call("/registry/export", data={"fmt": "csv"})),
    Example("POST", "/registry/quality", "registry.export", lambda d: Call("/registry/quality", data={})),
    Example("POST", "/registry/reconcile", "registry.export",
            lambda d: Call("/registry/reconcile", data={}, files=_sheet(d))),
]
