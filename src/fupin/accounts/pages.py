from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse

from fupin.accounts import queries, service
from fupin.core.settings import get_settings
from fupin.web.deps import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    DbDep,
    OptionalUserDep,
    PageUser,
    SessionDep,
    uow_for_anonymous,
    verify_csrf,
)
from fupin.web.templating import AREA_COOKIE, render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)


def _safe_next(target: str | None) -> str:
    if not target:
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else "/"


def _login_page(request: Request, next_url: str, error: str | None = None, username: str = "", status: int = 200):
    token = secrets.token_urlsafe(24)
    request.state.login_csrf = token
    response = render(request, "accounts/login.html", {"next": next_url, "error": error, "username": username},
                      status_code=status)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="lax", max_age=3600,
                        secure=get_settings().cookie_secure)
    return response


@router.get("/login")
def login_form(request: Request, user: OptionalUserDep, next: str = "/"):
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, _safe_next(next))


@router.post("/login")
def login(request: Request, db: DbDep, username: Annotated[str, Form(max_length=64)],
          password: Annotated[str, Form(max_length=256)], next: Annotated[str, Form()] = "/"):
    with uow_for_anonymous(db, username) as uow:
        outcome = service.authenticate(uow, username, password)
        if outcome.user is not None:
            token, record = service.issue_token(uow, outcome.user, "session")
    if outcome.user is None:
        return _login_page(request, _safe_next(next), outcome.error, username, status=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    settings = get_settings()
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=settings.cookie_secure,
                        max_age=int(dt.timedelta(hours=settings.session_hours).total_seconds()))
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, db: DbDep, user: PageUser):
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with uow_for_anonymous(db, user.username) as uow:
            service.revoke_token(uow, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(AREA_COOKIE)
    return response


@router.get("/audit")
def audit_page(
    request: Request,
    session: SessionDep,
    user: PageUser,
    entity: str | None = None,
    date_from: Annotated[dt.date | None, Query()] = None,
    date_to: Annotated[dt.date | None, Query()] = None,
    before_id: int | None = None,
):
    rows = queries.audit_entries(session, user.scope, entity=entity or None, date_from=date_from,
                                 date_to=date_to, before_id=before_id, limit=50)
    return render(request, "accounts/audit.html", {
        "rows": rows,
        "entity": entity or "",
        "date_from": date_from,
        "date_to": date_to,
        "next_before": rows[-1].id if len(rows) == 50 else None,
    })
