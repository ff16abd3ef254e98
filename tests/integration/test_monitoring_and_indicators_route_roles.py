"""Every write route of monitoring and indicators × every demo role, against the permission table (the examples in
tests/route_examples/monitoring.py and indicators.py): a role the table does not allow gets 403
`core.forbidden_action` and nothing is written; a role it allows never gets `core.forbidden_action`; nobody gets a
5xx. (The lead's route × role test walks every capability; this one keeps these two packages honest on their own.)
"""

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fupin.accounts.demo import demo_password
from fupin.areas.service import load_package_map
from fupin.core.audit import Actor, AuditEntry
from fupin.core.demo import DemoContext, build_demo
from fupin.core.jobs import Job
from fupin.core.permissions import grant
from fupin.core.roles import Role
from fupin.core.uow import UnitOfWork
from fupin.indicators.models import AreaExit, AreaExitStep, AreaExitSurvey
from fupin.monitoring.models import MonitoredHousehold, MonitoringStep, MonitoringThreshold
from fupin.web.app import create_app
from tests.route_examples import Demo
from tests.route_examples import indicators as indicator_examples
from tests.route_examples import monitoring as monitoring_examples

COUNTED = (AuditEntry, Job, MonitoredHousehold, MonitoringStep, MonitoringThreshold, AreaExit, AreaExitStep,
           AreaExitSurvey)
EXAMPLES = monitoring_examples.EXAMPLES + indicator_examples.EXAMPLES


def _written(db) -> tuple[int, ...]:
    with db.session_factory() as session:
        return tuple(session.scalar(select(func.count()).select_from(model)) for model in COUNTED)


def _login(client: TestClient, username: str, role: str) -> tuple[str, dict[str, str]]:
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": demo_password(role), "csrf_token": csrf,
                                "next": "/"})
    session_csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', client.get("/").text).group(1)
    token = client.post("/api/v1/auth/token", json={"username": username, "password": demo_password(role)}).json()
    return session_csrf, {"Authorization": f"Bearer {token['access_token']}"}


@pytest.fixture
def demo(db):
    with UnitOfWork(db, Actor.system("test")) as uow:
        load_package_map(uow)
    ctx = build_demo(DemoContext(db=db, seed=1, households=300))
    return ctx


def test_every_write_route_answers_each_role_as_the_permission_table_says(db, demo):
    village = demo.facts["village_codes"][0]
    checked = 0
    for role in Role:
        username = "admin" if role == Role.admin else f"demo_{role.value}"
        with TestClient(create_app(db=db, run_jobs=False)) as client:
            csrf, bearer = _login(client, username, role.value)
            for example in EXAMPLES:
                with db.session_factory() as session:
                    call = example.build(Demo(session, demo.county_code, demo.facts["first_township_code"],
                                              village, demo.facts["site_code"], demo.facts))
                action = call.action or example.action
                before = _written(db)
                if call.json is not None:
                    answer = client.request(example.method, call.url, json=call.json, headers=bearer)
                else:
                    answer = client.request(example.method, call.url, data={**call.data, "csrf_token": csrf},
                                            headers={"Accept": "application/json"}, follow_redirects=False)
                where = (role.value, example.method, example.path, answer.status_code, answer.text[:300])
                assert answer.status_code < 500, where
                code = answer.json().get("error") if answer.headers.get("content-type", "").startswith(
                    "application/json") and answer.status_code >= 400 else None
                if grant(role.value, action) is None:
                    assert (answer.status_code, code) == (403, "core.forbidden_action"), where
                    assert _written(db)[1:] == before[1:], where
                else:
                    assert code != "core.forbidden_action", where
                checked += 1
    assert checked == len(EXAMPLES) * len(Role)
