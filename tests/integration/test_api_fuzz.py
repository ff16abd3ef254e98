"""Schemathesis (the OpenAPI fuzzer) over every operation of the JSON API: no 5xx, ever.

Each operation gets a bounded number of generated requests (FUPIN_FUZZ_EXAMPLES, default 6) as the
administrator (whole country) and as a village user, on a small demo county in SQLite and in PostgreSQL; a 5xx
answer fails the test with the request that caused it. Operations that would end the fuzzing user's own access
(revoking its tokens, disabling or re-keying accounts) are left out; their inputs are covered by hand-written
tests.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from fupin.areas.service import load_package_map
from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.demo import DemoContext, build_demo
from fupin.core.uow import UnitOfWork
from fupin.web.app import create_app

EXAMPLES = int(os.environ.get("FUPIN_FUZZ_EXAMPLES", "6"))
LEFT_OUT = {
    ("POST", "/api/v1/auth/logout"), ("POST", "/api/v1/me/tokens/revoke-all"), ("DELETE", "/api/v1/me/tokens/{token_id}"),
    ("POST", "/api/v1/me/password"), ("POST", "/api/v1/users/{user_id}/disable"),
    ("POST", "/api/v1/users/{user_id}/reset-password"), ("PATCH", "/api/v1/users/{user_id}"),
}


class _Target:
    """The ASGI app the fuzzer talks to; the fixtures point it at the database under test."""

    def __init__(self) -> None:
        self.app = create_app(db=Database("sqlite://"), run_jobs=False)

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        await self.app(scope, receive, send)


TARGET = _Target()
# A generous timeout: on a loaded 2-core CI machine building the schema of ~300 routes can take over 10 s.
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", TARGET, timeout=180)


def _demo(database: Database) -> None:
    from fupin.core.migrations import upgrade

    upgrade(database.engine)
    with UnitOfWork(database, Actor.system("fuzz")) as uow:
        load_package_map(uow)
    build_demo(DemoContext(db=database, seed=3, households=60))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_db(request, tmp_path_factory) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
        shutil.copy(template, path)
        database = Database(f"sqlite:///{path}")
        _demo(database)
        yield database
        database.dispose()
        return
    url = make_url(request.getfixturevalue("postgres_url"))
    name = f"{url.database}_fuzz"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    database = Database(url.set(database=name).render_as_string(hide_password=False))
    from fupin.core.migrations import upgrade
    from tests.conftest import _record_test_key

    upgrade(database.engine)
    _record_test_key(database.engine)
    with UnitOfWork(database, Actor.system("fuzz")) as uow:
        load_package_map(uow)
    build_demo(DemoContext(db=database, seed=3, households=60))
    yield database
    database.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def fuzz_app(fuzz_db):  # type: ignore[no-untyped-def]
    TARGET.app = create_app(db=fuzz_db, run_jobs=False)
    return TARGET.app


@pytest.fixture(scope="module")
def tokens(fuzz_app) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    """Issued once before any fuzzing: generated log-ins soon lock the test client's address, as they should."""
    from fastapi.testclient import TestClient

    from fupin.accounts.demo import demo_password

    issued = {}
    with TestClient(fuzz_app) as client:
        for username, role in (("admin", "admin"), ("demo_village", "village")):
            answer = client.post("/api/v1/auth/token", json={"username": username, "password": demo_password(role)})
            assert answer.status_code == 200, answer.text
            issued[username] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    return issued


@pytest.fixture(params=["admin", "demo_village"])
def auth_headers(request, tokens):  # type: ignore[no-untyped-def]
    return tokens[request.param]


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_operation_answers_5xx(case, auth_headers):  # type: ignore[no-untyped-def]
    if (case.method.upper(), case.path) in LEFT_OUT:
        return
    response = case.call(headers=auth_headers)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} → {response.status_code}\n{response.text[:800]}\n"
        f"query={case.query} body={case.body!r}"[:2000])
