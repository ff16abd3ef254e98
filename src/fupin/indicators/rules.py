"""Pure rules of area exit (贫困村、贫困县退出): thresholds, every failing reason, the order of the steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# 西部12省(区、市): 内蒙古 广西 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆
WEST_PROVINCES = frozenset({"15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"})
INCIDENCE_LIMIT = Decimal("2")
INCIDENCE_LIMIT_WEST = Decimal("3")
WRONG_EXIT_LIMIT = Decimal("2")
MISSED_LIMIT = Decimal("2")
APPROVAL_MIN = Decimal("90")

AREA_EXIT_STEPS: tuple[tuple[str, str], ...] = (
    ("proposal", "提出退出"),
    ("checks", "核查"),
    ("publicity", "公示"),
    ("approval", "审批退出"),
)
STEP_NAMES = dict(AREA_EXIT_STEPS)


def incidence_limit(area_code: str) -> Decimal:
    return INCIDENCE_LIMIT_WEST if area_code[:2] in WEST_PROVINCES else INCIDENCE_LIMIT


def percent(part: int, whole: int) -> Fraction | None:
    """part ÷ whole in percent, exact (None without a denominator). Limits are compared against this value;
    only `shown` rounds it, for display."""
    if whole <= 0:
        return None
    return Fraction(part * 100, whole)


def as_exact(value: Fraction | Decimal | int | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def shown(value: Fraction, limit: Decimal | None = None, places: int = 2) -> Decimal:
    """`value` rounded for display (half up, `places` decimals). With a `limit`, more places are shown when
    rounding would put the value on the other side of the limit or onto it (1.9996 % is shown as 1.9996, not as
    2.00, beside a limit of 2 %): what is read always agrees with what was decided."""
    exact_side = (value > limit) - (value < limit) if limit is not None else 0
    for digits in range(places, 13):
        rounded = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1).scaleb(-digits),
                                                                                   ROUND_HALF_UP)
        if limit is None or (rounded > limit) - (rounded < limit) == exact_side:
            return rounded
    return rounded


@dataclass(frozen=True)
class SurveyFigures:
    sampled_exited: int
    wrong_exits: int
    sampled_households: int
    missed_registrations: int
    approval_asked: int
    approval_yes: int


@dataclass(frozen=True)
class FigureCheck:
    """One figure of an exit evaluation against its standard: `kind` is "below" (value < limit) or "at_least"
    (value ≥ limit); `ok` was decided on the exact value (None: no figure); `value` is the figure as shown."""

    value: str | None
    limit: str
    kind: str
    ok: bool | None


@dataclass(frozen=True)
class AreaExitEvaluation:
    passed: bool
    reasons: list[str]
    figures: dict[str, str | None]
    checks: dict[str, FigureCheck] = field(default_factory=dict)


def _check(value: Fraction | None, limit: Decimal, kind: str) -> FigureCheck:
    if value is None:
        return FigureCheck(None, str(limit), kind, None)
    ok = value < limit if kind == "below" else value >= limit
    return FigureCheck(str(shown(value, limit)), str(limit), kind, ok)


def evaluate_area_exit(area_code: str, level: str, incidence: Fraction | Decimal | None,
                       survey: SurveyFigures | None = None) -> AreaExitEvaluation:
    """Village: incidence below 2% (3% in the west). County: the same, plus the survey's wrong-exit rate < 2%,
    missed-registration rate < 2% and public approval ≥ 90%. Every failing reason is listed. Each figure is
    compared exactly (a fraction, never a rounded value) and rounded only for display."""
    reasons: list[str] = []
    limit = incidence_limit(area_code)
    checks = {"incidence": _check(as_exact(incidence), limit, "below")}
    incidence_check = checks["incidence"]
    if incidence_check.ok is None:
        reasons.append("缺少农村户籍人口,无法计算贫困发生率")
    elif not incidence_check.ok:
        reasons.append(f"贫困发生率{incidence_check.value}%,未低于{limit}%")
    if level == "county":
        if survey is None:
            reasons.append("缺少抽样调查记录(错退率、漏评率、群众认可度)")
        else:
            checks["wrong_exit_rate"] = wrong = _check(percent(survey.wrong_exits, survey.sampled_exited),
                                                       WRONG_EXIT_LIMIT, "below")
            checks["missed_rate"] = missed = _check(
                percent(survey.missed_registrations, survey.sampled_households), MISSED_LIMIT, "below")
            checks["approval_rate"] = approval = _check(percent(survey.approval_yes, survey.approval_asked),
                                                        APPROVAL_MIN, "at_least")
            if wrong.ok is None:
                reasons.append("抽样调查没有抽查已脱贫户,无法计算错退率")
            elif not wrong.ok:
                reasons.append(f"错退率{wrong.value}%,未低于{WRONG_EXIT_LIMIT}%")
            if missed.ok is None:
                reasons.append("抽样调查没有抽查农户,无法计算漏评率")
            elif not missed.ok:
                reasons.append(f"漏评率{missed.value}%,未低于{MISSED_LIMIT}%")
            if approval.ok is None:
                reasons.append("抽样调查没有群众认可度样本")
            elif not approval.ok:
                reasons.append(f"群众认可度{approval.value}%,低于{APPROVAL_MIN}%")
    figures: dict[str, str | None] = {key: check.value for key, check in checks.items()}
    figures["incidence_limit"] = str(limit)
    return AreaExitEvaluation(not reasons, reasons, figures, checks)


def next_step(done: list[str]) -> str | None:
    """The step that must come next; None when all are done."""
    for step, _name in AREA_EXIT_STEPS:
        if step not in done:
            return step
    return None


@dataclass(frozen=True)
class StepRefusal:
    """Why a step cannot be recorded now: `kind` is "unknown" (no such step), "completed" (every step is done),
    "recorded" (this step is done already), "order" (`expected` comes first) or "not_passed" (approval while
    the evaluation fails)."""

    kind: str
    step: str
    expected: str | None = None


def step_refusal(done: list[str], step: str, passed: bool) -> StepRefusal | None:
    """Why `step` cannot be recorded now (None: it can)."""
    if step not in STEP_NAMES:
        return StepRefusal("unknown", step)
    expected = next_step(done)
    if expected is None:
        return StepRefusal("completed", step)
    if step in done:
        return StepRefusal("recorded", step)
    if step != expected:
        return StepRefusal("order", step, expected)
    if step == "approval" and not passed:
        return StepRefusal("not_passed", step)
    return None
