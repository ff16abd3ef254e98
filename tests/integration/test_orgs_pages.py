import re
import time

from fastapi.testclient import TestClient

from fupin.pairing.errors import PLAN_STALE
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_orgs import TOWNSHIP_1, VILLAGE_A, add_cadre, add_household, add_org


def _login(client, username):  # type: ignore[no-untyped-def]
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": "/"})
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/pairing").text).group(1)


def _finished(client, job_url: str) -> str:  # type: ignore[no-untyped-def]
    """The job page once the job is done (the app's worker thread runs it)."""
    for _ in range(300):
        page = client.get(job_url)
        assert 'data-status="failed"' not in page.text, page.text
        if 'data-status="done"' in page.text:
            return page.text
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


def _plan_of_job(client, job_url: str) -> str:  # type: ignore[no-untyped-def]
    """Follow the finished plan job's link to the plan."""
    return re.search(r'href="(/pairing/plans/\d+)" data-testid="open-plan"', _finished(client, job_url)).group(1)


def test_pages_show_the_tree_an_org_cadres_and_a_plan_then_refuse_a_stale_apply(db):
    add_areas(db)
    township = add_org(db, name="钟屏街道党工委", org_type="working_committee", area_code=TOWNSHIP_1,
                       base_kind="township")
    add_org(db, name="苹果产业党支部", area_code=VILLAGE_A, base_kind="industry_chain", base_name="苹果产业链",
            parent_id=township)
    hidden = add_org(db, name="大庄村党支部", area_code="530321100200")
    add_household(db, VILLAGE_A, head_name="赵大")
    add_cadre(db, VILLAGE_A, name="钱干部")
    add_user(db, "township", "township", TOWNSHIP_1)
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "township")
        tree = client.get("/orgs")
        assert tree.status_code == 200 and "苹果产业党支部" in tree.text and "大庄村党支部" not in tree.text
        assert client.get(f"/orgs/{township}").status_code == 200
        assert client.get(f"/orgs/{hidden}").status_code == 404
        assert "钱干部" in client.get("/orgs/cadres").text
        coverage = client.get("/orgs/coverage")
        assert coverage.status_code == 200 and 'data-testid="rate-household_helper">0.0%' in coverage.text
        made = client.post("/pairing/plans", data={"csrf_token": csrf}, follow_redirects=False)
        assert made.status_code == 303 and made.headers["location"].startswith("/jobs/")
        plan_url = _plan_of_job(client, made.headers["location"])
        review = client.get(plan_url)
        assert "赵大" in review.text and "钱干部" in review.text
        add_household(db, VILLAGE_A, head_name="孙新")  # data changes while the plan is being reviewed
        refused = client.post(plan_url + "/apply", data={"csrf_token": csrf})
        assert refused.status_code == 409 and 'data-testid="plan-applied"' not in refused.text
        assert PLAN_STALE().message in refused.text
        assert 'data-testid="rate-household_helper">0.0%' in client.get("/orgs/coverage").text
        assert client.post(plan_url + "/apply", data={}).status_code == 403, "forms need the CSRF token"


def test_org_api_tree_create_move_history_members_and_cadres(db):
    add_areas(db)
    add_user(db, "county", "county", "530326000000")
    with TestClient(create_app(db=db)) as client:
        token = client.post("/api/v1/auth/token", json={"username": "county", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        committee = client.post("/api/v1/orgs", headers=headers, json={
            "name": "钟屏街道党工委", "org_type": "working_committee", "area_code": TOWNSHIP_1,
            "base_kind": "township", "founded_on": "2000-01-01"}).json()["id"]
        branch = client.post("/api/v1/orgs", headers=headers, json={
            "name": "北坎村党支部", "org_type": "branch", "area_code": VILLAGE_A, "base_kind": "village",
            "founded_on": "2001-07-01"})
        assert branch.status_code == 201
        branch_id = branch.json()["id"]
        bad = client.post("/api/v1/orgs", headers=headers, json={
            "name": "驻外", "org_type": "branch", "area_code": TOWNSHIP_1, "base_kind": "migrant",
            "founded_on": "2001-07-01"})
        assert bad.status_code == 422 and "务工地" in bad.json()["message"]
        moved = client.post(f"/api/v1/orgs/{branch_id}/move", headers=headers, json={"parent_id": committee})
        assert moved.json()["parent_id"] == committee
        tree = client.get("/api/v1/orgs", headers=headers).json()
        assert [(n["name"], [c["name"] for c in n["children"]]) for n in tree] == [("钟屏街道党工委", ["北坎村党支部"])]
        history = client.get(f"/api/v1/orgs/{branch_id}/history", headers=headers).json()
        assert [e["kind"] for e in history] == ["founded", "moved"]
        member = client.post("/api/v1/party-members", headers=headers, json={
            "name": "王党员", "org_id": branch_id, "is_floating": True, "current_location": "浙江省宁波市"})
        assert member.status_code == 201
        assert [m["name"] for m in client.get(f"/api/v1/orgs/{branch_id}/members", headers=headers).json()] == ["王党员"]
        cadre = client.post("/api/v1/cadres", headers=headers, json={
            "name": "钱干部", "work_unit": "县财政局", "rank": "section", "post": "first_secretary",
            "area_code": VILLAGE_A, "active_from": "2021-03-01"})
        assert cadre.status_code == 201
        assert client.get("/api/v1/cadres?area=530321000000", headers=headers).status_code == 404
        assert client.get(f"/api/v1/orgs/{branch_id}", headers=headers).json()["name"] == "北坎村党支部"


def test_the_import_page_reports_bad_rows_and_writes_nothing(db):
    import io

    from openpyxl import Workbook

    add_areas(db)
    add_user(db, "county", "county", "530326000000")
    workbook = Workbook()
    workbook.active.append(["姓名", "帮扶单位", "职级", "职务", "派驻区划代码", "是否党员", "到岗日期"])
    workbook.active.append(["李明", "县财政局", "乡科级", "第一书记", VILLAGE_A, "是", "2021-03-01"])
    workbook.active.append(["王芳", "县卫健局", "科员", "驻村工作队员", VILLAGE_A, "否", "2021-03-01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "county")
        files = {"file": ("cadres.xlsx", buffer.getvalue(),
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
        queued = client.post("/orgs/import", data={"csrf_token": csrf, "kind": "cadres"}, files=files,
                             follow_redirects=False)
        assert queued.status_code == 303 and "panel=orgs/_import_job.html" in queued.headers["location"]
        page = _finished(client, queued.headers["location"])
        assert "未写入任何数据" in page and "职级应为" in page
        assert "李明" not in client.get("/orgs/cadres").text
        queued = client.post("/orgs/import", data={"csrf_token": csrf, "kind": "cadres", "mode": "skip-invalid"},
                             files=files, follow_redirects=False)
        page = _finished(client, queued.headers["location"])
        assert 'data-testid="import-result"' in page and "已写入" in page
        assert "李明" in client.get("/orgs/cadres").text
        bad = client.post("/orgs/import", data={"csrf_token": csrf, "kind": "martians"}, files=files)
        assert bad.status_code == 422 and 'data-field="kind"' in bad.text, "the form comes back, error beside it"
