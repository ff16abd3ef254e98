"""Pure rules of the registry (no I/O): the household checks every path shares (form, API and import), income
arithmetic, the exit test declared once as data, the exit procedure, status moves, and the cross-checks of a
member's entered sex and birth date against the ID number.

A rule answers with `Problem`s — the field, the error code and the values its message names — so that the form,
the API and the import report the same code for the same bad household.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from fupin.core.errors import ErrorCode, FupinError
from fupin.core.scoping import Scope
from fupin.registry import errors

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("100000000")  # 1亿元: no household earns more; a bigger figure is a typing error
FIRST_YEAR = 2013  # 精准识别 began in 2013


@dataclass(frozen=True)
class Problem:
    """What a rule found: the field it concerns, the code, and the values its message names."""

    field: str
    code: ErrorCode
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, field: str, code: ErrorCode, /, **values: Any) -> Problem:
        return cls(field, code, tuple(values.items()))

    @property
    def message(self) -> str:
        return self.code.render(dict(self.values))

    def error(self) -> FupinError:
        return self.code(field=self.field, **dict(self.values))


def raise_first(problems: Iterable[Problem | None]) -> None:
    for problem in problems:
        if problem is not None:
            raise problem.error()


# ---------------------------------------------------------------- text

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    """NUL and the other C0 controls (tab, line feed and carriage return excepted) and DEL."""
    return _CONTROL.search(text) is not None


def strip_control_characters(text: str) -> str:
    return _CONTROL.sub("", text)


def text_problem(key: str, label: str, text: str, max_length: int) -> Problem | None:
    if len(text) > max_length:
        return Problem.of(key, errors.TOO_LONG, label=label, max_length=max_length)
    if has_control_characters(text):
        return Problem.of(key, errors.CONTROL_CHARACTERS, label=label)
    return None


# ---------------------------------------------------------------- money and income


def money(value: Decimal | int | str) -> Decimal:
    """Two places, half up. A value too large for that (1E+999999) is refused with a code, never a crash."""
    try:
        amount = value if type(value) is Decimal else Decimal(value)
        if not -_MONEY_LIMIT <= amount <= _MONEY_LIMIT:  # also False for NaN; infinities are outside
            raise InvalidOperation
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        raise errors.MONEY_TOO_LARGE(label="金额") from None


_MONEY_LIMIT = MAX_AMOUNT * 1000  # sums of ledger amounts stay far below; anything above is refused, not rounded


def amount_problem(key: str, label: str, value: object) -> Problem | None:
    """Why an amount as typed is not a yuan figure of the ledger: not a number, negative, absurd, over 2 places."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", "").strip())
    except ArithmeticError:
        return Problem.of(key, errors.MONEY_NOT_NUMBER, label=label, value=str(value)[:40])
    if not amount.is_finite():
        return Problem.of(key, errors.MONEY_NOT_NUMBER, label=label, value=str(value)[:40])
    if amount < 0:
        return Problem.of(key, errors.MONEY_NEGATIVE, label=label)
    if amount > MAX_AMOUNT:
        return Problem.of(key, errors.MONEY_TOO_LARGE, label=label)
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP) and amount.as_tuple().exponent < -2:  # type: ignore[operator]
        return Problem.of(key, errors.MONEY_PLACES, label=label)
    return None


@dataclass(frozen=True)
class IncomeFigures:
    wages: Decimal
    production_income: Decimal
    property_income: Decimal
    transfer_income: Decimal
    production_costs: Decimal
    members: int

    @property
    def gross(self) -> Decimal:
        return self.wages + self.production_income + self.property_income + self.transfer_income

    @property
    def net(self) -> Decimal:
        return money(self.gross - self.production_costs)

    @property
    def per_capita(self) -> Decimal:
        if self.members <= 0:
            return money(0)
        return money(self.net / self.members)


INCOME_FIELDS = {
    "wages": "工资性收入",
    "production_income": "生产经营性收入",
    "property_income": "财产性收入",
    "transfer_income": "转移性收入",
    "production_costs": "生产经营性支出",
}


# 转移性收入 in its parts; the first four are policy transfers (政策性转移收入), "other" is the rest (赡养费,
# 赠送, …) and takes a total entered without its parts.
TRANSFER_PARTS = {
    "transfer_dibao": "低保金",
    "transfer_tekun": "特困供养金",
    "transfer_pension": "养老金",
    "transfer_ecological": "生态补偿金",
    "transfer_other": "其他转移性收入",
}
POLICY_TRANSFER_PARTS = ("transfer_dibao", "transfer_tekun", "transfer_pension", "transfer_ecological")


def split_transfer(total: Decimal | None, parts: dict[str, Decimal | None]
                   ) -> tuple[Decimal, dict[str, Decimal]] | Problem:
    """(total, every part) from what was entered: parts alone sum to the total; a total alone is "other"; a
    total with some policy parts leaves the rest to "other"; a total with "other" too must equal the sum."""
    zero = Decimal("0.00")
    given = {k: v for k, v in parts.items() if v is not None}
    filled = {k: given.get(k, zero) for k in TRANSFER_PARTS}
    if total is None:
        return sum(filled.values(), zero), filled
    if "transfer_other" in given:
        if sum(filled.values(), zero) != total:
            return Problem.of("transfer_income", errors.TRANSFER_PARTS_SUM, total=total,
                              parts=sum(filled.values(), zero))
        return total, filled
    rest = total - sum(filled.values(), zero)
    if rest < 0:
        return Problem.of("transfer_income", errors.TRANSFER_PARTS_SUM, total=total, parts=total - rest)
    filled["transfer_other"] = rest
    return total, filled


@dataclass(frozen=True)
class TransferShare:
    """Policy transfers in the household's net income (the same share per capita): the exact ratio, compared
    exactly against the configured limit; `percent` is for display only."""

    policy: Decimal
    net: Decimal
    limit: Decimal

    @property
    def dominates(self) -> bool:
        if self.net <= 0:
            return self.policy > 0
        return self.policy > self.limit * self.net  # policy / net > limit, without rounding

    @property
    def percent(self) -> Decimal | None:
        if self.net <= 0:
            return None
        return (self.policy * 100 / self.net).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def transfer_share(parts: dict[str, Decimal], net: Decimal, limit: Decimal) -> TransferShare:
    return TransferShare(sum((parts.get(k) or Decimal(0) for k in POLICY_TRANSFER_PARTS), Decimal(0)), net, limit)


# ---------------------------------------------------------------- names: pinyin initials for the search

_INITIALS: dict[str, str] = {}


def name_initials(name: str | None) -> str | None:
    """Pinyin initials of a name, lower case ("王富贵" → "wfg"); letters and digits kept, other marks dropped.
    Character by character (a name has no phrase context), cached per character."""
    if not name:
        return None
    out = []
    for char in name:
        initial = _INITIALS.get(char)
        if initial is None:
            if char.isascii():
                initial = char.lower() if char.isalnum() else ""
            else:
                from pypinyin import Style, lazy_pinyin

                letters = lazy_pinyin(char, style=Style.FIRST_LETTER, errors=lambda _text: [""])
                initial = "".join(letters).lower()[:1] if letters and letters[0].isascii() else ""
            _INITIALS[char] = initial
        out.append(initial)
    return "".join(out)[:60] or None


def income_problems(figures: dict[str, object]) -> list[Problem]:
    found = []
    for name, label in INCOME_FIELDS.items():
        value = figures.get(name)
        if value is None or value == "":
            continue
        problem = amount_problem(name, label, value)
        if problem is not None:
            found.append(problem)
    return found


def income_errors(figures: dict[str, object]) -> dict[str, str]:
    """Field → Chinese reason, for amounts that are non-numeric, negative, absurd or over two places."""
    return {p.field: p.message for p in income_problems(figures)}


def year_problem(key: str, label: str, year: int | None, today: dt.date) -> Problem | None:
    if year is not None and not FIRST_YEAR <= year <= today.year:
        return Problem.of(key, errors.YEAR_RANGE, label=label, low=FIRST_YEAR, high=today.year)
    return None


def not_in_future(key: str, label: str, day: dt.date, today: dt.date) -> Problem | None:
    if day > today:
        return Problem.of(key, errors.DATE_IN_FUTURE, label=label, value=day.isoformat())
    return None


# ---------------------------------------------------------------- the household checks (form, API, import)

VILLAGE_LEVELS = ("village", "group")


@dataclass(frozen=True)
class Holder:
    """Who already holds an ID number (an active member), as the one conflict query finds it."""

    household_no: str
    area_code: str


def area_problem(code: str, level: str | None, scope: Scope) -> Problem | None:
    """The household's area exists, lies in the caller's scope, and is a village or a group. An area outside
    the scope reads exactly like one that does not exist."""
    if level is None or not scope.contains(code):
        return Problem.of("area_code", errors.AREA_NOT_AVAILABLE, area=code)
    if level not in VILLAGE_LEVELS:
        return Problem.of("area_code", errors.AREA_LEVEL)
    return None


def head_problem(relations: Sequence[str], field: str = "members") -> Problem | None:
    heads = sum(1 for r in relations if r == "head")
    if heads != 1:
        return Problem.of(field, errors.ONE_HEAD, count=heads)
    return None


def repeated_id_problem(numbers: Sequence[str], field: str = "members") -> Problem | None:
    if len(set(numbers)) != len(numbers):
        return Problem.of(field, errors.ID_REPEATED_IN_HOUSEHOLD)
    return None


def registration_year_problem(year: int | None, today: dt.date) -> Problem | None:
    return year_problem("registration_year", "识别年度", year, today)


def holder_problem(holder: Holder | None, household_no: str, scope: Scope,
                   field: str = "id_number") -> Problem | None:
    """An ID number already active in another household: named when that household is in the caller's scope,
    otherwise only said to exist elsewhere."""
    if holder is None or holder.household_no == household_no:
        return None
    if not scope.contains(holder.area_code):
        return Problem.of(field, errors.ID_REGISTERED_ELSEWHERE)
    return Problem.of(field, errors.ID_REGISTERED_IN, household_no=holder.household_no)


def household_no_problem(existing_area: str | None, household_no: str, scope: Scope, *,
                         new_household: bool) -> Problem | None:
    """A household number already in use: a new household may not take it; an import updating it must be in scope."""
    if existing_area is None:
        return None
    if not scope.contains(existing_area):
        return Problem.of("household_no", errors.HOUSEHOLD_NO_ELSEWHERE)
    if new_household:
        return Problem.of("household_no", errors.HOUSEHOLD_NO_TAKEN, household_no=household_no)
    return None


def land_problem(arable: Decimal | None, irrigated: Decimal | None) -> Problem | None:
    """有效灌溉面积 is part of 耕地面积 (exact comparison)."""
    if arable is not None and irrigated is not None and irrigated > arable:
        return Problem.of("irrigated_land_mu", errors.IRRIGATED_ABOVE_ARABLE)
    return None


def tidy_other_causes(main_cause: str | None, other_causes: str | None) -> str | None:
    """Other causes without the main one (stored comma-joined)."""
    if not other_causes or not main_cause:
        return other_causes
    return ",".join(c for c in other_causes.split(",") if c != main_cause) or None


# ---------------------------------------------------------------- the exit test, declared once

# Safe drinking water (DESIGN §3): ≥ 35 L per person-day (20 in water-short areas), ≤ 20 min per trip,
# ≤ 36 outage days a year.
WATER_LITRES = 35
WATER_LITRES_SHORT_AREA = 20
WATER_TRIP_MINUTES = 20
WATER_OUTAGE_DAYS = 36
COMPULSORY_SCHOOL_AGES = range(6, 16)  # 6–15 inclusive: nine years of compulsory education
WORKING_AGES = range(16, 65)
# 在校生状况 values that mean "not in school". 送教上门 (a disabled child taught at home, `home_schooling`) is
# schooling, as is every school stage; a blank status is unknown, not a dropout (quality asks for it).
OUT_OF_SCHOOL = ("not_in_school", "dropout")
# 文化程度 is the highest stage *completed* (docs/decisions.md, issue 17): 初中 or above means the nine years of
# 九年义务教育 are done, so a 15-year-old who finished 初中 and left school is no dropout.
COMPLETED_COMPULSORY = ("junior", "senior", "vocational", "college")


def is_compulsory_dropout(birth: dt.date, on: dt.date, schooling: str | None, education: str | None) -> bool:
    """义务教育辍学: of compulsory-school age on `on`, not in school (送教上门 counts as in school), and not having
    completed 九年义务教育. The SQL of `queries.exit_eligible_select` says the same (`MemberCondition`)."""
    return (age_on(birth, on) in COMPULSORY_SCHOOL_AGES and schooling in OUT_OF_SCHOOL
            and education not in COMPLETED_COMPULSORY)


@dataclass(frozen=True)
class CheckCondition:
    """One item of the yearly check that an exit needs, as data: `evaluate_exit` and the SQL of
    `queries.exit_eligible_select` are both derived from these declarations.

    kind "met": the boolean column must be true. "at_least"/"at_most": the number must reach / not pass the
    limit (`limit_short_area` in water-short areas); `required`: a missing number fails (else it passes)."""

    column: str
    kind: str  # met | at_least | at_most
    reason: str
    limit: int | None = None
    limit_short_area: int | None = None
    required: bool = False
    missing_reason: str | None = None

    def limit_for(self, short_area: bool) -> int | None:
        return self.limit_short_area if short_area and self.limit_short_area is not None else self.limit

    def failure(self, value: Any, short_area: bool) -> str | None:
        if self.kind == "met":
            return None if value else self.reason
        if value is None:
            return self.missing_reason if self.required else None
        limit = self.limit_for(short_area)
        assert limit is not None
        fails = value < limit if self.kind == "at_least" else value > limit
        return self.reason.format(value=value, limit=limit) if fails else None


CHECK_CONDITIONS: tuple[CheckCondition, ...] = (
    CheckCondition("food_ok", "met", "不愁吃未达标"),
    CheckCondition("clothing_ok", "met", "不愁穿未达标"),
    CheckCondition("education_ok", "met", "义务教育未保障(有适龄儿童辍学)"),
    CheckCondition("medical_ok", "met", "基本医疗未保障(有成员未参加基本医疗保险)"),
    CheckCondition("housing_ok", "met", "住房安全未保障"),
    CheckCondition("water_litres_per_person_day", "at_least", "饮水水量不足:每人每天{value}升,低于{limit}升",
                   WATER_LITRES, WATER_LITRES_SHORT_AREA, required=True, missing_reason="饮水安全未核查(缺少水量)"),
    CheckCondition("water_trip_minutes", "at_most", "取水往返{value}分钟,超过{limit}分钟", WATER_TRIP_MINUTES),
    CheckCondition("water_outage_days", "at_most", "全年断水{value}天,超过{limit}天", WATER_OUTAGE_DAYS),
    CheckCondition("water_quality_ok", "met", "饮水水质不达标"),
)
SHORT_AREA_COLUMN = "water_short_area"


@dataclass(frozen=True)
class MemberCondition:
    """Members that block an exit: dropouts of compulsory education on the school-year day (of compulsory-school
    age, out of school, 九年义务教育 not completed), or without basic medical insurance (the check's own item,
    when met, does not excuse them)."""

    school_ages: range = COMPULSORY_SCHOOL_AGES
    out_of_school: tuple[str, ...] = OUT_OF_SCHOOL
    completed: tuple[str, ...] = COMPLETED_COMPULSORY
    school_day: tuple[int, int] = (9, 1)  # ages are taken on 1 September of the year

    def day(self, year: int) -> dt.date:
        return dt.date(year, *self.school_day)

    def dropout(self, birth: dt.date, schooling: str | None, education: str | None, year: int) -> bool:
        return (age_on(birth, self.day(year)) in self.school_ages and schooling in self.out_of_school
                and education not in self.completed)

    def birth_window(self, year: int) -> tuple[dt.date, dt.date]:
        """(youngest birth included, oldest birth excluded): age in `school_ages` on the day ⇔ oldest < birth ≤
        youngest."""
        day = self.day(year)
        return day.replace(year=year - self.school_ages.start), day.replace(year=year - self.school_ages.stop)


MEMBER_CONDITION = MemberCondition()


@dataclass(frozen=True)
class CheckFigures:
    food_ok: bool
    clothing_ok: bool
    education_ok: bool
    medical_ok: bool
    housing_ok: bool
    water_litres_per_person_day: int | None
    water_trip_minutes: int | None
    water_outage_days: int | None
    water_quality_ok: bool
    water_short_area: bool


def check_failures(check: CheckFigures) -> list[str]:
    """Every failing item of 两不愁三保障 and safe water, in Chinese (from CHECK_CONDITIONS)."""
    short_area = bool(getattr(check, SHORT_AREA_COLUMN))
    reasons = []
    for condition in CHECK_CONDITIONS:
        reason = condition.failure(getattr(check, condition.column), short_area)
        if reason is not None:
            reasons.append(reason)
    return reasons


@dataclass(frozen=True)
class ExitEvaluation:
    year: int
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    per_capita_net: Decimal | None = None  # rounded to cents: for display only, never compared
    poverty_line: Decimal | None = None
    net_income: Decimal | None = None
    members: int | None = None


@dataclass(frozen=True)
class ExitIncome:
    """A year's income as the exit rule compares it: the household's net income (exact, in cents) and the
    members it is shared by."""

    net_income: Decimal
    members: int

    @property
    def per_capita(self) -> Decimal:
        """Rounded to cents, for display."""
        return money(self.net_income / self.members) if self.members > 0 else money(0)


def income_above_line(net_income: Decimal, members: int, line: Decimal) -> bool:
    """Per-capita net income strictly above the year's line, compared exactly: `net_income > line × members`
    (the per-capita figure is rounded to cents, so 8856.01 yuan for 3 people shows 2952.00 yet is above a line of
    2952). A household of no members is not above any line. The SQL (`queries.exit_eligible_select`) says the
    same for the same declaration."""
    return members > 0 and net_income > line * members


def evaluate_exit(
    year: int,
    income: ExitIncome | None,
    poverty_line: Decimal | None,
    check: CheckFigures | None,
    *,
    members_out_of_school: int = 0,
    members_without_medical_insurance: int = 0,
) -> ExitEvaluation:
    """Household exit (贫困户退出): per-capita net income above the year's line (exactly) and every item met."""
    reasons: list[str] = []
    if poverty_line is None:
        reasons.append(f"{year}年扶贫标准未设置")
    per_capita_net = None if income is None else income.per_capita
    if income is None:
        reasons.append(f"缺少{year}年收入记录")
    elif poverty_line is not None and not income_above_line(income.net_income, income.members, poverty_line):
        reasons.append(f"人均纯收入{per_capita_net}元(家庭纯收入{income.net_income}元,{income.members}人),"
                       f"未超过{year}年扶贫标准{poverty_line}元")
    if check is None:
        reasons.append(f"缺少{year}年两不愁三保障核查")
    else:
        reasons.extend(check_failures(check))
    if members_out_of_school and (check is None or check.education_ok):
        reasons.append(f"有{members_out_of_school}名义务教育阶段成员辍学")
    if members_without_medical_insurance and (check is None or check.medical_ok):
        reasons.append(f"有{members_without_medical_insurance}名成员未参加基本医疗保险")
    return ExitEvaluation(year, not reasons, reasons, per_capita_net, poverty_line,
                          None if income is None else income.net_income, None if income is None else income.members)


def line_for(lines: dict[tuple[int, str], Decimal], year: int, province_code: str) -> Decimal | None:
    """A province's own line if it set one (it may only be higher), else the national line."""
    national = lines.get((year, "00"))
    provincial = lines.get((year, province_code))
    if provincial is not None and (national is None or provincial > national):
        return provincial
    return national


# ---------------------------------------------------------------- the exit procedure and statuses

EXIT_STEPS: tuple[tuple[str, str], ...] = (
    ("democratic_appraisal", "民主评议"),
    ("village_publicity", "村内公示"),
    ("township_review", "乡镇审核"),
    ("county_announcement", "县级公告"),
    ("removal", "销号"),
)
EXIT_STEP_NAMES = dict(EXIT_STEPS)
# The permission-table action of each step: the village appraises and publicises, the township reviews, the
# county announces and removes.
EXIT_STEP_ACTIONS = {step: f"registry.exit.{step}" for step in EXIT_STEP_NAMES}
VILLAGE_PUBLICITY_DAYS = 7


def next_exit_step(done: list[str]) -> str | None:
    for step, _name in EXIT_STEPS:
        if step not in done:
            return step
    return None


def exit_step_problem(step: str, done: list[tuple[str, dt.date]], on: dt.date, eligible: bool) -> Problem | None:
    """Why `step` cannot be recorded now, or None. Steps go in order, each once."""
    if step not in EXIT_STEP_NAMES:
        return Problem.of("step", errors.EXIT_STEP_UNKNOWN, step=step[:40])
    done_steps = [s for s, _ in done]
    expected = next_exit_step(done_steps)
    if expected is None:
        return Problem.of("step", errors.EXIT_COMPLETE)
    if step != expected:
        return Problem.of("step", errors.EXIT_STEP_ORDER, expected=EXIT_STEP_NAMES[expected])
    if step == "democratic_appraisal" and not eligible:
        return Problem.of("step", errors.EXIT_NOT_ELIGIBLE)
    if done and on < done[-1][1]:
        return Problem.of("happened_on", errors.EXIT_STEP_DATE)
    if step == "township_review":
        publicity_on = dict(done).get("village_publicity")
        if publicity_on is not None and (on - publicity_on).days < VILLAGE_PUBLICITY_DAYS:
            return Problem.of("happened_on", errors.EXIT_PUBLICITY_DAYS, days=VILLAGE_PUBLICITY_DAYS,
                              since=publicity_on.isoformat())
    return None


def exit_step_error(step: str, done: list[tuple[str, dt.date]], on: dt.date, eligible: bool) -> str | None:
    problem = exit_step_problem(step, done, on, eligible)
    return None if problem is None else problem.message


STATUS_MOVES: dict[str, frozenset[str]] = {
    "identified": frozenset({"helped", "exit_proposed"}),
    "helped": frozenset({"exit_proposed"}),
    "exit_proposed": frozenset({"exited", "helped"}),
    "exited": frozenset({"monitored", "returned"}),
    "monitored": frozenset({"exited", "returned"}),
    "returned": frozenset({"helped", "exit_proposed"}),
}


def status_move_problem(current: str, target: str) -> Problem | None:
    if target not in STATUS_MOVES:
        return Problem.of("status", errors.STATUS_UNKNOWN, status=target[:40])
    if target not in STATUS_MOVES.get(current, frozenset()):
        return Problem.of("status", errors.STATUS_MOVE, current=current, target=target)
    return None


def status_move_error(current: str, target: str) -> str | None:
    problem = status_move_problem(current, target)
    return None if problem is None else problem.message


# ---------------------------------------------------------------- members


def member_identity_problems(id_sex: str, id_birth: dt.date, sex: str | None,
                             birth: dt.date | None) -> list[Problem]:
    found = []
    if sex is not None and sex != id_sex:
        found.append(Problem.of("sex", errors.SEX_MISMATCH, sex="男" if id_sex == "M" else "女"))
    if birth is not None and birth != id_birth:
        # The message does not repeat the birth date the number holds (a masked view must not rebuild it).
        found.append(Problem.of("birth_date", errors.BIRTH_MISMATCH))
    return found


def member_identity_errors(id_sex: str, id_birth: dt.date, sex: str | None, birth: dt.date | None) -> list[str]:
    return [p.message for p in member_identity_problems(id_sex, id_birth, sex, birth)]


def member_detail_problems(health: str | None, disability_grade: int | None,
                           months_worked: int | None) -> list[Problem]:
    found = []
    if disability_grade is not None and not 1 <= disability_grade <= 4:
        found.append(Problem.of("disability_grade", errors.DISABILITY_GRADE_RANGE))
    elif health == "disabled" and disability_grade is None:
        found.append(Problem.of("disability_grade", errors.DISABILITY_GRADE_MISSING))
    if months_worked is not None and not 0 <= months_worked <= 12:
        found.append(Problem.of("months_worked", errors.MONTHS_WORKED_RANGE))
    return found


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
