"""`registry.queries.exit_eligible_select` encodes exactly the exit rule the household page shows
(`queries.ledger(...).evaluation`, i.e. `rules.evaluate_exit`): one household per reason of failing, eligible ones
on every boundary, then random households; the indicator engine and the drill-down count the same households."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from sqlalchemy import select

from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.indicators import drilldown, engine
from fupin.registry import queries, schemas, service
from fupin.registry.models import Household, PovertyLine
from fupin.registry.vocab import ACTIVE_POOR_STATUSES
from tests.factories import AREAS, add_areas
from tests.factories_registry import member

YEAR = 2019  # national line 3747 (seeded); Yunnan (53) gets 4000 below, Guizhou (52) a lower 3000 that is ignored
COUNTY, TOWNSHIP_1, TOWNSHIP_2 = "530326000000", "530326100000", "530326101000"
V1, V2, V3, GROUP = "530326100200", "530326100201", "530326101200", "530326100200001"
GZ = "520121100200"
GUIZHOU = [("520000000000", "贵州省"), ("520100000000", "贵阳市"), ("520121000000", "开阳县"),
           ("520121100000", "城关镇"), (GZ, "河坝村")]
GOOD_WATER = {"water_litres_per_person_day": 40, "water_trip_minutes": 10, "water_outage_days": 5}
ADULTS = ((dt.date(1970, 5, 1), "M", "head"), (dt.date(1972, 3, 8), "F", "spouse"))


def _lines(db: Database, rows: list[tuple[int, str, str]]) -> None:
    with UnitOfWork(db, Actor.system("test")) as uow:
        for year, province, amount in rows:
            uow.session.add(PovertyLine(year=year, province_code=province, amount=Decimal(amount), note="test"))


@pytest.fixture
def areas(db):
    add_areas(db, AREAS + GUIZHOU)
    _lines(db, [(YEAR, "53", "4000.00"), (YEAR, "52", "3000.00")])
    return db


def build(db: Database, *, area: str = V1, people: list[dict] | None = None, per_capita: str | None = "5000.00",
          income_year: int = YEAR, check: dict | None = None, check_year: int = YEAR, no_check: bool = False,
          remove: dict | None = None, registration_year: int = 2015, net: str | None = None) -> int:
    """A household entered through the registry service: members, the income (wages = per-capita × members, so
    the service derives exactly `per_capita`), the check (all met with good water unless overridden) and
    optionally a member who then leaves the household. `net`: the household's net income itself (wages), for the
    boundaries where the rounded per-capita figure would mislead."""
    people = people if people is not None else [{"birth": b, "sex": s, "relation": r} for b, s, r in ADULTS]
    with UnitOfWork(db, Actor.system("test")) as uow:
        members = [member(f"成员{i}", p.get("relation", "head" if i == 0 else "son"), p["birth"], p.get("sex", "M"),
                          **{k: v for k, v in p.items() if k not in ("birth", "sex", "relation")})
                   for i, p in enumerate(people)]
        data = schemas.HouseholdCreate(area_code=area, poverty_attribute="general", main_cause="illness",
                                       registration_year=registration_year, members=members)
        household = service.create_household(uow, data, today=dt.date(2024, 6, 1))
        if remove is not None:
            details = {k: v for k, v in remove.items() if k != "birth"}
            leaving = service.add_person(uow, household.id, member("离开的人", "son", remove["birth"], **details),
                                         today=dt.date(2024, 6, 1))
            service.remove_person(uow, leaving.id, "婚出", leaving.version)
        if net is not None or per_capita is not None:
            wages = Decimal(net) if net is not None else Decimal(per_capita) * household.member_count
            service.record_income(uow, household.id, schemas.IncomeCreate(year=income_year, wages=wages),
                                  today=dt.date(2024, 6, 1))
        if not no_check:
            items = GOOD_WATER | (check or {})
            service.record_check(uow, household.id, schemas.CheckCreate(year=check_year,
                                                                        checked_on=dt.date(check_year, 10, 1), **items),
                                 today=dt.date(2024, 6, 1))
        return household.id


def adults_and(**child) -> list[dict]:
    return [{"birth": b, "sex": s, "relation": r} for b, s, r in ADULTS] + [{"relation": "son", **child}]


THREE = adults_and(birth=dt.date(1995, 1, 1))  # two adults and a grown son


def page_evaluations(db: Database, scope: Scope, year: int) -> dict[int, queries.ExitEvaluation]:
    """What the household page shows for each household of the scope."""
    with db.session_factory() as session:
        ids = session.scalars(select(Household.id).where(scope.condition(Household.area_code))).all()
        return {i: queries.ledger(session, i, scope, year).evaluation for i in ids}


def selected_ids(db: Database, scope: Scope, year: int) -> set[int]:
    with db.session_factory() as session:
        sub = queries.exit_eligible_select(scope, year).subquery()
        return set(session.scalars(select(sub.c.id)))


# One household per way of failing: name → (build arguments, the page's only reason).
FAILING = {
    "no_income": ({"per_capita": None}, "缺少2019年收入记录"),
    "income_of_another_year": ({"income_year": 2018}, "缺少2019年收入记录"),
    "income_at_the_provincial_line": ({"per_capita": "4000.00"}, "未超过2019年扶贫标准4000.00元"),
    "income_above_national_below_provincial": ({"per_capita": "3900.00"}, "未超过2019年扶贫标准4000.00元"),
    "guizhou_lower_provincial_line_ignored": ({"area": GZ, "per_capita": "3500.00"}, "未超过2019年扶贫标准3747.00元"),
    "no_check": ({"no_check": True}, "缺少2019年两不愁三保障核查"),
    "check_of_another_year": ({"check_year": 2018}, "缺少2019年两不愁三保障核查"),
    "food": ({"check": {"food_ok": False}}, "不愁吃未达标"),
    "clothing": ({"check": {"clothing_ok": False}}, "不愁穿未达标"),
    "education_item": ({"check": {"education_ok": False}}, "义务教育未保障"),
    "medical_item": ({"check": {"medical_ok": False}}, "基本医疗未保障"),
    "housing": ({"check": {"housing_ok": False}}, "住房安全未保障"),
    "water_quantity_missing": ({"check": {"water_litres_per_person_day": None}}, "缺少水量"),
    "water_quantity_34_litres": ({"check": {"water_litres_per_person_day": 34}}, "低于35升"),
    "water_short_area_19_litres": ({"check": {"water_short_area": True, "water_litres_per_person_day": 19}},
                                   "低于20升"),
    "water_trip_21_minutes": ({"check": {"water_trip_minutes": 21}}, "取水往返21分钟"),
    "water_outage_37_days": ({"check": {"water_outage_days": 37}}, "全年断水37天"),
    "water_quality": ({"check": {"water_quality_ok": False}}, "饮水水质不达标"),
    "child_of_10_dropped_out": ({"people": adults_and(birth=dt.date(2009, 3, 1), schooling="dropout")},
                                "有1名义务教育阶段成员辍学"),
    "child_turning_6_on_1_september_not_in_school": (
        {"people": adults_and(birth=dt.date(2013, 9, 1), schooling="not_in_school")}, "有1名义务教育阶段成员辍学"),
    "child_still_15_on_1_september_dropped_out": (
        {"people": adults_and(birth=dt.date(2003, 9, 2), schooling="dropout")}, "有1名义务教育阶段成员辍学"),
    "child_of_15_left_junior_school_unfinished": (
        {"people": adults_and(birth=dt.date(2004, 3, 1), schooling="not_in_school", education="primary")},
        "有1名义务教育阶段成员辍学"),
    "child_of_15_dropout_education_unknown": (
        {"people": adults_and(birth=dt.date(2004, 3, 1), schooling="dropout")}, "有1名义务教育阶段成员辍学"),
    # 3 people, line 4000: the total against 12000.00 exactly (the per-capita figure shows 4000.00 in all three)
    "three_people_exactly_at_the_line": ({"people": THREE, "net": "12000.00"}, "未超过2019年扶贫标准4000.00元"),
    "three_people_one_cent_under_the_line": ({"people": THREE, "net": "11999.99"}, "未超过2019年扶贫标准4000.00元"),
    "uninsured_member": ({"people": adults_and(birth=dt.date(1995, 1, 1), medical_insurance=False)},
                         "有1名成员未参加基本医疗保险"),
}
ELIGIBLE = {
    "all_met": {},
    "water_trip_and_outage_not_recorded": {"check": {"water_trip_minutes": None, "water_outage_days": None}},
    "water_on_every_limit": {"check": {"water_litres_per_person_day": 35, "water_trip_minutes": 20,
                                       "water_outage_days": 36}},
    "water_short_area_20_litres": {"check": {"water_short_area": True, "water_litres_per_person_day": 20}},
    "one_cent_above_the_provincial_line": {"per_capita": "4000.01"},
    "three_people_one_cent_above_the_line_in_total": {"people": THREE, "net": "12000.01"},
    "child_in_primary_school": {"people": adults_and(birth=dt.date(2009, 3, 1), schooling="primary")},
    "child_of_15_who_finished_junior_school": {
        "people": adults_and(birth=dt.date(2004, 3, 1), schooling="not_in_school", education="junior")},
    "child_of_15_finished_junior_marked_dropout": {
        "people": adults_and(birth=dt.date(2004, 3, 1), schooling="dropout", education="junior")},
    "child_taught_at_home": {"people": adults_and(birth=dt.date(2009, 3, 1), schooling="送教上门")},
    "child_still_5_not_in_school": {"people": adults_and(birth=dt.date(2013, 9, 2), schooling="not_in_school")},
    "youth_of_16_not_in_school": {"people": adults_and(birth=dt.date(2003, 9, 1), schooling="not_in_school")},
    "uninsured_member_who_left": {"remove": {"birth": dt.date(1996, 1, 1), "medical_insurance": False}},
    "guizhou_above_national_line": {"area": GZ, "per_capita": "3747.01"},
    "in_a_group_of_the_village": {"area": GROUP},
}


def test_the_select_finds_exactly_the_households_the_page_finds_eligible(areas):
    db = areas
    failing = {name: build(db, **args) for name, (args, _reason) in FAILING.items()}
    eligible = {name: build(db, **args) for name, args in ELIGIBLE.items()}

    evaluations = page_evaluations(db, Scope.everything(), YEAR)
    for name, household_id in failing.items():
        reasons = evaluations[household_id].reasons
        assert len(reasons) == 1 and FAILING[name][1] in reasons[0], (name, reasons)
    for name, household_id in eligible.items():
        assert evaluations[household_id].eligible, (name, evaluations[household_id].reasons)

    page_eligible = {i for i, e in evaluations.items() if e.eligible}
    assert page_eligible == set(eligible.values())
    assert selected_ids(db, Scope.everything(), YEAR) == page_eligible
    in_v1 = {eligible[n] for n in ELIGIBLE if ELIGIBLE[n].get("area", V1) in (V1, GROUP)}
    assert selected_ids(db, Scope.of_area(V1), YEAR) == in_v1 and len(in_v1) == 14
    # the rounded per-capita figure is the same in the three 3-person households; only the exact total decides
    shown = {evaluations[h].per_capita_net for n, h in {**failing, **eligible}.items() if n.startswith("three_people")}
    assert shown == {Decimal("4000.00")}
    assert evaluations[failing["three_people_exactly_at_the_line"]].reasons == [
        "人均纯收入4000.00元(家庭纯收入12000.00元,3人),未超过2019年扶贫标准4000.00元"]
    assert selected_ids(db, Scope.of_area(GZ), YEAR) == {eligible["guizhou_above_national_line"]}
    assert selected_ids(db, Scope.everything(), 2018) == set(), "no income or check of 2018 passes"


def test_a_provincial_line_without_a_national_one(areas):
    db = areas
    _lines(db, [(2021, "53", "4200.00")])  # no national line for 2021
    yunnan = build(db, per_capita="4300.00", income_year=2021, check_year=2021)
    guizhou = build(db, area=GZ, per_capita="9000.00", income_year=2021, check_year=2021)
    evaluations = page_evaluations(db, Scope.everything(), 2021)
    assert evaluations[yunnan].eligible
    assert evaluations[guizhou].reasons == ["2021年扶贫标准未设置"]
    assert selected_ids(db, Scope.everything(), 2021) == {yunnan}


def _set_status(db: Database, household_id: int, status: str, exit_year: int | None) -> None:
    with db.session_factory() as session:
        household = session.get(Household, household_id)
        household.status, household.exit_year = status, exit_year
        session.commit()


def _remaining_poor_at(db: Database, year: int) -> set[int]:
    """The engine's "remaining poor at the end of the year", by hand in Python."""
    with db.session_factory() as session:
        rows = session.execute(select(Household.id, Household.status, Household.exit_year,
                                      Household.registration_year)).all()
    return {r.id for r in rows if r.registration_year <= year and (
        r.status in ACTIVE_POOR_STATUSES or (r.status in ("exited", "monitored") and r.exit_year > year))}


def test_engine_and_drill_down_count_eligible_remaining_poor_households(areas):
    db = areas
    a = build(db)                                 # V1, identified: counted
    b = build(db, area=V2)                        # V2, exited in 2020: still poor at the end of 2019, counted
    c = build(db, area=V3)                        # V3, exited in 2018: not counted
    d = build(db, area=V3, check={"water_litres_per_person_day": 30})  # V3, not eligible
    e = build(db, area=GROUP, registration_year=2020)  # registered after 2019: not counted
    build(db, area=GZ)                            # outside the county
    _set_status(db, b, "exited", 2020)
    _set_status(db, c, "exited", 2018)
    with db.session_factory() as session:
        table = engine.compute(session, Scope.everything(), COUNTY, YEAR, codes=["eligible_not_exited"],
                               day=dt.date(YEAR, 12, 31))
        values = {row.code: row.values["eligible_not_exited"].value for row in table.rows}
        listed = {r["household_id"] for r in drilldown.records(session, Scope.everything(), "eligible_not_exited",
                                                               COUNTY, YEAR)}
    assert values == {COUNTY: 2, TOWNSHIP_1: 2, TOWNSHIP_2: 0, V1: 1, V2: 1, V3: 0}
    assert listed == {a, b}
    assert {c, d, e}.isdisjoint(listed)


def _pick(rng: random.Random, good: list, bad: list):  # type: ignore[no-untyped-def]
    """Mostly a passing value (often one on the limit), sometimes a failing one, so that both outcomes and
    every way of failing are frequent."""
    return rng.choice(good) if rng.random() < 0.88 else rng.choice(bad)


def _random_person(rng: random.Random, relation: str) -> dict:
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 79))
    if rng.random() < 0.3:  # crowd the 1 September limits of school age
        birth = dt.date(rng.choice([2003, 2004, 2012, 2013]), 9, rng.choice([1, 2]))
    schooling = _pick(rng, [None, "preschool", "primary", "junior", "senior"], ["not_in_school", "dropout"])
    return {"birth": birth, "sex": rng.choice("MF"), "relation": relation, "schooling": schooling,
            "medical_insurance": rng.random() < 0.96}


def _random_household(db: Database, rng: random.Random) -> int:
    people = [_random_person(rng, "head")] + [_random_person(rng, "son") for _ in range(rng.randint(0, 3))]
    check = {k: rng.random() < 0.98 for k in ("food_ok", "clothing_ok", "education_ok", "medical_ok", "housing_ok",
                                              "water_quality_ok")}
    short = rng.random() < 0.3
    check |= {"water_short_area": short,
              "water_litres_per_person_day": _pick(rng, [20, 21, 60] if short else [35, 60], [None, 15, 19]
                                                   if short else [None, 20, 34]),
              "water_trip_minutes": _pick(rng, [None, 5, 20], [21, 40]),
              "water_outage_days": _pick(rng, [None, 0, 36], [37, 100])}
    area = rng.choice([V1, V2, V3, GROUP, GZ])
    above = ["3747.01", "5000.00"] if area == GZ else ["4000.01", "5000.00"]
    income = _pick(rng, above, [None, "3000.00", "3747.00", "3900.00", "4000.00"])
    remove = ({"birth": dt.date(1980, 1, 1) + dt.timedelta(days=rng.randrange(0, 9000)),
               "medical_insurance": rng.random() < 0.5} if rng.random() < 0.2 else None)
    return build(db, area=area, people=people, per_capita=income, income_year=_pick(rng, [YEAR], [2018]), check=check,
                 check_year=_pick(rng, [YEAR], [2018]), no_check=rng.random() < 0.05, remove=remove,
                 registration_year=rng.choice([2014, 2015, 2016, 2019, 2020]))


def test_random_households_agree_with_the_page(areas):
    db = areas
    rng = random.Random(20190901)
    ids = [_random_household(db, rng) for _ in range(90)]
    statuses = ["identified", "helped", "exit_proposed", "returned", "exited", "monitored"]
    for household_id in ids:
        status = rng.choice(statuses)
        if status != "identified":
            _set_status(db, household_id, status, rng.choice([2018, 2019, 2020]) if status in ("exited", "monitored")
                        else None)

    evaluations = page_evaluations(db, Scope.everything(), YEAR)
    page_eligible = {i for i, e in evaluations.items() if e.eligible}
    assert 10 <= len(page_eligible) <= 80, len(page_eligible)  # both outcomes are well represented
    assert selected_ids(db, Scope.everything(), YEAR) == page_eligible
    assert selected_ids(db, Scope.of_area(TOWNSHIP_1), YEAR) == {
        i for i in page_eligible if i in page_evaluations(db, Scope.of_area(TOWNSHIP_1), YEAR)}

    county_ids = set(page_evaluations(db, Scope.of_area(COUNTY), YEAR))
    expected = page_eligible & _remaining_poor_at(db, YEAR) & county_ids
    assert expected, "some eligible households are still poor"
    with db.session_factory() as session:
        table = engine.compute(session, Scope.everything(), COUNTY, YEAR, codes=["eligible_not_exited"],
                               day=dt.date(YEAR, 12, 31))
        listed = {r["household_id"] for r in drilldown.records(session, Scope.everything(), "eligible_not_exited",
                                                               COUNTY, YEAR)}
    values = {row.code: row.values["eligible_not_exited"].value for row in table.rows}
    assert values[COUNTY] == len(expected)
    assert listed == expected
    assert values[COUNTY] == values[TOWNSHIP_1] + values[TOWNSHIP_2]
    assert values[TOWNSHIP_1] == values[V1] + values[V2]


def test_the_household_page_shows_the_total_when_the_rounded_figure_equals_the_line(areas):
    """4000.00 each is not “above 4000.00” to a reader: the notice adds the total and the members."""
    import re

    from fastapi.testclient import TestClient

    from fupin.web.app import create_app
    from tests.factories import PASSWORD, add_user

    db = areas
    tight = build(db, people=THREE, net="12000.01")
    clear = build(db, people=THREE, net="15000.00")
    add_user(db, "county_a", "county", COUNTY)
    with TestClient(create_app(db=db)) as client:
        page = client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        client.post("/login", data={"username": "county_a", "password": PASSWORD, "csrf_token": csrf, "next": "/"})

        def notice(household_id: int) -> str:
            text = client.get(f"/registry/households/{household_id}?year={YEAR}").text
            return re.search(r'data-testid="exit-evaluation">(.*?)</div>', text, re.S).group(1)

        shown = notice(tight)
        assert "符合退出条件" in shown and "4000.00(家庭纯收入 12000.01 元,3 人)" in shown
        assert "家庭纯收入" not in notice(clear) and "5000.00" in notice(clear)
