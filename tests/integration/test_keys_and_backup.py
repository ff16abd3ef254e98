"""The look-up key belongs to its database; backups go back exactly as they were, only with their key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from fupin.core.db import Database
from fupin.core.keys import fingerprint, stored_fingerprint
from fupin.core.models_registry import metadata
from fupin.registry.idnumbers import id_hash
from fupin.registry.models import Person
from tests.conftest import TEST_KEY
from tests.factories import add_areas, add_user
from tests.factories_registry import add_household
from tests.served import free_port

ROOT = Path(__file__).resolve().parents[2]
OTHER_KEY = "another-key-0123456789-abcdefghijklmnopqrstuvwxyz-000"


def fupin(db: Database, *args: str, key: str | None = TEST_KEY, data_dir: Path | None = None,
          timeout: float = 120) -> subprocess.CompletedProcess:
    env = os.environ.copy()
    env.pop("FUPIN_SECRET_KEY", None)
    if key is not None:
        env["FUPIN_SECRET_KEY"] = key
    if data_dir is not None:
        env["FUPIN_DATA_DIR"] = str(data_dir)
    url = db.engine.url.render_as_string(hide_password=False)
    return subprocess.run([sys.executable, "-m", "fupin", *args, "--db", url], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def county(db):
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    for _ in range(3):
        add_household(db)
    db.engine.dispose()
    return db


def test_a_command_with_the_wrong_key_exits_with_a_clear_message(county, tmp_path):
    answer = fupin(county, "keys", "verify", key=OTHER_KEY)
    assert answer.returncode == 2 and "密钥与数据库不符" in answer.stderr, answer.stderr
    answer = fupin(county, "registry", "quality", "--area", "530326000000", key=OTHER_KEY)
    assert answer.returncode == 2 and "密钥与数据库不符" in answer.stderr
    assert fupin(county, "keys", "verify").returncode == 0


def test_serve_refuses_the_wrong_key(county):
    answer = fupin(county, "serve", "--port", str(free_port()), "--workers", "1", key=OTHER_KEY, timeout=60)
    assert answer.returncode != 0 and "密钥与数据库不符" in answer.stdout + answer.stderr


def test_a_missing_key_is_never_replaced_by_a_new_one(county, tmp_path):
    empty_dir = tmp_path / "keys"
    answer = fupin(county, "keys", "verify", key=None, data_dir=empty_dir)
    assert answer.returncode == 2 and "找不到密钥" in answer.stderr
    assert not (empty_dir / "secret_key").exists(), "no new key was made for a database that holds hashes"


def test_a_database_without_a_fingerprint_adopts_only_the_key_its_hashes_prove(county):
    with county.engine.begin() as conn:
        conn.execute(text("DELETE FROM key_fingerprints"))
    assert fupin(county, "keys", "verify", key=OTHER_KEY).returncode == 2, "the hashes disprove another key"
    assert stored_fingerprint(county) is None
    assert fupin(county, "keys", "verify").returncode == 0
    assert stored_fingerprint(county) == fingerprint(TEST_KEY)


def test_key_rotation_rehashes_every_number_in_one_go(county, tmp_path):
    new_key_file = tmp_path / "new_key"
    answer = fupin(county, "keys", "rotate", "--new-key-file", str(new_key_file))
    assert answer.returncode == 0, answer.stderr
    new_key = new_key_file.read_text().strip()
    assert stored_fingerprint(county) == fingerprint(new_key)
    with county.session_factory() as s:
        people = s.execute(select(Person.id_number, Person.id_hash)).all()
    assert people and all(h == id_hash(new_key.encode(), n) for n, h in people)
    assert fupin(county, "keys", "verify").returncode == 2, "the old key no longer belongs to the database"
    assert fupin(county, "keys", "verify", key=new_key).returncode == 0


def _snapshot(db: Database) -> dict[str, list[tuple]]:
    engine = create_engine(db.engine.url)
    tables: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            tables[table.name] = [tuple(r) for r in conn.execute(table.select().order_by(*order))]
        tables["alembic_version"] = sorted(conn.execute(text("SELECT version_num FROM alembic_version")).all())
    engine.dispose()
    return tables


@pytest.fixture
def empty_target(db, tmp_path):
    if db.dialect == "sqlite":
        target = Database(f"sqlite:///{tmp_path / 'restored.db'}")
        yield target
        target.dispose()
        return
    url = make_url(db.url)
    name = f"{url.database}_restore"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    target = Database(url.set(database=name).render_as_string(hide_password=False))
    yield target
    target.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_backup_then_restore_is_identical_table_by_table(county, empty_target, tmp_path):
    backup_file = tmp_path / "county.backup"
    answer = fupin(county, "backup", str(backup_file))
    assert answer.returncode == 0, answer.stderr
    assert fingerprint(TEST_KEY) in answer.stdout
    refused = fupin(empty_target, "restore", str(backup_file), key=OTHER_KEY)
    assert refused.returncode == 1 and "密钥与数据库不符" in refused.stderr, "a backup goes back only with its key"
    answer = fupin(empty_target, "restore", str(backup_file))
    assert answer.returncode == 0, answer.stderr
    before, after = _snapshot(county), _snapshot(empty_target)
    assert sum(len(rows) for rows in before.values()) > 50
    assert before == after
    again = fupin(empty_target, "restore", str(backup_file))
    assert again.returncode == 1 and "只能恢复到空数据库" in again.stderr
    assert fupin(county, "backup", str(backup_file)).returncode == 1, "an existing backup is never overwritten"
