"""Bad input through the monitoring and indicators API answers 4xx with a code, never a 5xx: ids beyond what the
databases store, years out of range, codes that are not area codes, numbers that are not finite."""

import pytest
from fastapi.testclient import TestClient

from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user

BIG = str(2**63)
CASES = [
    ("GET", f"/api/v1/monitoring/households/{BIG}", None),
    ("GET", f"/api/v1/monitoring/households/{BIG}/steps", None),
    ("POST", f"/api/v1/monitoring/households/{BIG}/steps", {"step": "verification", "happened_on": "2024-01-01"}),
    ("POST", f"/api/v1/monitoring/households/{BIG}/clear", {"cleared_on": "2024-01-01"}),
    ("POST", f"/api/v1/monitoring/households/{BIG}/measures", {"measure_type": "health", "delivered_on": "2024-01-01"}),
    ("POST", "/api/v1/monitoring/households", {"household_id": int(BIG), "monitor_type": "sudden",
                                               "risk_types": ["disaster"], "channel": "cadre_check",
                                               "clue_on": "2024-01-01"}),
    ("POST", "/api/v1/monitoring/households", {"household_id": 1, "monitor_type": "sudden", "risk_types": ["x" * 500],
                                               "channel": "cadre_check", "clue_on": "2024-99-01"}),
    ("POST", "/api/v1/monitoring/households/1/measures", {"measure_type": "health", "delivered_on": "2024-01-01",
                                                          "amount": "1e400"}),
    ("POST", "/api/v1/monitoring/households/1/measures", {"measure_type": "health", "delivered_on": "2024-01-01",
                                                          "amount": "NaN"}),
    ("GET", "/api/v1/monitoring/households?offset=99999999999999999999", None),
    ("GET", "/api/v1/monitoring/households?area=abc", None),
    ("GET", "/api/v1/monitoring/households?area=００００", None),
    ("GET", "/api/v1/monitoring/warnings?factor=NaN", None),
    ("GET", "/api/v1/monitoring/warnings?factor=Infinity", None),
    ("GET", "/api/v1/monitoring/warnings?area=53032610020000000", None),
    ("PUT", "/api/v1/monitoring/thresholds/99999999999", {"amount": "7000"}),
    ("PUT", "/api/v1/monitoring/thresholds/2025", {"amount": "1e400"}),
    ("PUT", "/api/v1/monitoring/thresholds/2025", {"amount": "7000", "province_code": "ab"}),
    ("GET", "/api/v1/indicators?year=99999999999", None),
    ("GET", "/api/v1/indicators?year=2019&area=abc", None),
    ("GET", "/api/v1/indicators?year=2019&area=000000000000", None),
    ("GET", "/api/v1/indicators?year=2019&area=530326100200001", None),
    ("GET", "/api/v1/indicators?year=2019&area=530326&level=group", None),
    ("GET", "/api/v1/indicators/records?indicator=nope&year=2019&area=530326", None),
    ("GET", "/api/v1/indicators/records?indicator=org_site_org&year=2019&area=530326", None),
    ("GET", "/api/v1/indicators/records?indicator=registered_households&year=2019&area=9x", None),
    ("GET", "/api/v1/indicators/area-exit?area=530326100000&year=2019", None),
    ("GET", "/api/v1/indicators/area-exit?area=xyz&year=2019", None),
    ("POST", "/api/v1/indicators/reports", {"area": "530326", "year": 1999, "format": "md"}),
    ("POST", "/api/v1/indicators/reports", {"area": "530326", "year": 2019, "format": "pdf"}),
    ("POST", "/api/v1/indicators/reports", {"area": "no", "year": 2019, "format": "md"}),
    ("POST", "/api/v1/indicators/area-exit/steps", {"area": "530326100200", "year": 2019, "step": "nope",
                                                    "happened_on": "2019-12-01"}),
    ("POST", "/api/v1/indicators/area-exit/steps", {"area": "x", "year": 2019, "step": "proposal",
                                                    "happened_on": "2019-12-01"}),
    ("POST", "/api/v1/indicators/area-exit/surveys", {"area": "530326", "year": 2019, "sampled_exited": 2**70,
                                                      "wrong_exits": 0, "sampled_households": 1,
                                                      "missed_registrations": 0, "approval_asked": 1,
                                                      "approval_yes": 1, "surveyed_on": "2019-12-01",
                                                      "surveyor": "x"}),
]


@pytest.mark.parametrize("as_admin", [True, False], ids=["admin", "village"])
def test_bad_input_answers_4xx_with_a_code(db, as_admin):
    add_areas(db)
    add_user(db, "admin_x", "admin", None)
    add_user(db, "village_x", "village", "530326100200")
    with TestClient(create_app(db=db, run_jobs=False)) as client:
        username = "admin_x" if as_admin else "village_x"
        token = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        for method, url, body in CASES:
            answer = client.request(method, url, json=body, headers=headers)
            assert 400 <= answer.status_code < 500, (username, method, url, answer.status_code, answer.text[:300])
            assert answer.json()["error"], (url, answer.text)
