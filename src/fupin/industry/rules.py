"""Pure rules of industry: vocabularies, the credit-code check, land rent, and the distribution of a run.

The distribution (`distribute`) splits a total exactly (largest remainder, `core.money.split`):
1. between the enterprise and the villages by percentage (enterprise first in the tie order);
2. among the villages by a basis — registered households, member households, shares, or equal — villages in
   ascending area code (the stated tie order);
3. inside each village, first to the households below the standard, in ascending household number, an equal
   share each up to the cap; what is left goes to the village collective. With no cap every unit goes to those
   households (the collective gets only what cannot be split among none). For in-kind runs the unit is 1.
The same inputs always give the same result (no randomness, no dict order, no floats).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength

from fupin.core.errors import FupinError
from fupin.core.money import CENT, MAX_YUAN, WHOLE, split
from fupin.core.validation import choice_problem
from fupin.industry import errors

ENTITY_KINDS = {
    "cooperative": "农民专业合作社",
    "enterprise": "龙头企业",
    "family_farm": "家庭农场",
    "base": "生产基地",
    "workshop": "扶贫车间",
}
INDUSTRIES = {
    "fungus": "食用菌(木耳)",
    "apple": "苹果",
    "herbs": "中药材",
    "tea": "茶叶",
    "tourism": "乡村旅游",
    "livestock": "养殖",
    "vegetables": "蔬菜",
    "fruit": "水果",
    "other": "其他",
}
LINK_KINDS = {"production": "生产合作", "share": "股份合作", "labour": "劳务合作", "land": "土地流转"}
VILLAGE_BASES = {
    "registered_households": "建档立卡户数",
    "member_households": "成员户数",
    "shares": "股份数",
    "equal": "各村均分",
}
INSIDE_VILLAGE = {"below_first": "先补助未达标贫困户,余额归村集体", "collective": "全部归村集体"}
UNITS = {"yuan": "元", "piece": "段(实物)"}
INCOME_FIELDS = {"property_income": "财产性收入", "production_income": "生产经营性收入"}
COLLECTIVE_SOURCES = {"dividend": "产业分红", "rent": "资产租赁", "operation": "经营收入", "service": "服务收入",
                      "other": "其他"}
RUN_STATUSES = {"preview": "试算", "confirmed": "已确认", "discarded": "已作废"}
PART_KINDS = {"enterprise": "企业", "village": "村", "household": "农户", "collective": "村集体"}
DEFAULT_COLLECTIVE_TARGET = Decimal("50000")  # seed 004: every village's collective income ≥ 50,000 yuan

FIELD_LABELS = {
    "name": ("名称", "name"),
    "kind": ("主体类型", "kind"),
    "industry": ("产业", "industry"),
    "link_kind": ("联结方式", "kind of link"),
    "village_basis": ("各村分配依据", "basis among villages"),
    "inside_village": ("村内分配方式", "split inside a village"),
    "unit": ("分配单位", "unit"),
    "income_field": ("计入收入项", "income field"),
    "source": ("收入来源", "source"),
    "amount": ("金额", "amount"),
    "total": ("分配总额", "total"),
    "household_cap": ("每户补助上限", "cap per household"),
    "shares": ("股份", "shares"),
    "rent_per_mu": ("每亩年租金", "rent per mu"),
    "area_mu": ("面积(亩)", "area (mu)"),
    "paid": ("实付租金", "rent paid"),
    "period": ("分配期间", "period"),
}


def choice_error(field_name: str, value: object, vocabulary: dict[str, str]) -> FupinError | None:
    """None when `value` is one of the vocabulary's codes; else the error naming the field and the choices."""
    return choice_problem(errors.INVALID_CHOICE, FIELD_LABELS, field_name, value, vocabulary)


def credit_code(value: str | None) -> str | None:
    """The unified social credit code, compacted (spaces and dashes dropped, upper case), or None when empty.

    python-stdnum checks the length (18), that the first 8 characters are digits, that the rest are digits or
    capitals outside I, O, Z, S, V, and the check character; it does not check the region code."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return uscc.validate(text)
    except InvalidLength:
        raise errors.CREDIT_CODE_LENGTH(field="credit_code", length=len(uscc.compact(text))) from None
    except InvalidChecksum:
        raise errors.CREDIT_CODE_CHECKSUM(field="credit_code",
                                          expected=uscc.calc_check_digit(uscc.compact(text))) from None
    except Exception:  # noqa: BLE001 - InvalidFormat and anything stdnum refuses otherwise
        raise errors.CREDIT_CODE_FORMAT(field="credit_code") from None


def amount(value: object, field_name: str, *, positive: bool = False, unit: Decimal = CENT) -> Decimal:
    """An exact non-negative amount in `unit`s (cents, or whole pieces), refusing anything else by name."""
    label, label_en = FIELD_LABELS.get(field_name, (field_name, field_name))
    try:
        number = Decimal(str(value).strip().replace(",", "")) if not isinstance(value, Decimal) else value
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise errors.AMOUNT_INVALID(field=field_name, label=label, label_en=label_en) from None
    if number < 0 or number > MAX_YUAN:
        raise errors.AMOUNT_INVALID(field=field_name, label=label, label_en=label_en)
    if positive and number <= 0:
        raise errors.AMOUNT_POSITIVE(field=field_name, label=label, label_en=label_en)
    if unit == WHOLE and number != number.to_integral_value():
        raise errors.WHOLE_UNITS(field=field_name)
    if number.quantize(CENT, rounding=ROUND_DOWN) != number:
        raise errors.AMOUNT_INVALID(field=field_name, label=label, label_en=label_en)
    return number.quantize(CENT)


def land_problems(area_mu: Decimal, starts_on: dt.date, ends_on: dt.date) -> list[FupinError]:
    problems: list[FupinError] = []
    if area_mu <= 0:
        problems.append(errors.AREA_NEGATIVE(field="area_mu"))
    if ends_on < starts_on:
        problems.append(errors.END_BEFORE_START(field="ends_on", starts_on=starts_on.isoformat(),
                                                ends_on=ends_on.isoformat()))
    return problems


def rent_due(area_mu: Decimal, rent_per_mu: Decimal, starts_on: dt.date, ends_on: dt.date, year: int) -> Decimal:
    """A year's rent: the full yearly rent in every year the contract runs (any day of it), else 0."""
    if starts_on.year <= year <= ends_on.year:
        return (area_mu * rent_per_mu).quantize(CENT)
    return Decimal("0.00")


def period_year(period: str) -> int:
    text = (period or "").strip()
    if len(text) < 4 or not text[:4].isdigit() or not 2000 <= int(text[:4]) <= 2100:
        raise errors.PERIOD_INVALID(field="period")
    return int(text[:4])


# ---------------------------------------------------------------- the distribution


@dataclass(frozen=True)
class HouseholdIn:
    id: int
    household_no: str
    below_standard: bool


@dataclass(frozen=True)
class VillageIn:
    code: str
    registered_households: int = 0
    member_households: int = 0
    shares: Decimal = Decimal("0")
    households: tuple[HouseholdIn, ...] = ()


@dataclass(frozen=True)
class RunConfig:
    enterprise_percent: Decimal = Decimal("40")
    village_basis: str = "registered_households"
    inside_village: str = "below_first"
    household_cap: Decimal | None = None
    unit: str = "yuan"

    @property
    def step(self) -> Decimal:
        return WHOLE if self.unit == "piece" else CENT


@dataclass(frozen=True)
class HouseholdOut:
    id: int
    household_no: str
    amount: Decimal


@dataclass(frozen=True)
class VillageOut:
    code: str
    weight: Decimal
    amount: Decimal
    households: tuple[HouseholdOut, ...]
    collective: Decimal


@dataclass(frozen=True)
class Distribution:
    total: Decimal
    enterprise: Decimal
    villages_total: Decimal
    villages: tuple[VillageOut, ...] = field(default_factory=tuple)

    def household_count(self) -> int:
        return sum(len(v.households) for v in self.villages)


def village_weight(village: VillageIn, basis: str) -> Decimal:
    if basis == "registered_households":
        return Decimal(village.registered_households)
    if basis == "member_households":
        return Decimal(village.member_households)
    if basis == "shares":
        return Decimal(village.shares)
    return Decimal(1)


def equal_capped(total_units: int, count: int, cap_units: int | None) -> tuple[list[int], int]:
    """`total_units` shared equally among `count` parts in whole units, no part above `cap_units`; the earlier
    parts take the odd units (largest remainder with equal weights: ties to the earlier part). Returns the parts
    and what is left over (to the collective)."""
    if count == 0:
        return [], total_units
    if cap_units is not None and total_units >= cap_units * count:
        return [cap_units] * count, total_units - cap_units * count
    each, odd = divmod(total_units, count)
    return [each + 1 if i < odd else each for i in range(count)], 0


def distribute(total: Decimal, config: RunConfig, villages: Sequence[VillageIn]) -> Distribution:
    """The run's parts; every split sums exactly to what it splits (see the module's docstring)."""
    step = config.step
    ordered = sorted(villages, key=lambda v: v.code)
    if not ordered:
        raise errors.NO_VILLAGES()
    enterprise, villages_total = split(total, [config.enterprise_percent, Decimal(100) - config.enterprise_percent],
                                       step)
    weights = [village_weight(v, config.village_basis) for v in ordered]
    if villages_total > 0 and not any(w > 0 for w in weights):
        raise errors.NOTHING_TO_SHARE_BY(field="village_basis", basis=VILLAGE_BASES[config.village_basis],
                                         basis_en=config.village_basis)
    shares = split(villages_total, weights, step) if any(w > 0 for w in weights) else [Decimal(0) * step] * len(ordered)
    cap_units = None if config.household_cap is None else int(config.household_cap / step)
    out: list[VillageOut] = []
    for village, weight, share in zip(ordered, weights, shares, strict=True):
        if config.inside_village == "collective":
            out.append(VillageOut(village.code, weight, share, (), share))
            continue
        below = sorted((h for h in village.households if h.below_standard), key=lambda h: (h.household_no, h.id))
        parts, rest = equal_capped(int(share / step), len(below), cap_units)
        households = tuple(HouseholdOut(h.id, h.household_no, (Decimal(n) * step).quantize(step))
                           for h, n in zip(below, parts, strict=True))
        out.append(VillageOut(village.code, weight, share, households, (Decimal(rest) * step).quantize(step)))
    return Distribution(total, enterprise, villages_total, tuple(out))
