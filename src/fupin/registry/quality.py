"""Data-quality checks (数据质量核查). Each rule is one pure function over a household snapshot that returns
findings; adding a rule is adding a function to RULES (and a test). The runner loads snapshots in chunks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin.core.capability import provided
from fupin.core.scoping import Scope
from fupin.registry.models import Household, HouseholdIncome, Person
from fupin.registry.rules import (
    COMPLETED_COMPULSORY,
    COMPULSORY_SCHOOL_AGES,
    OUT_OF_SCHOOL,
    WORKING_AGES,
    IncomeFigures,
    age_on,
)


@dataclass(frozen=True)
class MemberFacts:
    id: int
    name: str
    relation: str
    birth_date: dt.date
    health: str
    disability_grade: int | None
    labour_capacity: str
    schooling: str | None
    public_funded: bool
    education: str | None = None


@dataclass(frozen=True)
class IncomeFacts:
    year: int
    members: int
    figures: IncomeFigures
    per_capita_net: Decimal


@dataclass
class HouseholdSnapshot:
    id: int
    household_no: str
    area_code: str
    head_name: str
    poverty_attribute: str
    main_cause: str
    status: str
    member_count: int
    has_vehicle: bool | None
    has_commercial_flat: bool | None
    runs_business: bool | None
    members: list[MemberFacts] = field(default_factory=list)
    income: IncomeFacts | None = None
    helpers: int | None = None  # None: pairing data not available


@dataclass(frozen=True)
class Finding:
    rule: str
    household_id: int
    household_no: str
    area_code: str
    problem: str
    hint: str


Rule = Callable[[HouseholdSnapshot, dt.date], Iterator[Finding]]
RULES: dict[str, tuple[str, Rule]] = {}


def rule(code: str, name: str) -> Callable[[Rule], Rule]:
    def register(function: Rule) -> Rule:
        RULES[code] = (name, function)
        return function

    return register


def _finding(code: str, h: HouseholdSnapshot, problem: str, hint: str) -> Finding:
    return Finding(code, h.id, h.household_no, h.area_code, problem, hint)


@rule("illness_without_sick_member", "因病致贫但成员均健康")
def illness_without_sick_member(h: HouseholdSnapshot, today: dt.date) -> Iterator[Finding]:
    if h.main_cause == "illness" and h.members and all(m.health == "healthy" for m in h.members):
        yield _finding("illness_without_sick_member", h, "主要致贫原因为因病,但家庭成员健康状况均为健康",
                       "核实患病成员的健康状况,或更正致贫原因")


@rule("disability_without_disabled_member", "因残致贫但无残疾成员")
def disability_without_disabled_member(h: HouseholdSnapshot, today: dt.date) -> Iterator[Finding]:
    if h.main_cause == "disability" and h.members and not any(m.health == "disabled" for m in h.members):
        yield _finding("disability_without_disabled_member", h, "主要致贫原因为因残,但没有残疾成员",
                       "补录残疾成员的健康状况和残疾等级,或更正致贫原因")


@rule("tekun_with_able_worker", "特困供养户有劳动能力成员")
def tekun_with_able_worker(h: HouseholdSnapshot, today: dt.date) -> Iterator[Finding]:
    if h.poverty_attribute != "tekun":
        return
    for m in h.members:
        if age_on(m.birth_date, today) in WORKING_AGES and m.labour_capacity in ("normal", "skilled"):
            yield _finding("tekun_with_able_worker", h, f"特困供养户中{m.name}为劳动年龄且有劳动能力",
                           "核实劳动能力,或调整贫困户属性")


@rule("child_not_in_school", "义务教育阶段儿童未在校")
def child_not_in_school(h: HouseholdSnapshot, today: dt.date) -> Iterator[Finding]:
    for m in h.members:
        # A blank status is asked about too; one who completed 初中 is no dropout (rules.is_compulsory_dropout).
        if (age_on(m.birth_date, today) in COMPULSORY_SCHOOL_AGES and m.education not in COMPLETED_COMPULSORY
                and m.schooling in (None, *OUT_OF_SCHOOL)):
            yield _finding("child_not_in_school", h, f"{m.name}({age_on(m.birth_date, today)}岁)处于义务教育阶段但未在校",
                           "核实在校情况;如辍学应立即劝返,并更新在校生状况")


_CHILDREN = {"son", "daughter", "son_in_law", "daughter_in_law"}
_GRANDCHILDREN = {"grandson", "granddaughter", "maternal_grandson", "maternal_granddaughter", "great_grandson",
                  "great_granddaughter"}
_PARENTS = {"father", "mother", "father_in_law", "mother_in_law", "husbands_father", "husbands_mother"}


@rule("relation_contradicts_age", "与户主关系和年龄矛盾")
def relation_contradicts_age(h: HouseholdSnapshot, today: dt.date) -> Iterator[Finding]:
    head = next((m for m in h.members if m.relation == "head"), None)
    if head is None:
        yield _finding("relation_contradicts_age", h, "该户没有户主", "指定一名成员为户主")
        return
    for m in h.members:
        if m.relation in _CHILDREN | _GRANDCHILDREN and m.birth_date <= head.birth_date:
            yield _finding("relation_contradicts_age", h, f"{m.name}为户主的子女/孙辈,但年龄不小于户主",
                           "核对出生日期(身份证号)或与户主关系")
        if m.relation in _PARENTS and m.birth_date >= head.birth_date:
            yield _finding("relation_contradicts_age", h, f"{m.name}为户主的父母,但年龄不大于户主",
                           "核对出生日期(身份证号)或与户主关系")


@rule("no_helper", "无帮扶责任人")
def no_helper(h: HouseholdSnapshot, today: dt.date) -> Iterator[Finding]:
    if h.helpers == 0 and h.status not in ("exited",):
        yield _finding("no_helper", h, "该户没有在岗的帮扶责任人", "在结对帮扶中为该户安排帮扶干部")


@rule("income_inconsistent", "人均纯收入与分项不符")
def income_inconsistent(h: HouseholdSnapshot, today: dt.date) -> Iterator[Finding]:
    income = h.income
    if income is None:
        return
    expected = income.figures.per_capita
    if abs(expected - income.per_capita_net) > Decimal("1.00"):
        yield _finding("income_inconsistent", h,
                       f"{income.year}年人均纯收入{income.per_capita_net}元,按分项计算应为{expected}元",
                       "重新录入该年收入,系统将自动计算")
    if income.members != h.member_count:
        yield _finding("income_inconsistent", h,
                       f"{income.year}年收入按{income.members}人计算,现有家庭人口{h.member_count}人",
                       "家庭人口变化后请重新保存该年收入")


@rule("exclusion_signals", "精准识别排除情形")
def exclusion_signals(h: HouseholdSnapshot, today: dt.date) -> Iterator[Finding]:
    signals = [name for flag, name in ((h.has_vehicle, "有小汽车"), (h.has_commercial_flat, "有商品房"),
                                       (h.runs_business, "有经营实体")) if flag]
    signals += [f"{m.name}为财政供养人员" for m in h.members if m.public_funded]
    if signals:
        yield _finding("exclusion_signals", h, "存在排除情形:" + "、".join(signals),
                       "按精准识别要求核实;确属排除情形的应按程序清退")


def _helper_counts(session: Session, scope: Scope) -> dict[int, int]:
    """Active helpers per household, lent by pairing: `pairing.helpers_per_household(scope) -> Select` of
    (household_id, helpers)."""
    return {row[0]: row[1] for row in session.execute(provided("pairing.helpers_per_household")(scope))}


def snapshots(session: Session, scope: Scope, chunk: int = 5000) -> Iterator[HouseholdSnapshot]:
    helpers = _helper_counts(session, scope)
    last_id = 0
    while True:
        households = list(session.execute(
            select(Household.id, Household.household_no, Household.area_code, Household.head_name,
                   Household.poverty_attribute, Household.main_cause, Household.status, Household.member_count,
                   Household.has_vehicle, Household.has_commercial_flat, Household.runs_business)
            .where(scope.condition(Household.area_code), Household.id > last_id)
            .order_by(Household.id).limit(chunk)))
        if not households:
            return
        ids = [h.id for h in households]
        last_id = ids[-1]
        members: dict[int, list[MemberFacts]] = {}
        for p in session.execute(select(Person.household_id, Person.id, Person.name, Person.relation,
                                        Person.birth_date, Person.health, Person.disability_grade,
                                        Person.labour_capacity, Person.schooling, Person.public_funded,
                                        Person.education)
                                 .where(Person.household_id.in_(ids), Person.active)):
            members.setdefault(p.household_id, []).append(MemberFacts(*p[1:]))
        latest = (select(HouseholdIncome.household_id, func.max(HouseholdIncome.year).label("year"))
                  .where(HouseholdIncome.household_id.in_(ids)).group_by(HouseholdIncome.household_id).subquery())
        incomes = {}
        for i in session.scalars(select(HouseholdIncome).join(
                latest, (latest.c.household_id == HouseholdIncome.household_id) & (latest.c.year == HouseholdIncome.year))):
            incomes[i.household_id] = IncomeFacts(i.year, i.members, IncomeFigures(
                i.wages, i.production_income, i.property_income, i.transfer_income, i.production_costs, i.members),
                i.per_capita_net)
        for h in households:
            yield HouseholdSnapshot(*h, members=members.get(h.id, []), income=incomes.get(h.id),
                                    helpers=None if helpers is None else helpers.get(h.id, 0))


def run_checks(session: Session, scope: Scope, today: dt.date | None = None,
               rules: list[str] | None = None) -> list[Finding]:
    today = today or dt.date.today()
    selected = [(code, fn) for code, (_name, fn) in RULES.items() if rules is None or code in rules]
    findings: list[Finding] = []
    for snapshot in snapshots(session, scope):
        for _code, function in selected:
            findings.extend(function(snapshot, today))
    if rules is None or "duplicate_person" in rules:
        findings.extend(duplicate_people(session, scope))
    return findings


def summary(findings: list[Finding]) -> list[tuple[str, str, int]]:
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.rule] = counts.get(f.rule, 0) + 1
    return [(code, name, counts.get(code, 0)) for code, name in RULE_NAMES.items()]


def duplicate_people(session: Session, scope: Scope) -> list[Finding]:
    """The same ID number active in two households. Writes refuse it (unique index, import check); this lists
    any that came in before those guards, e.g. from a database restored from elsewhere."""
    duplicated = (select(Person.id_hash).where(scope.condition(Person.area_code), Person.active)
                  .group_by(Person.id_hash).having(func.count(func.distinct(Person.household_id)) > 1))
    findings = []
    for row in session.execute(select(Person.name, Household.id, Household.household_no, Household.area_code)
                               .join(Household, Household.id == Person.household_id)
                               .where(Person.id_hash.in_(duplicated), Person.active)):
        findings.append(Finding("duplicate_person", row.id, row.household_no, row.area_code,
                                f"{row.name}同时登记在多个户中", "核实实际所在户,在其他户中移除该成员"))
    return findings


RULE_NAMES = {code: name for code, (name, _fn) in RULES.items()} | {"duplicate_person": "同一人登记在两个户"}
