"""Use cases for accounts: create users, log in with lockout, issue and revoke tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from fupin.accounts.models import AuthToken, User
from fupin.accounts.rules import (
    Role,
    after_failed_login,
    is_locked,
    password_error,
    role_scope_error,
    username_error,
)
from fupin.areas.models import Area
from fupin.core.areacodes import AreaLevel
from fupin.core.audit import AuditAction
from fupin.core.db import utcnow
from fupin.core.errors import Conflict, Forbidden, Invalid, Unauthenticated
from fupin.core.identity import CurrentUser
from fupin.core.scoping import Scope
from fupin.core.settings import get_settings
from fupin.core.uow import UnitOfWork

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("fupin-timing-equaliser-0")
LOCKED_MESSAGE = "登录失败次数过多,账号已临时锁定,请稍后再试"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def generate_password() -> str:
    return secrets.token_urlsafe(12) + "-7"


def create_user(
    uow: UnitOfWork,
    *,
    username: str,
    password: str,
    role: str,
    area_code: str | None,
    display_name: str | None = None,
    can_view_pii: bool | None = None,
) -> User:
    if uow.actor.role != Role.admin and uow.actor.role != Role.county:
        raise Forbidden("只有管理员或县级用户可以创建用户")
    if (error := username_error(username)) is not None:
        raise Invalid(error, field="username")
    if (error := password_error(password)) is not None:
        raise Invalid(error, field="password")
    try:
        role_enum = Role(role)
    except ValueError:
        raise Invalid(f"未知角色:{role}", field="role") from None
    session = uow.session
    level: AreaLevel | None = None
    if area_code:
        area = session.get(Area, area_code)
        if area is None:
            raise Invalid(f"区划{area_code}不存在", field="area")
        level = AreaLevel(area.level)
        if not uow.scope.contains(area_code):
            raise Forbidden("不能在自己的管辖范围之外创建用户")
    elif uow.scope.prefix:
        raise Forbidden("不能创建全国范围的用户")
    if (error := role_scope_error(role_enum, level)) is not None:
        raise Invalid(error, field="role")
    if role_enum == Role.admin and uow.actor.role != Role.admin:
        raise Forbidden("只有管理员可以创建管理员")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"用户名“{username}”已被使用", field="username")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=_hasher.hash(password),
        role=role_enum.value,
        area_code=area_code,
        can_view_pii=can_view_pii,
        is_active=True,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    uow.audit(
        AuditAction.create,
        "users",
        user.id,
        area_code=area_code,
        after={"username": username, "role": role_enum.value, "area_code": area_code, "password_hash": "set"},
    )
    return user


@dataclass(frozen=True)
class LoginOutcome:
    """A failed attempt is a result, not an exception, so that its count and audit row are committed."""

    user: User | None
    error: str | None = None

    def user_or_raise(self) -> User:
        if self.user is None:
            raise Unauthenticated(self.error or "用户名或密码错误")
        return self.user


def authenticate(uow: UnitOfWork, username: str, password: str, now: dt.datetime | None = None) -> LoginOutcome:
    """The user when the password matches; a failed attempt counts towards the lockout."""
    settings = get_settings()
    now = now or utcnow()
    session = uow.session
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active:
        try:
            _hasher.verify(_DUMMY_HASH, password + "x")
        except VerificationError:
            pass
        return LoginOutcome(None, "用户名或密码错误")
    if is_locked(user.locked_until, now):
        return LoginOutcome(None, LOCKED_MESSAGE)
    try:
        _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        failures, locked_until = after_failed_login(
            user.failed_logins,
            now,
            settings.login_max_failures,
            dt.timedelta(minutes=settings.login_lockout_minutes),
        )
        user.failed_logins = failures
        user.locked_until = locked_until
        uow.audit(
            AuditAction.login_failed,
            "users",
            user.id,
            area_code=user.area_code,
            detail={"locked": locked_until is not None},
        )
        return LoginOutcome(None, LOCKED_MESSAGE if locked_until else "用户名或密码错误")
    if user.failed_logins or user.locked_until:
        user.failed_logins = 0
        user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    uow.act_as(current_user_of(user).actor())
    return LoginOutcome(user)


def issue_token(uow: UnitOfWork, user: User, kind: str, now: dt.datetime | None = None) -> tuple[str, AuthToken]:
    """A new random token (returned once, in clear) for a web session or the API."""
    settings = get_settings()
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    hours = settings.session_hours if kind == "session" else settings.api_token_hours
    record = AuthToken(
        user_id=user.id,
        kind=kind,
        token_hash=_token_hash(token),
        csrf_token=secrets.token_urlsafe(24) if kind == "session" else None,
        created_at=now,
        expires_at=now + dt.timedelta(hours=hours),
    )
    uow.session.add(record)
    uow.session.flush()
    action = AuditAction.login if kind == "session" else AuditAction.token_issued
    uow.audit(action, "auth_tokens", record.id, area_code=user.area_code, detail={"kind": kind})
    return token, record


def current_user_of(user: User, csrf_token: str | None = None) -> CurrentUser:
    return CurrentUser(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        area_code=user.area_code,
        pii_override=user.can_view_pii,
        csrf_token=csrf_token,
    )


def resolve_token(session: Session, token: str, kind: str, now: dt.datetime | None = None) -> CurrentUser | None:
    now = now or utcnow()
    row = session.execute(
        select(AuthToken, User)
        .join(User, User.id == AuthToken.user_id)
        .where(AuthToken.token_hash == _token_hash(token), AuthToken.kind == kind)
    ).first()
    if row is None:
        return None
    record, user = row
    if record.revoked_at is not None or record.expires_at <= now or not user.is_active:
        return None
    return current_user_of(user, record.csrf_token)


def revoke_token(uow: UnitOfWork, token: str) -> None:
    record = uow.session.scalar(select(AuthToken).where(AuthToken.token_hash == _token_hash(token)))
    if record is None or record.revoked_at is not None:
        return
    record.revoked_at = utcnow()
    uow.audit(AuditAction.logout, "auth_tokens", record.id, detail={"kind": record.kind})


def list_users(session: Session, scope: Scope) -> list[User]:
    return list(session.scalars(select(User).where(scope.condition(User.area_code)).order_by(User.username)))
