"""Editing a Party organisation (page and API) and setting a floating member's managing organisation."""

import re
import threading

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from fupin.core.audit import Actor
from fupin.core.uow import UnitOfWork
from fupin.orgs import service as org_service
from fupin.orgs.errors import BASE_NAME_REQUIRED
from fupin.orgs.models import PartyMember, PartyOrg, PartyOrgEvent
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_orgs import OTHER_VILLAGE, TOWNSHIP_1, VILLAGE_A, add_org
from tests.served import api_token, race, statuses


def _login(client, username):  # type: ignore[no-untyped-def]
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": "/"})
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/orgs").text).group(1)


def _org(db, org_id):  # type: ignore[no-untyped-def]
    with db.session_factory() as session:
        return session.get(PartyOrg, org_id)


def test_a_township_clerk_edits_an_org_through_the_page_and_a_bad_value_comes_back_beside_its_field(db):
    add_areas(db)
    branch = add_org(db, name="北坎村党支部", area_code=VILLAGE_A)
    hidden = add_org(db, name="大庄村党支部", area_code=OTHER_VILLAGE)
    add_user(db, "township", "township", TOWNSHIP_1)
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "township")
        assert f'href="/orgs/{branch}/edit"' in client.get(f"/orgs/{branch}").text
        form = client.get(f"/orgs/{branch}/edit")
        assert form.status_code == 200 and 'value="北坎村党支部"' in form.text
        good = {"csrf_token": csrf, "version": "1", "name": "北坎村党总支", "org_type": "general_branch",
                "base_kind": "village", "founded_on": "2015-01-01", "secretary_name": "王书记"}
        saved = client.post(f"/orgs/{branch}/edit", data=good, follow_redirects=False)
        assert saved.status_code == 303, saved.text
        org = _org(db, branch)
        assert (org.name, org.org_type, org.secretary_name, org.version) == ("北坎村党总支", "general_branch",
                                                                             "王书记", 2)
        bad = client.post(f"/orgs/{branch}/edit", data={**good, "version": "2", "base_kind": "cooperative"})
        assert bad.status_code == 422
        assert re.search(r'data-field="base_name">[^<]*' + re.escape(BASE_NAME_REQUIRED(kind="合作社").message),
                         bad.text), bad.text
        stale = client.post(f"/orgs/{branch}/edit", data={**good, "name": "旧版本"})
        assert stale.status_code == 409 and _org(db, branch).name == "北坎村党总支"
        assert client.get(f"/orgs/{hidden}/edit").status_code == 404
        outside = client.post(f"/orgs/{hidden}/edit", data={**good, "version": "1"})
        assert outside.status_code == 404 and _org(db, hidden).name == "大庄村党支部"
    with db.session_factory() as session:
        kinds = session.scalars(select(PartyOrgEvent.kind).where(PartyOrgEvent.org_id == branch)).all()
        assert "renamed" in kinds, "a new name is kept in the history"


def test_the_api_edits_an_org_and_a_village_user_cannot_edit_one_outside_its_area(db):
    add_areas(db)
    branch = add_org(db, name="北坎村党支部", area_code=VILLAGE_A)
    hidden = add_org(db, name="大庄村党支部", area_code=OTHER_VILLAGE)
    add_user(db, "county", "county", "530326000000")
    add_user(db, "village", "village", VILLAGE_A)
    body = {"version": 1, "name": "北坎村党支部", "org_type": "branch", "base_kind": "village",
            "founded_on": "2015-01-01", "secretary_name": "李书记"}
    with TestClient(create_app(db=db)) as client:
        def headers(username):  # type: ignore[no-untyped-def]
            token = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD}).json()
            return {"Authorization": f"Bearer {token['access_token']}"}

        county, village = headers("county"), headers("village")
        done = client.patch(f"/api/v1/orgs/{branch}", headers=county, json=body)
        assert done.status_code == 200 and done.json()["secretary_name"] == "李书记"
        assert client.patch(f"/api/v1/orgs/{branch}", headers=county, json=body).status_code == 409
        unknown = client.patch(f"/api/v1/orgs/{branch}", headers=county, json={**body, "version": 2,
                                                                                 "org_type": "nonsense"})
        assert unknown.status_code == 422 and _org(db, branch).org_type == "branch"
        assert client.patch(f"/api/v1/orgs/{hidden}", headers=county, json=body).status_code == 404
        refused = client.patch(f"/api/v1/orgs/{hidden}", headers=village, json=body)
        assert refused.status_code == 403, "the permission is asked first: a village role may not edit orgs"
        assert client.patch(f"/api/v1/orgs/{branch}", headers=village, json={**body, "version": 2}
                            ).status_code == 403
    assert _org(db, hidden).secretary_name is None and _org(db, hidden).version == 1


def test_a_village_clerk_sets_a_floating_members_managing_org_from_the_org_page(db):
    add_areas(db)
    branch = add_org(db, name="北坎村党支部", area_code=VILLAGE_A)
    work_site = add_org(db, name="昆明务工党支部", area_code=VILLAGE_A, base_kind="migrant",
                        destination="昆明市", origin_county_code="530326")
    hidden = add_org(db, name="大庄村党支部", area_code=OTHER_VILLAGE)
    with UnitOfWork(db, Actor.system("test")) as uow:
        member = org_service.add_member(uow, name="外出党员", org_id=branch, is_floating=True,
                                        current_location="昆明").id
    add_user(db, "village", "village", VILLAGE_A)
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "village")
        page = client.get(f"/orgs/{branch}")
        assert f'action="/orgs/{branch}/members/{member}/manager"' in page.text
        url = f"/orgs/{branch}/members/{member}/manager"
        set_ = client.post(url, data={"csrf_token": csrf, "managing_org_id": str(work_site)}, follow_redirects=False)
        assert set_.status_code == 303, set_.text
        bad = client.post(url, data={"csrf_token": csrf, "managing_org_id": "abc"})
        assert bad.status_code == 422 and 'data-field="managing_org_id"' in bad.text
        outside = client.post(url, data={"csrf_token": csrf, "managing_org_id": str(hidden)})
        assert outside.status_code == 404
        with db.session_factory() as session:
            assert session.get(PartyMember, member).managing_org_id == work_site
        cleared = client.post(url, data={"csrf_token": csrf, "managing_org_id": ""}, follow_redirects=False)
        assert cleared.status_code == 303
    with db.session_factory() as session:
        assert session.get(PartyMember, member).managing_org_id is None


def test_one_of_20_parallel_edits_of_an_org_at_the_same_version_wins(db, served):
    """Through a served process on both databases: one 200, nineteen 409 (stale version or concurrent write)."""
    add_areas(db)
    branch = add_org(db, name="北坎村党支部", area_code=VILLAGE_A)
    add_user(db, "county", "county", "530326000000")
    base = served(db)
    token = api_token(base, "county", PASSWORD)
    numbers = iter(range(20))
    lock = threading.Lock()

    def edit() -> httpx.Response:
        with lock:
            number = next(numbers)
        return httpx.patch(f"{base}/api/v1/orgs/{branch}", headers=token, timeout=120,
                           json={"version": 1, "name": f"北坎村党支部{number}", "org_type": "branch",
                                 "base_kind": "village", "founded_on": "2015-01-01"})

    answers = race(20, edit)
    assert statuses(answers) == [200] + [409] * 19, [a.text for a in answers if a.status_code != 409]
    assert {a.json()["error"] for a in answers if a.status_code == 409} <= {"core.stale_version",
                                                                             "core.concurrent_write"}
    winner = next(a.json()["name"] for a in answers if a.status_code == 200)
    org = _org(db, branch)
    assert (org.name, org.version) == (winner, 2)
    with db.session_factory() as session:
        renamed = session.scalars(select(PartyOrgEvent).where(PartyOrgEvent.org_id == branch,
                                                              PartyOrgEvent.kind == "renamed")).all()
        assert len(renamed) == 1
