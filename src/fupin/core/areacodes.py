"""Pure rules of the 12-digit statistical area codes (统计用区划代码) and the 15-digit group codes.

A code's subtree is its significant prefix: province 2 digits, prefecture 4, county 6, township 9,
village 12, group 15. Everything that scopes or rolls up works on these prefixes.
"""

from __future__ import annotations

from enum import StrEnum

from fupin.core.errors import Invalid


class AreaLevel(StrEnum):
    province = "province"
    prefecture = "prefecture"
    county = "county"
    township = "township"
    village = "village"
    group = "group"


LEVEL_ORDER: tuple[AreaLevel, ...] = tuple(AreaLevel)
PREFIX_LENGTH: dict[AreaLevel, int] = {
    AreaLevel.province: 2,
    AreaLevel.prefecture: 4,
    AreaLevel.county: 6,
    AreaLevel.township: 9,
    AreaLevel.village: 12,
    AreaLevel.group: 15,
}
LEVEL_NAMES_ZH: dict[AreaLevel, str] = {
    AreaLevel.province: "省",
    AreaLevel.prefecture: "市/州",
    AreaLevel.county: "县/区",
    AreaLevel.township: "乡/镇/街道",
    AreaLevel.village: "村/社区",
    AreaLevel.group: "组/屯",
}


class AreaCodeError(Invalid):
    """A code that is not a statistical area code; the message is Chinese, for the user."""


def validate_code(code: str) -> str:
    code = (code or "").strip()
    if not code.isdigit() or not code.isascii():
        raise AreaCodeError(f"区划代码“{code}”应只含数字")
    if len(code) == 6:
        # The 6-digit administrative code people know; pad it to the statistical code.
        code = code + "000000"
    if len(code) not in (12, 15):
        raise AreaCodeError(f"区划代码“{code}”应为12位(组/屯为15位)")
    if code[:2] == "00":
        raise AreaCodeError(f"区划代码“{code}”的省级代码无效")
    # No check that middle levels are non-zero: 东莞 (441900) and 中山 have townships directly under the
    # prefecture (441900003000), so a zero county part is real.
    return code


def level_of(code: str) -> AreaLevel:
    if len(code) == 15:
        return AreaLevel.group
    if code[2:] == "0" * 10:
        return AreaLevel.province
    if code[4:] == "0" * 8:
        return AreaLevel.prefecture
    if code[6:] == "0" * 6:
        return AreaLevel.county
    if code[9:] == "000":
        return AreaLevel.township
    return AreaLevel.village


def prefix_of(code: str) -> str:
    """The significant prefix of a code: all codes of its subtree start with it."""
    return code[: PREFIX_LENGTH[level_of(code)]]


def parent_of(code: str) -> str | None:
    level = level_of(code)
    if level == AreaLevel.province:
        return None
    index = LEVEL_ORDER.index(level)
    parent_level = LEVEL_ORDER[index - 1]
    if level == AreaLevel.group:
        return code[:12]
    keep = PREFIX_LENGTH[parent_level]
    return code[:keep] + "0" * (12 - keep)


def ancestors_of(code: str) -> list[str]:
    """Codes from the province down to the parent (not the code itself)."""
    chain: list[str] = []
    parent = parent_of(code)
    while parent is not None:
        chain.append(parent)
        parent = parent_of(parent)
    return list(reversed(chain))


def code_at_level(code: str, level: AreaLevel) -> str:
    """The ancestor (or self) of `code` at `level`."""
    keep = PREFIX_LENGTH[level]
    if level == AreaLevel.group:
        return code
    return code[:keep] + "0" * (12 - keep)


def prefix_upper_bound(prefix: str) -> str | None:
    """The smallest digit string of the same length greater than every code starting with `prefix`.

    `code >= prefix AND code < bound` is an index range scan on any collation, unlike LIKE 'p%'.
    """
    if not prefix:
        return None
    if set(prefix) == {"9"}:
        return None
    return str(int(prefix) + 1).zfill(len(prefix))


def in_subtree(code: str, ancestor_prefix: str) -> bool:
    return code.startswith(ancestor_prefix)


# 东部 / 中部 / 西部 as used by the State Council poverty-alleviation office (exit thresholds differ).
_EAST = {"11", "12", "13", "21", "31", "32", "33", "35", "37", "44", "46", "71", "81", "82"}
_CENTRAL = {"14", "22", "23", "34", "36", "41", "42", "43"}
_WEST = {"15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}


class Region(StrEnum):
    east = "east"
    central = "central"
    west = "west"


REGION_NAMES_ZH = {Region.east: "东部", Region.central: "中部", Region.west: "西部"}


def region_of(code: str) -> Region | None:
    province = code[:2]
    if province in _EAST:
        return Region.east
    if province in _CENTRAL:
        return Region.central
    if province in _WEST:
        return Region.west
    return None
