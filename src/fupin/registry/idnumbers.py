"""Resident identity card numbers (居民身份证号码): derive, hash for look-up. Validation rules: registry.rules."""

from __future__ import annotations

import datetime as dt
import hmac

from stdnum.cn import ric


def make_id_number(region6: str, birth: dt.date, sequence: int) -> str:
    """An 18-digit number with a correct check digit; odd sequence = male, even = female."""
    body = f"{region6}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def sex_of(number: str) -> str:
    return "M" if int(number[16]) % 2 == 1 else "F"


def birth_date_of(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_hash(key: bytes, number: str) -> str:
    """Keyed hash (HMAC-SHA256) used for exact look-up and duplicate checks."""
    return hmac.digest(key, number.upper().encode("ascii"), "sha256").hex()  # one-shot: no HMAC object
