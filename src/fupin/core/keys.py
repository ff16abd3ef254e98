"""The look-up key and its fingerprint in the database.

ID numbers are found through a keyed hash (HMAC-SHA256). A database that holds such hashes is useless with
another key — searches find nobody, duplicates are let in, a re-import doubles the county — so the key's
fingerprint is kept in the database and every command and `fupin serve` refuse to start when the key does not
match it. A new key is made only for a database that holds no hashes yet. `fupin keys rotate` re-hashes every
number under a new key in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from sqlalchemy import String, inspect, select
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core import errors
from fupin.core.db import Base, Database, UTCDateTime, begin_write, utcnow
from fupin.core.settings import Settings

PURPOSE = "id_lookup"
FINGERPRINT_LABEL = b"fupin look-up key fingerprint v1"

KEY_MISMATCH = errors.define(
    "core.key_mismatch", errors.Conflict,
    "密钥与数据库不符:数据库登记的密钥指纹为 {expected},当前密钥为 {actual}。请使用与该数据库一同备份的密钥"
    "(FUPIN_SECRET_KEY 或 {path}),切勿生成新密钥。",
    "The key does not match the database (database {expected}, this key {actual}); use the key kept with this "
    "database's backups (FUPIN_SECRET_KEY or {path}); never make a new one.")
KEY_MISSING = errors.define(
    "core.key_missing", errors.Conflict,
    "找不到密钥:数据库中已有按密钥加密的身份证号索引,但 FUPIN_SECRET_KEY 未设置且 {path} 不存在。"
    "请恢复与该数据库一同备份的密钥后再启动。",
    "No key: the database holds keyed ID hashes but FUPIN_SECRET_KEY is unset and {path} does not exist; restore "
    "the key kept with this database's backups.")


class KeyFingerprint(Base):
    __tablename__ = "key_fingerprints"

    purpose: Mapped[str] = mapped_column(String(32), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


def fingerprint(key: str | bytes) -> str:
    raw = key.encode("utf-8") if isinstance(key, str) else key
    return hmac.digest(raw, FINGERPRINT_LABEL, "sha256").hex()[:16]


def stored_fingerprint(db: Database) -> str | None:
    with db.session_factory() as session:
        row = session.get(KeyFingerprint, PURPOSE)
        return None if row is None else row.fingerprint


def _hashed_samples(db: Database) -> list[tuple[str, str]]:
    from fupin.core.capability import provided

    with db.session_factory() as session:
        return list(provided("registry.hashed_samples")(session, 25))


def _samples_match(key: str, samples: list[tuple[str, str]]) -> bool:
    return all(hmac.compare_digest(hmac.digest(key.encode("utf-8"), number.upper().encode("ascii"), "sha256").hex(),
                                   digest) for number, digest in samples)


def _store(db: Database, value: str) -> None:
    with db.session_factory() as session:
        begin_write(session)
        row = session.get(KeyFingerprint, PURPOSE)
        if row is None:
            session.add(KeyFingerprint(purpose=PURPOSE, fingerprint=value, set_at=utcnow()))
        else:
            row.fingerprint, row.set_at = value, utcnow()
        session.commit()


@dataclass(frozen=True)
class KeyStatus:
    fingerprint: str
    created: bool  # a new key was made (a database with no hashes yet)
    adopted: bool  # the database had hashes but no fingerprint: the key was proved on them and recorded


def ensure_key(db: Database, settings: Settings) -> KeyStatus:
    """Prove the configured key belongs to this database, or raise KEY_MISMATCH / KEY_MISSING.

    Skipped (nothing to check) while the schema has not been created yet."""
    if not inspect(db.engine).has_table(KeyFingerprint.__tablename__):
        key = settings.configured_secret_key()
        return KeyStatus(fingerprint(key) if key else "", created=False, adopted=False)
    key = settings.configured_secret_key()
    stored = stored_fingerprint(db)
    path = str(settings.key_path)
    if key is None:
        if stored is not None or _hashed_samples(db):
            raise KEY_MISSING(path=path)
        key = settings.write_new_secret_key()
        _store(db, fingerprint(key))
        return KeyStatus(fingerprint(key), created=True, adopted=False)
    actual = fingerprint(key)
    if stored is not None:
        if not hmac.compare_digest(stored, actual):
            raise KEY_MISMATCH(expected=stored, actual=actual, path=path)
        return KeyStatus(actual, created=False, adopted=False)
    samples = _hashed_samples(db)
    if samples and not _samples_match(key, samples):
        raise KEY_MISMATCH(expected="(未登记,按已有索引核对不符)", actual=actual, path=path)
    _store(db, actual)
    return KeyStatus(actual, created=False, adopted=bool(samples))


def ensure_fingerprint_in(session, key: str) -> None:  # type: ignore[no-untyped-def]
    """Inside a unit of work (key rotation, restore): set the fingerprint to `key`'s."""
    row = session.get(KeyFingerprint, PURPOSE)
    if row is None:
        session.add(KeyFingerprint(purpose=PURPOSE, fingerprint=fingerprint(key), set_at=utcnow()))
    else:
        row.fingerprint, row.set_at = fingerprint(key), utcnow()


def fingerprint_of_session(session) -> str | None:  # type: ignore[no-untyped-def]
    return session.scalar(select(KeyFingerprint.fingerprint).where(KeyFingerprint.purpose == PURPOSE))
