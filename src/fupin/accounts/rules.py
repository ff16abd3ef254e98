"""Roles, what each may do, and the login lockout rule (pure)."""

from __future__ import annotations

import datetime as dt
import re

from fupin.core.areacodes import AreaLevel
from fupin.core.roles import ROLE_AREA_LEVELS, ROLE_NAMES_ZH, Role

__all__ = ["ROLE_AREA_LEVELS", "ROLE_NAMES_ZH", "Role"]


# Roles that see ID numbers in clear unless the user's own flag says otherwise.
PII_ROLES = frozenset({Role.admin, Role.county, Role.township, Role.village})
READ_ONLY_ROLES = frozenset({Role.auditor})

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]{3,64}$")
MIN_PASSWORD_LENGTH = 10


def role_scope_error(role: Role, area_level: AreaLevel | None) -> str | None:
    allowed = ROLE_AREA_LEVELS[role]
    if allowed is None:
        return None
    if area_level is None:
        return f"角色“{ROLE_NAMES_ZH[role]}”必须指定所辖区划"
    if area_level not in allowed:
        return f"角色“{ROLE_NAMES_ZH[role]}”不能管辖这一级区划"
    return None


def may_view_pii(role: str, override: bool | None) -> bool:
    if override is not None:
        return override
    return role in PII_ROLES


def may_write(role: str) -> bool:
    return role not in READ_ONLY_ROLES


def username_error(username: str) -> str | None:
    if not USERNAME_PATTERN.match(username):
        return "用户名应为3-64位字母、数字、下划线、点或连字符"
    return None


def password_error(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"密码至少{MIN_PASSWORD_LENGTH}位"
    if password.isdigit() or password.isalpha():
        return "密码应同时包含字母和数字或符号"
    return None


def is_locked(locked_until: dt.datetime | None, now: dt.datetime) -> bool:
    return locked_until is not None and locked_until > now


def after_failed_login(
    failures: int, now: dt.datetime, max_failures: int, lockout: dt.timedelta
) -> tuple[int, dt.datetime | None]:
    """New failure count and lock time after one more failed attempt."""
    failures += 1
    if failures >= max_failures:
        return 0, now + lockout
    return failures, None
