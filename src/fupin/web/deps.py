"""Typed request dependencies: the database session and the caller, for API routes and pages."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from fupin.accounts.service import CurrentUser, resolve_token
from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.errors import Forbidden, Unauthenticated
from fupin.core.uow import UnitOfWork

SESSION_COOKIE = "fupin_session"
LOGIN_CSRF_COOKIE = "fupin_login_csrf"
LOCALE_COOKIE = "fupin_lang"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginRequired(Exception):
    """A page needs a logged-in user: the app answers with a redirect to /login."""


def get_db(request: Request) -> Database:
    return request.app.state.db


DbDep = Annotated[Database, Depends(get_db)]


def get_session(db: DbDep) -> Iterator[Session]:
    session = db.session_factory()
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def optional_user(request: Request, db: DbDep) -> CurrentUser | None:
    if hasattr(request.state, "user"):
        return request.state.user
    user: CurrentUser | None = None
    with db.session_factory() as session:
        token = _bearer(request)
        if token is not None:
            user = resolve_token(session, token, "api")
            request.state.auth_kind = "bearer"
        elif (cookie := request.cookies.get(SESSION_COOKIE)) is not None:
            user = resolve_token(session, cookie, "session")
            request.state.auth_kind = "session"
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
        raise Forbidden("表单已过期或来源不明(CSRF校验失败),请刷新页面后重试")


def api_user(user: OptionalUserDep) -> CurrentUser:
    if user is None:
        raise Unauthenticated("需要登录或有效的访问令牌")
    return user


def page_user(user: OptionalUserDep) -> CurrentUser:
    if user is None:
        raise LoginRequired()
    return user


ApiUser = Annotated[CurrentUser, Depends(api_user)]
PageUser = Annotated[CurrentUser, Depends(page_user)]


def uow_for(db: Database, user: CurrentUser) -> UnitOfWork:
    if not user.can_write:
        raise Forbidden("当前角色为只读,不能修改数据")
    return UnitOfWork(db, user.actor())


def uow_for_anonymous(db: Database, name: str) -> UnitOfWork:
    return UnitOfWork(db, Actor(user_id=None, name=name, role="anonymous", scope_prefix=""))
