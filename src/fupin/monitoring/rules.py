"""Pure rules of return-to-poverty monitoring (no I/O): vocabularies, the threshold in force, the early-warning
rules, the identification procedure and risk clearing. Every refusal is a Chinese reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

MONITOR_TYPES = {
    "unstable": "脱贫不稳定户",
    "marginal": "边缘易致贫户",
    "sudden": "突发严重困难户",
}

RISK_TYPES = {
    "illness": "因病",
    "disability": "因残",
    "schooling": "因学",
    "disaster": "因灾",
    "unstable_job": "因务工就业不稳",
    "no_labour": "缺劳动力",
    "housing": "住房安全",
    "water": "饮水安全",
    "accident": "因意外事故",
    "industry_failure": "因产业项目失败",
    "other": "其他",
}

CHANNELS = {
    "self_report": "农户自主申报",
    "cadre_check": "基层干部排查",
    "department_alert": "部门筛查预警",
}

STATUSES = {
    "identifying": "认定中",
    "monitored": "监测帮扶中",
    "cleared": "风险已消除",
}
OPEN_STATUSES = ("identifying", "monitored")

NATIONAL = "00"
DEFAULT_WARNING_FACTOR = Decimal("1.0")

# ---------------------------------------------------------------- the threshold


MONITORING_FROM = 2021  # the first year of 防返贫动态监测; before it the year's poverty line is the test


def _in_force(table: dict[tuple[int, str], Decimal], year: int, province_code: str) -> Decimal | None:
    national, provincial = table.get((year, NATIONAL)), table.get((year, province_code))
    if provincial is not None and (national is None or provincial > national):
        return provincial
    return national


def threshold_for(thresholds: dict[tuple[int, str], Decimal], poverty_lines: dict[tuple[int, str], Decimal],
                  year: int, province_code: str) -> Decimal | None:
    """The monitoring threshold for income of `year`: the year's own (a province's if higher than the national);
    before monitoring began in 2021, that year's poverty line. A year without one answers None — never an
    earlier year's value (provinces raised theirs after 2021): the year is flagged (`missing_years`), its
    incomes raise no warning and clear no risk until the threshold is set."""
    if year < MONITORING_FROM:
        return _in_force(poverty_lines, year, province_code)
    return _in_force(thresholds, year, province_code)


def missing_years(thresholds: dict[tuple[int, str], Decimal], province_code: str | None,
                  last_year: int) -> list[int]:
    """The monitoring years up to `last_year` without a threshold in force for the province (None: for the
    country, i.e. without a national threshold)."""
    return [y for y in range(MONITORING_FROM, last_year + 1)
            if (thresholds.get((y, NATIONAL)) if province_code is None
                else _in_force(thresholds, y, province_code)) is None]


# ---------------------------------------------------------------- early-warning rules
# Each rule looks at one household's facts and answers a Chinese reason to check it, or None; the signals that
# feed them (one query each) are in signals.py.


DISASTER_WORDS = ("灾", "洪", "涝", "旱", "地震", "泥石流", "滑坡", "冰雹", "火灾", "塌")


PerCapita = Decimal | Fraction  # yuan a person: a stored figure, or a household's net income ÷ members exactly


def exact_per_capita(net_income: Decimal | None, members: int | None, stored: Decimal | None) -> PerCapita | None:
    """A household's net income ÷ its members, exactly: the stored per-capita figure is rounded to the fen, and a
    household a fraction of a fen below a line is below it (the registry's exit rule compares the same way)."""
    if net_income is not None and members:
        return Fraction(net_income) / members
    return stored


def _yuan_said_below(per_capita: PerCapita) -> Decimal:
    """The figure in the words of a sentence that says it is below a line: an exact quotient is cut to the fen,
    never rounded up onto the line."""
    if isinstance(per_capita, Fraction):
        return (Decimal(per_capita.numerator) / Decimal(per_capita.denominator)).quantize(Decimal("0.01"), ROUND_DOWN)
    return per_capita


def low_income_warning(per_capita_net: PerCapita | None, year: int | None, threshold: Decimal | None,
                       factor: Decimal = DEFAULT_WARNING_FACTOR) -> str | None:
    if per_capita_net is None or year is None or threshold is None:
        return None
    limit = threshold * factor  # exact: compared unrounded, rounded only in the words
    if Fraction(per_capita_net) < Fraction(limit):
        said = _yuan_said_below(per_capita_net)
        shown = limit.quantize(Decimal("0.01"), ROUND_HALF_UP)
        if shown <= said:  # rounding would make the line look reached: show it in full
            shown = limit
        return f"{year}年人均纯收入{said}元,低于监测预警线{shown}元"
    return None


def illness_disability_warning(seriously_ill: int, disabled: int) -> str | None:
    parts = []
    if seriously_ill:
        parts.append(f"{seriously_ill}人患大病")
    if disabled:
        parts.append(f"{disabled}人残疾")
    return "家庭成员" + "、".join(parts) if parts else None


def job_ended_warning(employed_last_year: int, employed_this_year: int, year: int) -> str | None:
    if employed_last_year > 0 and employed_this_year == 0:
        return f"{year - 1}年有{employed_last_year}人务工就业,{year}年无人就业"
    return None


def disaster_warning(visited_on: dt.date | None, found: str | None) -> str | None:
    if visited_on is None or not found:
        return None
    if any(word in found for word in DISASTER_WORDS):
        return f"{visited_on.isoformat()}走访记录灾情:{found[:40]}"
    return None


def housing_warning(housing_ok: bool | None, year: int | None) -> str | None:
    if housing_ok is False:
        return f"{year}年核查住房不安全"
    return None


# ---------------------------------------------------------------- the identification procedure

STEPS: tuple[tuple[str, str], ...] = (
    ("verification", "入户核实"),
    ("democratic_appraisal", "民主评议"),
    ("publicity", "村内公示"),
    ("approval", "乡镇审核确定"),
)
STEP_NAMES = dict(STEPS)
PUBLICITY_DAYS = 5
IDENTIFY_WITHIN_DAYS = 15


def next_step(done: list[str]) -> str | None:
    for step, _name in STEPS:
        if step not in done:
            return step
    return None


@dataclass(frozen=True)
class StepProblem:
    """Why a step cannot be recorded now: `kind` is "unknown", "done" (the procedure is complete), "recorded"
    (this step is done already), "order" (`expected` comes first), "future", "before_clue", "before_previous"
    or "publicity" (fewer than PUBLICITY_DAYS since the publicity began on `day`)."""

    kind: str
    step: str
    expected: str | None = None
    day: dt.date | None = None


def step_error(step: str, done: list[tuple[str, dt.date]], on: dt.date, clue_on: dt.date,
               today: dt.date) -> StepProblem | None:
    """Why `step` cannot be recorded now, or None. Steps go in order, each once."""
    if step not in STEP_NAMES:
        return StepProblem("unknown", step)
    expected = next_step([s for s, _ in done])
    if expected is None:
        return StepProblem("done", step)
    if step in dict(done):
        return StepProblem("recorded", step)
    if step != expected:
        return StepProblem("order", step, expected)
    if on > today:
        return StepProblem("future", step)
    if on < clue_on:
        return StepProblem("before_clue", step, day=clue_on)
    if done and on < done[-1][1]:
        return StepProblem("before_previous", step, day=done[-1][1])
    if step == "approval":
        publicity_on = dict(done).get("publicity")
        if publicity_on is not None and (on - publicity_on).days < PUBLICITY_DAYS:
            return StepProblem("publicity", step, day=publicity_on)
    return None


def deadline(clue_on: dt.date) -> dt.date:
    return clue_on + dt.timedelta(days=IDENTIFY_WITHIN_DAYS)


def overdue(clue_on: dt.date, approved_on: dt.date | None, today: dt.date) -> bool:
    """Past the 15 days from the first clue without approval (or approved late)."""
    return (approved_on or today) > deadline(clue_on)


# ---------------------------------------------------------------- risk clearing

MONTHS_BEFORE_CLEARING = 6
STABLE_INCOME_YEARS = 2
LABOUR_CAPACITIES = ("normal", "skilled", "weak")


@dataclass(frozen=True)
class ClearingFacts:
    identified_on: dt.date | None
    incomes: list[tuple[int, PerCapita, Decimal | None]]  # (year, per-capita net, threshold), newest first
    check_year: int | None
    check_failures: list[str] | None  # None: no check recorded
    measures_since_identified: int
    members_with_labour: int


def months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def clearing_refusals(facts: ClearingFacts, on: dt.date) -> list[str]:
    """Every reason the household's risk cannot be marked cleared on `on`; empty when it can."""
    reasons: list[str] = []
    if facts.identified_on is None:
        return ["尚未完成认定,不能标注风险消除"]
    months = months_between(facts.identified_on, on)
    if months < MONTHS_BEFORE_CLEARING:
        reasons.append(f"监测帮扶不满{MONTHS_BEFORE_CLEARING}个月(自{facts.identified_on.isoformat()}起{months}个月)")
    recent = facts.incomes[:STABLE_INCOME_YEARS]
    if len(recent) < STABLE_INCOME_YEARS:
        reasons.append(f"收入记录不足{STABLE_INCOME_YEARS}年,无法判断收入是否稳定")
    for year, per_capita, threshold in recent:
        if threshold is None:
            reasons.append(f"{year}年监测标准未设置")
        elif Fraction(per_capita) <= Fraction(threshold):
            reasons.append(f"{year}年人均纯收入{_yuan_said_below(per_capita)}元,未稳定超过监测标准{threshold}元")
    if facts.check_failures is None:
        reasons.append("缺少两不愁三保障及饮水安全核查记录")
    else:
        reasons.extend(f"{facts.check_year}年核查:{failure}" for failure in facts.check_failures)
    if facts.measures_since_identified < 1:
        reasons.append("认定以来未落实帮扶措施")
    if facts.members_with_labour == 0:
        reasons.append("无劳动力户不标注风险消除,持续监测帮扶")
    return reasons
