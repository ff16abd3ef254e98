"""Unit of work: the use case owns its transaction, with the audit rows written inside it.

A use case (a public function of a capability's `service.py`) receives an unopened `UnitOfWork` and opens it:

    def record_income(uow: UnitOfWork, household_id: int, data: IncomeCreate) -> IncomePublic:
        with uow:
            uow.require("registry.income.record")
            ...

`with uow:` begins a writing transaction (BEGIN IMMEDIATE on SQLite, so concurrent writers take turns before
they read anything) and commits on success, rolls back on any exception. Opening a unit of work that is already
open joins its transaction: a use case that composes another simply calls it, and only the outermost `with`
commits. `with uow.reading():` is a read-only transaction (no write lock) for use cases that only read.

In a web request the unit of work runs on the request's one session (so a request never holds two pooled
connections); from the command line and in background jobs it opens a session of its own and closes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from fupin.core import errors
from fupin.core.audit import AuditAction, AuditEntry, changed_fields, jsonable
from fupin.core.db import Database, begin_write, take_turns
from fupin.core.identity import Actor
from fupin.core.permissions import Grant, permission
from fupin.core.personal_data import Viewer
from fupin.core.scoping import Scope, get_in_scope


class UnitOfWork:
    def __init__(self, db: Database, actor: Actor, *, session: Session | None = None) -> None:
        self.db = db
        self.actor = actor
        self.scope = Scope(actor.scope_prefix)
        self._external = session
        self._session: Session | None = None
        self._depth = 0

    # ---- the transaction

    @property
    def session(self) -> Session:
        if self._session is None:
            if self._external is not None:
                return self._external
            raise RuntimeError("UnitOfWork used outside its `with` block")
        return self._session

    @property
    def is_open(self) -> bool:
        return self._depth > 0

    def __enter__(self) -> UnitOfWork:
        if self._depth == 0:
            session = self._external if self._external is not None else self.db.session_factory()
            try:
                begin_write(session)
            except BaseException as error:
                if self._external is None:
                    session.close()
                raise translate_database_error(error) from error
            self._session = session
        self._depth += 1
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._depth -= 1
        if self._depth > 0:
            return  # a composed use case: the outermost `with` decides
        session = self.session
        try:
            if exc_type is None:
                try:
                    session.commit()
                except sa_exc.DBAPIError as error:
                    session.rollback()
                    raise translate_database_error(error) from error
            else:
                session.rollback()
                if isinstance(exc, sa_exc.DBAPIError):
                    raise translate_database_error(exc) from exc
        finally:
            if self._external is None:
                session.close()
            self._session = None

    @contextmanager
    def reading(self) -> Iterator[UnitOfWork]:
        """A read-only transaction (joins the open one if there is one)."""
        if self._depth > 0:
            yield self
            return
        session = self._external if self._external is not None else self.db.session_factory()
        self._session = session
        self._depth += 1
        try:
            yield self
        finally:
            self._depth -= 1
            self._session = None
            if self._external is None:
                session.close()
            elif session.in_transaction():
                session.rollback()

    def flush(self) -> None:
        """Flush now, so that a unique key refused by the database is a 409 at this point of the use case."""
        try:
            self.session.flush()
        except sa_exc.DBAPIError as error:
            raise translate_database_error(error) from error

    def act_as(self, actor: Actor) -> None:
        """Once a login has proved who the caller is, the rest of the use case is recorded as that user."""
        self.actor = actor
        self.scope = Scope(actor.scope_prefix)

    # ---- permissions

    def require(self, action: str, *, area_code: str | None = None, entity_id: int | None = None,
                shop_id: int | None = None) -> None:
        """The permission table allows this actor `action` (on this area / entity / shop), or Forbidden (403)
        before the use case has read or written anything."""
        rule = permission(action)
        granted = rule.grant_for(self.actor.role)
        if granted is None:
            raise errors.FORBIDDEN_ACTION(action=rule.zh)
        if area_code is not None and not self.scope.contains(area_code):
            raise errors.OUT_OF_SCOPE()
        if granted is Grant.own_entity and (entity_id is None or entity_id != self.actor.entity_id):
            raise errors.NOT_YOUR_ENTITY()
        if granted is Grant.own_shop and (shop_id is None or shop_id != self.actor.shop_id):
            raise errors.NOT_YOUR_SHOP()

    def may(self, action: str) -> bool:
        return permission(action).grant_for(self.actor.role) is not None

    @property
    def viewer(self) -> Viewer:
        return Viewer(self.actor.role, self.actor.pii_override)

    # ---- row locks: the check-then-write of a use case holds the rows it checked

    def locked_in_scope(self, model: Any, key: Any, not_found: Any, area: Any = None) -> Any:
        """The row with this key, re-read and held until the unit of work ends (what it says now, not what the
        session had), when it lies in the caller's area; else `not_found`."""
        if area is None:
            return get_in_scope(self.session, model, key, self.scope, not_found, lock=True)
        return get_in_scope(self.session, model, key, self.scope, not_found, area, lock=True)

    def serialised(self, name: str) -> None:
        """Writers of the same `name` take turns until this unit of work ends: on PostgreSQL a transaction-level
        advisory lock; on SQLite the writing transaction (BEGIN IMMEDIATE) already takes turns. For allocations
        that have no row to lock yet (the next number in a village)."""
        take_turns(self.session, name)

    def locked(self, statement: Any) -> Any:
        """`SELECT … FOR UPDATE` on PostgreSQL; on SQLite the writing transaction (BEGIN IMMEDIATE) already
        excludes every other writer, and SQLAlchemy renders no clause."""
        return statement.with_for_update()

    # ---- audit

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


def translate_database_error(error: BaseException) -> BaseException:
    """What the database refused, as a domain error: a unique key lost to a concurrent writer is 409, a
    saturated pool or a locked SQLite file 503, an unreachable database 503. Anything else stays as it is."""
    if isinstance(error, errors.FupinError):
        return error
    if isinstance(error, sa_exc.TimeoutError):
        return errors.BUSY(seconds=errors.Unavailable.retry_after_seconds)
    if isinstance(error, sa_exc.IntegrityError):
        text = str(error.orig).lower() if error.orig is not None else str(error).lower()
        if "unique" in text or "duplicate" in text:
            return errors.CONCURRENT_WRITE()
        return errors.CONSTRAINT()
    if isinstance(error, sa_exc.OperationalError):
        text = str(error.orig).lower() if error.orig is not None else str(error).lower()
        if "database is locked" in text or "database is busy" in text:
            return errors.BUSY(seconds=errors.Unavailable.retry_after_seconds)
        if "deadlock" in text or "could not serialize" in text or "lock not available" in text:
            return errors.CONCURRENT_WRITE()
        if "connection" in text or "could not connect" in text or "server closed" in text \
                or "unable to open database" in text:
            return errors.DATABASE_DOWN()
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return errors.DATABASE_DOWN()
    return error
