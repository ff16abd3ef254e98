"""Every write route of employment and relocation (API and pages) × every demo role, against the permission
table: a role the table refuses gets 403 `core.forbidden_action` and nothing is written; a role it allows never
gets that answer (404 outside its area, 409, 422 are fine) and never a 5xx. A write route without an example in
tests/route_examples/ fails the test.

(The lead's route × role test covers every capability the same way; this one keeps these two packages honest on
their own branch.)"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from fupin.accounts.demo import demo_password
from fupin.areas.service import load_package_map
from fupin.core.audit import Actor
from fupin.core.demo import DemoContext, build_demo
from fupin.core.permissions import grant
from fupin.core.roles import Role
from fupin.core.uow import UnitOfWork
from fupin.web.app import create_app
from tests.route_examples import Demo, employment, relocation

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PREFIXES = ("/api/v1/employment", "/api/v1/relocation", "/employment", "/relocation")
WATCHED = ("workers", "job_placements", "employment_stations", "job_openings", "training_courses",
           "training_attendances", "household_employment", "resettlement_sites", "site_buildings", "housing_units",
           "relocated_households", "lottery_draws", "site_grids", "relocation_checklists", "jobs")


def _username(role: Role) -> str:
    return "admin" if role == Role.admin else f"demo_{role.value}"


def _counts(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        counts = {t: conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one() for t in WATCHED}  # noqa: S608
        counts["audit_log (not denials)"] = conn.execute(
            text("SELECT COUNT(*) FROM audit_log WHERE action <> 'denied'")).scalar_one()
        counts["relocated_households moved in"] = conn.execute(
            text("SELECT COUNT(*) FROM relocated_households WHERE status = 'moved_in'")).scalar_one()
        counts["job_placements ended"] = conn.execute(
            text("SELECT COUNT(*) FROM job_placements WHERE ended_on IS NOT NULL")).scalar_one()
    return counts


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, sqlite_template):  # type: ignore[no-untyped-def]
    import shutil

    from fupin.core.db import Database

    path = tmp_path_factory.mktemp("routes") / "demo.db"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    with UnitOfWork(database, Actor.system("test")) as uow:
        load_package_map(uow)
    ctx = build_demo(DemoContext(db=database, seed=3, households=160))
    yield database, ctx
    database.dispose()


def _api_routes(routes, prefix: str = ""):  # type: ignore[no-untyped-def]
    """Every APIRoute with its full path (FastAPI ≥ 0.165 keeps included routers as nodes of their own)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        context = getattr(route, "include_context", None)
        if context is not None:
            yield from _api_routes(context.included_router.routes, prefix + context.prefix)


def _write_routes(app) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    found = set()
    for path, route in _api_routes(app.routes):
        if path.startswith(PREFIXES):
            found.update((method, path) for method in route.methods & WRITE_METHODS)
    return found


def test_every_write_route_has_an_example_and_answers_as_the_table_says(demo_db):
    database, ctx = demo_db
    examples = {(e.method, e.path): e for e in employment.EXAMPLES + relocation.EXAMPLES}
    app = create_app(db=database, run_jobs=False)
    assert _write_routes(app) - set(examples) == set(), "write routes without an example"
    assert set(examples) - _write_routes(app) == set(), "examples of routes that do not exist"
    with database.session_factory() as session:
        demo = Demo(session=session, county_code=ctx.county_code, township_code=ctx.facts["first_township_code"],
                    village_code=ctx.facts["village_codes"][0], site_code=ctx.facts["site_code"], facts=ctx.facts)
        calls = {key: example.build(demo) for key, example in examples.items()}
    clients: dict[Role, tuple[TestClient, dict[str, str], str]] = {}
    failures: list[str] = []
    with TestClient(app) as anonymous:
        anonymous.get("/healthz")
    for role in Role:
        client = TestClient(app)
        client.__enter__()
        token = client.post("/api/v1/auth/token", json={"username": _username(role),
                                                          "password": demo_password(role.value)})
        assert token.status_code == 200, (role, token.text)
        page = client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        client.post("/login", data={"username": _username(role), "password": demo_password(role.value),
                                    "csrf_token": csrf, "next": "/"})
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/employment/workers").text).group(1)
        clients[role] = (client, {"Authorization": f"Bearer {token.json()['access_token']}"}, csrf)
    try:
        for key, example in sorted(examples.items()):
            call = calls[key]
            action = call.action or example.action
            for role, (client, bearer, csrf) in clients.items():
                allowed = grant(role.value, action) is not None
                before = None if allowed else _counts(database)
                if call.data is not None:
                    answer = client.request(example.method, call.url, data={**call.data, "csrf_token": csrf},
                                            follow_redirects=False)
                else:
                    answer = client.request(example.method, call.url, json=call.json, headers=bearer)
                is_json = answer.headers.get("content-type", "").startswith("application/json")
                body = answer.json() if is_json else None
                code = body.get("error") if isinstance(body, dict) else None
                where = f"{example.method} {example.path} as {role.value}: {answer.status_code} {answer.text[:160]}"
                if answer.status_code >= 500:
                    failures.append("5xx " + where)
                elif allowed and (code == "core.forbidden_action" or
                                  (not is_json and answer.status_code == 403 and "不能进行此操作" in answer.text)):
                    failures.append("allowed but refused " + where)
                elif not allowed:
                    refused = (code == "core.forbidden_action" if is_json
                               else answer.status_code == 403 and "不能进行此操作" in answer.text)
                    if answer.status_code != 403 or not refused:
                        failures.append("denied but answered " + where)
                    elif _counts(database) != before:
                        failures.append("denied but wrote " + where)
    finally:
        for client, _bearer, _csrf in clients.values():
            client.__exit__(None, None, None)
    assert failures == []
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(text("jobs"))) >= 1, "the export examples queued jobs"
