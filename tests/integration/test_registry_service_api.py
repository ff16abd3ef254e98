import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fupin.core.audit import AuditEntry
from fupin.registry.models import Household, Person
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_registry import add_household, id_number


@pytest.fixture
def client(db):
    add_areas(db)
    add_user(db, "village_a", "village", "530326100200")
    add_user(db, "village_b", "village", "530326100201")
    add_user(db, "grid_a", "grid", "530326100200")
    with TestClient(create_app(db=db)) as c:
        yield c


def _auth(client, username):
    token = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def _new_household_body(area="530326100200"):
    return {"area_code": area, "poverty_attribute": "一般贫困户", "main_cause": "因病", "registration_year": 2015,
            "members": [{"id_number": id_number(dt.date(1968, 2, 3)), "name": "王富贵", "relation": "户主"},
                        {"id_number": id_number(dt.date(1970, 4, 5), "F"), "name": "赵桂兰", "relation": "配偶",
                         "health": "长期慢性病"}]}


def test_create_read_and_mask_by_role(client, db):
    headers = _auth(client, "village_a")
    response = client.post("/api/v1/registry/households", headers=headers, json=_new_household_body())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["household_no"] == "5303261002000001" and body["head_name"] == "王富贵"
    assert body["members"][0]["sex"] == "M" and body["members"][1]["sex"] == "F"
    clear = body["members"][0]["id_number"]
    assert "*" not in clear
    grid = client.get(f"/api/v1/registry/households/{body['id']}", headers=_auth(client, "grid_a")).json()
    assert grid["members"][0]["id_number"] == clear[:6] + "**********" + clear[16:]
    with db.session_factory() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity == "households")).one()
        assert audit.area_code == "530326100200" and "id_number" not in str(audit.changes)


def test_other_village_cannot_see_or_write(client, db):
    household_id = add_household(db)
    other = _auth(client, "village_b")
    assert client.get(f"/api/v1/registry/households/{household_id}", headers=other).status_code == 404
    response = client.post(f"/api/v1/registry/households/{household_id}/visits", headers=other,
                           json={"visited_on": "2024-01-02", "found": "x"})
    assert response.status_code == 404
    assert client.get("/api/v1/registry/households", headers=other).json()["items"] == []
    own = client.get("/api/v1/registry/households", headers=_auth(client, "village_a")).json()["items"]
    assert [h["id"] for h in own] == [household_id]
    response = client.post("/api/v1/registry/households", headers=other, json=_new_household_body("530326100200"))
    assert response.status_code == 422 and "管辖范围" in response.json()["message"]


def test_stale_update_answers_409_and_loses_nothing(client, db):
    household_id = add_household(db)
    headers = _auth(client, "village_a")
    first = client.patch(f"/api/v1/registry/households/{household_id}", headers=headers,
                         json={"version": 1, "address": "3组12号"})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.patch(f"/api/v1/registry/households/{household_id}", headers=headers,
                         json={"version": 1, "address": "被覆盖?"})
    assert stale.status_code == 409 and "版本" in stale.json()["message"]
    with db.session_factory() as s:
        assert s.get(Household, household_id).address == "3组12号"


def test_duplicate_person_across_households_names_both(client, db):
    first = add_household(db)
    headers = _auth(client, "village_a")
    with db.session_factory() as s:
        number = s.scalars(select(Person.id_number).where(Person.household_id == first)).first()
        first_no = s.get(Household, first).household_no
    body = _new_household_body()
    body["members"][1]["id_number"] = number
    response = client.post("/api/v1/registry/households", headers=headers, json=body)
    assert response.status_code == 409
    assert first_no in response.json()["message"]
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Household)) == 1


def test_income_visit_and_the_exit_evaluation_change(client, db):
    household_id = add_household(db)
    headers = _auth(client, "village_a")
    url = f"/api/v1/registry/households/{household_id}"
    evaluation = client.get(f"{url}/exit?year=2020", headers=headers).json()
    assert not evaluation["eligible"] and "缺少2020年收入记录" in evaluation["reasons"]
    income = client.put(f"{url}/incomes", headers=headers, json={
        "year": 2020, "wages": "9000.50", "production_income": "2000", "transfer_income": "300",
        "production_costs": "500"})
    assert income.status_code == 200 and income.json()["per_capita_net"] == "5400.25"
    check = client.put(f"{url}/checks", headers=headers, json={
        "year": 2020, "checked_on": "2020-11-02", "water_litres_per_person_day": 60})
    assert check.status_code == 200
    evaluation = client.get(f"{url}/exit?year=2020", headers=headers).json()
    assert evaluation["eligible"], evaluation["reasons"]
    negative = client.put(f"{url}/incomes", headers=headers, json={"year": 2020, "wages": "-1", "version": 1})
    assert negative.status_code == 422
    visit = client.post(f"{url}/visits", headers=headers, json={"visited_on": "2024-01-02", "found": "屋顶漏雨",
                                                                 "done": "申请危房改造"})
    assert visit.status_code == 201


def test_exit_procedure_ends_in_exited_only_after_removal(client, db):
    household_id = add_household(db)
    headers = _auth(client, "village_a")
    url = f"/api/v1/registry/households/{household_id}"
    client.put(f"{url}/incomes", headers=headers, json={"year": 2020, "wages": "12000"})
    client.put(f"{url}/checks", headers=headers, json={"year": 2020, "checked_on": "2020-11-02",
                                                       "water_litres_per_person_day": 60})
    steps = [("democratic_appraisal", "2020-11-05"), ("village_publicity", "2020-11-06"),
             ("township_review", "2020-11-14"), ("county_announcement", "2020-11-20"), ("removal", "2020-12-01")]
    for index, (step, on) in enumerate(steps):
        if index == 2:
            early = client.post(f"{url}/exit-steps?year=2020", headers=headers,
                                json={"step": step, "happened_on": "2020-11-10"})
            assert early.status_code == 422 and "7天" in early.json()["message"]
        status = client.get(url, headers=headers).json()["status"]
        assert status != "exited"
        response = client.post(f"{url}/exit-steps?year=2020", headers=headers, json={"step": step, "happened_on": on})
        assert response.status_code == 201, response.text
    household = client.get(url, headers=headers).json()
    assert household["status"] == "exited" and household["exit_year"] == 2020


def test_search_by_name_id_number_and_household_number(client, db):
    household_id = add_household(db)
    add_household(db, members=[__import__("tests.factories_registry", fromlist=["member"]).member(
        "孙悟空", "head", dt.date(1980, 1, 1))])
    headers = _auth(client, "village_a")
    with db.session_factory() as s:
        person = s.scalars(select(Person).where(Person.household_id == household_id)).first()
        number, household_no = person.id_number, s.get(Household, household_id).household_no
    for q in (person.name, number, number.lower(), household_no):
        items = client.get("/api/v1/registry/households", headers=headers, params={"q": q}).json()["items"]
        assert [h["id"] for h in items] == [household_id], q
    page = client.get("/api/v1/registry/households", headers=headers, params={"limit": 1}).json()
    assert page["next_cursor"]
    second = client.get("/api/v1/registry/households", headers=headers,
                        params={"limit": 1, "cursor": page["next_cursor"]}).json()
    assert second["items"][0]["id"] != page["items"][0]["id"] and second["next_cursor"] is None


def _finished_job_page(client, started, *markers: str) -> str:
    """The import job's status page once it shows one of `markers` (polled, as the page itself does)."""
    import time

    job = re.search(r'/registry/import/([0-9a-f]{32})', started.text).group(1)
    for _ in range(200):
        status = client.get(f"/registry/import/{job}").text
        if any(marker in status for marker in markers):
            break
        time.sleep(0.05)
    return status


def _login(client, username):
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": "/"})


def test_household_page_masks_for_grid_and_shows_clear_for_village(client, db):
    household_id = add_household(db)
    with db.session_factory() as s:
        number = s.scalars(select(Person.id_number).where(Person.household_id == household_id)).first()
    _login(client, "grid_a")
    page = client.get(f"/registry/households/{household_id}").text
    assert number not in page and number[:6] + "**********" + number[16:] in page
    client.cookies.clear()
    _login(client, "village_a")
    assert number in client.get(f"/registry/households/{household_id}").text


def test_web_import_reports_progress_and_errors_and_export_is_masked_for_grid(client, db):
    _login(client, "village_a")
    page = client.get("/registry/import")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    head = id_number(dt.date(1975, 6, 1))
    good = ("户编号,所在村组区划代码,贫困户属性,主要致贫原因,识别年度,姓名,身份证号,与户主关系\n"
            f"W1,530326100200,一般贫困户,因学,2016,周大,{head},户主\n").encode()
    started = client.post("/registry/import", data={"csrf_token": csrf, "mode": "all-or-nothing"},
                          files={"file": ("w.csv", good, "text/csv")})
    assert started.status_code == 200
    status = _finished_job_page(client, started, "导入完成", "notice error")
    assert "导入完成" in status and "新增 1" in status
    assert "数据质量核查" in status, "the checks run after each import"
    bad = good.replace(head.encode(), (head[:-1] + ("0" if head[-1] != "0" else "1")).encode())
    started = client.post("/registry/import", data={"csrf_token": csrf}, files={"file": ("b.csv", bad, "text/csv")})
    job = re.search(r'/registry/import/([0-9a-f]{32})', started.text).group(1)
    status = _finished_job_page(client, started, "未写入")
    assert "校验位错误" in status
    report = client.get(f"/registry/import/{job}/errors")
    assert report.status_code == 200 and "错误原因" in report.content.decode("utf-8-sig")
    client.cookies.clear()
    _login(client, "grid_a")
    export = client.get("/registry/export?fmt=csv").content.decode("utf-8-sig")
    assert head not in export and head[:6] + "**********" + head[16:] in export


def test_a_large_web_import_is_validated_in_a_child_process_within_the_users_scope(client, db, monkeypatch):
    """The web runs an import in a thread of the server; a sheet large enough for the chunked path forks there,
    and the child checks areas against the uploader's scope (a row in another village is refused)."""
    from fupin.registry import importer

    monkeypatch.setattr(importer, "PIPELINE_MIN_ROWS", 20)
    monkeypatch.setattr(importer, "FIRST_CHUNK_ROWS", 10)
    monkeypatch.setattr(importer, "CHUNK_ROWS", 25)
    forks = []
    real = importer._chunks_from_child
    monkeypatch.setattr(importer, "_chunks_from_child", lambda *args: forks.append(args[-1]) or real(*args))
    _login(client, "village_a")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/registry/import").text).group(1)
    lines = ["户编号,所在村组区划代码,贫困户属性,主要致贫原因,识别年度,姓名,身份证号,与户主关系"]
    for h in range(80):
        area = "530326100201" if h == 77 else "530326100200"  # household 77 lies in village B
        lines.append(f"P{h:03d},{area},一般贫困户,因学,2016,户主{h},{id_number(dt.date(1960, 1, 1 + h % 28))},户主")
    data = ("\n".join(lines) + "\n").encode()
    started = client.post("/registry/import", data={"csrf_token": csrf, "mode": "skip-invalid"},
                          files={"file": ("big.csv", data, "text/csv")})
    job = re.search(r'/registry/import/([0-9a-f]{32})', started.text).group(1)
    status = _finished_job_page(client, started, "导入完成", "notice error")
    assert "导入完成" in status and "新增 79" in status, status
    assert len(forks) == 1 and forks[0] is not None, "chunked, with the look-ups in the child"
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Household)
                              .where(Household.household_no.like("P%"))) == 79
    report = client.get(f"/registry/import/{job}/errors").content.decode("utf-8-sig")
    assert "该区划不在您的管辖范围内" in report
