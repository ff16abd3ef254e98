"""Coverage rules grouped by area (`orgs.coverage.coverage_by_area`, one GROUP BY per rule) agree with
`coverage.evaluate` for any scope, and the indicator engine folds them to every level: each child row has its own
rate from summed counts, children sum to the parent, and rules without data say so at every level."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import literal, select

from fupin.core.audit import Actor
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.indicators import engine
from fupin.orgs import coverage, service
from fupin.orgs.rules import is_administrative_village
from fupin.pairing import service as pairing_service
from tests.factories import AREAS, add_areas
from tests.factories_orgs import (
    COUNTY,
    TOWNSHIP_1,
    TOWNSHIP_2,
    VILLAGE_A,
    VILLAGE_B,
    VILLAGE_C,
    FakeProviders,
    add_cadre,
    add_household,
    add_org,
)

TODAY = dt.date.today()
PROVINCE, OTHER_COUNTY, OTHER_VILLAGE = "530000000000", "530321000000", "530321100200"
COMMUNITY, NEIGHBOURHOOD = "530326100202", "530326101201"  # village-level, but not administrative villages
GROUP_A = "530326100200001"
CATALOGUED = ("village_branch", "village_cooperative", "site_org", "floating_member_managed")


@pytest.fixture(autouse=True)
def _today():
    """The services date what they write by the clock; the figures are read on that same day, so a run that
    crosses midnight does not compare two days (it did once)."""
    global TODAY
    TODAY = dt.date.today()


@pytest.fixture
def fakes(monkeypatch):
    return FakeProviders().install(monkeypatch)


@pytest.fixture
def county(db, fakes):
    """By hand, on TODAY:
    orgs: branch at A; branch at B dissolved today; Party group (党小组) on a cooperative at C; branch at the
          community 以礼社区; temporary branch at township 1 on site 7; migrant branch at township 1 (芜湖, from
          530326); branch at 大庄村 (other county)
    sites: 7 at B (480 people, org by site id, station), 8 at C (40, only the Party group: uncovered),
           9 coded at township 1 (1200, covered by the township's orgs, no station)
    migrant concentrations: 芜湖 85 (branch), 宁波 40 (none), 宁波 5 (below 30), 东莞 50 from 530321 (none)
    households: A ×2 (one paired with a Party cadre), group of A ×1 (paired), B ×1 (paired with a non-member),
                C ×1, 大庄村 ×1; relocated: A1 moved to 7, C allocated at 9, A2 planned at 7, B moved to 8
    floating members: at A managed by A's branch; at C unmanaged; at township 1 managed by the dissolved branch;
                      plus a member at A who is not floating"""
    add_areas(db, AREAS + [(COMMUNITY, "以礼社区"), (NEIGHBOURHOOD, "城南居委会")])
    branch_a = add_org(db, name="北坎村党支部", area_code=VILLAGE_A)
    branch_b = add_org(db, name="石坝村党支部", area_code=VILLAGE_B)
    party_group = add_org(db, name="合作社党小组", org_type="group", area_code=VILLAGE_C, base_kind="cooperative",
                          base_name="白雾村种植专业合作社")
    add_org(db, name="以礼社区党支部", area_code=COMMUNITY)
    site_branch = add_org(db, name="安置点临时党支部", org_type="temporary_branch", area_code=TOWNSHIP_1,
                          base_kind="site", site_id=7)
    add_org(db, name="驻芜湖流动党员党支部", area_code=TOWNSHIP_1, base_kind="migrant", destination="安徽省芜湖市",
            origin_county_code="530326")
    add_org(db, name="大庄村党支部", area_code=OTHER_VILLAGE)
    fakes.sites = [(7, "以礼社区安置点", VILLAGE_B, 120, 480), (8, "小安置点", VILLAGE_C, 10, 40),
                   (9, "镇区安置点", TOWNSHIP_1, 300, 1200)]
    fakes.stations = [(1, "以礼社区就业服务站", VILLAGE_B, 7)]
    fakes.concentrations = [("安徽省芜湖市", "530326", 85), ("浙江省宁波市", "530326", 40),
                            ("浙江省杭州市", "530326", 5), ("广东省东莞市", "530321", 50)]
    h = {"a1": add_household(db, VILLAGE_A), "a2": add_household(db, VILLAGE_A), "g": add_household(db, GROUP_A),
         "b": add_household(db, VILLAGE_B), "c": add_household(db, VILLAGE_C), "d": add_household(db, OTHER_VILLAGE)}
    member_cadre, outsider = add_cadre(db, VILLAGE_A, party=True), add_cadre(db, VILLAGE_B, party=False)
    with UnitOfWork(db, Actor.system("test")) as uow:
        pairing_service.pair(uow, h["a1"], member_cadre)
        pairing_service.pair(uow, h["g"], member_cadre)
        pairing_service.pair(uow, h["b"], outsider)
    fakes.relocated = [(h["a1"], 7, "moved_in", VILLAGE_B), (h["c"], 9, "allocated", TOWNSHIP_1),
                       (h["a2"], 7, "planned", VILLAGE_B), (h["b"], 8, "moved_in", VILLAGE_C)]
    with UnitOfWork(db, Actor.system("test")) as uow:
        service.add_member(uow, name="王流动", org_id=branch_a, is_floating=True, current_location="安徽省芜湖市",
                           managing_org_id=branch_a)
        service.add_member(uow, name="李流动", org_id=party_group, is_floating=True, current_location="浙江省宁波市")
        service.add_member(uow, name="赵流动", org_id=site_branch, is_floating=True, current_location="昆明市",
                           managing_org_id=branch_b)
        service.add_member(uow, name="张在家", org_id=branch_a)
    with UnitOfWork(db, Actor.system("test")) as uow:
        service.dissolve_org(uow, branch_b, day=TODAY)
    return db


# The county's figures per area code, by hand from the fixture: rule → {code: (covered, total)}.
COUNTY_BY_AREA = {
    "village_branch": {VILLAGE_A: (1, 1), VILLAGE_B: (0, 1), VILLAGE_C: (0, 1)},
    "village_cooperative": {VILLAGE_A: (0, 1), VILLAGE_B: (0, 1), VILLAGE_C: (1, 1)},
    "site_org": {VILLAGE_B: (1, 1), VILLAGE_C: (0, 1), TOWNSHIP_1: (1, 1)},
    "site_station": {VILLAGE_B: (1, 1), TOWNSHIP_1: (0, 1)},
    "migrant_branch": {COUNTY: (1, 2)},
    "household_helper": {VILLAGE_A: (2, 3), VILLAGE_B: (1, 1), VILLAGE_C: (0, 1)},
    "relocated_party_contact": {VILLAGE_B: (1, 1), TOWNSHIP_1: (0, 1), VILLAGE_C: (0, 1)},
    "floating_member_managed": {VILLAGE_A: (1, 1), VILLAGE_C: (0, 1), TOWNSHIP_1: (0, 1)},
}


def _by_area(db, area_code: str | None) -> dict[str, coverage.AreaCoverage]:
    with db.session_factory() as session:
        return coverage.coverage_by_area(session, Scope.of_area(area_code), TODAY)


def _evaluated(db, area_code: str | None) -> dict[str, tuple[int, int]]:
    with db.session_factory() as session:
        return {r.key: (r.covered, r.total) for r in coverage.evaluate(session, Scope.of_area(area_code), TODAY)}


def test_each_rule_grouped_by_area_equals_a_hand_count(county):
    answers = _by_area(county, COUNTY)
    assert set(answers) == {rule.key for rule in coverage.RULES}
    assert {key: answer.counts for key, answer in answers.items()} == COUNTY_BY_AREA
    everywhere = _by_area(county, None)
    assert everywhere["village_branch"].counts[OTHER_VILLAGE] == (1, 1)
    assert everywhere["migrant_branch"].counts == {COUNTY: (1, 2), OTHER_COUNTY: (0, 1)}
    assert everywhere["household_helper"].counts[OTHER_VILLAGE] == (0, 1)


@pytest.mark.parametrize("area", [None, PROVINCE, COUNTY, TOWNSHIP_1, TOWNSHIP_2, VILLAGE_A, OTHER_COUNTY])
def test_the_sum_over_areas_equals_evaluate_for_every_rule_and_scope(county, area):
    answers = _by_area(county, area)
    evaluated = _evaluated(county, area)
    prefix = Scope.of_area(area).prefix
    for key, (covered, total) in evaluated.items():
        assert answers[key].has_data
        assert (answers[key].covered, answers[key].total) == (covered, total), (area, key)
        assert all(code.startswith(prefix) and len(code) == 12 for code in answers[key].counts), (area, key)
    if area == COUNTY:
        assert evaluated == {key: (sum(c for c, _ in v.values()), sum(t for _, t in v.values()))
                             for key, v in COUNTY_BY_AREA.items()}


def _row_counts(table, code: str) -> tuple[int | None, int | None]:
    value = next(r for r in table.rows if r.code == code).values[code_of(table)]
    return value.numerator, value.denominator


def code_of(table) -> str:
    (indicator,) = table.indicators
    return indicator.code


# Engine rows for the county (numerator, denominator): villages include the community and the 居委会 (0/0).
ENGINE_ROWS = {
    "org_village_branch": {COUNTY: (1, 3), TOWNSHIP_1: (1, 2), TOWNSHIP_2: (0, 1), VILLAGE_A: (1, 1),
                           VILLAGE_B: (0, 1), COMMUNITY: (0, 0), VILLAGE_C: (0, 1), NEIGHBOURHOOD: (0, 0)},
    "org_village_cooperative": {COUNTY: (1, 3), TOWNSHIP_1: (0, 2), TOWNSHIP_2: (1, 1), VILLAGE_A: (0, 1),
                                VILLAGE_B: (0, 1), COMMUNITY: (0, 0), VILLAGE_C: (1, 1), NEIGHBOURHOOD: (0, 0)},
    "org_site_org": {COUNTY: (2, 3), TOWNSHIP_1: (2, 2), TOWNSHIP_2: (0, 1), VILLAGE_A: (0, 0), VILLAGE_B: (1, 1),
                     COMMUNITY: (0, 0), VILLAGE_C: (0, 1), NEIGHBOURHOOD: (0, 0)},
    "org_floating_member_managed": {COUNTY: (1, 3), TOWNSHIP_1: (1, 2), TOWNSHIP_2: (0, 1), VILLAGE_A: (1, 1),
                                    VILLAGE_B: (0, 0), COMMUNITY: (0, 0), VILLAGE_C: (0, 1), NEIGHBOURHOOD: (0, 0)},
}
CHILDREN = {COUNTY: [TOWNSHIP_1, TOWNSHIP_2], TOWNSHIP_1: [VILLAGE_A, VILLAGE_B, COMMUNITY],
            TOWNSHIP_2: [VILLAGE_C, NEIGHBOURHOOD]}


def test_the_engine_folds_coverage_to_every_level(county):
    with county.session_factory() as session:
        table = engine.compute(session, Scope.everything(), COUNTY, TODAY.year, codes=list(ENGINE_ROWS), day=TODAY)
    rows = {row.code: row for row in table.rows}
    assert set(rows) == set(ENGINE_ROWS["org_village_branch"])
    evaluated = _evaluated(county, COUNTY)
    own = _by_area(county, COUNTY)
    for code, expected in ENGINE_ROWS.items():
        rule = code.removeprefix("org_")
        got = {area: (row.values[code].numerator, row.values[code].denominator) for area, row in rows.items()}
        assert got == expected, code
        assert got[COUNTY] == evaluated[rule], "the root equals coverage.evaluate"
        for parent, children in CHILDREN.items():
            # Children sum to the parent, plus any item coded at the parent itself (site 9 at township 1).
            at_parent = own[rule].counts.get(parent, (0, 0))
            assert got[parent] == (sum(got[c][0] for c in children) + at_parent[0],
                                   sum(got[c][1] for c in children) + at_parent[1]), (code, parent)
    assert rows[TOWNSHIP_1].values["org_village_branch"].value == Decimal("50.00")
    assert rows[VILLAGE_C].values["org_village_cooperative"].value == Decimal("100.00")
    assert rows[VILLAGE_A].values["org_site_org"].value is None, "no site: no denominator, not 0 %"
    assert rows[TOWNSHIP_1].values["org_site_org"].value == Decimal("100.00")


def test_a_township_root_counts_its_own_site_once(county):
    with county.session_factory() as session:
        table = engine.compute(session, Scope.everything(), TOWNSHIP_1, TODAY.year, codes=["org_site_org"], day=TODAY)
    root = table.root().values["org_site_org"]
    assert (root.numerator, root.denominator) == (2, 2) == _evaluated(county, TOWNSHIP_1)["site_org"]
    assert _row_counts(table, VILLAGE_B) == (1, 1)


def test_a_concentration_of_the_county_counts_at_a_township_scope(county, fakes):
    rows = [r for r in fakes.concentrations if r[1] == "530326"]
    fakes.export_concentrations_select = lambda scope: fakes._select(  # the real query scopes by placement area
        [("destination", str), ("county_code", str), ("workers", int)], rows)
    answers = _by_area(county, TOWNSHIP_1)
    assert answers["migrant_branch"].counts == {TOWNSHIP_1: (1, 2)}
    assert _evaluated(county, TOWNSHIP_1)["migrant_branch"] == (1, 2)


def test_rules_without_data_say_so_on_every_row(county, monkeypatch):
    FakeProviders.not_built(monkeypatch, "relocation", "employment")
    answers = _by_area(county, COUNTY)
    for key in ("site_org", "site_station", "migrant_branch", "relocated_party_contact"):
        assert not answers[key].has_data and answers[key].counts == {} and "无数据" in answers[key].no_data_reason
    assert answers["village_branch"].counts == COUNTY_BY_AREA["village_branch"]
    with county.session_factory() as session:
        table = engine.compute(session, Scope.everything(), COUNTY, TODAY.year,
                               codes=["org_site_org", "org_village_branch"], day=TODAY)
    for row in table.rows:
        site = row.values["org_site_org"]
        assert (site.value, site.numerator, site.denominator) == (None, None, None), row.code
        assert "无数据" in site.note
        assert row.values["org_village_branch"].denominator == ENGINE_ROWS["org_village_branch"][row.code][1]


NAMES = ["北坎村", "以礼社区", "社区村", "城南居委会", "居委会村", "白雾村民委员会", "某某社区居委会", "村"]


def test_the_administrative_village_condition_in_sql_is_the_rule(db):
    with db.session_factory() as session:
        for name in NAMES:
            in_sql = session.scalar(select(coverage.administrative_village_condition(literal(name))))
            assert bool(in_sql) == is_administrative_village(name), name
    assert [is_administrative_village(n) for n in NAMES] == [True, False, False, False, True, True, False, True]
