"""Append-only audit log: every write made through a service leaves a row in the same transaction.

No code path updates or deletes audit rows; the migration adds database triggers that refuse it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.columns import ActorName, AreaCode, BigPk, Stamp
from fupin.core.db import Base, utcnow
from fupin.core.identity import Actor

__all__ = ["Actor", "AuditAction", "AuditEntry", "AuditWords", "changed_fields", "jsonable", "titles_of"]

REDACTED = "***"
# Fields whose values never reach the audit log in clear.
SENSITIVE_FIELDS = frozenset({"password", "password_hash", "id_number", "token", "token_hash", "phone", "bank_account",
                              "birth_date", "disability_certificate", "csrf_token"})


class AuditAction(enum.StrEnum):
    create = "create"
    update = "update"
    delete = "delete"
    login = "login"
    login_failed = "login_failed"
    logout = "logout"
    token_issued = "token_issued"
    imported = "import"
    command = "command"
    exported = "export"  # personal data left the system (who, what, how many rows)
    viewed = "view"  # personal data shown in full in bulk
    denied = "denied"


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[BigPk]
    at: Mapped[Stamp]
    actor_id: Mapped[int | None]
    actor_name: Mapped[ActorName]
    actor_role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    area_code: Mapped[AreaCode | None]
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_audit_log_entity", "entity", "entity_id"),
        Index("ix_audit_log_area_at", "area_code", "at"),
        Index("ix_audit_log_at", "at"),
    )


@dataclasses.dataclass(frozen=True)
class AuditWords:
    """How a capability's audit entries read on the audit page (a plugin's `audit_words`): the names of the entities
    it writes, the labels of its change fields, and the words of its coded values per entity and field
    (`values["service_wishes"]["status"]["claimed"] == "已认领"`). Issue 17 item 12: words, never codes."""

    entities: dict[str, str]
    fields: dict[str, str] = dataclasses.field(default_factory=dict)
    values: dict[str, dict[str, dict[str, str]]] = dataclasses.field(default_factory=dict)

    @property
    def key(self) -> str:  # how docs name a contribution
        return ", ".join(sorted(self.entities))


def titles_of(*schemas: Any) -> dict[str, str]:
    """Field name → its Chinese title (up to a bracket) from Pydantic schemas: the labels of a capability's forms
    are the labels of its audit changes."""
    titles: dict[str, str] = {}
    for schema in schemas:
        for name, info in schema.model_fields.items():
            if info.title and name not in titles:
                titles[name] = info.title.split("(")[0].split("(")[0].strip() or info.title
    return titles


def jsonable(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def _redact(field: str, value: Any) -> Any:
    return REDACTED if field in SENSITIVE_FIELDS and value is not None else jsonable(value)


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    """{field: {"before": old, "after": new}} for the fields that differ, sensitive values redacted."""
    before = before or {}
    after = after or {}
    changes: dict[str, Any] = {}
    for field in sorted(set(before) | set(after)):
        old, new = before.get(field), after.get(field)
        if old != new:
            changes[field] = {"before": _redact(field, old), "after": _redact(field, new)}
    return changes


class ViewLog:
    """Full views of personal data (a household's page with ID numbers in clear, a person's record), written to
    the audit log in small batches by a thread of their own: a page view stays a read (no write lock on SQLite,
    no waiting on PostgreSQL), and the audit row still records who saw what, where and how many people."""

    def __init__(self, flush_seconds: float = 1.0, batch: int = 200) -> None:
        import queue
        import threading

        self._queue: queue.Queue[tuple[Any, dict[str, Any]]] = queue.Queue(maxsize=100_000)
        self._flush_seconds = flush_seconds
        self._batch = batch
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def record(self, db: Any, actor: Actor, entity: str, entity_id: Any, *, area_code: str | None,
               rows: int, fields: tuple[str, ...] = ("id_number",)) -> None:
        import queue

        row = {"actor_id": actor.user_id, "actor_name": actor.name, "actor_role": actor.role,
               "action": AuditAction.viewed.value, "entity": entity,
               "entity_id": None if entity_id is None else str(entity_id), "area_code": area_code,
               "changes": {"detail": {"rows": rows, "fields": list(fields)}}, "at": utcnow()}
        try:
            self._queue.put_nowait((db, row))
        except queue.Full:  # pragma: no cover - 100,000 views waiting means the database is gone; say so
            import logging

            logging.getLogger("fupin.audit").error("view log full: a view of personal data was not recorded")
        self._start()

    def _start(self) -> None:
        import threading

        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="fupin-view-log", daemon=True)
                self._thread.start()

    def flush(self) -> None:
        """Write everything waiting now (tests, and at shutdown)."""
        import queue

        pending: dict[int, tuple[Any, list[dict[str, Any]]]] = {}
        while True:
            try:
                db, row = self._queue.get_nowait()
            except queue.Empty:
                break
            pending.setdefault(id(db), (db, []))[1].append(row)
        from fupin.core.db import begin_write

        for db, rows in pending.values():
            try:
                with db.session_factory() as session:
                    begin_write(session)
                    session.execute(AuditEntry.__table__.insert(), rows)
                    session.commit()
            except Exception:
                for row in rows:  # kept for the next round, never dropped
                    self._queue.put_nowait((db, row))
                raise

    def flush_quietly(self) -> None:
        """At shutdown: write what is waiting; a database already gone is logged, not raised."""
        import logging

        try:
            self.flush()
        except Exception:  # noqa: BLE001
            logging.getLogger("fupin.audit").error("view log: views not recorded at shutdown", exc_info=True)

    def _run(self) -> None:
        import logging
        import time

        while True:
            time.sleep(self._flush_seconds)
            try:
                self.flush()
            except Exception:  # noqa: BLE001 - the database may be away for a moment; try again next round
                logging.getLogger("fupin.audit").warning("view log: flush failed, will retry", exc_info=True)


VIEW_LOG = ViewLog()
