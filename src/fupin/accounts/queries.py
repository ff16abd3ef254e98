"""Read side of the audit log, always within the caller's scope."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from fupin.accounts.models import User
from fupin.core.audit import AuditEntry
from fupin.core.scoping import Scope


def audit_entries(
    session: Session,
    scope: Scope,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[AuditEntry]:
    """Newest first, keyset-paginated by id; entries without an area are visible only nationwide."""
    stmt = select(AuditEntry).where(scope.condition(AuditEntry.area_code))
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    if entity_id:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    if date_from:
        stmt = stmt.where(AuditEntry.at >= dt.datetime.combine(date_from, dt.time.min, dt.UTC))
    if date_to:
        stmt = stmt.where(AuditEntry.at < dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, dt.UTC))
    if before_id:
        stmt = stmt.where(AuditEntry.id < before_id)
    return list(session.scalars(stmt.order_by(AuditEntry.id.desc()).limit(limit)))


def login_of(session: Session, username: str) -> tuple[int, str, str | None] | None:
    """(id, role, area_code) of an active login, for capabilities that bind a login to one of their records."""
    row = session.execute(select(User.id, User.role, User.area_code)
                          .where(User.username == username, User.is_active.is_(True))).first()
    return None if row is None else (int(row[0]), row[1], row[2])
