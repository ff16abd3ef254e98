"""Append-only audit log: every write made through a service leaves a row in the same transaction.

No code path updates or deletes audit rows; the migration adds database triggers that refuse it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.db import Base, UTCDateTime, utcnow
from fupin.core.identity import Actor

__all__ = ["Actor", "AuditAction", "AuditEntry", "changed_fields", "jsonable"]

REDACTED = "***"
# Fields whose values never reach the audit log in clear.
SENSITIVE_FIELDS = frozenset({"password", "password_hash", "id_number", "token", "token_hash", "phone", "bank_account",
                              "birth_date", "disability_certificate", "csrf_token"})

BigId = BigInteger().with_variant(Integer, "sqlite")


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

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(120), nullable=False)
    actor_role: Mapped[str] = mapped_column(String(32), nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    entity: Mapped[str] = mapped_column(String(64), nullable=False)
    entity_id: Mapped[str | None] = mapped_column(String(64))
    area_code: Mapped[str | None] = mapped_column(String(15))
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_audit_log_entity", "entity", "entity_id"),
        Index("ix_audit_log_area_at", "area_code", "at"),
        Index("ix_audit_log_at", "at"),
    )


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
