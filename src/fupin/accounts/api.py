from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from fupin.accounts import service
from fupin.accounts.schemas import (
    AuditPublic,
    MePublic,
    PasswordChange,
    PasswordPublic,
    PasswordReset,
    TokenInfo,
    TokenPublic,
    TokenRequest,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from fupin.web.deps import AnonymousUow, ApiUow, ApiUser, SessionDep

router = APIRouter(tags=["accounts 用户与审计"])
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/auth/token", response_model=TokenPublic)
def issue_token(body: TokenRequest, request: Request, uow: AnonymousUow) -> TokenPublic:
    """Exchange a username and password for a bearer token (failed attempts count towards the lockout)."""
    outcome = service.login(uow, body.username, body.password, kind="api", address=client_address(request),
                            label=body.label)
    token, record = outcome.token_or_raise()
    return TokenPublic(access_token=token, expires_at=record.expires_at)


@router.post("/auth/logout", status_code=204)
def logout(uow: ApiUow, user: ApiUser) -> None:
    """Revoke the token this request came with."""
    service.logout(uow, user.token_id)


@router.get("/me", response_model=MePublic)
def me(user: ApiUser) -> MePublic:
    return MePublic(id=user.id, username=user.username, display_name=user.display_name, role=user.role,
                    area_code=user.area_code, can_view_pii=user.can_view_pii, entity_id=user.entity_id,
                    shop_id=user.shop_id)


@router.post("/me/password", status_code=204)
def change_password(body: PasswordChange, uow: ApiUow) -> None:
    service.change_own_password(uow, body.current_password, body.new_password)


@router.get("/me/tokens", response_model=list[TokenInfo])
def my_tokens(session: SessionDep, user: ApiUser) -> list[TokenInfo]:
    return [TokenInfo.model_validate(t) for t in service.list_tokens(session, user.id)]


@router.delete("/me/tokens/{token_id}", status_code=204)
def revoke_token(token_id: Annotated[int, Path(ge=1, le=2**31 - 1)], uow: ApiUow) -> None:
    service.revoke_token(uow, token_id)


@router.post("/me/tokens/revoke-all")
def revoke_all(uow: ApiUow) -> dict[str, int]:
    return {"revoked": service.revoke_all_tokens(uow)}


@router.get("/users", response_model=list[UserPublic])
def list_users(uow: ApiUow) -> list[UserPublic]:
    return [UserPublic.model_validate(u) for u in service.users_in_scope(uow)]


@router.post("/users", response_model=UserPublic, status_code=201)
def create_user(body: UserCreate, uow: ApiUow) -> UserPublic:
    return UserPublic.model_validate(service.create_user(
        uow, username=body.username, password=body.password, role=body.role, area_code=body.area_code,
        display_name=body.display_name, entity_id=body.entity_id, shop_id=body.shop_id))


@router.patch("/users/{user_id}", response_model=UserPublic)
def update_user(user_id: UserId, body: UserUpdate, uow: ApiUow) -> UserPublic:
    return UserPublic.model_validate(service.update_user(uow, user_id, **body.model_dump(exclude_unset=True)))


@router.post("/users/{user_id}/disable", response_model=UserPublic)
def disable_user(user_id: UserId, uow: ApiUow) -> UserPublic:
    return UserPublic.model_validate(service.set_active(uow, user_id, False))


@router.post("/users/{user_id}/enable", response_model=UserPublic)
def enable_user(user_id: UserId, uow: ApiUow) -> UserPublic:
    return UserPublic.model_validate(service.set_active(uow, user_id, True))


@router.post("/users/{user_id}/unlock", response_model=UserPublic)
def unlock_user(user_id: UserId, uow: ApiUow) -> UserPublic:
    return UserPublic.model_validate(service.unlock(uow, user_id))


@router.post("/users/{user_id}/reset-password", response_model=PasswordPublic)
def reset_password(user_id: UserId, body: PasswordReset, uow: ApiUow) -> PasswordPublic:
    return PasswordPublic(password=service.reset_password(uow, user_id, body.password))


@router.get("/audit", response_model=list[AuditPublic])
def audit(
    uow: ApiUow,
    entity: Annotated[str | None, Query(max_length=64)] = None,
    entity_id: Annotated[str | None, Query(max_length=64)] = None,
    area: Annotated[str | None, Query(max_length=15, pattern=r"^\d{1,15}$")] = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    before_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[AuditPublic]:
    """Audit rows in the caller's scope (optionally narrowed to `area`), newest first."""
    rows = service.read_audit(uow, area=area, entity=entity, entity_id=entity_id, date_from=date_from,
                              date_to=date_to, before_id=before_id, limit=limit)
    return [AuditPublic.model_validate(r) for r in rows]
