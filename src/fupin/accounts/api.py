from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from fupin.accounts import queries, service
from fupin.accounts.schemas import AuditPublic, MePublic, TokenPublic, TokenRequest, UserCreate, UserPublic
from fupin.web.deps import ApiUser, DbDep, SessionDep, uow_for, uow_for_anonymous

router = APIRouter(tags=["accounts 用户与审计"])


@router.post("/auth/token", response_model=TokenPublic)
def issue_token(body: TokenRequest, db: DbDep) -> TokenPublic:
    """Exchange a username and password for a bearer token (failed attempts count towards the lockout)."""
    with uow_for_anonymous(db, body.username) as uow:
        outcome = service.authenticate(uow, body.username, body.password)
        if outcome.user is not None:
            token, record = service.issue_token(uow, outcome.user, "api")
    outcome.user_or_raise()
    return TokenPublic(access_token=token, expires_at=record.expires_at)


@router.get("/me", response_model=MePublic)
def me(user: ApiUser) -> MePublic:
    return MePublic(id=user.id, username=user.username, display_name=user.display_name, role=user.role,
                    area_code=user.area_code, can_view_pii=user.can_view_pii)


@router.get("/users", response_model=list[UserPublic])
def list_users(session: SessionDep, user: ApiUser) -> list[UserPublic]:
    return [UserPublic.model_validate(u) for u in service.list_users(session, user.scope)]


@router.post("/users", response_model=UserPublic, status_code=201)
def create_user(body: UserCreate, db: DbDep, user: ApiUser) -> UserPublic:
    with uow_for(db, user) as uow:
        created = service.create_user(uow, username=body.username, password=body.password, role=body.role,
                                      area_code=body.area_code, display_name=body.display_name)
        result = UserPublic.model_validate(created)
    return result


@router.get("/audit", response_model=list[AuditPublic])
def audit(
    session: SessionDep,
    user: ApiUser,
    entity: str | None = None,
    entity_id: str | None = None,
    area: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    before_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[AuditPublic]:
    """Audit rows in the caller's scope (optionally narrowed to `area`), newest first."""
    scope = user.scope.narrowed_to(area)
    rows = queries.audit_entries(session, scope, entity=entity, entity_id=entity_id, date_from=date_from,
                                 date_to=date_to, before_id=before_id, limit=limit)
    return [AuditPublic.model_validate(r) for r in rows]
