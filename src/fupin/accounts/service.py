"""Use cases of accounts: users, logins with lockout, tokens.

A login answers the same words in about the same time whether the user is unknown, the password wrong or the
account locked (no user enumeration). Failures are counted per account and per source address, race-free: the
counting unit of work holds the user's and the address's rows (SQLite: BEGIN IMMEDIATE; PostgreSQL: FOR UPDATE).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from fupin.accounts import errors
from fupin.accounts.models import AuthToken, LoginThrottle, User
from fupin.accounts.queries import audit_entries
from fupin.accounts.rules import (
    ROLE_NAMES_ZH,
    Role,
    after_address_failure,
    after_failed_login,
    is_locked,
    password_problem,
    role_scope_problem,
    username_valid,
)
from fupin.areas.queries import exists as area_exists
from fupin.core.areacodes import AreaLevel, level_of
from fupin.core.audit import AuditAction, AuditEntry
from fupin.core.db import utcnow
from fupin.core.identity import CurrentUser
from fupin.core.roles import ENTITY_ROLES, SHOP_ROLES
from fupin.core.scoping import Scope
from fupin.core.settings import get_settings
from fupin.core.uow import UnitOfWork

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("fupin-timing-equaliser-0")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def generate_password() -> str:
    return secrets.token_urlsafe(12) + "-7"


def check_password(password: str, username: str) -> None:
    problem = password_problem(password, username)
    if problem is None:
        return
    if problem.code == "too_short":
        from fupin.accounts.rules import MIN_PASSWORD_LENGTH

        raise errors.PASSWORD_TOO_SHORT(field="password", length=MIN_PASSWORD_LENGTH)
    if problem.code == "has_username":
        raise errors.PASSWORD_HAS_USERNAME(field="password")
    raise errors.PASSWORD_TOO_WEAK(field="password", reason=problem.reason)


def _area_level(uow: UnitOfWork, area_code: str | None) -> AreaLevel | None:
    if not area_code:
        return None
    if not area_code.isdigit() or not uow.scope.contains(area_code) or not area_exists(uow.session, area_code):
        raise errors.UNKNOWN_AREA(field="area_code", code=area_code[:15])
    return level_of(area_code)


def _check_role_and_area(uow: UnitOfWork, role: str, area_code: str | None) -> Role:
    try:
        role_enum = Role(role)
    except ValueError:
        raise errors.UNKNOWN_ROLE(field="role", role=role[:32]) from None
    if role_enum == Role.admin and uow.actor.role != Role.admin:
        raise errors.ADMIN_BY_ADMIN(field="role")
    level = _area_level(uow, area_code)
    if level is None and uow.scope.prefix:
        raise errors.NATIONWIDE_USER(field="area_code")
    problem = role_scope_problem(role_enum, level)
    if problem == "needs_area":
        raise errors.ROLE_NEEDS_AREA(field="area_code", role=ROLE_NAMES_ZH[role_enum])
    if problem == "level":
        raise errors.ROLE_AREA_LEVEL(field="area_code", role=ROLE_NAMES_ZH[role_enum])
    return role_enum


def _check_unit(role: Role, entity_id: int | None, shop_id: int | None) -> tuple[int | None, int | None]:
    """Clerks name the entity or shop they act for; other roles carry neither."""
    if role in ENTITY_ROLES:
        if entity_id is None:
            raise errors.CLERK_NEEDS_UNIT(field="entity_id", role=ROLE_NAMES_ZH[role], unit="经营主体")
        return entity_id, None
    if role in SHOP_ROLES:
        if shop_id is None:
            raise errors.CLERK_NEEDS_UNIT(field="shop_id", role=ROLE_NAMES_ZH[role], unit="爱心超市")
        return None, shop_id
    return None, None


def create_user(uow: UnitOfWork, *, username: str, password: str, role: str, area_code: str | None,
                display_name: str | None = None, can_view_pii: bool | None = None, entity_id: int | None = None,
                shop_id: int | None = None) -> User:
    with uow:
        uow.require("accounts.user.manage", area_code=area_code or None)
        if not username_valid(username):
            raise errors.USERNAME_FORMAT(field="username")
        check_password(password, username)
        role_enum = _check_role_and_area(uow, role, area_code)
        entity_id, shop_id = _check_unit(role_enum, entity_id, shop_id)
        if uow.session.scalar(select(User.id).where(User.username == username)) is not None:
            raise errors.USERNAME_TAKEN(field="username", username=username)
        user = User(username=username, display_name=display_name or username, password_hash=_hasher.hash(password),
                    role=role_enum.value, area_code=area_code or None, can_view_pii=can_view_pii, is_active=True,
                    failed_logins=0, entity_id=entity_id, shop_id=shop_id)
        uow.session.add(user)
        uow.flush()
        uow.audit(AuditAction.create, "users", user.id, area_code=area_code,
                  after={"username": username, "role": role_enum.value, "area_code": area_code,
                         "entity_id": entity_id, "shop_id": shop_id, "password_hash": "set"})
        return user


def _managed_user(uow: UnitOfWork, user_id: int) -> User:
    """A user the actor may manage: inside the actor's scope (a nationwide user only for the administrator)."""
    user = uow.session.execute(uow.locked(select(User).where(User.id == user_id))).scalar_one_or_none() \
        if 0 < user_id < 2**31 else None
    if user is None or (user.area_code is None and uow.scope.prefix) or \
            (user.area_code is not None and not uow.scope.contains(user.area_code)):
        raise errors.USER_NOT_FOUND(key=user_id)
    if user.role == Role.admin and uow.actor.role != Role.admin:
        raise errors.ADMIN_BY_ADMIN()
    return user


def update_user(uow: UnitOfWork, user_id: int, *, display_name: str | None = None, role: str | None = None,
                area_code: str | None = None, entity_id: int | None = None, shop_id: int | None = None,
                can_view_pii: bool | None = None, clear_pii_override: bool = False) -> User:
    with uow:
        uow.require("accounts.user.manage")
        user = _managed_user(uow, user_id)
        before = {"display_name": user.display_name, "role": user.role, "area_code": user.area_code,
                  "entity_id": user.entity_id, "shop_id": user.shop_id, "can_view_pii": user.can_view_pii}
        new_role = role or user.role
        new_area = area_code if area_code is not None else user.area_code
        role_enum = _check_role_and_area(uow, new_role, new_area)
        entity, shop = _check_unit(role_enum, entity_id if entity_id is not None else user.entity_id,
                                   shop_id if shop_id is not None else user.shop_id)
        user.display_name = display_name or user.display_name
        user.role, user.area_code, user.entity_id, user.shop_id = role_enum.value, new_area or None, entity, shop
        if clear_pii_override:
            user.can_view_pii = None
        elif can_view_pii is not None:
            user.can_view_pii = can_view_pii
        uow.flush()
        after = {"display_name": user.display_name, "role": user.role, "area_code": user.area_code,
                 "entity_id": user.entity_id, "shop_id": user.shop_id, "can_view_pii": user.can_view_pii}
        uow.audit(AuditAction.update, "users", user.id, area_code=user.area_code, before=before, after=after)
        if before["role"] != after["role"] or before["area_code"] != after["area_code"]:
            _revoke_all(uow, user.id, "role_or_area_changed")  # a changed role takes effect at the next login
        return user


def set_active(uow: UnitOfWork, user_id: int, active: bool) -> User:
    with uow:
        uow.require("accounts.user.manage")
        if user_id == uow.actor.user_id and not active:
            raise errors.NOT_YOURSELF()
        user = _managed_user(uow, user_id)
        before = user.is_active
        user.is_active = active
        if not active:
            _revoke_all(uow, user.id, "disabled")
        uow.audit(AuditAction.update, "users", user.id, area_code=user.area_code, before={"is_active": before},
                  after={"is_active": active})
        return user


def reset_password(uow: UnitOfWork, user_id: int, new_password: str | None = None) -> str:
    """A new password (given, or generated and returned once); every token of the user is revoked."""
    with uow:
        uow.require("accounts.user.manage")
        user = _managed_user(uow, user_id)
        password = new_password or generate_password()
        check_password(password, user.username)
        user.password_hash = _hasher.hash(password)
        user.failed_logins, user.locked_until = 0, None
        _revoke_all(uow, user.id, "password_reset")
        uow.audit(AuditAction.update, "users", user.id, area_code=user.area_code,
                  after={"password_hash": "reset"}, detail={"generated": new_password is None})
        return password


def unlock(uow: UnitOfWork, user_id: int) -> User:
    with uow:
        uow.require("accounts.user.manage")
        user = _managed_user(uow, user_id)
        before = {"failed_logins": user.failed_logins, "locked_until": user.locked_until}
        user.failed_logins, user.locked_until = 0, None
        uow.audit(AuditAction.update, "users", user.id, area_code=user.area_code, before=before,
                  after={"failed_logins": 0, "locked_until": None}, detail={"unlock": True})
        return user


def unlock_address(uow: UnitOfWork, address: str) -> bool:
    with uow:
        uow.require("accounts.user.manage")
        row = uow.session.get(LoginThrottle, address[:64])
        if row is None:
            return False
        row.failures, row.locked_until = 0, None
        uow.audit(AuditAction.update, "login_throttles", address[:64], detail={"unlock": True})
        return True


# ---------------------------------------------------------------- logging in


@dataclass(frozen=True)
class LoginOutcome:
    """A failed attempt is a result, not an exception, so that its count and audit row are committed."""

    user: User | None
    token: str | None = None
    record: AuthToken | None = None

    def token_or_raise(self) -> tuple[str, AuthToken]:
        if self.user is None or self.token is None or self.record is None:
            raise errors.LOGIN_FAILED()
        return self.token, self.record


def _throttle_row(uow: UnitOfWork, address: str, now: dt.datetime) -> LoginThrottle:
    """The address's counter, created if need be without a unique-key race, and held for this transaction."""
    dialect = uow.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(LoginThrottle)
    uow.session.execute(insert.values(address=address, failures=0, window_started_at=now)
                        .on_conflict_do_nothing(index_elements=["address"]))
    return uow.session.execute(uow.locked(select(LoginThrottle).where(LoginThrottle.address == address))
                               .execution_options(populate_existing=True)).scalar_one()


def _burn_time(password: str) -> None:
    try:
        _hasher.verify(_DUMMY_HASH, password + "\x00")
    except VerificationError:
        pass


def login(uow: UnitOfWork, username: str, password: str, *, kind: str, address: str | None = None,
          label: str | None = None, now: dt.datetime | None = None) -> LoginOutcome:
    """The user and a new token when the password matches and nothing is locked; otherwise a failure counted
    against the account (when it exists) and the source address. Every failure looks the same."""
    settings = get_settings()
    now = now or utcnow()
    address = (address or "unknown")[:64]
    window = dt.timedelta(minutes=settings.login_lockout_minutes)
    with uow:
        throttle = _throttle_row(uow, address, now)
        user = uow.session.execute(uow.locked(select(User).where(User.username == username[:64]))
                                   .execution_options(populate_existing=True)).scalar_one_or_none()
        address_locked = is_locked(throttle.locked_until, now)
        account_usable = user is not None and user.is_active and not is_locked(user.locked_until, now)
        verified = False
        if account_usable and not address_locked:
            try:
                verified = _hasher.verify(user.password_hash, password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                verified = False
        else:
            _burn_time(password)  # the same work as a real check: the answer's time tells nothing
        if verified and user is not None:
            if user.failed_logins or user.locked_until:
                user.failed_logins, user.locked_until = 0, None
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
            uow.act_as(current_user_of(user).actor())
            token, record = issue_token(uow, user, kind, now=now, label=label)
            return LoginOutcome(user, token, record)
        if not address_locked:
            throttle.failures, throttle.window_started_at, throttle.locked_until = after_address_failure(
                throttle.failures, throttle.window_started_at, now, settings.login_max_failures_per_address, window)
        locked_now = False
        if user is not None and account_usable and not address_locked:
            user.failed_logins, user.locked_until = after_failed_login(
                user.failed_logins, now, settings.login_max_failures, window)
            locked_now = user.locked_until is not None
        uow.audit(AuditAction.login_failed, "users", user.id if user is not None else None,
                  area_code=user.area_code if user is not None else None,
                  detail={"username": username[:64], "address": address, "account_locked": locked_now,
                          "address_locked": throttle.locked_until is not None})
        return LoginOutcome(None)


def issue_token(uow: UnitOfWork, user: User, kind: str, now: dt.datetime | None = None,
                label: str | None = None) -> tuple[str, AuthToken]:
    """A new random token (returned once, in clear) for a web session or the API."""
    settings = get_settings()
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    hours = settings.session_hours if kind == "session" else settings.api_token_hours
    with uow:
        record = AuthToken(user_id=user.id, kind=kind, token_hash=_token_hash(token),
                           csrf_token=secrets.token_urlsafe(24) if kind == "session" else None, created_at=now,
                           expires_at=now + dt.timedelta(hours=hours), label=(label or None) and label[:120])
        uow.session.add(record)
        uow.flush()
        action = AuditAction.login if kind == "session" else AuditAction.token_issued
        uow.audit(action, "auth_tokens", record.id, area_code=user.area_code, detail={"kind": kind})
        return token, record


def current_user_of(user: User, csrf_token: str | None = None, token_id: int | None = None) -> CurrentUser:
    return CurrentUser(id=user.id, username=user.username, display_name=user.display_name, role=user.role,
                       area_code=user.area_code, pii_override=user.can_view_pii, csrf_token=csrf_token,
                       entity_id=user.entity_id, shop_id=user.shop_id, token_id=token_id)


def resolve_token(session: Session, token: str, kind: str, now: dt.datetime | None = None) -> CurrentUser | None:
    now = now or utcnow()
    if len(token) > 200:
        return None
    row = session.execute(
        select(AuthToken, User).join(User, User.id == AuthToken.user_id)
        .where(AuthToken.token_hash == _token_hash(token), AuthToken.kind == kind)
    ).first()
    if row is None:
        return None
    record, user = row
    if record.revoked_at is not None or record.expires_at <= now or not user.is_active:
        return None
    return current_user_of(user, record.csrf_token, record.id)


def _revoke_all(uow: UnitOfWork, user_id: int, reason: str) -> int:
    result = uow.session.execute(update(AuthToken).where(AuthToken.user_id == user_id, AuthToken.revoked_at.is_(None))
                                 .values(revoked_at=utcnow()))
    if result.rowcount:
        uow.audit(AuditAction.logout, "auth_tokens", None, detail={"user_id": user_id, "revoked": result.rowcount,
                                                                    "reason": reason})
    return result.rowcount


def logout(uow: UnitOfWork, token_id: int | None) -> None:
    """End the caller's own session or API token (the one the request came with)."""
    with uow:
        uow.require("accounts.self")
        if token_id is None:
            return
        record = uow.session.get(AuthToken, token_id)
        if record is None or record.user_id != uow.actor.user_id or record.revoked_at is not None:
            return
        record.revoked_at = utcnow()
        uow.audit(AuditAction.logout, "auth_tokens", record.id, detail={"kind": record.kind})


def revoke_token(uow: UnitOfWork, token_id: int) -> None:
    with uow:
        uow.require("accounts.self")
        record = uow.session.get(AuthToken, token_id) if 0 < token_id < 2**31 else None
        if record is None or record.user_id != uow.actor.user_id:
            raise errors.TOKEN_NOT_FOUND(key=token_id)
        if record.revoked_at is None:
            record.revoked_at = utcnow()
            uow.audit(AuditAction.logout, "auth_tokens", record.id, detail={"kind": record.kind, "revoked": True})


def change_own_password(uow: UnitOfWork, current: str, new: str) -> None:
    """The caller's own password; every other session and token of theirs ends (this one stays)."""
    with uow:
        uow.require("accounts.self")
        user = uow.session.execute(uow.locked(select(User).where(User.id == uow.actor.user_id))).scalar_one()
        try:
            _hasher.verify(user.password_hash, current)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            raise errors.CURRENT_PASSWORD_WRONG(field="current_password") from None
        check_password(new, user.username)
        user.password_hash = _hasher.hash(new)
        uow.audit(AuditAction.update, "users", user.id, area_code=user.area_code, after={"password_hash": "changed"})


def revoke_all_tokens(uow: UnitOfWork) -> int:
    with uow:
        uow.require("accounts.self")
        return _revoke_all(uow, uow.actor.user_id, "revoked_by_owner")


def list_tokens(session: Session, user_id: int, now: dt.datetime | None = None) -> list[AuthToken]:
    now = now or utcnow()
    return list(session.scalars(select(AuthToken).where(AuthToken.user_id == user_id, AuthToken.revoked_at.is_(None),
                                                        AuthToken.expires_at > now)
                                .order_by(AuthToken.created_at.desc())))


def users_in_scope(uow: UnitOfWork) -> list[User]:
    with uow.reading():
        uow.require("accounts.user.manage")
        return list_users(uow.session, uow.scope)


def read_audit(uow: UnitOfWork, *, area: str | None = None, **filters: object) -> list[AuditEntry]:
    """Audit rows in the caller's scope (optionally narrowed to one area), newest first."""
    with uow.reading():
        uow.require("accounts.audit.read")
        return audit_entries(uow.session, uow.scope.narrowed_to(area), **filters)  # type: ignore[arg-type]


def list_users(session: Session, scope: Scope) -> list[User]:
    stmt = select(User).order_by(User.username)
    if scope.prefix:
        stmt = stmt.where(scope.condition(User.area_code))
    return list(session.scalars(stmt))


def get_user(session: Session, scope: Scope, user_id: int) -> User:
    user = session.get(User, user_id) if 0 < user_id < 2**31 else None
    if user is None or (scope.prefix and (user.area_code is None or not scope.contains(user.area_code))):
        raise errors.USER_NOT_FOUND(key=user_id)
    return user


def user_id_of(session: Session, username: str, scope: Scope) -> int | None:
    """The id of the active account `username` whose area lies in the scope, else None (an account elsewhere
    reads as unknown). Provided as `accounts.user_id_of` (orgs links a cadre to the account he logs in with)."""
    user = session.scalars(select(User).where(User.username == username.strip())).one_or_none()
    if user is None or not user.is_active:
        return None
    if scope.prefix and (user.area_code is None or not scope.contains(user.area_code)):
        return None
    return user.id


def usernames_of(session: Session, user_ids: list[int]) -> dict[int, str]:
    """user id → username, for the cadre pages (provided as `accounts.usernames_of`)."""
    if not user_ids:
        return {}
    return dict(session.execute(select(User.id, User.username).where(User.id.in_(user_ids))).tuples().all())
