"""Unit of work: one transaction per use case, with its audit rows written inside it."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from sqlalchemy.orm import Session

from fupin.core.audit import Actor, AuditAction, AuditEntry, changed_fields, jsonable
from fupin.core.db import Database
from fupin.core.scoping import Scope


class UnitOfWork:
    """`with UnitOfWork(db, actor) as uow:` commits on success, rolls back on any exception."""

    def __init__(self, db: Database, actor: Actor) -> None:
        self.db = db
        self.actor = actor
        self.scope = Scope(actor.scope_prefix)
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its `with` block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self.db.session_factory()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session = self.session
        try:
            if exc_type is None:
                session.commit()
            else:
                session.rollback()
        finally:
            session.close()
            self._session = None

    def act_as(self, actor: Actor) -> None:
        """Once a login has proved who the caller is, the rest of the use case is recorded as that user."""
        self.actor = actor
        self.scope = Scope(actor.scope_prefix)

    def audit(
        self,
        action: AuditAction | str,
        entity: str,
        entity_id: Any = None,
        *,
        area_code: str | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        changes: dict[str, Any] = changed_fields(before, after) if (before or after) else {}
        if detail:
            changes["detail"] = jsonable(detail)
        self.session.add(
            AuditEntry(
                actor_id=self.actor.user_id,
                actor_name=self.actor.name,
                actor_role=self.actor.role,
                action=str(action),
                entity=entity,
                entity_id=None if entity_id is None else str(entity_id),
                area_code=area_code,
                changes=changes or None,
            )
        )
