"""Each coverage rule finds a planted gap, and passes once the gap is fixed."""

import datetime as dt
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fupin.core.audit import Actor
from fupin.core.capability import contributions, provided
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.orgs import coverage, service
from fupin.pairing import service as pairing_service
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_orgs import (
    COUNTY,
    TOWNSHIP_1,
    VILLAGE_A,
    VILLAGE_B,
    VILLAGE_C,
    FakeProviders,
    add_cadre,
    add_household,
    add_org,
)

TODAY = dt.date.today()


def _rule(db, key, scope=COUNTY):
    with db.session_factory() as session:
        (result,) = coverage.evaluate(session, Scope.of_area(scope), only={key})
    return result


@pytest.fixture
def fakes(monkeypatch):
    return FakeProviders().install(monkeypatch)


def test_every_village_needs_a_branch_and_a_dissolved_one_does_not_count(db):
    add_areas(db)
    for village in (VILLAGE_A, VILLAGE_B, VILLAGE_C):
        add_org(db, name=f"{village}党支部", area_code=village)
    gone = add_org(db, name="即将撤销", area_code="530321100200")
    assert (_rule(db, "village_branch").covered, _rule(db, "village_branch").total) == (3, 3)
    with UnitOfWork(db, Actor.system("test")) as uow:
        service.dissolve_org(uow, gone, day=TODAY)
    result = _rule(db, "village_branch", scope="530321000000")
    assert (result.covered, result.total, result.gap_count) == (0, 1, 1)
    assert result.gaps[0].area_code == "530321100200" and result.gaps[0].where == "大庄村"
    add_org(db, name="大庄村党总支", org_type="general_branch", area_code="530321100200")
    assert _rule(db, "village_branch", scope="530321000000").rate == 100


def test_a_branch_led_cooperative_is_an_org_built_on_an_economic_entity(db):
    add_areas(db)
    add_org(db, area_code=VILLAGE_A)
    result = _rule(db, "village_cooperative", scope=TOWNSHIP_1)
    assert (result.covered, result.total) == (0, 2)
    add_org(db, name="苹果产业党支部", area_code=VILLAGE_A, base_kind="industry_chain", base_name="苹果产业链")
    add_org(db, name="合作社党小组", org_type="group", area_code=VILLAGE_B,
            base_kind="cooperative", base_name="石坝村种植专业合作社")
    result = _rule(db, "village_cooperative", scope=TOWNSHIP_1)
    assert (result.covered, result.total, result.gaps) == (2, 2, [])


def test_every_floating_member_is_managed_by_a_living_branch(db):
    add_areas(db)
    branch = add_org(db, area_code=VILLAGE_A)
    with UnitOfWork(db, Actor.system("test")) as uow:
        member = service.add_member(uow, name="王流动", org_id=branch, is_floating=True,
                                    current_location="安徽省芜湖市").id
        service.add_member(uow, name="李在家", org_id=branch)
    result = _rule(db, "floating_member_managed")
    assert (result.covered, result.total) == (0, 1) and "王流动" in result.gaps[0].what
    migrant = add_org(db, name="驻芜湖流动党员党支部", area_code=TOWNSHIP_1, base_kind="migrant",
                      destination="安徽省芜湖市", origin_county_code="530326")
    with UnitOfWork(db, Actor.system("test")) as uow:
        service.set_member_manager(uow, member, migrant)
    assert _rule(db, "floating_member_managed").covered == 1


def test_every_registered_household_has_a_helper(db):
    add_areas(db)
    first, second = add_household(db, VILLAGE_A), add_household(db, VILLAGE_A)
    cadre = add_cadre(db, VILLAGE_A)
    with UnitOfWork(db, Actor.system("test")) as uow:
        pairing_service.pair(uow, first, cadre)
    result = _rule(db, "household_helper")
    assert (result.covered, result.total) == (1, 2)
    assert len(result.gaps) == 1 and result.gaps[0].where == "北坎村" and "没有" in result.gaps[0].why
    with UnitOfWork(db, Actor.system("test")) as uow:
        pairing_service.pair(uow, second, cadre)
    assert _rule(db, "household_helper").rate == 100


def test_relocated_households_need_a_party_member_contact(db, fakes):
    add_areas(db)
    household = add_household(db, VILLAGE_A)
    fakes.relocated = [(household, 1, "moved_in", VILLAGE_A), (add_household(db, VILLAGE_A), 1, "planned", VILLAGE_A)]
    outsider = add_cadre(db, VILLAGE_A, party=False)
    with UnitOfWork(db, Actor.system("test")) as uow:
        pairing_service.pair(uow, household, outsider)
    result = _rule(db, "relocated_party_contact")
    assert (result.covered, result.total) == (0, 1), "a helper who is not a Party member does not count"
    member = add_cadre(db, VILLAGE_A, party=True)
    with UnitOfWork(db, Actor.system("test")) as uow:
        pairing_service.pair(uow, household, member)
    assert (_rule(db, "relocated_party_contact").covered, _rule(db, "relocated_party_contact").total) == (1, 1)


def test_sites_are_covered_by_own_temporary_or_receiving_community_org(db, fakes):
    add_areas(db)
    fakes.sites = [(7, "以礼社区安置点", VILLAGE_B, 120, 480), (8, "小安置点", VILLAGE_C, 10, 40)]
    result = _rule(db, "site_org")
    assert (result.covered, result.total) == (0, 2)
    add_org(db, name="安置点临时党支部", org_type="temporary_branch", area_code=TOWNSHIP_1, base_kind="site",
            site_id=7)
    add_org(db, name="白雾村党支部", area_code=VILLAGE_C)  # the receiving community's own branch
    result = _rule(db, "site_org")
    assert (result.covered, result.total, result.gaps) == (2, 2, [])


def test_sites_of_200_people_need_an_employment_station(db, fakes):
    add_areas(db)
    fakes.sites = [(7, "以礼社区安置点", VILLAGE_B, 120, 480), (8, "小安置点", VILLAGE_C, 10, 40)]
    result = _rule(db, "site_station")
    assert (result.covered, result.total) == (0, 1), "the site of 40 people is below the threshold"
    assert "480" in result.gaps[0].what
    fakes.stations = [(1, "以礼社区就业服务站", VILLAGE_B, 7)]
    assert _rule(db, "site_station").covered == 1


def test_migrant_concentrations_need_a_branch(db, fakes):
    add_areas(db)
    fakes.concentrations = [("安徽省芜湖市", "530326", 85), ("浙江省宁波市", "530326", 5)]
    result = _rule(db, "migrant_branch")
    assert (result.covered, result.total) == (0, 1)
    add_org(db, name="驻芜湖流动党员党支部", area_code=TOWNSHIP_1, base_kind="migrant", destination="安徽省芜湖市",
            origin_county_code="530326")
    assert _rule(db, "migrant_branch").covered == 1


def test_while_relocation_and_employment_are_not_built_their_rules_say_no_data(db, monkeypatch):
    add_areas(db)
    FakeProviders.not_built(monkeypatch, "relocation", "employment")
    with db.session_factory() as session:
        results = {r.key: r for r in coverage.evaluate(session, Scope.of_area(COUNTY))}
    for key in ("site_org", "site_station", "migrant_branch", "relocated_party_contact"):
        assert not results[key].has_data and results[key].as_dict()["covered"] is None
        assert "无数据" in results[key].no_data_reason
    assert results["village_branch"].has_data


def test_the_rules_are_contributions_of_orgs_and_pairing_and_the_selects_are_lent_by_name():
    contributed = {(owner, rule.key) for owner, rule in contributions("coverage_rules")}
    assert contributed == {("orgs", "site_org"), ("orgs", "village_branch"), ("orgs", "village_cooperative"),
                           ("orgs", "site_station"), ("orgs", "migrant_branch"), ("orgs", "floating_member_managed"),
                           ("pairing", "household_helper"), ("pairing", "relocated_party_contact")}
    assert [r.key for r in coverage.all_rules()][:3] == ["site_org", "village_branch", "village_cooperative"]
    for name in FakeProviders.NAMES:
        assert callable(provided(name)), name
    source = Path(coverage.__file__).read_text(encoding="utf-8")
    assert "importlib" not in source and "ImportError" not in source


def test_coverage_api_is_scoped_and_the_cli_writes_json_and_xlsx(db, tmp_path):
    add_areas(db)
    add_org(db, area_code=VILLAGE_A)
    add_user(db, "township", "township", TOWNSHIP_1)
    from fupin.web.app import create_app

    with TestClient(create_app(db=db)) as client:
        token = client.post("/api/v1/auth/token", json={"username": "township", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        body = client.get("/api/v1/coverage", headers=headers).json()
        rules = {r["key"]: r for r in body["rules"]}
        assert (rules["village_branch"]["covered"], rules["village_branch"]["total"]) == (1, 2)
        assert rules["village_branch"]["rate"] == "50.0"
        assert client.get("/api/v1/coverage?area=530321000000", headers=headers).status_code == 404
    from fupin.cli import app

    result = CliRunner().invoke(app, ["orgs", "coverage", "--area", "530326", "--format", "json", "--db", db.url])
    assert result.exit_code == 0, result.output
    assert any(r["key"] == "village_branch" and r["total"] == 3 for r in json.loads(result.output)["rules"])
    out = tmp_path / "c.xlsx"
    result = CliRunner().invoke(app, ["orgs", "coverage", "--area", "530326", "--format", "xlsx", "--out", str(out),
                                      "--db", db.url])
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    sheet = load_workbook(out).worksheets[0]
    assert sheet.cell(2, 1).value == "规则"
