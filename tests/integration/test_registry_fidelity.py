"""Issue 17 (registry fidelity) through the API, the pages and the import, on both databases: ID numbers as
people type them (full-width, spaced, lowercase x, 15 digits), the national form's fields, 转移性收入 in parts with
the policy-transfer share, and finding a household as people search."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from fupin.core.audit import Actor
from fupin.core.importing import ImportMode
from fupin.core.personal_data import Viewer
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.registry.exporter import export_rows
from fupin.registry.fields import FIELDS
from fupin.registry.idnumbers import make_id_number
from fupin.registry.models import Household, HouseholdIncome, Person
from fupin.registry.service import import_registry
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_registry import add_household, id_number, lend_pairing_hook

V1 = "530326100200"


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def fifteen(number18: str) -> str:
    return number18[:6] + number18[8:17]


@pytest.fixture
def client(db, monkeypatch):
    lend_pairing_hook(monkeypatch)
    add_areas(db)
    add_user(db, "village_a", "village", V1)
    add_user(db, "grid_a", "grid", V1)
    add_user(db, "auditor_a", "auditor", V1)
    with TestClient(create_app(db=db)) as c:
        yield c


def _auth(client, username):
    token = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def _login(client, username):
    client.cookies.clear()
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": "/"})


def _csrf(client, url):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


def _person(db, household_id, name):
    with db.session_factory() as s:
        return s.scalars(select(Person).where(Person.household_id == household_id, Person.name == name)).one()


# ---------------------------------------------------------------- ID numbers as typed: API


def test_api_takes_id_numbers_as_people_type_them(client, db):
    headers = _auth(client, "village_a")
    head = make_id_number("530326", dt.date(1968, 2, 3), 13)
    with_x = next(make_id_number("530326", dt.date(1990, 4, 5), s) for s in range(1, 999, 2)
                  if make_id_number("530326", dt.date(1990, 4, 5), s).endswith("X"))
    old = make_id_number("530326", dt.date(1962, 7, 8), 24)
    body = {"area_code": V1, "poverty_attribute": "一般贫困户", "main_cause": "因病", "registration_year": 2015,
            "members": [
                {"id_number": full_width(head), "name": "王富贵", "relation": "户主"},
                {"id_number": "  " + with_x[:6] + " " + with_x[6:14] + " " + with_x[14:].lower() + " ",
                 "name": "王小明", "relation": "之子"},
                {"id_number": "\u3000" + fifteen(old) + "\u3000", "name": "赵桂兰", "relation": "配偶"}]}
    response = client.post("/api/v1/registry/households", headers=headers, json=body)
    assert response.status_code == 201, response.text
    members = {m["name"]: m for m in response.json()["members"]}
    assert members["王富贵"]["id_number"] == head
    assert members["王小明"]["id_number"] == with_x
    assert members["赵桂兰"]["id_number"] == old and members["赵桂兰"]["id_number_original"] == fifteen(old)
    assert members["王富贵"]["id_number_original"] is None
    household_id = response.json()["id"]
    assert _person(db, household_id, "赵桂兰").id_number_original == fifteen(old)
    grid = client.get(f"/api/v1/registry/households/{household_id}", headers=_auth(client, "grid_a")).json()
    masked = {m["name"]: m for m in grid["members"]}["赵桂兰"]
    assert masked["id_number_original"] == fifteen(old)[:6] + "*******" + fifteen(old)[13:], "masked like the number"
    # the same person typed the other ways is the same person: 409, never a second registration
    again = client.post("/api/v1/registry/households", headers=headers, json=body | {"members": [
        {"id_number": " " + fifteen(head) + " ", "name": "王富贵", "relation": "户主"}]})
    assert again.status_code == 409 and again.json()["error"] == "registry.id_registered_in"
    # a wrong check digit stays wrong, full-width or not
    wrong = head[:17] + ("0" if head[17] != "0" else "1")
    refused = client.post(f"/api/v1/registry/households/{household_id}/persons", headers=headers,
                          json={"id_number": full_width(wrong), "name": "某人", "relation": "其他"})
    assert refused.status_code == 422 and refused.json()["error"] == "registry.id_check_digit"


# ---------------------------------------------------------------- ID numbers as typed: page form


def test_page_form_takes_full_width_spaced_and_15_digit_numbers(client, db):
    household_id = add_household(db)
    _login(client, "village_a")
    url = f"/registry/households/{household_id}"
    typed = {"小一": full_width(id_number(dt.date(2001, 1, 2))),
             "小二": " " + id_number(dt.date(2002, 3, 4)).lower() + " ",
             "小三": fifteen(id_number(dt.date(1965, 5, 6)))}
    for name, number in typed.items():
        response = client.post(f"{url}/members", data={"csrf_token": _csrf(client, url), "name": name,
                                                       "id_number": number, "relation": "之子"},
                               follow_redirects=False)
        assert response.status_code == 303, (name, response.text[-2000:])
    assert _person(db, household_id, "小三").id_number_original == typed["小三"]
    page = client.get(url).text
    assert "由15位号码升级" in page and typed["小三"] in page
    _login(client, "grid_a")
    masked = client.get(url).text
    assert "由15位号码升级" in masked and typed["小三"] not in masked


# ---------------------------------------------------------------- ID numbers as typed: import, with the national fields

HEADER = ["户编号", "所在村组区划代码", "贫困户属性", "主要致贫原因", "识别年度", "姓名", "身份证号", "与户主关系",
          "识别标准", "是否军烈属", "耕地面积(亩)", "有效灌溉面积(亩)", "入户路类型", "危房等级", "建房年份",
          "主要燃料类型", "有无卫生厕所", "政治面貌", "残疾类别", "残疾证号", "参加大病保险", "务工地点",
          "收入年度", "工资性收入", "转移性收入", "其中:低保金", "其中:养老金"]


def _csv(rows):
    return ("\n".join([",".join(HEADER)] + [",".join(r) for r in rows]) + "\n").encode("utf-8")


def _import(db, data):
    return import_registry(UnitOfWork(db, Actor.system("test")), "f.csv", data, mode=ImportMode.all_or_nothing,
                           key=b"test-key", today=dt.date(2024, 6, 1))


def test_import_reads_typed_ids_reports_the_conversion_and_keeps_the_national_fields(db):
    add_areas(db)
    head = id_number(dt.date(1970, 1, 1))
    wife = id_number(dt.date(1972, 5, 1), "F")
    son = id_number(dt.date(1996, 7, 9))
    certificate = wife + "42"
    rows = [
        ["H1", V1, "一般贫困户", "因病", "2016", "张三", full_width(head), "户主", "省定标准", "是", "3.5", "1.25",
         "水泥路", "C级", "1998", "柴草", "否", "中共党员", "", "", "是", "乡镇内", "2020", "6000", "3000",
         "1200", "800"],
        ["H1", "", "", "", "", "李四", fifteen(wife), "配偶", "", "", "", "", "", "", "", "", "", "群众", "肢体残疾",
         certificate, "", "县内", "", "", "", "", ""],
        ["H1", "", "", "", "", "张小", " " + son[:9] + " " + son[9:] + " ", "之子", "", "", "", "", "", "", "", "", "",
         "", "", "", "", "", "", "", "", "", ""],
    ]
    result = _import(db, _csv(rows))
    assert result.report.errors == [] and result.report.committed
    assert [(n.line, n.column) for n in result.notices] == [(3, "身份证号")]
    assert head not in result.notices[0].reason and wife in result.notices[0].reason
    with db.session_factory() as s:
        h = s.scalars(select(Household)).one()
        assert (h.identification_standard, h.military_martyr_family, h.arable_land_mu, h.irrigated_land_mu,
                h.access_road_type, h.dilapidation_grade, h.house_built_year, h.main_fuel, h.sanitary_toilet) == (
            "provincial", True, Decimal("3.50"), Decimal("1.25"), "cement", "C", 1998, "firewood", False)
        people = {p.name: p for p in s.scalars(select(Person))}
        assert people["李四"].id_number == wife and people["李四"].id_number_original == fifteen(wife)
        assert people["张小"].id_number == son and people["张小"].id_number_original is None
        assert people["张三"].political_status == "party_member" and people["张三"].work_place == "in_township"
        assert people["李四"].work_place == "in_county", "the former label 县内 still reads"
        assert people["李四"].disability_category == "physical" and people["李四"].disability_certificate_no == certificate
        income = s.scalars(select(HouseholdIncome)).one()
        assert (income.transfer_income, income.transfer_dibao, income.transfer_pension, income.transfer_other) == (
            Decimal("3000.00"), Decimal("1200.00"), Decimal("800.00"), Decimal("1000.00"))
    # importing the same file again changes nothing, and an 18-digit re-import keeps the original
    again = _import(db, _csv(rows))
    assert again.report.unchanged == 1 and again.report.updated == 0
    rows[1][6] = wife
    rows[1][HEADER.index("政治面貌")] = ""  # a blank national field keeps what is stored
    assert _import(db, _csv(rows)).report.errors == []
    with db.session_factory() as s:
        kept = s.execute(select(Person.id_number_original, Person.political_status).where(Person.name == "李四")).one()
        assert tuple(kept) == (fifteen(wife), "masses")
    # export: the national columns, the disability withheld from the auditor, masked for the grid leader
    headers = [f.header for f in FIELDS]
    with db.session_factory() as s:
        for role, shown in (("village", certificate), ("grid", certificate[:6] + "*" * 12 + "42"), ("auditor", None)):
            exported = {row[headers.index("姓名")]: row for row in export_rows(s, Scope.everything(), Viewer(role))}
            wife_row = exported["李四"]
            assert wife_row[headers.index("残疾证号")] == shown, role
            assert wife_row[headers.index("残疾类别")] == (None if role == "auditor" else "肢体残疾"), role
            assert exported["张三"][headers.index("识别标准")] == "省定标准"
            assert exported["张三"][headers.index("其中:低保金")] == "1200.00"


@pytest.mark.parametrize(("cells", "column", "code"), [
    ({"耕地面积(亩)": "1", "有效灌溉面积(亩)": "1.01"}, "有效灌溉面积(亩)", "registry.irrigated_above_arable"),
    ({"耕地面积(亩)": "1.234"}, "耕地面积(亩)", "registry.money_places"),
    ({"建房年份": "2025"}, "建房年份", "registry.number_range"),
    ({"转移性收入": "100", "其中:低保金": "60", "其中:养老金": "50"}, "转移性收入", "registry.transfer_parts_sum"),
    ({"残疾证号": "12345"}, "残疾证号", "registry.certificate_format"),
    ({"身份证号": "５３０３２６"}, "身份证号", "registry.id_length"),
])
def test_import_reports_bad_national_fields_row_by_row(db, cells, column, code):
    add_areas(db)
    row = dict.fromkeys(HEADER, "")
    row.update({"户编号": "H1", "所在村组区划代码": V1, "贫困户属性": "一般贫困户", "主要致贫原因": "因病",
                "识别年度": "2016", "姓名": "张三", "身份证号": id_number(dt.date(1970, 1, 1)), "与户主关系": "户主",
                "收入年度": "2020", "工资性收入": "100"})
    row.update(cells)
    result = _import(db, _csv([[row[h] for h in HEADER]]))
    assert not result.report.committed
    assert [(e.column, c) for e, (_l, _f, c) in zip(result.report.errors, result.codes, strict=True)] == [(column, code)]


# ---------------------------------------------------------------- transfer income in parts, the share


def test_transfer_parts_and_the_policy_share_compared_exactly(client, db, monkeypatch):
    household_id = add_household(db)  # 2 members
    headers = _auth(client, "village_a")
    url = f"/api/v1/registry/households/{household_id}/incomes"
    # net 10000.00, policy 5000.00: exactly half is not "more than half"
    at_limit = client.put(url, headers=headers, json={"year": 2020, "wages": "5000", "transfer_dibao": "3000",
                                                      "transfer_pension": "2000"})
    assert at_limit.status_code == 200, at_limit.text
    body = at_limit.json()
    assert body["transfer_income"] == "5000.00" and body["transfer_other"] == "0.00"
    assert body["policy_transfer_percent"] == "50.0" and body["policy_transfers_dominate"] is False
    # one cent more policy transfer: more than half (50.00005 %, shown as 50.0)
    above = client.put(url, headers=headers, json={"year": 2020, "wages": "4999.99", "transfer_dibao": "3000.01",
                                                   "transfer_pension": "2000", "version": body["version"]}).json()
    assert above["policy_transfer_percent"] == "50.0" and above["policy_transfers_dominate"] is True
    # a total alone is "other" (not a policy transfer)
    total_only = client.put(url, headers=headers, json={"year": 2019, "wages": "1000", "transfer_income": "9000"})
    assert total_only.json()["transfer_other"] == "9000.00" and total_only.json()["policy_transfers_dominate"] is False
    # parts that do not add up are refused with a code, nothing written
    bad = client.put(url, headers=headers, json={"year": 2018, "transfer_income": "100", "transfer_dibao": "60",
                                                 "transfer_other": "50"})
    assert bad.status_code == 422 and bad.json()["error"] == "registry.transfer_parts_sum"
    with db.session_factory() as s:
        assert s.scalars(select(HouseholdIncome.year).where(HouseholdIncome.household_id == household_id)
                         ).all() == [2020, 2019] or sorted(s.scalars(select(HouseholdIncome.year))) == [2019, 2020]
    # the limit is a setting
    monkeypatch.setenv("FUPIN_POLICY_TRANSFER_SHARE", "0.6")
    from fupin.core.settings import get_settings
    get_settings.cache_clear()
    try:
        assert client.get(url, headers=headers).json()[-1]["policy_transfers_dominate"] is False
    finally:
        monkeypatch.delenv("FUPIN_POLICY_TRANSFER_SHARE")
        get_settings.cache_clear()
    _login(client, "village_a")
    page = client.get(f"/registry/households/{household_id}").text
    assert "收入主要依靠政策性转移" in page


# ---------------------------------------------------------------- the national fields through API and pages


def test_national_fields_through_api_and_edit_pages(client, db):
    household_id = add_household(db)
    headers = _auth(client, "village_a")
    url = f"/api/v1/registry/households/{household_id}"
    response = client.patch(url, headers=headers, json={
        "version": 1, "identification_standard": "市定标准", "only_child_family": True, "forest_land_mu": "12.5",
        "road_distance_km": "0.8", "housing_area_m2": "96.40", "dilapidation_grade": "D", "main_fuel": "煤炭",
        "domestic_power": True, "production_power": False})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["identification_standard"] == "municipal" and body["forest_land_mu"] == "12.50"
    assert body["dilapidation_grade"] == "D" and body["production_power"] is False
    refused = client.patch(url, headers=headers, json={"version": body["version"], "main_fuel": "天然气"})
    assert refused.status_code == 422 and refused.json()["error"] == "registry.bad_code"

    _login(client, "village_a")
    edit = f"/registry/households/{household_id}/edit"
    page = client.get(edit)
    assert page.status_code == 200 and "贫困户登记表信息" in page.text and "市定标准" in page.text
    form = {"csrf_token": _csrf(client, edit), "version": str(body["version"]), "poverty_attribute": "general",
            "main_cause": "no_skill", "sanitary_toilet": "true", "house_built_year": "2009",
            "arable_land_mu": "2", "irrigated_land_mu": "3", "only_child_family": ""}
    rejected = client.post(edit, data=form)
    assert rejected.status_code == 422 and "有效灌溉面积不能大于耕地面积" in rejected.text
    form["irrigated_land_mu"] = "1.5"
    assert client.post(edit, data=form, follow_redirects=False).status_code == 303
    with db.session_factory() as s:
        h = s.get(Household, household_id)
        assert (h.sanitary_toilet, h.house_built_year, h.irrigated_land_mu, h.only_child_family) == (
            True, 2009, Decimal("1.50"), True), "fields left blank keep their value"

    person = _person(db, household_id, "李秀英")
    person_edit = f"/registry/persons/{person.id}/edit"
    form = {"csrf_token": _csrf(client, person_edit), "version": str(person.version), "political_status": "共青团员",
            "disability_category": "视力残疾", "disability_certificate_no": full_width(person.id_number + "11"),
            "serious_illness_insurance": "true", "commercial_medical_insurance": "false", "active_serviceman": "false",
            "work_place": "in_township", "health": "disabled", "disability_grade": "1", "medical_assistance": ""}
    response = client.post(person_edit, data=form, follow_redirects=False)
    assert response.status_code == 303, response.text[-1500:]
    person = _person(db, household_id, "李秀英")
    assert (person.political_status, person.disability_category, person.disability_certificate_no,
            person.serious_illness_insurance, person.commercial_medical_insurance, person.medical_assistance) == (
        "league_member", "visual", person.id_number + "11", True, False, None)
    with db.session_factory() as s:
        from fupin.core.audit import AuditEntry

        changes = s.scalars(select(AuditEntry.changes).where(AuditEntry.entity == "persons")).all()
        assert changes and all(person.id_number not in str(c) for c in changes), "no ID number in the audit log"
    auditor = client.get(f"{url}", headers=_auth(client, "auditor_a")).json()
    member = next(m for m in auditor["members"] if m["name"] == "李秀英")
    assert member["disability_category"] is None and member["disability_certificate_no"] is None
    assert member["political_status"] == "league_member"


# ---------------------------------------------------------------- finding a household


def test_find_a_household_as_people_search(client, db):
    first = add_household(db, members=[_member("王富贵", "head", dt.date(1960, 1, 1)),
                                       _member("赵桂兰", "spouse", dt.date(1962, 1, 1), "F")])
    second = add_household(db, members=[_member("李明", "head", dt.date(1970, 1, 1))])
    with db.session_factory() as s:
        numbers = {h.id: h.household_no for h in s.scalars(select(Household))}
        guilan = s.scalars(select(Person.id_number).where(Person.name == "赵桂兰")).one()
        initials = s.scalars(select(Person.name_initials).where(Person.name == "王富贵")).one()
    assert initials == "wfg"
    headers = _auth(client, "village_a")

    def found(q):
        response = client.get("/api/v1/registry/households", params={"q": q}, headers=headers)
        assert response.status_code == 200, response.text
        return {h["id"] for h in response.json()["items"]}

    assert found("富贵") == {first}, "part of a name"
    assert found("王") == {first}, "a name's beginning"
    assert found("桂兰") == {first}, "a member's name finds the household"
    assert found("wfg") == {first} and found("WF") == {first} and found("zgl") == {first}, "pinyin initials"
    assert found("lm") == {second}
    assert found(numbers[second][-4:]) == {second}, "the last digits of the household number"
    assert found(numbers[first][-3:]) == {first}
    assert found(full_width(guilan)) == {first} and found(" ".join([guilan[:6], guilan[6:]])) == {first}
    assert found("张") == set() and found("%") == set() and found("_") == set()
    # initials follow a renamed member
    person = _person(db, second, "李明")
    client.patch(f"/api/v1/registry/persons/{person.id}", headers=headers, json={"version": person.version,
                                                                                 "name": "周明"})
    assert found("zm") == {second} and found("lm") == set()
    # on a phone, tapping the name opens the household
    _login(client, "village_a")
    rows = client.get("/registry", params={"q": "wfg"}).text
    assert f'href="/registry/households/{first}" data-testid="household-link">王富贵</a>' in rows


def _member(name, relation, birth, sex="M"):
    from tests.factories_registry import member

    return member(name, relation, birth, sex)


@pytest.mark.parametrize(("q", "index"), [("zds", "ix_persons_name_initials"), ("张大", "ix_persons_name"),
                                          ("530326100200", "uq_households_household_no")])
def test_the_search_is_an_index_range_on_both_databases(db, q, index):
    """Initials, a name's beginning and a number's beginning are index range scans (what keeps them fast at a
    million people): the plan of each statement the search runs names the index."""
    from sqlalchemy import event, text

    from fupin.registry import queries

    add_areas(db)
    add_household(db)
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    with db.session_factory() as session:
        connection = session.connection()
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            connection.execute(text("SET LOCAL enable_seqscan = off"))
        event.listen(connection, "before_cursor_execute", capture)
        try:
            # the whole country's scope: no area index to fall back on (a village's scope is small anyway)
            assert queries._matching_household_ids(session, Scope.everything(), q, b"test-key")
        finally:
            event.remove(connection, "before_cursor_execute", capture)
        plans = []
        for statement, parameters in statements:
            prefix = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
            cursor = connection.connection.cursor()
            cursor.execute(prefix + statement, parameters)
            plans.append(" ".join(str(part) for row in cursor.fetchall() for part in row))
    assert any(index in plan for plan in plans), plans


def test_web_import_shows_the_conversion_in_the_row_report(client, db):
    import time

    _login(client, "village_a")
    csrf = _csrf(client, "/registry/import")
    head = id_number(dt.date(1965, 6, 1))
    wife = id_number(dt.date(1966, 7, 2), "F")
    sheet = ("户编号,所在村组区划代码,贫困户属性,主要致贫原因,识别年度,姓名,身份证号,与户主关系\n"
             f"W1,{V1},一般贫困户,因学,2016,周大,{full_width(head)},户主\n"
             f"W1,,,,,吴二,{fifteen(wife)},配偶\n").encode()
    started = client.post("/registry/import", data={"csrf_token": csrf, "mode": "all-or-nothing"},
                          files={"file": ("w.csv", sheet, "text/csv")})
    job_id = re.search(r'data-job-url="/jobs/([0-9a-f]{32})"', started.text).group(1)
    for _ in range(400):
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.05)
    assert job["status"] == "done" and job["result"]["committed"], job
    assert [(n["line"], n["column"]) for n in job["result"]["notices"]] == [(3, "身份证号")]
    panel = client.get(f"/jobs/{job_id}?panel=registry/_import_job.html").text
    assert "导入时已处理" in panel and "15位身份证号已升级为18位" in panel and wife in panel
