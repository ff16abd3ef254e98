"""Database fixtures: every database test runs on SQLite and on PostgreSQL, isolated per test.

PostgreSQL comes from FUPIN_TEST_POSTGRES_URL (default: the local server's `test` database). When it is
unreachable the PostgreSQL half is skipped locally, and the whole run fails when CI=true.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("FUPIN_SECRET_KEY", "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("FUPIN_DATA_DIR", str(Path(__file__).parent.parent / ".fupin-test"))
os.environ.setdefault("FUPIN_FIGURE_CACHE_SECONDS", "0")  # tests read figures right after writing records
os.environ.setdefault("FUPIN_ESCALATION_EVERY_MINUTES", "0")  # tests move requests on their own clocks

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from fupin.core.db import Database, make_engine  # noqa: E402
from fupin.core.migrations import upgrade  # noqa: E402
from fupin.core.models_registry import metadata  # noqa: E402
from tests.served import served  # noqa: E402,F401  (fupin in a process of its own, for race tests)

TEST_KEY = os.environ["FUPIN_SECRET_KEY"]


def _record_test_key(engine) -> None:  # type: ignore[no-untyped-def]
    """Test databases belong to the test key (factories write hashes of their own; the key check reads this)."""
    from fupin.core.keys import PURPOSE, KeyFingerprint, fingerprint

    with engine.begin() as conn:
        conn.execute(KeyFingerprint.__table__.delete())
        conn.execute(KeyFingerprint.__table__.insert(), [{"purpose": PURPOSE, "fingerprint": fingerprint(TEST_KEY),
                                                          "set_at": dt.datetime.now(dt.UTC)}])


DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _pg_base_url() -> str:
    return os.environ.get("FUPIN_TEST_POSTGRES_URL", DEFAULT_PG_URL)


def _pg_reachable(url: str) -> str | None:
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as error:  # noqa: BLE001
        return f"{type(error).__name__}: {error}"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of its own for this pytest worker, migrated to head once."""
    base = _pg_base_url()
    problem = _pg_reachable(base)
    if problem is not None:
        message = f"PostgreSQL unreachable at {base}: {problem}"
        if IN_CI:
            pytest.fail(message + " (CI=true: PostgreSQL tests must run, not skip)", pytrace=False)
        pytest.skip(message)
    url = make_url(base)
    # One database per pytest process: parallel runs (xdist workers, several checkouts) never collide.
    name = f"{url.database}_fupin_{_worker()}_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    test_url = url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(test_url)
    upgrade(engine)
    _record_test_key(engine)
    _SEEDED.clear()
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = [dict(r._mapping) for r in conn.execute(table.select())]
            if rows:
                _SEEDED[table.name] = rows
    engine.dispose()
    yield test_url
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    _record_test_key(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


_TABLES = [t.name for t in reversed(metadata.sorted_tables)]
# Reference rows that migrations seed (e.g. the national poverty lines), restored after each TRUNCATE.
_SEEDED: dict[str, list[dict]] = {}


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "fupin.db"
        shutil.copy(template, path)
        database = Database(f"sqlite:///{path}")
    else:
        url: str = request.getfixturevalue("postgres_url")
        database = Database(url)
        with database.engine.begin() as conn:
            # The audit log refuses TRUNCATE (a statement trigger); tests reset it as the superuser, with triggers off.
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in _TABLES) + " RESTART IDENTITY CASCADE"))
            for table in metadata.sorted_tables:
                if table.name in _SEEDED:
                    conn.execute(table.insert(), _SEEDED[table.name])
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    path = tmp_path / "fupin.db"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()
