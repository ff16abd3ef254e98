"""Pure rules of area exit (贫困村、贫困县退出): thresholds, every failing reason, the order of the steps."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

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


def percent(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class SurveyFigures:
    sampled_exited: int
    wrong_exits: int
    sampled_households: int
    missed_registrations: int
    approval_asked: int
    approval_yes: int


@dataclass(frozen=True)
class AreaExitEvaluation:
    passed: bool
    reasons: list[str]
    figures: dict[str, str | None]


def evaluate_area_exit(area_code: str, level: str, incidence: Decimal | None,
                       survey: SurveyFigures | None = None) -> AreaExitEvaluation:
    """Village: incidence below 2% (3% in the west). County: the same, plus the survey's wrong-exit rate < 2%,
    missed-registration rate < 2% and public approval ≥ 90%. Every failing reason is listed."""
    reasons: list[str] = []
    limit = incidence_limit(area_code)
    figures: dict[str, str | None] = {"incidence": None if incidence is None else str(incidence),
                                      "incidence_limit": str(limit)}
    if incidence is None:
        reasons.append("缺少农村户籍人口,无法计算贫困发生率")
    elif incidence >= limit:
        reasons.append(f"贫困发生率{incidence}%,未低于{limit}%")
    if level == "county":
        if survey is None:
            reasons.append("缺少抽样调查记录(错退率、漏评率、群众认可度)")
        else:
            wrong = percent(survey.wrong_exits, survey.sampled_exited)
            missed = percent(survey.missed_registrations, survey.sampled_households)
            approval = percent(survey.approval_yes, survey.approval_asked)
            figures |= {"wrong_exit_rate": None if wrong is None else str(wrong),
                        "missed_rate": None if missed is None else str(missed),
                        "approval_rate": None if approval is None else str(approval)}
            if wrong is None:
                reasons.append("抽样调查没有抽查已脱贫户,无法计算错退率")
            elif wrong >= WRONG_EXIT_LIMIT:
                reasons.append(f"错退率{wrong}%,未低于{WRONG_EXIT_LIMIT}%")
            if missed is None:
                reasons.append("抽样调查没有抽查农户,无法计算漏评率")
            elif missed >= MISSED_LIMIT:
                reasons.append(f"漏评率{missed}%,未低于{MISSED_LIMIT}%")
            if approval is None:
                reasons.append("抽样调查没有群众认可度样本")
            elif approval < APPROVAL_MIN:
                reasons.append(f"群众认可度{approval}%,低于{APPROVAL_MIN}%")
    return AreaExitEvaluation(not reasons, reasons, figures)


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
