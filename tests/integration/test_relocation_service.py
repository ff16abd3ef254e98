import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fupin.core.audit import Actor, AuditEntry
from fupin.core.errors import Conflict, Invalid, NotFound
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.relocation import queries, service
from fupin.relocation.models import HousingUnit, LotteryDraw, RelocatedHousehold
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_employment import add_building, add_household, add_site, relocate

ADMIN = Actor.system("test")


def _household(db, members: int, village: str = "530326100200") -> int:
    return add_household(db, village, [{"age": 40}] + [{"age": 10}] * (members - 1))[0]


@pytest.fixture
def site(db):
    """A site with 1幢 (3 floors × 50/75/100 m²) and 7 households of 2, 3 and 4 people (one of 4 a priority)."""
    add_areas(db)
    site_id = add_site(db)
    add_building(db, site_id, "1幢", 3, ["50", "75", "100"])
    relocated = {}
    for members, priority in ((2, 0), (2, 0), (3, 0), (3, 0), (4, 0), (4, 1), (4, 0)):
        household = _household(db, members)
        relocated[household] = relocate(db, site_id, household, priority)
    return site_id, relocated


def _allocations(db, site_id):
    with db.session_factory() as session:
        return dict(session.execute(select(RelocatedHousehold.household_id, RelocatedHousehold.unit_id)
                                    .where(RelocatedHousehold.site_id == site_id)).all())


def test_a_lottery_is_reproducible_recorded_and_verifiable(db, site):
    site_id, _ = site
    with UnitOfWork(db, ADMIN) as uow:
        dry = service.lottery(uow, site_id, "2019-会泽", dry_run=True)
    assert dry.draw_id is None
    assert set(_allocations(db, site_id).values()) == {None}, "a dry run writes nothing"
    with UnitOfWork(db, ADMIN) as uow:
        real = service.lottery(uow, site_id, "2019-会泽", today=dt.date(2019, 10, 8))
    assert real.result.lines == dry.result.lines, "the same seed gives the same draw"
    allocations = _allocations(db, site_id)
    assert {h: u for h, u in allocations.items() if u} == real.result.allocations
    assert len(real.result.allocations) == 7
    with db.session_factory() as session:
        same, digest = queries.verify_draw(session, real.draw_id, Scope.everything())
        draw = session.get(LotteryDraw, real.draw_id)
        assert same and digest == draw.result_digest and draw.seed == "2019-会泽"
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.entity == "lottery_draw")) == 1
        summary = queries.site_summary(session, queries.get_site(session, site_id, Scope.everything()))
        assert summary.by_status == {"allocated": 7} and summary.free_units == 2


def test_a_second_draw_never_moves_an_allocated_unit(db, site):
    site_id, relocated = site
    first_waiting = sorted(relocated)[:2]
    with UnitOfWork(db, ADMIN) as uow:
        service.lottery(uow, site_id, "round-1", waiting=first_waiting)
    before = {h: u for h, u in _allocations(db, site_id).items() if u}
    assert len(before) == 5
    with pytest.raises(Conflict) as all_wait:
        service.lottery(UnitOfWork(db, ADMIN), site_id, "round-1", waiting=first_waiting)
    assert all_wait.value.code == "relocation.nothing_to_draw", "the same draw again finds nobody to draw"
    with UnitOfWork(db, ADMIN) as uow:
        second = service.lottery(uow, site_id, "round-2")
    with pytest.raises(Conflict) as nobody_left:
        service.lottery(UnitOfWork(db, ADMIN), site_id, "round-3")
    assert nobody_left.value.code == "relocation.nothing_to_draw"
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(LotteryDraw)) == 2
    after = _allocations(db, site_id)
    assert all(after[h] == u for h, u in before.items())
    assert {ln.household_id for ln in second.result.lines} == set(first_waiting)
    assert len({u for u in after.values() if u}) == len([u for u in after.values() if u])


def test_fewer_units_than_households_is_refused_unless_told_who_waits(db, site):
    site_id, relocated = site
    for members in (2, 3, 4):
        relocate(db, site_id, _household(db, members))  # 10 households, 9 units
    with pytest.raises(Invalid) as refused:
        service.lottery(UnitOfWork(db, ADMIN), site_id, "s")
    assert refused.value.code == "relocation.too_few_units" and refused.value.field == "waiting"
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(LotteryDraw)) == 0
    assert set(_allocations(db, site_id).values()) == {None}
    with UnitOfWork(db, ADMIN) as uow:
        outcome = service.lottery(uow, site_id, "s", waiting=[sorted(relocated)[0]])
    assert len(outcome.result.lines) == 9


def test_a_household_cannot_hold_two_units_and_a_unit_one_household(db, site):
    site_id, relocated = site
    with db.session_factory() as session:
        unit_a, unit_b = session.scalars(select(HousingUnit.id).order_by(HousingUnit.id).limit(2)).all()
    first, second = list(relocated.values())[:2]
    with UnitOfWork(db, ADMIN) as uow:
        service.allocate_unit(uow, first, unit_a)
    with pytest.raises(Conflict) as two_units:
        service.allocate_unit(UnitOfWork(db, ADMIN), first, unit_b)
    assert two_units.value.code == "relocation.household_has_unit"
    with pytest.raises(Conflict) as taken:
        service.allocate_unit(UnitOfWork(db, ADMIN), second, unit_a)
    assert taken.value.code == "relocation.unit_taken"
    with pytest.raises(Conflict) as listed:
        service.add_relocated_household(UnitOfWork(db, ADMIN), site_id, next(iter(relocated)))
    assert listed.value.code == "relocation.household_listed"
    with pytest.raises(NotFound) as elsewhere:
        service.allocate_unit(UnitOfWork(db, ADMIN), second, 2**63)
    assert elsewhere.value.code == "relocation.unit_not_found"
    allocations = _allocations(db, site_id)
    assert sorted(u for u in allocations.values() if u) == [unit_a]


def test_grids_are_proposed_by_building_with_leaders_and_stay_editable(db):
    add_areas(db)
    site_id = add_site(db, grid_size=4)
    add_building(db, site_id, "1幢", 5, ["75", "75"])
    add_building(db, site_id, "2幢", 4, ["75", "75"])
    for _ in range(17):
        relocate(db, site_id, _household(db, 3))
    with UnitOfWork(db, ADMIN) as uow:
        service.lottery(uow, site_id, "g")
    with UnitOfWork(db, ADMIN) as uow:
        grids = service.propose_site_grids(uow, site_id)
    assert len(grids) == 4
    with db.session_factory() as session:
        sizes = [n for _g, n in queries.grids_of_site(session, site_id)]
        assert sorted(sizes) == [4, 4, 4, 5] and sum(sizes) == 17
        assert all(g.leader_name for g, _n in queries.grids_of_site(session, site_id)), "a head leads each grid"
        grid_map = queries.grid_map(session, site_id)
        assert [b.name for b, _f in grid_map] == ["1幢", "2幢"] and grid_map[0][1][0][0] == 5
    with pytest.raises(Conflict) as again:
        service.propose_site_grids(UnitOfWork(db, ADMIN), site_id)
    assert again.value.code == "relocation.grids_exist"
    with UnitOfWork(db, ADMIN) as uow:
        row = queries.households_at_site(uow.session, site_id, grid_id=grids[0].id)[0].relocated
        service.move_to_grid(uow, row.id, grids[1].id)
    with db.session_factory() as session:
        options = queries.grid_leader_options(session, grids[1].id)
    with UnitOfWork(db, ADMIN) as uow:
        updated = service.update_grid(uow, grids[1].id, name="和谐网格", leader_person_id=options[-1][0])
        assert updated.leader_person_id == options[-1][0]
    with pytest.raises(Invalid) as stranger:
        service.update_grid(UnitOfWork(db, ADMIN), grids[1].id, leader_person_id=options[-1][0] + 10_000)
    assert stranger.value.code == "relocation.leader_not_resident"


def test_move_in_demolition_and_checklist_gaps(db, site):
    site_id, relocated = site
    with UnitOfWork(db, ADMIN) as uow:
        service.lottery(uow, site_id, "m")
    rid = next(iter(relocated.values()))
    with UnitOfWork(db, ADMIN) as uow:
        service.move_in(uow, rid, dt.date(2019, 12, 1))
        service.mark_demolished(uow, rid, dt.date(2020, 3, 1))
        service.update_checklist(uow, rid, {"job": "done", "homestead": "na"})
    with pytest.raises(Conflict) as demolished_twice:
        service.mark_demolished(UnitOfWork(db, ADMIN), rid, dt.date(2020, 3, 2))
    assert demolished_twice.value.code == "relocation.already_demolished"
    with pytest.raises(Conflict) as moved_twice:
        service.move_in(UnitOfWork(db, ADMIN), rid, dt.date(2019, 12, 2))
    assert moved_twice.value.code == "relocation.already_moved_in"
    with pytest.raises(Invalid) as maybe:
        service.update_checklist(UnitOfWork(db, ADMIN), rid, {"job": "maybe"})
    assert maybe.value.code == "relocation.checklist_state_invalid" and maybe.value.field == "job"
    with db.session_factory() as session:
        gaps = queries.checklist_gaps(session, site_id)
        assert gaps["job"] == 6 and gaps["homestead"] == 6 and gaps["pension"] == 7
        rows = session.execute(queries.relocated_households_select(Scope.of_area("530326100200"))).all()
        assert sorted(r.status for r in rows).count("moved_in") == 1 and len(rows) == 7
        assert session.execute(queries.relocated_households_select(Scope.of_area("530321000000"))).all() == []
        sites = session.execute(queries.sites_select(Scope.of_area("530326000000"))).all()
        assert [(s.id, s.area_code, s.planned_households) for s in sites] == [(site_id, "530326100200", 10)]


def test_other_counties_cannot_see_a_site_and_auditors_cannot_draw(db, site):
    site_id, _ = site
    add_user(db, "malong", "county", "530321000000")
    add_user(db, "auditor", "auditor", "530326000000")
    with db.session_factory() as session:
        with pytest.raises(NotFound) as hidden:
            queries.get_site(session, site_id, Scope.of_area("530321000000"))
        assert hidden.value.code == "relocation.site_not_found"
    with TestClient(create_app(db=db)) as client:
        token = client.post("/api/v1/auth/token", json={"username": "malong", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        assert client.get(f"/api/v1/relocation/sites/{site_id}", headers=headers).status_code == 404
        token = client.post("/api/v1/auth/token", json={"username": "auditor", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        response = client.post(f"/api/v1/relocation/sites/{site_id}/lottery", headers=headers,
                               json={"seed": "x", "dry_run": False})
        assert (response.status_code, response.json()["error"]) == (403, "core.forbidden_action")
        assert client.get(f"/api/v1/relocation/sites/{site_id}", headers=headers).json()["households"] == 7
    assert set(_allocations(db, site_id).values()) == {None}


def test_a_party_member_living_in_the_grid_leads_it(db):
    from fupin.orgs.service import add_member
    from tests.factories_orgs import add_org

    add_areas(db)
    site_id = add_site(db, grid_size=3)
    add_building(db, site_id, "1幢", 2, ["75", "75"])
    households = [add_household(db, "530326100200", [{"age": 50, "name": f"户主{i}"}, {"age": 24, "name": f"青年{i}"},
                                                     {"age": 20}])
                  for i in range(3)]
    for household, _people in households:
        relocate(db, site_id, household)
    service.lottery(UnitOfWork(db, ADMIN), site_id, "党员")
    member_person = households[1][1][1]  # 青年1, not a household head
    org = add_org(db, area_code="530326100200")
    with UnitOfWork(db, ADMIN) as uow:
        add_member(uow, name="青年1", org_id=org, area_code="530326100200", person_id=member_person)
    (grid,) = service.propose_site_grids(UnitOfWork(db, ADMIN), site_id)
    assert (grid.leader_person_id, grid.leader_name, grid.leader_is_party_member) == (member_person, "青年1", True)


def test_bad_input_through_the_relocation_api_is_a_4xx_with_a_code(db, site):
    site_id, relocated = site
    add_user(db, "county_a", "county", "530326000000")
    big = 2**63
    rid = next(iter(relocated.values()))
    cases = [
        ("get", f"/api/v1/relocation/sites/{big}", None, 422, "core.invalid_input"),
        ("get", f"/api/v1/relocation/sites/{big - 1}", None, 404, "relocation.site_not_found"),
        ("post", f"/api/v1/relocation/sites/{site_id}/buildings", {"name": "2幢", "floors": 2,
                                                                   "unit_areas": ["1e400"]}, 422, "core.invalid_input"),
        ("post", f"/api/v1/relocation/sites/{site_id}/buildings", {"name": "2幢\x07", "floors": 2,
                                                                   "unit_areas": ["75"]}, 422, "core.invalid_input"),
        ("post", f"/api/v1/relocation/sites/{site_id}/buildings", {"name": "1幢", "floors": 2, "unit_areas": ["75"]},
         409, "relocation.building_exists"),
        ("post", f"/api/v1/relocation/sites/{site_id}/households", {"household_id": big - 1}, 404,
         "relocation.household_not_found"),
        ("post", f"/api/v1/relocation/sites/{site_id}/lottery", {"seed": "s", "waiting": [big]}, 422,
         "core.invalid_input"),
        ("post", f"/api/v1/relocation/sites/{site_id}/lottery", {"seed": "s", "waiting": [big - 1]}, 422,
         "relocation.waiting_unknown"),
        ("post", f"/api/v1/relocation/households/{rid}/move-in", {"on": "2020-02-30"}, 422, "core.invalid_input"),
        ("post", f"/api/v1/relocation/households/{rid}/move-in", {"on": "2020-02-01"}, 409,
         "relocation.allocate_before_move_in"),
        ("post", f"/api/v1/relocation/households/{rid}/unit", {"unit_id": big - 1}, 404, "relocation.unit_not_found"),
        ("put", f"/api/v1/relocation/households/{rid}/checklist", {"items": {"moon": "done"}}, 404,
         "relocation.checklist_item_not_found"),
        ("post", "/api/v1/relocation/sites", {"name": "x", "area_code": "530321100200"}, 403, "core.out_of_scope"),
        ("post", "/api/v1/relocation/sites", {"name": "x", "area_code": "530326100200", "kind": "floating"}, 422,
         "relocation.invalid_choice"),
        ("get", f"/api/v1/relocation/sites/{site_id}/households?status={'x' * 40}", None, 422, "core.invalid_input"),
    ]
    with TestClient(create_app(db=db)) as client:
        token = client.post("/api/v1/auth/token", json={"username": "county_a", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        for method, url, body, status, code in cases:
            answer = getattr(client, method)(url, headers=headers, **({"json": body} if body is not None else {}))
            assert (answer.status_code, answer.json()["error"]) == (status, code), (url, body, answer.text)
