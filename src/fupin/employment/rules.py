"""Pure rules of employment: who is in the labour registry, how a worker is classified, match scores."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fupin.core.errors import FupinError
from fupin.core.validation import choice_problem
from fupin.employment import errors

WORKING_AGE = (16, 60)
CLASSIFICATIONS = {
    "self_reliant": "能自主就业",
    "needs_training": "需培训后就业",
    "three_none": "三无人员(无劳力、无技能、无文化)",
}
WISHES = {"local": "就近就业", "elsewhere": "外出务工", "none": "暂无意愿"}
SOURCES = {
    "workshop": "扶贫车间",
    "enterprise": "企业",
    "cooperative": "合作社",
    "public_welfare": "公益性岗位",
    "labour_export": "劳务输转",
    "self_employed": "自主创业",
}
WORK_PLACES = {"in_county": "县内", "in_province": "县外省内", "out_province": "省外"}
PLACE_RANK = {"in_county": 1, "in_province": 2, "out_province": 3}
EMPLOYER_KINDS = {
    "enterprise": "企业",
    "workshop": "扶贫车间",
    "cooperative": "合作社",
    "government": "机关事业单位",
    "individual": "个体",
    "other": "其他",
}
COURSE_TYPES = {
    "rebar": "钢筋工",
    "masonry": "砌筑工",
    "childcare": "育婴师",
    "cooking": "烹饪",
    "noodles": "拉面",
    "farming": "种养殖",
    "sewing": "缝纫",
    "electrician": "电工",
    "ecommerce": "电商",
    "other": "其他",
}
LABOUR_CAPACITIES_IN_REGISTRY = ("normal", "skilled", "weak")
# The coded fields as forms and messages name them (Chinese, English).
FIELD_LABELS = {
    "classification": ("劳动力分类", "classification"),
    "wish": ("就业意愿", "wish"),
    "source": ("就业渠道", "source of the job"),
    "work_place": ("务工地点", "place of work"),
    "employer_kind": ("用工单位类型", "kind of employer"),
    "course_type": ("培训工种", "course type"),
    "title": ("名称", "title"),
    "name": ("名称", "name"),
    "employer_name": ("用工单位", "employer"),
    "provider": ("培训机构", "training provider"),
}


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def in_labour_registry(birth: dt.date, labour_capacity: str, schooling: str | None, day: dt.date) -> bool:
    """Working age (16–60), some labour capacity, and not a student."""
    low, high = WORKING_AGE
    return (low <= age_on(birth, day) <= high and labour_capacity in LABOUR_CAPACITIES_IN_REGISTRY
            and schooling in (None, "not_in_school", "dropout"))


def classify(labour_capacity: str, education: str | None, skills: str | None) -> str:
    """礼县's three groups: skilled or schooled people can find work alone; weak labour with no schooling and
    no skill is 三无 (public-welfare posts or guarantees); everyone else needs training first."""
    has_skill = bool(skills and skills.strip()) or labour_capacity == "skilled"
    unschooled = education in (None, "none", "preschool")
    if labour_capacity == "weak" and unschooled and not has_skill:
        return "three_none"
    if has_skill or education in ("senior", "vocational", "college"):
        return "self_reliant"
    return "needs_training"


def choice_error(field: str, value: object, vocabulary: dict[str, str]) -> FupinError | None:
    """None when `value` is one of the vocabulary's codes; else the error naming the field and the choices."""
    return choice_problem(errors.INVALID_CHOICE, FIELD_LABELS, field, value, vocabulary)


def validate_placement(source: str, work_place: str, destination: str | None, started_on: dt.date,
                       ended_on: dt.date | None) -> list[FupinError]:
    """Each problem of a placement as an error with its code and field; empty when it is acceptable."""
    problems: list[FupinError] = []
    for field, value, vocabulary in (("source", source, SOURCES), ("work_place", work_place, WORK_PLACES)):
        problem = choice_error(field, value, vocabulary)
        if problem is not None:
            problems.append(problem)
    if source == "labour_export" and not (destination and destination.strip()):
        problems.append(errors.DESTINATION_REQUIRED(field="destination"))
    if source == "public_welfare" and work_place != "in_county":
        problems.append(errors.PUBLIC_WELFARE_IN_COUNTY(field="work_place"))
    if ended_on is not None and ended_on < started_on:
        problems.append(errors.END_BEFORE_START(field="ended_on", started_on=started_on.isoformat()))
    return problems


@dataclass(frozen=True)
class Candidate:
    worker_id: int
    household_id: int
    area_code: str
    classification: str
    skills: str
    wish: str
    household_employed: int
    employed: bool


def match_score(candidate: Candidate, opening_area: str, opening_skill: str | None, opening_place: str) -> int | None:
    """Higher is better; None when the worker should not be proposed. Households with nobody employed come
    first (the target is one employed person per household with labour), then skill, then place."""
    if candidate.employed:
        return None
    if candidate.classification == "three_none" and opening_place != "in_county":
        return None
    score = 0
    if candidate.household_employed == 0:
        score += 100
    if opening_skill and opening_skill in (candidate.skills or ""):
        score += 30
    if candidate.area_code[:9] == opening_area[:9]:
        score += 20
    elif candidate.area_code[:6] == opening_area[:6]:
        score += 10
    wants_away = candidate.wish == "elsewhere"
    if wants_away == (opening_place != "in_county"):
        score += 15
    if candidate.classification == "needs_training" and opening_skill:
        score -= 10
    return score
