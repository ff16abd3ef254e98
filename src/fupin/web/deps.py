"""Typed request dependencies: the request's one database session, the caller, and the caller's unit of work.

A request holds at most one pooled connection: the session below is created once per request (FastAPI caches a
dependency within a request), the caller is resolved on it, the use case opens its transaction on it, and the
page renders with it. Nothing else in a request opens a session.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from fupin.core import errors
from fupin.core.audit import VIEW_LOG
from fupin.core.capability import provided
from fupin.core.db import Database
from fupin.core.errors import Forbidden
from fupin.core.identity import Actor, CurrentUser
from fupin.core.personal_data import PersonalField, Viewer
from fupin.core.uow import UnitOfWork, translate_database_error

SESSION_COOKIE = "fupin_session"
LOGIN_CSRF_COOKIE = "fupin_login_csrf"
LOCALE_COOKIE = "fupin_lang"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CSRF_FAILED = errors.define("core.csrf_failed", Forbidden, "表单已过期或来源不明(CSRF校验失败),请刷新页面后重试",
                            "The form has expired or comes from elsewhere (CSRF check failed); reload the page")


class LoginRequired(Exception):
    """A page needs a logged-in user: the app answers with a redirect to /login."""


def get_db(request: Request) -> Database:
    return request.app.state.db


DbDep = Annotated[Database, Depends(get_db)]


def get_session(request: Request, db: DbDep) -> Iterator[Session]:
    """The request's one session; closed (its connection returned to the pool) when the request ends."""
    session = db.session_factory()
    request.state.db_session = session
    try:
        yield session
    finally:
        request.state.db_session = None
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def request_session(request: Request) -> Session | None:
    """The session of a request that has one (for the layout's area trail)."""
    return getattr(request.state, "db_session", None)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def optional_user(request: Request, session: SessionDep) -> CurrentUser | None:
    if hasattr(request.state, "user"):
        return request.state.user
    resolve = provided("accounts.resolve_token")
    user: CurrentUser | None = None
    try:
        token = _bearer(request)
        if token is not None:
            user = resolve(session, token, "api")
            request.state.auth_kind = "bearer"
        elif (cookie := request.cookies.get(SESSION_COOKIE)) is not None:
            user = resolve(session, cookie, "session")
            request.state.auth_kind = "session"
    except Exception as error:
        translated = translate_database_error(error)
        if translated is error:
            raise
        raise translated from error
    finally:
        if session.in_transaction():
            session.rollback()  # the identity read ends here; the use case opens its own transaction
    request.state.user = user
    return user


OptionalUserDep = Annotated[CurrentUser | None, Depends(optional_user)]


async def verify_csrf(request: Request, user: OptionalUserDep) -> None:
    """Every unsafe request authenticated by a cookie carries the session's CSRF token (form or header)."""
    if request.method in SAFE_METHODS or getattr(request.state, "auth_kind", None) == "bearer":
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = user.csrf_token if user is not None else request.cookies.get(LOGIN_CSRF_COOKIE)
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise CSRF_FAILED()


def api_user(user: OptionalUserDep) -> CurrentUser:
    if user is None:
        raise errors.UNAUTHENTICATED()
    return user


def page_user(user: OptionalUserDep) -> CurrentUser:
    if user is None:
        raise LoginRequired()
    return user


ApiUser = Annotated[CurrentUser, Depends(api_user)]
PageUser = Annotated[CurrentUser, Depends(page_user)]


def api_uow(db: DbDep, session: SessionDep, user: ApiUser) -> UnitOfWork:
    """The caller's unit of work, not yet open: the use case opens it."""
    return UnitOfWork(db, user.actor(), session=session)


def page_uow(db: DbDep, session: SessionDep, user: PageUser) -> UnitOfWork:
    return UnitOfWork(db, user.actor(), session=session)


def anonymous_uow(request: Request, db: DbDep, session: SessionDep) -> UnitOfWork:
    """For the login itself: the actor becomes the user once the password is proved."""
    return UnitOfWork(db, Actor(user_id=None, name="anonymous", role="anonymous", scope_prefix=""), session=session)


ApiUow = Annotated[UnitOfWork, Depends(api_uow)]
PageUow = Annotated[UnitOfWork, Depends(page_uow)]
AnonymousUow = Annotated[UnitOfWork, Depends(anonymous_uow)]


def viewer_of(user: CurrentUser) -> Viewer:
    return Viewer(user.role, user.pii_override)


def record_full_view(request: Request, user: CurrentUser, entity: str, entity_id: object, *,
                     area_code: str | None, rows: int) -> None:
    """Seeing ID numbers in clear is audited (who, what, how many people); a masked view is not personal data."""
    if viewer_of(user).full(PersonalField.id_number) and rows:
        VIEW_LOG.record(get_db(request), user.actor(), entity, entity_id, area_code=area_code, rows=rows)


def uow_for(db: Database, user: CurrentUser) -> UnitOfWork:
    """A unit of work with a session of its own (background work started by a request)."""
    if user.role == "auditor":
        raise errors.FORBIDDEN_ACTION(action="修改数据")
    return UnitOfWork(db, user.actor())


def uow_for_anonymous(db: Database, name: str) -> UnitOfWork:
    return UnitOfWork(db, Actor(user_id=None, name=name, role="anonymous", scope_prefix=""))
