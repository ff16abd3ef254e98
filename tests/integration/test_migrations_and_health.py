from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fastapi.testclient import TestClient

from fupin.core.db import Database
from fupin.core.migrations import downgrade, migration_status, upgrade
from fupin.core.models_registry import metadata
from fupin.web.app import create_app


def test_migrations_match_the_models(db):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
    assert migration_status(db.engine).current


def test_readyz_reports_pending_migrations_and_healthz_the_process(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    with TestClient(create_app(db=database)) as client:
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
        assert response.status_code == 503 and response.json()["status"] == "migrations_pending"
        upgrade(database.engine)
        assert client.get("/readyz").json()["status"] == "ready"
        downgrade(database.engine, "base")
        assert client.get("/readyz").status_code == 503


def test_sqlite_runs_with_wal_and_foreign_keys(sqlite_db):
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
