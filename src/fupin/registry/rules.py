"""Pure rules of the registry (no I/O): income arithmetic, the exit test, the exit procedure, status moves,
and the cross-checks of a member's entered sex and birth date against the ID number."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- income


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


def income_errors(figures: dict[str, object]) -> dict[str, str]:
    """Field → Chinese reason, for amounts that are missing, non-numeric, negative or absurd."""
    errors: dict[str, str] = {}
    for name, label in INCOME_FIELDS.items():
        value = figures.get(name)
        if value is None or value == "":
            continue
        try:
            amount = Decimal(str(value).replace(",", "").strip())
        except ArithmeticError:
            errors[name] = f"{label}“{value}”不是数字"
            continue
        if not amount.is_finite():
            errors[name] = f"{label}“{value}”不是数字"
        elif amount < 0:
            errors[name] = f"{label}不能为负数"
        elif amount > Decimal("100000000"):
            errors[name] = f"{label}超过1亿元,请核实"
        elif amount != amount.quantize(CENT) and amount.as_tuple().exponent < -2:
            errors[name] = f"{label}最多两位小数"
    return errors


INCOME_FIELDS = {
    "wages": "工资性收入",
    "production_income": "生产经营性收入",
    "property_income": "财产性收入",
    "transfer_income": "转移性收入",
    "production_costs": "生产经营性支出",
}


# ---------------------------------------------------------------- the exit test


# Safe drinking water (DESIGN §3): ≥ 35 L per person-day (20 in water-short areas), ≤ 20 min per trip,
# ≤ 36 outage days a year.
WATER_LITRES = 35
WATER_LITRES_SHORT_AREA = 20
WATER_TRIP_MINUTES = 20
WATER_OUTAGE_DAYS = 36


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
    """Every failing item of 两不愁三保障 and safe water, in Chinese."""
    reasons: list[str] = []
    if not check.food_ok:
        reasons.append("不愁吃未达标")
    if not check.clothing_ok:
        reasons.append("不愁穿未达标")
    if not check.education_ok:
        reasons.append("义务教育未保障(有适龄儿童辍学)")
    if not check.medical_ok:
        reasons.append("基本医疗未保障(有成员未参加基本医疗保险)")
    if not check.housing_ok:
        reasons.append("住房安全未保障")
    litres_needed = WATER_LITRES_SHORT_AREA if check.water_short_area else WATER_LITRES
    if check.water_litres_per_person_day is None:
        reasons.append("饮水安全未核查(缺少水量)")
    elif check.water_litres_per_person_day < litres_needed:
        reasons.append(f"饮水水量不足:每人每天{check.water_litres_per_person_day}升,低于{litres_needed}升")
    if check.water_trip_minutes is not None and check.water_trip_minutes > WATER_TRIP_MINUTES:
        reasons.append(f"取水往返{check.water_trip_minutes}分钟,超过{WATER_TRIP_MINUTES}分钟")
    if check.water_outage_days is not None and check.water_outage_days > WATER_OUTAGE_DAYS:
        reasons.append(f"全年断水{check.water_outage_days}天,超过{WATER_OUTAGE_DAYS}天")
    if not check.water_quality_ok:
        reasons.append("饮水水质不达标")
    return reasons


@dataclass(frozen=True)
class ExitEvaluation:
    year: int
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    per_capita_net: Decimal | None = None
    poverty_line: Decimal | None = None


def evaluate_exit(
    year: int,
    per_capita_net: Decimal | None,
    poverty_line: Decimal | None,
    check: CheckFigures | None,
    *,
    members_out_of_school: int = 0,
    members_without_medical_insurance: int = 0,
) -> ExitEvaluation:
    """Household exit (贫困户退出): per-capita net income above the year's line and every item met."""
    reasons: list[str] = []
    if poverty_line is None:
        reasons.append(f"{year}年扶贫标准未设置")
    if per_capita_net is None:
        reasons.append(f"缺少{year}年收入记录")
    elif poverty_line is not None and per_capita_net <= poverty_line:
        reasons.append(f"人均纯收入{per_capita_net}元,未超过{year}年扶贫标准{poverty_line}元")
    if check is None:
        reasons.append(f"缺少{year}年两不愁三保障核查")
    else:
        reasons.extend(check_failures(check))
    if members_out_of_school and (check is None or check.education_ok):
        reasons.append(f"有{members_out_of_school}名义务教育阶段成员辍学")
    if members_without_medical_insurance and (check is None or check.medical_ok):
        reasons.append(f"有{members_without_medical_insurance}名成员未参加基本医疗保险")
    return ExitEvaluation(year, not reasons, reasons, per_capita_net, poverty_line)


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
VILLAGE_PUBLICITY_DAYS = 7


def next_exit_step(done: list[str]) -> str | None:
    for step, _name in EXIT_STEPS:
        if step not in done:
            return step
    return None


def exit_step_error(step: str, done: list[tuple[str, dt.date]], on: dt.date, eligible: bool) -> str | None:
    """Why `step` cannot be recorded now (Chinese), or None. Steps go in order, each once."""
    if step not in EXIT_STEP_NAMES:
        return f"未知的退出步骤:{step}"
    done_steps = [s for s, _ in done]
    expected = next_exit_step(done_steps)
    if expected is None:
        return "退出程序已完成"
    if step != expected:
        return f"应先完成“{EXIT_STEP_NAMES[expected]}”"
    if step == "democratic_appraisal" and not eligible:
        return "尚不符合退出条件,不能启动退出程序"
    if done and on < done[-1][1]:
        return "日期不能早于上一步"
    if step == "township_review":
        publicity_on = dict(done).get("village_publicity")
        if publicity_on is not None and (on - publicity_on).days < VILLAGE_PUBLICITY_DAYS:
            return f"村内公示不少于{VILLAGE_PUBLICITY_DAYS}天(公示开始于{publicity_on.isoformat()})"
    return None


STATUS_MOVES: dict[str, frozenset[str]] = {
    "identified": frozenset({"helped", "exit_proposed"}),
    "helped": frozenset({"exit_proposed"}),
    "exit_proposed": frozenset({"exited", "helped"}),
    "exited": frozenset({"monitored", "returned"}),
    "monitored": frozenset({"exited", "returned"}),
    "returned": frozenset({"helped", "exit_proposed"}),
}


def status_move_error(current: str, target: str) -> str | None:
    if target not in STATUS_MOVES:
        return f"未知状态:{target}"
    if target not in STATUS_MOVES.get(current, frozenset()):
        return f"不能从“{current}”直接改为“{target}”"
    return None


# ---------------------------------------------------------------- members


def member_identity_errors(id_sex: str, id_birth: dt.date, sex: str | None, birth: dt.date | None) -> list[str]:
    errors: list[str] = []
    if sex is not None and sex != id_sex:
        errors.append(f"性别与身份证号不符(身份证号显示为{'男' if id_sex == 'M' else '女'})")
    if birth is not None and birth != id_birth:
        errors.append(f"出生日期与身份证号不符(身份证号显示为{id_birth.isoformat()})")
    return errors


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


COMPULSORY_SCHOOL_AGES = range(6, 16)  # 6–15 inclusive: nine years of compulsory education
WORKING_AGES = range(16, 65)
