import io
import json

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from fupin.cli import app
from fupin.core.audit import Actor
from fupin.core.errors import Forbidden, NotFound
from fupin.core.importing import ImportMode
from fupin.core.uow import UnitOfWork
from fupin.indicators import service
from fupin.indicators.models import RuralPopulation
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_indicators import YEAR, household, population

runner = CliRunner()
V1, V2, V3 = "530326100200", "530326100201", "530326101200"


def _fixture(db):
    add_areas(db)
    household(db, V1, members=3)
    household(db, V2, members=2, status="exited", exit_year=YEAR)
    household(db, V3, members=1)
    household(db, "530321100200", members=4)
    population(db, V1, 60)
    population(db, V2, 40)


def finished_job(client, db, status_url, headers) -> dict:
    """Run what is queued here (the app's own worker thread may take it first) and read the job until it is
    finished."""
    import time

    from fupin.core import jobs

    deadline = time.monotonic() + 60
    while True:
        jobs.run_pending(db)
        job = client.get(status_url, headers=headers).json()
        if job["status"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


def _headers(client, username):
    token = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def test_api_figures_drill_down_and_scope(db):
    _fixture(db)
    add_user(db, "county_a", "county", "530326000000")
    add_user(db, "village_b", "village", V2)
    with TestClient(create_app(db=db)) as client:
        headers = _headers(client, "county_a")
        answer = client.get(f"/api/v1/indicators?area=530326&year={YEAR}&level=village", headers=headers)
        assert answer.status_code == 200
        rows = {r["code"]: r["values"] for r in answer.json()["rows"]}
        assert rows["530326000000"]["registered_people"]["value"] == 6
        assert rows["530326000000"]["poverty_incidence"]["value"] == "4.00", "(3+1) ÷ (60+40)"
        assert rows[V2]["exited_people_year"]["value"] == 2
        assert rows["530326000000"]["cooperatives"]["value"] == 0  # industry is built: a live zero
        listed = client.get(f"/api/v1/indicators/records?indicator=remaining_poor_households&area=530326&year={YEAR}",
                            headers=headers).json()
        assert sorted(r["area_code"] for r in listed) == [V1, V3]
        village = _headers(client, "village_b")
        default = client.get(f"/api/v1/indicators?year={YEAR}", headers=village).json()
        assert [r["code"] for r in default["rows"]] == [V2]
        assert client.get(f"/api/v1/indicators?area=530326&year={YEAR}", headers=village).status_code == 404
        assert client.get(f"/api/v1/indicators/records?indicator=registered_households&area={V1}&year={YEAR}",
                          headers=village).status_code == 404
        assert client.get(f"/api/v1/indicators?area=530326&year={YEAR}").status_code == 401
        bad = client.get(f"/api/v1/indicators?area=530326&year={YEAR}&indicator=nope", headers=headers)
        assert bad.status_code == 422 and bad.json()["error"] == "indicators.unknown_indicator"
        accepted = client.post("/api/v1/indicators/reports", headers=headers,
                               json={"area": "530326", "year": YEAR, "format": "docx"})
        assert accepted.status_code == 202, accepted.text
        job = finished_job(client, db, accepted.json()["status_url"], headers)
        assert job["status"] == "done" and job["percent"] == 100, job
        (result,) = job["files"]
        report = client.get(result["url"], headers=headers)
        assert report.status_code == 200
        text = "\n".join(p.text for p in Document(io.BytesIO(report.content)).paragraphs)
        assert "会泽县2019年脱贫攻坚工作总结" in text and "共有建档立卡贫困户3户1、" in text and "[registered_households]" not in text
        assert len(client.get("/api/v1/indicators/catalogue", headers=headers).json()) >= 40


def test_cli_json_xlsx_report_and_population_import(db, tmp_path):
    _fixture(db)
    url = db.url
    shown = runner.invoke(app, ["indicators", "--area", "530326", "--year", str(YEAR), "--format", "json",
                                "--indicator", "registered_households", "--level", "township", "--db", url])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert [(r["code"], r["values"]["registered_households"]["value"]) for r in data["rows"]] == [
        ("530326000000", 3), ("530326100000", 2), ("530326101000", 1)]
    target = tmp_path / "t.xlsx"
    made = runner.invoke(app, ["indicators", "--area", "530326", "--year", str(YEAR), "--format", "xlsx",
                               "--out", str(target), "--db", url])
    assert made.exit_code == 0, made.output
    book = load_workbook(target)
    assert book.sheetnames == ["县、区", "乡、镇、街道", "村、社区"]
    villages = book["村、社区"]
    headers = [c.value for c in villages[2]]
    column = headers.index("建档立卡户数(户)")
    assert [r[column].value for r in villages.iter_rows(min_row=3)] == [1, 1, 1, 3], "3 villages and the total"
    assert villages.cell(villages.max_row, 1).value == "合计"
    md = tmp_path / "r.md"
    assert runner.invoke(app, ["report", "--area", "530326", "--year", str(YEAR), "--out", str(md),
                               "--db", url]).exit_code == 0
    assert "贫困发生率降至4.00%[^7]" in md.read_text(encoding="utf-8")
    assert "建档立卡贫困户3户[^1]" in md.read_text(encoding="utf-8")
    bad = runner.invoke(app, ["indicators", "--area", "530326", "--year", str(YEAR), "--format", "pdf", "--db", url])
    assert bad.exit_code == 1 and "--format" in bad.output
    csv_file = tmp_path / "pop.csv"
    csv_file.write_text("年度,区划代码,农村户籍人口\n2019,530326100200,70\n2019,530326101200,x\n", encoding="utf-8")
    refused = runner.invoke(app, ["indicators", "population", "--file", str(csv_file), "--db", url])
    assert refused.exit_code == 1 and "第3行" in refused.output
    with db.session_factory() as session:
        assert session.get(RuralPopulation, (YEAR, V1)).rural_population == 60, "all-or-nothing: nothing written"
    csv_file.write_text("2019,530326100200,70\n2019,530326101200,30\n", encoding="utf-8")
    assert runner.invoke(app, ["indicators", "population", "--file", str(csv_file), "--db", url]).exit_code == 0
    with db.session_factory() as session:
        assert session.get(RuralPopulation, (YEAR, V1)).rural_population == 70
        assert session.get(RuralPopulation, (YEAR, V3)).rural_population == 30


def test_population_service_refuses_bad_input_and_outside_scope(db):
    add_areas(db)
    with UnitOfWork(db, Actor.system("test")) as uow:
        report = service.import_population(uow, [(1, "2019", "530326100200", "-5"), (2, "20x", V2, "3"),
                                                 (3, "2019", "530326100200001", "3"), (4, "2019", V3, "9")],
                                           ImportMode.skip_invalid)
    assert report.committed and report.inserted == 1 and [e.line for e in report.errors] == [1, 2, 3]
    assert [e.reason for e in report.errors][0] == "人口数“-5”应为不小于0的整数"
    village = Actor(user_id=None, name="v", role="village", scope_prefix=V1)
    with pytest.raises(Forbidden) as refused:
        service.set_population(UnitOfWork(db, village), 2019, V1, 10)
    assert refused.value.code == "core.forbidden_action"
    township_county = Actor(user_id=None, name="c", role="county", scope_prefix="530326100")
    with pytest.raises(NotFound):
        service.set_population(UnitOfWork(db, township_county), 2019, V3, 10)
    service.set_population(UnitOfWork(db, township_county), 2019, V1, 10)
    with db.session_factory() as session:
        assert session.get(RuralPopulation, (YEAR, V1)).rural_population == 10
        assert session.get(RuralPopulation, (YEAR, V3)).rural_population == 9


def test_area_exit_through_the_api(db):
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    add_user(db, "auditor", "auditor", "530326000000")
    add_user(db, "province", "county", "530000000000")
    household(db, V1, members=1)
    population(db, V1, 100)
    with TestClient(create_app(db=db)) as client:
        headers = _headers(client, "county_a")
        for step in ("proposal", "checks", "publicity", "approval"):
            answer = client.post("/api/v1/indicators/area-exit/steps", headers=headers,
                                 json={"area": V1, "year": YEAR, "step": step, "happened_on": "2019-12-01"})
            assert answer.status_code == 201, answer.text
        assert answer.json()["status"] == "exited" and answer.json()["reasons"] == []
        county = client.get(f"/api/v1/indicators/area-exit?area=530326&year={YEAR}", headers=headers).json()
        assert not county["passed"] and "缺少抽样调查记录(错退率、漏评率、群众认可度)" in county["reasons"]
        survey = {"area": "530326", "year": YEAR, "sampled_exited": 10, "wrong_exits": 0, "sampled_households": 10,
                  "missed_registrations": 0, "approval_asked": 10, "approval_yes": 10, "surveyed_on": "2019-12-01",
                  "surveyor": "第三方评估组"}
        readonly = client.post("/api/v1/indicators/area-exit/surveys", headers=_headers(client, "auditor"),
                               json=survey)
        assert readonly.status_code == 403 and readonly.json()["error"] == "core.forbidden_action"
        own = client.post("/api/v1/indicators/area-exit/surveys", headers=headers, json=survey)
        assert own.status_code == 403 and own.json()["error"] == "indicators.county_exit_decided_above"
        province = _headers(client, "province")
        assert client.post("/api/v1/indicators/area-exit/surveys", headers=province, json=survey).status_code == 201
        again = client.post("/api/v1/indicators/area-exit/surveys", headers=province, json=survey)
        assert again.status_code == 409 and again.json()["error"] == "indicators.survey_exists"
        refused = client.post("/api/v1/indicators/area-exit/steps", headers=headers,
                              json={"area": V2, "year": YEAR, "step": "checks", "happened_on": "2019-12-01"})
        assert refused.status_code == 409 and refused.json()["error"] == "indicators.step_out_of_order"


def test_reports_hold_figures_never_id_numbers_or_phones(db):
    from sqlalchemy import select, update

    from fupin.core.scoping import Scope
    from fupin.indicators import reports
    from fupin.registry.models import Household, Person

    _fixture(db)
    with db.engine.begin() as conn:
        conn.execute(update(Household).values(phone="13912345678"))
    with db.session_factory() as session:
        numbers = session.scalars(select(Person.id_number)).all()
        names = session.scalars(select(Person.name)).all()
        texts = []
        for fmt in ("md", "docx", "xlsx"):
            _name, _media, content, _rows = reports.build(session, Scope.everything(), "530326000000", YEAR, fmt)
            if fmt == "md":
                texts.append(content.decode("utf-8"))
            elif fmt == "docx":
                texts.append("\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs))
            else:
                book = load_workbook(io.BytesIO(content))
                texts.append("\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row))
    assert numbers and all(texts)
    for text in texts:
        assert "13912345678" not in text and "139****" not in text
        for number in numbers:
            assert number not in text and number[:6] + "*" not in text
        for name in names:
            assert name not in text
