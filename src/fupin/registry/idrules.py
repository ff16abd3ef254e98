"""Validation of ID numbers (pure). python-stdnum does the arithmetic; where its rules and real cards
disagree, real cards win:

- stdnum.cn.ric refuses a region code that did not exist in the holder's *birth* year (e.g. 530326 会泽县
  exists "from 1997", so it refuses everyone in 会泽县 born before 1997). But the region code is where the
  number was *issued*, and every 会泽 resident born in 1960 holds a 530326 number. We accept a region code
  that existed at any time.
- stdnum accepts birth dates in the future; we do not.
- 15-digit first-generation numbers (all issued to people born 19xx) are converted to 18 digits; stdnum knows
  only 18 digits. The number as typed is kept beside the converted one (`persons.id_number_original`).
- stdnum's `compact` removes plain spaces only. People type numbers with a Chinese input method: full-width
  digits and letters (`５３０３２６…`, `Ｘ`), ideographic spaces, spaces inside and around, a lowercase `x`.
  `normalise_id_number` turns all of these into the ASCII number (NFKC, no whitespace, upper case) before any
  check, on every path (API, page form, import, search), so none of them reads as a wrong check digit.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from stdnum import numdb
from stdnum.cn import ric

from fupin.core.errors import ErrorCode
from fupin.registry import errors
from fupin.registry.rules import Problem


@dataclass(frozen=True)
class IdCheck:
    number: str | None
    problem: Problem | None = None
    converted_from_15: bool = False
    original: str | None = None  # the 15-digit number as typed (normalised), when it was converted

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def error(self) -> str | None:
        return None if self.problem is None else self.problem.message


@lru_cache(maxsize=8192)
def _region_known(region6: str) -> bool:
    info = {k: v for _part, props in numdb.get("cn/loc").info(region6) for k, v in props.items()}
    return "county" in info


def normalise_id_number(raw: str | None) -> str:
    """An ID number as typed → ASCII: NFKC (full-width digits, letters and spaces), no whitespace anywhere,
    upper case (a lowercase x is the check character X)."""
    if not raw:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(raw)).split()).upper()


def convert_15_to_18(number15: str) -> str:
    body = number15[:6] + "19" + number15[6:]
    return body + ric.calc_check_digit(body + "0")


def _bad(code: ErrorCode, **values: object) -> IdCheck:
    return IdCheck(None, Problem.of("id_number", code, **values))


def check_id_number(raw: str | None, today: dt.date | None = None) -> IdCheck:
    """The number, upper-cased and converted to 18 digits, or the problem (no message repeats the birth date)."""
    today = today or dt.date.today()
    number = normalise_id_number(raw)
    if not number:
        return _bad(errors.ID_REQUIRED)
    original = None
    if len(number) == 15:
        if not (number.isdigit() and number.isascii()):
            return _bad(errors.ID_15_DIGITS)
        original = number
        number = convert_15_to_18(number)
    if len(number) != 18:
        return _bad(errors.ID_LENGTH, length=min(len(number), 999))
    if not number[:17].isdigit() or not number[:17].isascii() or not (number[17].isdigit() or number[17] == "X"):
        return _bad(errors.ID_FORMAT)
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return _bad(errors.ID_BIRTH_DATE, value=number[6:14])
    if birth > today:
        return _bad(errors.ID_BIRTH_FUTURE)
    if birth.year < 1900:
        return _bad(errors.ID_BIRTH_TOO_EARLY)
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        return _bad(errors.ID_CHECK_DIGIT, expected=expected)
    if not _region_known(number[:6]):
        return _bad(errors.ID_REGION, value=number[:6])
    return IdCheck(number, None, original is not None, original)
