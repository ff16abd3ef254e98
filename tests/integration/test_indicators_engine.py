import datetime as dt
from decimal import Decimal

import pytest

from fupin.core.areacodes import AreaLevel
from fupin.core.errors import Invalid, NotFound
from fupin.core.scoping import Scope
from fupin.indicators import drilldown, engine
from fupin.indicators.catalogue import INDICATORS
from tests.factories import add_areas
from tests.factories_indicators import DAY, YEAR, household, population, random_county

COUNTY, TOWNSHIP = "530326000000", "530326100000"
V1, V2, V3, GROUP = "530326100200", "530326100201", "530326101200", "530326100200001"
WATER_OK = {"water_litres_per_person_day": 40}


@pytest.fixture
def county(db):
    """By hand (2019, national line 3747 yuan; "check ok" includes 40 L of water per person-day, which the exit
    rule needs recorded):
    a V1 3 people helped, income 5000, check ok, helper, visited 12-20 → eligible, paired, visited in 30 days
    b V1 2 people identified, income 3000, housing fails, visited 06-01
    c group of V1, 1 person, exited 2019, check ok
    d V2 4 people exited 2018
    e V3 2 people returned, income 5000, check ok, helper → eligible, paired
    f 马龙区 5 people helped (outside the county)
    Rural population: V1 100, V2 50, V3 200."""
    add_areas(db)
    ids = {
        "a": household(db, V1, members=3, income="5000.00", check=WATER_OK, helper=True,
                       visited_on=dt.date(2019, 12, 20)),
        "b": household(db, V1, members=2, status="identified", income="3000.00", check={"housing_ok": False},
                       visited_on=dt.date(2019, 6, 1)),
        "c": household(db, GROUP, members=1, status="exited", exit_year=2019, check=WATER_OK),
        "d": household(db, V2, members=4, status="exited", exit_year=2018),
        "e": household(db, V3, members=2, status="returned", income="5000.00", check=WATER_OK, helper=True),
        "f": household(db, "530321100200", members=5),
    }
    population(db, V1, 100)
    population(db, V2, 50)
    population(db, V3, 200)
    return ids


def _values(table, code):
    row = next(r for r in table.rows if r.code == code)
    return {k: v.value for k, v in row.values.items()}


def test_each_indicator_equals_a_hand_count(db, county):
    with db.session_factory() as session:
        table = engine.compute(session, Scope.everything(), COUNTY, YEAR, day=DAY)
    c = _values(table, COUNTY)
    assert (c["registered_households"], c["registered_people"]) == (5, 12)
    assert (c["remaining_poor_households"], c["remaining_poor_people"]) == (3, 7)
    assert (c["exited_households_year"], c["exited_people_year"]) == (1, 1)
    assert c["rural_population"] == 350 and c["poverty_incidence"] == Decimal("2.00")
    assert c["eligible_not_exited"] == 2
    assert (c["checked_households"], c["food_ok_households"], c["housing_ok_households"]) == (4, 4, 3)
    assert c["housing_pass_rate"] == Decimal("75.00") and c["food_pass_rate"] == Decimal("100.00")
    assert (c["paired_households"], c["pairing_coverage"]) == (2, Decimal("66.67"))
    assert (c["visited_30d_households"], c["visit_recency_rate"]) == (1, Decimal("33.33"))
    v1 = _values(table, V1)
    assert (v1["registered_households"], v1["remaining_poor_people"], v1["poverty_incidence"]) == (3, 5, Decimal("5.00"))
    assert _values(table, TOWNSHIP)["registered_households"] == 4
    assert _values(table, V2)["remaining_poor_households"] == 0 and _values(table, V2)["poverty_incidence"] == 0
    assert [r.code for r in table.rows] == [COUNTY, TOWNSHIP, "530326101000", V1, V2, V3]


def test_a_missing_group_of_a_built_capability_raises_and_only_an_unbuilt_one_says_not_built(db, county,
                                                                                            monkeypatch):
    """A renamed or forgotten group can never turn an indicator into "尚未建成": only the owner's `built=False`
    does."""
    from fupin.core.capability import capability

    kept = {name: group for name, group in engine.groups().items() if name != "pairing"}
    monkeypatch.setattr(engine, "groups", lambda: kept)
    monkeypatch.setattr(engine, "figure_sources", lambda: {figure: name for name, (_o, group) in kept.items()
                                                            for figure in group.figure_names()})
    with db.session_factory() as session:
        with pytest.raises(engine.MissingGroup):
            engine.compute(session, Scope.everything(), COUNTY, YEAR, codes=["pairing_coverage"], day=DAY)
        monkeypatch.setattr(capability("pairing"), "built", False)
        value = engine.compute(session, Scope.everything(), COUNTY, YEAR, codes=["pairing_coverage"],
                               day=DAY).root().values["pairing_coverage"]
    assert value.value is None and value.note == f"结对帮扶{engine.NOT_BUILT}"


def test_each_count_is_computed_by_its_owners_own_group():
    """The catalogue's owner of every plain count is the capability whose plugin declares the group computing it
    (or the owner is not built and nothing computes it)."""
    from fupin.core.capability import capability

    for indicator in INDICATORS:
        if indicator.is_ratio:
            continue
        source = engine.figure_sources().get(indicator.code)
        if source is None:
            assert not capability(indicator.owner).built, indicator.code
        else:
            assert engine.groups()[source][0] == indicator.owner, indicator.code


def test_the_trend_from_the_registry_scan_equals_the_trend_query(db, county):
    years = [YEAR - 2, YEAR - 1, YEAR]
    with db.session_factory() as session:
        alone = engine.trend(session, Scope.everything(), COUNTY, years)
        table = engine.compute(session, Scope.everything(), COUNTY, YEAR, AreaLevel.township,
                               codes=["poverty_incidence"], day=DAY, trend_years=years)
        village = engine.compute(session, Scope.everything(), V1, YEAR, codes=["registered_households"],
                                 day=DAY, trend_years=years)
        village_alone = engine.trend(session, Scope.everything(), V1, years)
    assert table.trend == alone and village.trend == village_alone
    assert alone["remaining_poor_people"][-1] == 7 and alone["poverty_incidence"][-1] == Decimal("2.00")
    assert village_alone["remaining_poor_people"][-1] == 5


def test_level_limits_the_rows_and_year_changes_exits(db, county):
    with db.session_factory() as session:
        table = engine.compute(session, Scope.everything(), COUNTY, 2018, level=AreaLevel.township,
                               codes=["exited_households_year", "registered_households"], day=DAY)
        assert [r.code for r in table.rows] == [COUNTY, TOWNSHIP, "530326101000"]
        assert _values(table, COUNTY) == {"exited_households_year": 1, "registered_households": 5}
        with pytest.raises(Invalid) as caught:
            engine.compute(session, Scope.everything(), COUNTY, YEAR, codes=["no_such_indicator"])
        assert caught.value.code == "indicators.unknown_indicator"
        with pytest.raises(Invalid) as caught:
            engine.compute(session, Scope.everything(), V1, YEAR, level=AreaLevel.county)
        assert caught.value.code == "indicators.level_above_area"
        with pytest.raises(Invalid) as caught:
            engine.compute(session, Scope.everything(), GROUP, YEAR)
        assert caught.value.code == "indicators.group_level"


def test_a_user_sees_only_figures_of_the_scope(db, county):
    with db.session_factory() as session:
        with pytest.raises(NotFound):
            engine.compute(session, Scope.of_area(V2), COUNTY, YEAR)
        with pytest.raises(NotFound):
            drilldown.records(session, Scope.of_area(V2), "registered_households", V1, YEAR)
        table = engine.compute(session, Scope.of_area(V1), V1, YEAR, day=DAY)
        assert [r.code for r in table.rows] == [V1]
        assert _values(table, V1)["registered_households"] == 3


def test_unbuilt_capabilities_say_so_instead_of_zero(db, county, monkeypatch):
    # Every capability is built now: one pretended unbuilt answers "not built", never a zero; built ones with no
    # records answer a live zero.
    from fupin.core.capability import capability

    monkeypatch.setattr(capability("incentives"), "built", False)
    kept = {figure: group for figure, group in engine.figure_sources().items()
            if engine.groups()[group][0] != "incentives"}
    monkeypatch.setattr(engine, "figure_sources", lambda: kept)
    with db.session_factory() as session:
        table = engine.compute(session, Scope.everything(), COUNTY, YEAR, day=DAY,
                               codes=["cooperatives", "points_issued", "requests_done_on_time", "grids",
                                      "org_village_branch"])
    root = table.root()
    assert root.values["cooperatives"].value == 0 and root.values["requests_done_on_time"].value == 0
    assert root.values["points_issued"].value is None and "尚未建成" in root.values["points_issued"].note
    assert (root.values["org_village_branch"].numerator, root.values["org_village_branch"].denominator) == (0, 3)
    township = table.rows[1]
    assert township.code == TOWNSHIP, "coverage is folded to every child row like the other figures"
    assert (township.values["org_village_branch"].numerator, township.values["org_village_branch"].denominator,
            township.values["org_village_branch"].value) == (0, 2, Decimal("0.00"))


def test_drill_down_lists_the_households_behind_each_figure(db, county):
    with db.session_factory() as session:
        def ids(code, area=COUNTY):
            return sorted(r["household_id"] for r in drilldown.records(session, Scope.everything(), code, area, YEAR,
                                                                       day=DAY))
        a, b, c, d, e = (county[k] for k in "abcde")
        assert ids("registered_households") == sorted([a, b, c, d, e])
        assert ids("remaining_poor_households") == sorted([a, b, e])
        assert ids("poverty_incidence") == sorted([a, b, e])
        assert ids("eligible_not_exited") == sorted([a, e])
        assert ids("exited_households_year") == [c]
        assert ids("housing_ok_households") == sorted([a, c, e])
        assert ids("pairing_coverage") == sorted([a, e])
        assert ids("visited_30d_households") == [a]
        assert ids("registered_households", V1) == sorted([a, b, c])
        with pytest.raises(NotFound) as caught:
            drilldown.records(session, Scope.everything(), "nothing", COUNTY, YEAR)
        assert caught.value.code == "indicators.indicator_not_found"
        with pytest.raises(Invalid) as caught:
            drilldown.records(session, Scope.everything(), "org_village_branch", COUNTY, YEAR)
        assert caught.value.code == "indicators.no_records"


def test_sums_over_children_equal_the_parent_on_random_data(db):
    add_areas(db)
    random_county(db, [V1, V2, V3, GROUP], households=40, seed=7)
    additive = [i.code for i in INDICATORS if i.additive]
    with db.session_factory() as session:
        table = engine.compute(session, Scope.everything(), COUNTY, YEAR, day=DAY)
    parents = {COUNTY: [TOWNSHIP, "530326101000"], TOWNSHIP: [V1, V2], "530326101000": [V3]}
    checked = 0
    for parent, children in parents.items():
        for code in additive:
            value = _values(table, parent)[code]
            if value is None:
                continue
            assert value == sum(_values(table, child)[code] for child in children), (parent, code)
            checked += 1
    assert _values(table, COUNTY)["registered_households"] == 40
    assert checked > 30


def test_monitored_households_by_type_and_cleared_equal_a_hand_count(db, county):
    pytest.importorskip("fupin.monitoring.queries")
    from tests.factories_indicators import monitored

    a, b, c, d, e = (county[k] for k in "abcde")
    monitored(db, c, GROUP, "unstable", "monitored", dt.date(2019, 3, 1))
    monitored(db, d, V2, "unstable", "cleared", dt.date(2018, 3, 1), dt.date(2019, 10, 1))  # in 2019, cleared 2019
    monitored(db, a, V1, "marginal", "cleared", dt.date(2017, 3, 1), dt.date(2018, 10, 1))  # cleared before 2019
    monitored(db, b, V1, "sudden", "identifying", None)  # not yet identified: not counted
    monitored(db, e, V3, "sudden", "monitored", dt.date(2019, 12, 1))
    codes = ["monitored_unstable", "monitored_marginal", "monitored_sudden", "monitored_risk_cleared"]
    with db.session_factory() as session:
        table = engine.compute(session, Scope.everything(), COUNTY, YEAR, codes=codes, day=DAY)
        assert [_values(table, COUNTY)[c] for c in codes] == [2, 0, 1, 1]
        assert [_values(table, V2)[c] for c in codes] == [1, 0, 0, 1]
        listed = drilldown.records(session, Scope.everything(), "monitored_unstable", COUNTY, YEAR)
        assert sorted(r["household_id"] for r in listed) == sorted([c, d])


def test_trend_of_one_area_equals_the_figures_of_each_year(db):
    add_areas(db)
    random_county(db, [V1, V2, V3], households=30, seed=3)
    population(db, V1, 500, year=2018)
    population(db, V1, 400)
    years = [2017, 2018, 2019]
    with db.session_factory() as session:
        trend = engine.trend(session, Scope.everything(), COUNTY, years)
        for index, year in enumerate(years):
            root = engine.compute(session, Scope.everything(), COUNTY, year, AreaLevel.county,
                                  ["remaining_poor_people", "exited_people_year", "poverty_incidence"]).root()
            for code in trend:
                assert trend[code][index] == root.values[code].value, (year, code)
        assert trend["poverty_incidence"][0] is None, "no population entered for 2017"
        assert trend["exited_people_year"][1] > 0 and trend["remaining_poor_people"][0] > trend["remaining_poor_people"][2]


def test_grids_and_grid_leaders_equal_a_count_of_the_relocation_records(db):
    from sqlalchemy import func, select

    from fupin.areas.service import load_package_map
    from fupin.core.audit import Actor
    from fupin.core.demo import DemoContext, build_demo
    from fupin.core.uow import UnitOfWork
    from fupin.relocation.models import SiteGrid

    with UnitOfWork(db, Actor.system("test")) as uow:
        load_package_map(uow)
    build_demo(DemoContext(db=db, seed=1, households=200))
    with db.session_factory() as session:
        grids = session.scalar(select(func.count()).select_from(SiteGrid))
        leaders = session.scalar(select(func.count()).select_from(SiteGrid).where(SiteGrid.leader_name.is_not(None)))
        table = engine.compute(session, Scope.everything(), "530326000000", 2023, codes=["grids", "grid_leaders"])
    assert grids > 0
    assert table.root().values["grids"].value == grids
    assert table.root().values["grid_leaders"].value == leaders
