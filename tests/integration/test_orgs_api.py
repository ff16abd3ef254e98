"""The orgs and pairing API: bad input is a 4xx with a code (never a 5xx), the scope holes of issue 12 are
closed, and personal data (cadres' phones) leaves per role, with an audit row for every export."""

from __future__ import annotations

import io
import time

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from fupin.core import jobs
from fupin.core.audit import AuditEntry
from fupin.orgs.models import PartyMember
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_orgs import COUNTY, VILLAGE_A, VILLAGE_B, add_cadre, add_household, add_org

PHONE = "13812345678"
HUGE = 2**63


def _token(client, username: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    answer = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _finished(client, headers, url: str) -> dict:  # type: ignore[no-untyped-def]
    for _ in range(300):
        job = client.get(url, headers=headers).json()
        assert job["status"] != "failed", job
        if job["status"] == "done":
            return job
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


@pytest.fixture
def county(db):
    add_areas(db)
    add_user(db, "county", "county", COUNTY)
    add_user(db, "village", "village", VILLAGE_A)
    add_user(db, "auditor", "auditor", COUNTY)
    add_user(db, "shop", "shop_clerk", VILLAGE_A, shop_id=1)
    return db


BAD_REQUESTS = [
    ("GET", f"/api/v1/orgs/{HUGE}", None),
    ("GET", f"/api/v1/orgs/{HUGE * 4}/history", None),
    ("GET", "/api/v1/orgs/0", None),
    ("GET", "/api/v1/orgs/abc/members", None),
    ("GET", "/api/v1/orgs?area=abc", None),
    ("GET", "/api/v1/orgs?area=99", None),
    ("GET", "/api/v1/orgs?area=" + "5" * 40, None),
    ("GET", "/api/v1/cadres?area=%00", None),
    ("GET", f"/api/v1/cadres/{HUGE}", None),
    ("GET", "/api/v1/coverage?area=abc", None),
    ("GET", "/api/v1/coverage?gaps=-1", None),
    ("POST", "/api/v1/orgs", {"name": "支部", "org_type": "branch", "area_code": VILLAGE_A, "base_kind": "village",
                              "founded_on": "2024-13-01"}),
    ("POST", "/api/v1/orgs", {"name": "支\x00部", "org_type": "branch", "area_code": VILLAGE_A,
                              "base_kind": "village", "founded_on": "2024-01-01"}),
    ("POST", "/api/v1/orgs", {"name": "支部", "org_type": "branch", "area_code": "北坎村", "base_kind": "village",
                              "founded_on": "2024-01-01"}),
    ("POST", "/api/v1/orgs", {"name": "支部", "org_type": "branch", "area_code": VILLAGE_A, "base_kind": "village",
                              "founded_on": "2024-01-01", "parent_id": HUGE}),
    ("POST", "/api/v1/orgs", {"name": "支部", "org_type": "club", "area_code": VILLAGE_A, "base_kind": "village",
                              "founded_on": "2024-01-01"}),
    ("POST", f"/api/v1/orgs/{HUGE}/move", {"parent_id": None}),
    ("POST", "/api/v1/orgs/1/dissolve", {"day": "yesterday"}),
    ("POST", "/api/v1/party-members", {"name": "王", "org_id": HUGE}),
    ("POST", "/api/v1/party-members", {"name": "王", "org_id": 1, "area_code": "5303261002009999"}),
    ("POST", "/api/v1/cadres", {"name": "李", "work_unit": "局", "rank": "captain", "post": "helper",
                                "area_code": VILLAGE_A, "active_from": "2021-01-01"}),
    ("POST", "/api/v1/cadres", {"name": "李", "work_unit": "局", "rank": "general", "post": "helper",
                                "area_code": VILLAGE_A, "active_from": "2021-01-01", "phone": "call me"}),
    ("POST", f"/api/v1/cadres/{HUGE}/end", {"day": "2024-01-01"}),
    ("POST", "/api/v1/cadres/1/end", {"day": "0000-00-00"}),
    ("POST", "/api/v1/cadres/export", {"area": "x"}),
    ("POST", "/api/v1/coverage/export", {"area": "5303"}),
    ("GET", "/api/v1/pairing/pairs?overdue_days=99999", None),
    ("GET", "/api/v1/pairing/pairs?area=abc", None),
    ("GET", f"/api/v1/pairing/plans/{HUGE}", None),
    ("POST", "/api/v1/pairing/pairs", {"household_id": HUGE, "cadre_id": 1}),
    ("POST", "/api/v1/pairing/pairs", {"household_id": 1, "cadre_id": 1, "started_on": "2024-02-30"}),
    ("POST", "/api/v1/pairing/pairs", {"household_id": 99_999_999, "cadre_id": 99_999_999}),
    ("POST", f"/api/v1/pairing/pairs/{HUGE}/end", {"reason": "调离"}),
    ("POST", "/api/v1/pairing/pairs/1/end", {"reason": ""}),
    ("POST", "/api/v1/pairing/plans", {"area": "abc"}),
    ("POST", f"/api/v1/pairing/plans/{HUGE}/apply", None),
    ("POST", "/api/v1/pairing/plans/99999999/apply", None),
    ("POST", "/api/v1/pairing/org-pairs", {"helper_org_id": HUGE, "helped_org_id": 1, "started_on": "2024-01-01"}),
    ("POST", "/api/v1/pairing/org-pairs", {"helper_org_id": 1, "helped_org_id": 2, "form": "9+9",
                                           "started_on": "2024-01-01"}),
    ("POST", "/api/v1/pairing/org-pairs/1/help", {"delivered_on": "2024-01-01", "funds": "1e999999"}),
    ("POST", "/api/v1/pairing/org-pairs/1/help", {"delivered_on": "2024-01-01", "funds": "NaN"}),
    ("POST", "/api/v1/pairing/org-pairs/1/help", {"delivered_on": "2024-01-01", "funds": 1e20}),
    ("POST", "/api/v1/pairing/org-pairs/1/help", {"delivered_on": "2024-01-01", "funds": "-5"}),
]


@pytest.mark.parametrize("username", ["county", "village"])
def test_bad_input_is_a_4xx_with_a_code_never_a_5xx(county, username):
    household = add_household(county, VILLAGE_A)
    branch = add_org(county, area_code=VILLAGE_A)
    add_org(county, name="县委", org_type="committee", area_code=COUNTY, base_kind="organ", base_name="县委")
    add_cadre(county, VILLAGE_A)
    with TestClient(create_app(db=county)) as client:
        headers = _token(client, username)
        for method, url, body in BAD_REQUESTS:
            answer = client.request(method, url, json=body, headers=headers)
            assert 400 <= answer.status_code < 500, (method, url, body, answer.status_code, answer.text)
            assert answer.json()["error"], (url, answer.text)
        # The schema's codes for what a schema cannot know:
        answer = client.post("/api/v1/cadres", headers=headers, json={
            "name": "李", "work_unit": "局", "rank": "captain", "post": "helper", "area_code": VILLAGE_A,
            "active_from": "2021-01-01"})
        assert answer.json()["error"] == ("orgs.rank_unknown" if username == "county" else "core.forbidden_action")
        answer = client.post("/api/v1/pairing/pairs", headers=headers,
                             json={"household_id": household, "cadre_id": 99_999_999})
        assert answer.json()["error"] == ("pairing.cadre_not_found" if username == "county"
                                          else "core.forbidden_action")
        answer = client.get(f"/api/v1/orgs/{branch + 1000}", headers=headers)
        assert (answer.status_code, answer.json()["error"]) == (404, "orgs.org_not_found")


def test_party_members_only_in_existing_areas_of_the_callers_scope(county):
    """Issue 12: a village user wrote members into other villages and into an area that does not exist."""
    branch = add_org(county, area_code=VILLAGE_A)
    with TestClient(create_app(db=county)) as client:
        headers = _token(client, "village")
        elsewhere = client.post("/api/v1/party-members", headers=headers,
                                json={"name": "越界党员", "org_id": branch, "area_code": VILLAGE_B})
        assert (elsewhere.status_code, elsewhere.json()["error"]) == (403, "core.out_of_scope")
        nowhere = client.post("/api/v1/party-members", headers=headers,
                              json={"name": "无处党员", "org_id": branch, "area_code": "530326100200099"})
        assert (nowhere.status_code, nowhere.json()["error"]) == (422, "orgs.area_unknown")
        assert nowhere.json()["field"] == "area_code"
        at_home = client.post("/api/v1/party-members", headers=headers, json={"name": "本村党员", "org_id": branch})
        assert at_home.status_code == 201 and at_home.json()["area_code"] == VILLAGE_A
    with county.session_factory() as session:
        assert list(session.scalars(select(PartyMember.name))) == ["本村党员"]


def test_cadre_phones_leave_per_role_and_every_export_is_audited(county):
    cadre = add_cadre(county, VILLAGE_A)
    with county.session_factory() as session:
        from fupin.orgs.models import Cadre

        session.get(Cadre, cadre).phone = PHONE
        session.commit()
    with TestClient(create_app(db=county)) as client:
        officer, auditor = _token(client, "county"), _token(client, "auditor")
        assert client.get(f"/api/v1/cadres/{cadre}", headers=officer).json()["phone"] == PHONE
        assert client.get(f"/api/v1/cadres/{cadre}", headers=auditor).json()["phone"] == "138****5678"
        listed = client.get("/api/v1/cadres", headers=officer)
        assert listed.json()[0]["phone"] == "138****5678" and PHONE not in listed.text, "a list is masked"
        shop = _token(client, "shop")
        assert PHONE not in client.get("/api/v1/cadres", headers=shop).text
        assert client.post("/api/v1/cadres/export", headers=shop, json={}).json()["error"] == "core.forbidden_action"
        for headers, shown in ((officer, PHONE), (auditor, "138****5678")):
            queued = client.post("/api/v1/cadres/export", headers=headers, json={"area": COUNTY})
            assert queued.status_code == 202, queued.text
            job = _finished(client, headers, queued.json()["url"])
            (file,) = job["files"]
            content = client.get(file["url"], headers=headers).content
            sheet = load_workbook(io.BytesIO(content)).worksheets[0]
            assert [c.value for c in sheet[1]][-1] == "联系电话" and sheet.cell(2, 9).value == shown
        queued = client.post("/api/v1/coverage/export", headers=officer, json={})
        job = _finished(client, officer, queued.json()["url"])
        assert job["result"]["rows"] >= 1
    with county.session_factory() as session:
        exports = session.execute(select(AuditEntry.actor_name, AuditEntry.entity, AuditEntry.changes)
                                  .where(AuditEntry.action == "export").order_by(AuditEntry.id)).all()
    made = [(who, entity, changes["detail"]["rows"]) for who, entity, changes in exports
            if entity in ("cadres", "coverage")]
    assert made == [("county", "cadres", 1), ("auditor", "cadres", 1), ("county", "coverage", made[-1][2])]
    assert [c["detail"]["phones_in_full"] for _w, e, c in exports if e == "cadres"] == [True, False]
    assert sum(1 for _w, entity, _c in exports if entity == "job_files") == 2, "each download is audited too"


def test_a_plan_is_computed_by_a_job_and_applied_once_through_the_api(county):
    for _ in range(2):
        add_household(county, VILLAGE_A)
    add_cadre(county, VILLAGE_A)
    with TestClient(create_app(db=county)) as client:
        headers = _token(client, "county")
        queued = client.post("/api/v1/pairing/plans", headers=headers, json={"area": VILLAGE_A})
        assert queued.status_code == 202
        jobs.run_pending(county)
        plan_id = _finished(client, headers, queued.json()["url"])["result"]["plan_id"]
        assert client.get(f"/api/v1/pairing/plans/{plan_id}", headers=headers).json()["cost"]["added"] == 2
        assert client.post(f"/api/v1/pairing/plans/{plan_id}/apply", headers=headers).json()["added"] == 2
        again = client.post(f"/api/v1/pairing/plans/{plan_id}/apply", headers=headers)
        assert (again.status_code, again.json()["error"]) == (409, "pairing.plan_already_applied")
        village = _token(client, "village")
        denied = client.post(f"/api/v1/pairing/plans/{plan_id}/apply", headers=village)
        assert (denied.status_code, denied.json()["error"]) == (403, "core.forbidden_action")
