"""Monitoring through the JSON API and the pages: scope, the procedure buttons, the proposal list, PII."""

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from fupin.monitoring.models import MonitoredHousehold
from fupin.registry.models import Household
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_monitoring import exited_household, healthy_pair, income


def _headers(client, username):
    token = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def test_api_start_steps_measure_clear_and_scope(db):
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    add_user(db, "malong", "county", "530321000000")
    add_user(db, "village_a", "village", "530326100200")
    add_user(db, "township_a", "township", "530326100000")
    household = exited_household(db, members=healthy_pair())
    income(db, household, 2023, 5000)
    today = dt.date.today()
    clue = today - dt.timedelta(days=10)
    with TestClient(create_app(db=db)) as client:
        headers = _headers(client, "county_a")
        proposals = client.get("/api/v1/monitoring/warnings", headers=headers).json()
        assert [p["household_id"] for p in proposals] == [household]
        assert "low_income" in proposals[0]["reasons"]
        bad = client.post("/api/v1/monitoring/households", headers=headers,
                          json={"household_id": household, "monitor_type": "unstable", "risk_types": ["因懒"],
                                "channel": "cadre_check", "clue_on": clue.isoformat()})
        assert bad.status_code == 422 and bad.json()["error"] == "monitoring.unknown_risk"
        assert bad.json()["field"] == "risk_types"
        created = client.post("/api/v1/monitoring/households", headers=headers,
                              json={"household_id": household, "monitor_type": "unstable", "risk_types": ["因病"],
                                    "channel": "cadre_check", "clue_on": clue.isoformat()})
        assert created.status_code == 201, created.text
        record = created.json()
        assert client.get("/api/v1/monitoring/warnings", headers=headers).json() == []
        village, township = _headers(client, "village_a"), _headers(client, "township_a")
        for step, days, who in (("verification", 9, village), ("democratic_appraisal", 8, village),
                                ("publicity", 7, village), ("approval", 1, township)):
            response = client.post(f"/api/v1/monitoring/households/{record['id']}/steps", headers=who,
                                   json={"step": step, "happened_on": (today - dt.timedelta(days=days)).isoformat()})
            assert response.status_code == 201, response.text
        assert client.get(f"/api/v1/monitoring/households/{record['id']}", headers=headers).json()["status"] \
            == "monitored"
        measure = client.post(f"/api/v1/monitoring/households/{record['id']}/measures", headers=headers,
                              json={"measure_type": "health", "delivered_on": today.isoformat(), "amount": "500.00"})
        assert measure.status_code == 201, measure.text
        assert client.post(f"/api/v1/monitoring/households/{record['id']}/clear", headers=headers,
                           json={"cleared_on": today.isoformat()}).json()["error"] == "core.forbidden_action"
        refused = client.post(f"/api/v1/monitoring/households/{record['id']}/clear", headers=township,
                              json={"cleared_on": today.isoformat()})
        assert refused.status_code == 422 and refused.json()["error"] == "monitoring.not_clearable"
        assert "监测帮扶不满6个月" in refused.json()["message"]
        other = _headers(client, "malong")
        assert client.get(f"/api/v1/monitoring/households/{record['id']}", headers=other).status_code == 404
        assert client.get("/api/v1/monitoring/households", headers=other).json() == []
        assert len(client.get("/api/v1/monitoring/households?monitor_type=unstable", headers=headers).json()) == 1
        assert client.get("/api/v1/monitoring/households?monitor_type=sudden", headers=headers).json() == []
        national = client.put("/api/v1/monitoring/thresholds/2025", headers=headers, json={"amount": "7000"})
        assert national.status_code == 403 and national.json()["error"] == "monitoring.threshold_scope"


def test_pages_start_procedure_and_show_masked_phone(db):
    add_areas(db)
    add_user(db, "village_a", "village", "530326100200")
    household = exited_household(db, members=healthy_pair())
    with db.engine.begin() as conn:
        conn.execute(update(Household).where(Household.id == household).values(phone="13912345678"))
    income(db, household, 2023, 5000)
    today = dt.date.today()
    with TestClient(create_app(db=db)) as client:
        page = client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        client.post("/login", data={"username": "village_a", "password": PASSWORD, "csrf_token": csrf, "next": "/"})
        warnings = client.get("/monitoring/warnings")
        assert warnings.status_code == 200 and "低于监测预警线" in warnings.text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/monitoring").text).group(1)
        response = client.post("/monitoring", data={"csrf_token": csrf, "household_id": str(household),
                                                    "monitor_type": "marginal", "risk_types": ["illness", "housing"],
                                                    "channel": "self_report",
                                                    "clue_on": (today - dt.timedelta(days=20)).isoformat()},
                               follow_redirects=False)
        location = response.headers["location"]
        assert location.startswith("/monitoring/"), location
        page = client.get(location)
        assert "入户核实" in page.text and "已超期" in page.text
        assert "13912345678" in page.text, "a village cadre with the PII right sees the phone"
        bad = client.post(location.split("?")[0] + "/steps", data={"csrf_token": csrf,
                                                                   "step": "democratic_appraisal",
                                                                   "happened_on": today.isoformat(),
                                                                   "note": "村民代表会议"},
                          follow_redirects=False)
        assert bad.status_code == 422 and "应先完成“入户核实”" in bad.text
        assert 'value="村民代表会议"' in bad.text, "what was typed is kept"
        township_step = client.post(location.split("?")[0] + "/steps", data={
            "csrf_token": csrf, "step": "approval", "happened_on": today.isoformat()}, follow_redirects=False)
        assert township_step.status_code == 403, "the township approves, not the village"
        client.post(location.split("?")[0] + "/steps", data={"csrf_token": csrf, "step": "verification",
                                                             "happened_on": today.isoformat()})
        for step in ("democratic_appraisal", "publicity"):
            client.post(location.split("?")[0] + "/steps", data={"csrf_token": csrf, "step": step,
                                                                 "happened_on": today.isoformat()})
        publicity = client.get("/monitoring/publicity")
        assert healthy_pair()[0].name in publicity.text and "边缘易致贫户" in publicity.text
        assert "13912345678" not in publicity.text and "139****" not in publicity.text
        assert healthy_pair()[0].id_number[:10] not in publicity.text
        listing = client.get("/monitoring?type=marginal&risk=housing")
        assert "边缘易致贫户" in listing.text and healthy_pair()[0].name in listing.text
        assert healthy_pair()[0].name not in client.get("/monitoring?type=sudden").text
    with db.session_factory() as session:
        record = session.scalar(select(MonitoredHousehold))
        assert (record.status, record.risk_types, record.channel) == ("identifying", "illness,housing", "self_report")


def test_the_household_page_masks_the_phone_for_the_auditor_and_a_bad_form_keeps_what_was_typed(db):
    add_areas(db)
    add_user(db, "audit_a", "auditor", "530326100200")
    add_user(db, "village_a", "village", "530326100200")
    household = exited_household(db, members=healthy_pair())
    with db.engine.begin() as conn:
        conn.execute(update(Household).where(Household.id == household).values(phone="13912345678"))
    clue = dt.date.today() - dt.timedelta(days=3)
    with TestClient(create_app(db=db)) as client:
        page = client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        client.post("/login", data={"username": "village_a", "password": PASSWORD, "csrf_token": csrf, "next": "/"})
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/monitoring").text).group(1)
        refused = client.post("/monitoring", data={"csrf_token": csrf, "household_id": str(household),
                                                   "monitor_type": "marginal", "risk_types": "illness",
                                                   "channel": "self_report", "clue_on": "2024-13-40",
                                                   "note": "邻居反映"})
        assert refused.status_code == 422
        assert 'data-field="clue_on"' in refused.text and "发现线索日期" in refused.text
        assert 'value="邻居反映"' in refused.text and f'value="{household}"' in refused.text
        created = client.post("/monitoring", data={"csrf_token": csrf, "household_id": str(household),
                                                   "monitor_type": "marginal", "risk_types": "illness",
                                                   "channel": "self_report", "clue_on": clue.isoformat()},
                              follow_redirects=False)
        path = created.headers["location"].split("?")[0]
        bad_amount = client.post(path + "/measures", data={"csrf_token": csrf, "measure_type": "health",
                                                           "delivered_on": clue.isoformat(), "amount": "abc",
                                                           "description": "医疗救助"})
        assert bad_amount.status_code == 422 and 'data-field="amount"' in bad_amount.text
        assert 'value="医疗救助"' in bad_amount.text
    with TestClient(create_app(db=db)) as client:
        page = client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        client.post("/login", data={"username": "audit_a", "password": PASSWORD, "csrf_token": csrf, "next": "/"})
        shown = client.get(path)
        assert shown.status_code == 200
        assert "13912345678" not in shown.text and "139****5678" in shown.text
        assert 'data-testid="step-form"' not in shown.text, "the auditor reads only"
