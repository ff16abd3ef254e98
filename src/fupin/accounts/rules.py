"""Accounts' pure rules: usernames, the password policy, role scopes and the login lockout."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from zxcvbn import zxcvbn

from fupin.core.areacodes import AreaLevel
from fupin.core.roles import ROLE_AREA_LEVELS, ROLE_NAMES_ZH, Role

__all__ = ["ROLE_AREA_LEVELS", "ROLE_NAMES_ZH", "Role"]

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]{3,64}$")
MIN_PASSWORD_LENGTH = 10
# zxcvbn's score (0–4) estimates how many guesses a password takes from its lists of common passwords, words,
# names, keyboard patterns, dates and repeats; 3 means "safely unguessable" (about 10^8 guesses or more).
MIN_PASSWORD_SCORE = 3
_WEAKNESS_ZH = {
    "dictionary": "常见密码或单词", "spatial": "键盘上相邻的键", "repeat": "重复的字符", "sequence": "顺序字符",
    "regex": "常见格式", "date": "日期", "bruteforce": "太短",
}


@dataclass(frozen=True)
class PasswordProblem:
    code: str  # "too_short", "too_weak", "has_username"
    reason: str = ""


def password_problem(password: str, username: str = "", other_inputs: tuple[str, ...] = ()) -> PasswordProblem | None:
    """None when the password is acceptable: long enough, not a common password or pattern, without the username."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return PasswordProblem("too_short")
    if username and len(username) >= 3 and username.lower() in password.lower():
        # The username adds nothing an attacker does not know: what is left must be strong on its own.
        rest = password.lower().replace(username.lower(), "")
        if not rest or _score(rest)["score"] < MIN_PASSWORD_SCORE:
            return PasswordProblem("has_username")
    result = _score(password, [username, *other_inputs, "fupin", "扶贫"])
    if result["score"] < MIN_PASSWORD_SCORE:
        patterns = [m.get("pattern", "") for m in result.get("sequence", [])]
        reasons = [_WEAKNESS_ZH[p] for p in patterns if p in _WEAKNESS_ZH and p != "bruteforce"]
        return PasswordProblem("too_weak", "、".join(dict.fromkeys(reasons)) or "太简单")
    return None


def _score(password: str, inputs: list[str] | None = None) -> dict:
    """zxcvbn's estimate; its scorer fails on some inputs (an empty rest, odd repeats): those count as weak."""
    try:
        return zxcvbn(password[:100], user_inputs=inputs or [])
    except (IndexError, ValueError, KeyError):
        return {"score": 0, "sequence": []}


def username_valid(username: str) -> bool:
    return bool(USERNAME_PATTERN.match(username))


def role_scope_problem(role: Role, area_level: AreaLevel | None) -> str | None:
    """"needs_area" or "level" when the role cannot be given this area."""
    allowed = ROLE_AREA_LEVELS[role]
    if allowed is None:
        return None
    if area_level is None:
        return "needs_area"
    if area_level not in allowed:
        return "level"
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


def after_address_failure(failures: int, window_started: dt.datetime, now: dt.datetime, max_failures: int,
                          window: dt.timedelta) -> tuple[int, dt.datetime, dt.datetime | None]:
    """Failures from one source address within a window: (count, window start, locked until)."""
    if now - window_started > window:
        failures, window_started = 0, now
    failures += 1
    return failures, window_started, (now + window if failures >= max_failures else None)
