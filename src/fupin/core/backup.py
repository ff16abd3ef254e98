"""Backup and restore of a whole fupin database, tied to the look-up key by its fingerprint.

SQLite: the online backup API (a consistent copy while fupin serves). PostgreSQL: `pg_dump` in its custom format
and `pg_restore` in one transaction. A restore goes only into an empty database, and only with the key whose
fingerprint the backup holds — a backup without its key is a county's data that can no longer be searched or
de-duplicated (docs/operations.md: the key's custody).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from fupin.core import errors
from fupin.core.db import Database
from fupin.core.keys import KEY_MISMATCH, PURPOSE, fingerprint, stored_fingerprint
from fupin.core.settings import Settings

BACKUP_TARGET_NOT_EMPTY = errors.define(
    "core.restore_target_not_empty", errors.Conflict,
    "只能恢复到空数据库:目标数据库已有 {tables} 张表。请新建一个空库(或删除目标文件)后再恢复",
    "Restore only into an empty database: the target has {tables} tables")
BACKUP_NO_FINGERPRINT = errors.define(
    "core.backup_without_fingerprint", errors.Conflict,
    "备份中没有密钥指纹,无法确认密钥;请用 fupin 的 backup 命令重新备份",
    "The backup holds no key fingerprint; make it again with fupin backup")
BACKUP_TOOL_FAILED = errors.define("core.backup_tool_failed", errors.Conflict, "{tool} 失败:{detail}",
                                   "{tool} failed: {detail}")
BACKUP_EXISTS = errors.define("core.backup_exists", errors.Conflict, "文件已存在:{path}(不会覆盖)",
                              "The file exists: {path} (not overwritten)")
BACKUP_MISSING = errors.define("core.backup_missing", errors.NotFound, "找不到备份文件:{path}",
                               "No backup file at {path}")


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    fingerprint: str


def _sqlite_path(db: Database) -> Path:
    return Path(make_url(db.url).database or "")


def _pg_dsn(db: Database) -> str:
    return make_url(db.url).set(drivername="postgresql").render_as_string(hide_password=False)


def _check_key(db: Database, settings: Settings) -> str:
    key = settings.resolved_secret_key()
    stored = stored_fingerprint(db)
    actual = fingerprint(key)
    if stored is not None and stored != actual:
        raise KEY_MISMATCH(expected=stored, actual=actual, path=str(settings.key_path))
    return actual


def backup(db: Database, settings: Settings, out: Path) -> BackupResult:
    """A consistent copy of the whole database in `out` (never overwritten), made with the key that belongs to it."""
    actual = _check_key(db, settings)
    if out.exists():
        raise BACKUP_EXISTS(path=str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    if db.dialect == "sqlite":
        _sqlite_copy(_sqlite_path(db), out)
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={out}", _pg_dsn(db)],
             "pg_dump")
    os.chmod(out, 0o600)
    return BackupResult(out, out.stat().st_size, actual)


def backup_fingerprint(path: Path, dialect: str) -> str | None:
    """The key fingerprint recorded inside a backup file."""
    if dialect == "sqlite":
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT fingerprint FROM key_fingerprints WHERE purpose = ?",
                                     (PURPOSE,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        finally:
            connection.close()
        return row[0] if row else None
    listing = _run(["pg_restore", "--data-only", "--table=key_fingerprints", "--file=-", str(path)], "pg_restore")
    in_copy = False
    for line in listing.splitlines():
        if line.startswith("COPY ") and "key_fingerprints" in line:
            in_copy = True
            continue
        if in_copy:
            if line == "\\.":
                break
            purpose, value, *_rest = line.split("\t")
            if purpose == PURPOSE:
                return value
    return None


def _table_count(db: Database) -> int:
    return len([t for t in inspect(db.engine).get_table_names()])


def restore(db: Database, settings: Settings, source: Path) -> str:
    """Restore `source` into the empty database `db`; the configured key must be the backup's."""
    if not source.exists():
        raise BACKUP_MISSING(path=str(source))
    if (tables := _table_count(db)) > 0:
        raise BACKUP_TARGET_NOT_EMPTY(tables=tables)
    recorded = backup_fingerprint(source, db.dialect)
    if recorded is None:
        raise BACKUP_NO_FINGERPRINT()
    actual = fingerprint(settings.resolved_secret_key())
    if recorded != actual:
        raise KEY_MISMATCH(expected=recorded, actual=actual, path=str(settings.key_path))
    if db.dialect == "sqlite":
        target_path = _sqlite_path(db)
        db.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(str(target_path) + suffix).unlink(missing_ok=True)
        _sqlite_copy(f"file:{source}?mode=ro", target_path, uri=True)
    else:
        db.dispose()
        _run(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
              f"--dbname={_pg_dsn(db)}", str(source)], "pg_restore")
    return recorded


def _sqlite_copy(source: str | Path, target: str | Path, *, uri: bool = False) -> None:
    """Copy a whole SQLite database page by page (SQLite's online backup: consistent while others write)."""
    source_connection = sqlite3.connect(source, uri=uri)
    target_connection = sqlite3.connect(target)
    try:
        source_connection.backup(target_connection)
    finally:
        target_connection.close()
        source_connection.close()


def _run(command: list[str], tool: str) -> str:
    if shutil.which(command[0]) is None:
        raise BACKUP_TOOL_FAILED(tool=tool, detail="未安装(apt-get install postgresql-client)")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BACKUP_TOOL_FAILED(tool=tool, detail=(result.stderr or result.stdout).strip()[-500:])
    return result.stdout
