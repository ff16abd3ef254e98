"""Every write route (API and pages) × every role, against the one permission table, on the demo county.

For each route the example in tests/route_examples/ gives one valid request. A role the table does not allow
gets 403 `core.forbidden_action` and nothing is written (the row count of every table, the audit log included,
is unchanged); a role it allows never gets `core.forbidden_action`; nobody gets a 5xx. A write route without an
example fails the test.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from fupin.accounts.demo import demo_password
from fupin.areas.service import load_package_map
from fupin.core.audit import Actor
from fupin.core.capability import load_capabilities
from fupin.core.db import Database
from fupin.core.demo import DemoContext, build_demo
from fupin.core.models_registry import metadata
from fupin.core.permissions import grant
from fupin.core.roles import Role
from fupin.core.uow import UnitOfWork
from fupin.web.app import create_app
from tests.route_examples import Demo, Example, all_examples

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
SCOPE_ANSWERS = {"core.out_of_scope", "core.not_your_entity", "core.not_your_shop"}


def write_routes() -> set[tuple[str, str]]:
    from fupin.web import jobs, pages

    found: set[tuple[str, str]] = set()

    def add(routes, prefix: str) -> None:  # type: ignore[no-untyped-def]
        for route in routes:
            for method in (getattr(route, "methods", None) or set()) & WRITE_METHODS:
                found.add((method, prefix + route.path))

    for capability in load_capabilities():
        if capability.api_router is not None:
            add(capability.api_router.routes, "/api/v1")
        if capability.pages_router is not None:
            add(capability.pages_router.routes, "")
    add(pages.router.routes, "")
    add(jobs.pages_router.routes, "")
    add(jobs.api_router.routes, "/api/v1")
    return found


def test_every_write_route_has_an_example():
    examples = all_examples()
    missing = sorted(write_routes() - set(examples))
    assert missing == [], "add an Example to tests/route_examples/<capability>.py for each"
    stale = sorted(set(examples) - write_routes())
    assert stale == [], "examples for routes that no longer exist"


def _build(database: Database) -> None:
    from fupin.accounts.service import create_user

    with UnitOfWork(database, Actor.system("route-test")) as uow:
        load_package_map(uow)
    ctx = build_demo(DemoContext(db=database, seed=5, households=60))
    usernames = {login.username for login in ctx.logins}
    with UnitOfWork(database, Actor.system("route-test")) as uow:
        # Clerks exist once their entity or shop does; until then the test gives them units of their own.
        if "demo_entity_clerk" not in usernames:
            create_user(uow, username="demo_entity_clerk", password=demo_password("entity_clerk"),
                        role="entity_clerk", area_code=ctx.county_code, entity_id=1)
        if "demo_shop_clerk" not in usernames:
            create_user(uow, username="demo_shop_clerk", password=demo_password("shop_clerk"), role="shop_clerk",
                        area_code=ctx.facts["first_township_code"], shop_id=1)
        create_user(uow, username="demo_victim", password="Victim-Route-Test-77", role="village",
                    area_code=ctx.facts["village_codes"][0])
    database.engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_db(request, tmp_path_factory) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path_factory.mktemp("routes") / "routes.db"
        shutil.copy(template, path)
        database = Database(f"sqlite:///{path}")
        _build(database)
        yield database
        database.dispose()
        return
    url = make_url(request.getfixturevalue("postgres_url"))
    name = f"{url.database}_routes"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    database = Database(url.set(database=name).render_as_string(hide_password=False))
    from fupin.core.migrations import upgrade
    from tests.conftest import _record_test_key

    upgrade(database.engine)
    _record_test_key(database.engine)
    _build(database)
    yield database
    database.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _row_counts(database: Database) -> int:
    from fupin.core.audit import VIEW_LOG

    VIEW_LOG.flush()  # full views by the role before are written now, not in the middle of the next role's turn
    parts = [select(func.count()).select_from(t).scalar_subquery() for t in metadata.sorted_tables]
    with database.engine.connect() as conn:
        return sum(conn.execute(select(*parts)).one())


class RoleClient:
    def __init__(self, client: TestClient, username: str, password: str) -> None:
        self.client = client
        token = client.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert token.status_code == 200, (username, token.text)
        self.api_headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        page = client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        answer = client.post("/login", data={"username": username, "password": password, "csrf_token": csrf,
                                             "next": "/"}, follow_redirects=False)
        assert answer.status_code == 303, (username, answer.text[:300])
        self.cookies = {"fupin_session": answer.cookies["fupin_session"]}
        client.cookies.clear()
        home = client.get("/account", cookies=self.cookies)
        self.csrf = re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)

    def send(self, method: str, call) -> tuple[int, str | None, str]:  # type: ignore[no-untyped-def]
        if call.url.startswith("/api/"):
            answer = self.client.request(method, call.url, json=call.json, headers=self.api_headers,
                                         files=call.files)
            code = answer.json().get("error") if answer.headers.get("content-type", "").startswith(
                "application/json") and isinstance(answer.json(), dict) else None
        else:
            data = dict(call.data or {}) | {"csrf_token": self.csrf}
            answer = self.client.request(method, call.url, data=data, files=call.files, cookies=self.cookies,
                                         follow_redirects=False)
            found = re.search(r'data-error-code="([^"]+)"', answer.text)
            code = found.group(1) if found else None
        return answer.status_code, code, answer.text[:300]


def test_every_write_route_by_every_role_follows_the_permission_table(demo_db):
    examples = all_examples()
    routes = sorted((key for key in write_routes() if key in examples), key=lambda k: (examples[k].ends_session, k))
    problems: list[str] = []
    with TestClient(create_app(db=demo_db, run_jobs=False)) as client:
        with demo_db.session_factory() as session:
            from fupin.core.demo import DEMO_COUNTY_CODE

            village_code = session.scalar(text("SELECT area_code FROM users WHERE username = 'demo_village'"))
            township_code = session.scalar(text("SELECT area_code FROM users WHERE username = 'demo_township'"))
            site_code = session.scalar(text("SELECT area_code FROM users WHERE username = 'demo_grid'"))
            demo = Demo(session, DEMO_COUNTY_CODE, township_code, village_code, site_code)
            users = {role: RoleClient(client, "admin" if role == Role.admin else f"demo_{role.value}",
                                      demo_password(role.value)) for role in Role}
            for method, path in routes:
                example: Example = examples[(method, path)]
                call = example.build(demo)
                action = call.action or example.action
                for role, role_client in users.items():
                    allowed = action is None or grant(role.value, action) is not None
                    before = None if allowed else _row_counts(demo_db)
                    status, code, text_ = role_client.send(method, call)
                    where = f"{method} {path} as {role.value}"
                    if status >= 500:
                        problems.append(f"{where}: {status} {text_}")
                    elif not allowed:
                        if (status, code) != (403, "core.forbidden_action"):
                            problems.append(f"{where}: expected 403 core.forbidden_action, got {status} {code}")
                        elif _row_counts(demo_db) != before:
                            problems.append(f"{where}: denied, yet rows were written")
                    elif code == "core.forbidden_action":
                        problems.append(f"{where}: the table allows {action}, the route refused it")
    assert problems == [], "\n".join(problems)
