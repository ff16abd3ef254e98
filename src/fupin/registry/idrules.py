"""Validation of ID numbers (pure). python-stdnum does the arithmetic; where its rules and real cards
disagree, real cards win:

- stdnum.cn.ric refuses a region code that did not exist in the holder's *birth* year (e.g. 530326 会泽县
  exists "from 1997", so it refuses everyone in 会泽县 born before 1997). But the region code is where the
  number was *issued*, and every 会泽 resident born in 1960 holds a 530326 number. We accept a region code
  that existed at any time.
- stdnum accepts birth dates in the future; we do not.
- 15-digit first-generation numbers (all issued to people born 19xx) are converted to 18 digits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from stdnum import numdb
from stdnum.cn import ric


@dataclass(frozen=True)
class IdCheck:
    number: str | None
    error: str | None = None
    converted_from_15: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


@lru_cache(maxsize=8192)
def _region_known(region6: str) -> bool:
    info = {k: v for _part, props in numdb.get("cn/loc").info(region6) for k, v in props.items()}
    return "county" in info


def convert_15_to_18(number15: str) -> str:
    body = number15[:6] + "19" + number15[6:]
    return body + ric.calc_check_digit(body + "0")


def check_id_number(raw: str | None, today: dt.date | None = None) -> IdCheck:
    today = today or dt.date.today()
    number = (raw or "").strip().replace(" ", "").upper()
    if not number:
        return IdCheck(None, "身份证号不能为空")
    converted = False
    if len(number) == 15:
        if not number.isdigit():
            return IdCheck(None, "15位身份证号应全为数字")
        number = convert_15_to_18(number)
        converted = True
    if len(number) != 18:
        return IdCheck(None, f"身份证号应为18位(现为{len(number)}位)")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return IdCheck(None, "身份证号前17位应为数字,最后一位为数字或X")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return IdCheck(None, f"身份证号中的出生日期{number[6:14]}不存在")
    if birth > today:
        return IdCheck(None, f"身份证号中的出生日期{birth.isoformat()}晚于今天")
    if birth.year < 1900:
        return IdCheck(None, f"身份证号中的出生年份{birth.year}早于1900年")
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        return IdCheck(None, f"身份证号校验位错误(最后一位应为{expected})")
    if not _region_known(number[:6]):
        return IdCheck(None, f"身份证号前6位地区码{number[:6]}不存在")
    return IdCheck(number, None, converted)
