from pathlib import Path

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


class _Proxy:
    """A TCP forwarder to PostgreSQL that can be cut and restored, as a network outage would."""

    def __init__(self, target_port: int) -> None:
        import socket
        import threading

        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(50)
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.connections: list = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _pipe(self, source, target) -> None:  # type: ignore[no-untyped-def]
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.close()
                except OSError:
                    pass

    def _accept(self) -> None:
        import socket
        import threading

        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.connections += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    def cut(self) -> None:
        self.up = False
        for sock in self.connections:
            try:
                sock.close()
            except OSError:
                pass
        self.connections = []

    def restore(self) -> None:
        self.up = True


def test_readyz_goes_red_while_the_database_is_away_and_green_again_by_itself(db, tmp_path):
    from sqlalchemy.engine import make_url

    if db.dialect == "postgresql":
        url = make_url(db.url)
        proxy = _Proxy(url.port or 5432)
        through = Database(url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False),
                           pool_timeout=2)
        cut, restore = proxy.cut, proxy.restore
    else:
        path = make_url(db.url).database
        through = Database(db.url)
        away = tmp_path / "away"

        def cut() -> None:
            through.dispose()
            Path(path).rename(away)
            Path(path).mkdir()  # the database file is gone and nothing can be created in its place

        def restore() -> None:
            Path(path).rmdir()
            away.rename(path)

    with TestClient(create_app(db=through, run_jobs=False)) as client:
        assert client.get("/readyz").status_code == 200
        cut()
        answer = client.get("/readyz")
        assert answer.status_code == 503 and answer.headers.get("retry-after")
        login = client.post("/api/v1/auth/token", json={"username": "x", "password": "y" * 10})
        assert login.status_code == 503, "a request that needs the database answers 503 in words, never 500"
        restore()
        assert client.get("/readyz").status_code == 200, "back by itself, without a restart"
    through.dispose()
