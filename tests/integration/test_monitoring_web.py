"""Monitoring through the JSON API and the pages: scope, the procedure buttons, the proposal list, PII."""

import datetime as dt
import re
from urllib.parse import unquote

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
        assert bad.status_code == 422 and "风险类型" in bad.json()["message"]
        created = client.post("/api/v1/monitoring/households", headers=headers,
                              json={"household_id": household, "monitor_type": "unstable", "risk_types": ["因病"],
                                    "channel": "cadre_check", "clue_on": clue.isoformat()})
        assert created.status_code == 201, created.text
        record = created.json()
        assert client.get("/api/v1/monitoring/warnings", headers=headers).json() == []
        for step, days in (("verification", 9), ("democratic_appraisal", 8), ("publicity", 7), ("approval", 1)):
            response = client.post(f"/api/v1/monitoring/households/{record['id']}/steps", headers=headers,
                                   json={"step": step, "happened_on": (today - dt.timedelta(days=days)).isoformat()})
            assert response.status_code == 201, response.text
        assert client.get(f"/api/v1/monitoring/households/{record['id']}", headers=headers).json()["status"] \
            == "monitored"
        measure = client.post(f"/api/v1/monitoring/households/{record['id']}/measures", headers=headers,
                              json={"measure_type": "health", "delivered_on": today.isoformat(), "amount": "500.00"})
        assert measure.status_code == 201, measure.text
        refused = client.post(f"/api/v1/monitoring/households/{record['id']}/clear", headers=headers,
                              json={"cleared_on": today.isoformat()})
        assert refused.status_code == 422 and "监测帮扶不满6个月" in refused.json()["message"]
        other = _headers(client, "malong")
        assert client.get(f"/api/v1/monitoring/households/{record['id']}", headers=other).status_code == 404
        assert client.get("/api/v1/monitoring/households", headers=other).json() == []
        assert len(client.get("/api/v1/monitoring/households?type=unstable", headers=headers).json()) == 1
        assert client.put("/api/v1/monitoring/thresholds/2025", headers=headers,
                          json={"amount": "7000"}).status_code == 422  # only an administrator sets the threshold


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
        assert location.startswith("/monitoring/"), unquote(location)
        page = client.get(location)
        assert "入户核实" in page.text and "已超期" in page.text
        assert "13912345678" in page.text, "a village cadre with the PII right sees the phone"
        bad = client.post(location.split("?")[0] + "/steps", data={"csrf_token": csrf, "step": "approval",
                                                                   "happened_on": today.isoformat()},
                          follow_redirects=False)
        assert "应先完成" in unquote(bad.headers["location"])
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
