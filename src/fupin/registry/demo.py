"""Demo households and members: Faker zh_CN name lists, valid ID numbers, a realistic mix, bulk-written."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

from faker.providers.person.zh_CN import Provider as ChineseNames
from sqlalchemy import func, select, text

from fupin.core.audit import Actor, AuditAction
from fupin.core.db import bulk_insert
from fupin.core.demo import DEMO_TIMESTAMP, DemoContext
from fupin.core.settings import get_settings
from fupin.core.uow import UnitOfWork
from fupin.registry.idnumbers import id_hash, make_id_number
from fupin.registry.models import Household, Person
from fupin.registry.rules import IncomeFigures, name_initials

BATCH_HOUSEHOLDS = 10_000
SURNAMES = list(ChineseNames.last_names.keys())
SURNAME_WEIGHTS = list(ChineseNames.last_names.values())
MALE_NAMES = list(ChineseNames.first_names_male)
FEMALE_NAMES = list(ChineseNames.first_names_female)
CAUSES = ["illness", "disability", "schooling", "disaster", "no_skill", "no_labour", "no_funds", "no_land",
          "no_water", "poor_transport", "low_motivation"]
CAUSE_WEIGHTS = [24, 10, 8, 3, 22, 12, 11, 3, 2, 2, 3]

HOUSEHOLD_COLUMNS = ["id", "county_code", "area_code", "household_no", "head_name", "address", "phone",
                     "poverty_attribute", "main_cause", "other_causes", "registration_year", "status",
                     "exit_year", "member_count", "has_vehicle", "has_commercial_flat", "runs_business",
                     "created_at", "updated_at", "version"]
PERSON_COLUMNS = ["id", "household_id", "county_code", "area_code", "id_number", "id_hash", "name", "sex",
                  "birth_date", "relation", "ethnicity", "education", "schooling", "health", "disability_grade",
                  "labour_capacity", "work_place", "months_worked", "medical_insurance", "pension_insurance",
                  "minimum_allowance", "public_funded", "active", "version", "name_initials"]


class _Numbers:
    """Unique ID numbers per (birth date, sex) within the county's region code."""

    def __init__(self, region6: str) -> None:
        self.region6 = region6
        self.used: dict[tuple[dt.date, str], int] = {}

    def next(self, birth: dt.date, sex: str) -> str:
        key = (birth, sex)
        n = self.used.get(key, 0)
        self.used[key] = n + 1
        sequence = n * 2 + (1 if sex == "M" else 2)
        if sequence > 999:
            raise RuntimeError("too many people born on one day for the demo's region code")
        return make_id_number(self.region6, birth, sequence)


def _birth(rng: random.Random, age: int, today: dt.date) -> dt.date:
    return today - dt.timedelta(days=age * 365 + rng.randrange(365))


def _given(rng: random.Random, sex: str) -> str:
    pool = MALE_NAMES if sex == "M" else FEMALE_NAMES
    name = rng.choice(pool)
    return name if rng.random() < 0.6 else name + rng.choice(pool)[0]


def _members(rng: random.Random, today: dt.date) -> list[tuple[str, str, int]]:
    """(relation, sex, age) of a plausible household, head first."""
    head_sex = "M" if rng.random() < 0.82 else "F"
    head_age = rng.randint(28, 78)
    size = rng.choices([1, 2, 3, 4, 5, 6, 7], weights=[9, 17, 22, 25, 16, 8, 3])[0]
    members = [("head", head_sex, head_age)]
    if size >= 2 and rng.random() < 0.85:
        members.append(("spouse", "F" if head_sex == "M" else "M", max(20, head_age + rng.randint(-5, 3))))
    while len(members) < size:
        if head_age > 55 and rng.random() < 0.35:
            sex = rng.choice("MF")
            child_age = rng.randint(25, head_age - 22)
            members.append(("son" if sex == "M" else "daughter", sex, child_age))
            if len(members) < size:
                grand = rng.choice("MF")
                members.append(("grandson" if grand == "M" else "granddaughter", grand, rng.randint(0, 14)))
        elif head_age < 50 and rng.random() < 0.2 and not any(r in ("father", "mother") for r, _, _ in members):
            members.append(("mother", "F", min(95, head_age + rng.randint(22, 32))))
        else:
            sex = rng.choice("MF")
            oldest = max(0, min(head_age - 20, 40))
            members.append(("son" if sex == "M" else "daughter", sex, rng.randint(0, oldest)))
    return members[:size]


def _person_fields(rng: random.Random, age: int) -> dict:
    if age < 6:
        education, schooling = "preschool", ("preschool" if age >= 3 else "not_in_school")
    elif age < 12:
        education, schooling = "primary", "primary"
    elif age < 15:
        education, schooling = "primary", "junior"
    elif age < 18:
        education = "junior"
        schooling = rng.choices(["senior", "vocational", "not_in_school"], weights=[55, 35, 10])[0]
    else:
        education = rng.choices(["none", "primary", "junior", "senior", "vocational", "college"],
                                weights=[12 if age > 50 else 2, 38, 36, 8, 4, 2])[0]
        schooling = "college" if age < 22 and rng.random() < 0.2 else "not_in_school"
    health = rng.choices(["healthy", "chronic", "serious", "disabled"], weights=[78, 12, 4, 6])[0]
    grade = rng.randint(1, 4) if health == "disabled" else None
    if age < 16 or schooling not in ("not_in_school",):
        labour, place, months = "none", "none", None
    elif age > 65 or health in ("serious",) or (grade is not None and grade <= 2):
        labour, place, months = rng.choice(["lost", "weak"]), "none", None
    else:
        labour = rng.choices(["normal", "skilled", "weak"], weights=[70, 18, 12])[0]
        place = rng.choices(["none", "in_county", "in_province", "out_province"], weights=[30, 25, 20, 25])[0]
        months = None if place == "none" else rng.randint(3, 12)
    return {
        "education": education,
        "schooling": schooling,
        "health": health,
        "disability_grade": grade,
        "labour_capacity": labour,
        "work_place": place,
        "months_worked": months,
        "medical_insurance": rng.random() > 0.01,
        "pension_insurance": age >= 16 and schooling == "not_in_school" and rng.random() > 0.15,
        "minimum_allowance": False,
        "public_funded": rng.random() < 0.002,
    }


def generate(ctx: DemoContext, first_household_id: int, first_person_id: int
             ) -> Iterator[tuple[list[tuple], list[tuple]]]:
    """Batches of (household rows, person rows) in the column order above."""
    rng = ctx.rng("registry")
    key = get_settings().resolved_secret_key().encode("utf-8")
    today = dt.date(2024, 1, 1)
    county6 = ctx.county_code[:6]
    numbers = _Numbers(county6)
    villages: list[str] = ctx.facts["village_codes"]
    household_id, person_id = first_household_id, first_person_id
    sequence_in_village: dict[str, int] = {}
    households: list[tuple] = []
    persons: list[tuple] = []
    for index in range(ctx.households):
        village = villages[index % len(villages)]
        group = f"{village}{rng.randint(1, 6):03d}"
        seq = sequence_in_village.get(village, 0) + 1
        sequence_in_village[village] = seq
        surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
        members = _members(rng, today)
        attribute = rng.choices(["general", "dibao", "tekun"], weights=[72, 24, 4])[0]
        main_cause = rng.choices(CAUSES, weights=CAUSE_WEIGHTS)[0]
        others = sorted({c for c in rng.sample(CAUSES, k=rng.choice([0, 0, 1, 2])) if c != main_cause})
        registration_year = rng.choices([2014, 2015, 2016, 2017], weights=[70, 15, 10, 5])[0]
        roll = rng.random()
        if roll < 0.86:
            status, exit_year = "exited", rng.choices([2016, 2017, 2018, 2019, 2020], weights=[10, 20, 30, 25, 15])[0]
            exit_year = max(exit_year, registration_year + 1)
        elif roll < 0.93:
            status, exit_year = "helped", None
        elif roll < 0.96:
            status, exit_year = "exit_proposed", None
        elif roll < 0.99:
            status, exit_year = "monitored", 2019
        else:
            status, exit_year = "identified", None
        head_name = ""
        for relation, sex, age in members:
            person_surname = surname if relation in ("head", "son", "daughter", "grandson", "granddaughter") \
                else rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
            name = person_surname + _given(rng, sex)
            if relation == "head":
                head_name = name
            birth = _birth(rng, age, today)
            number = numbers.next(birth, sex)
            fields = _person_fields(rng, age)
            fields["minimum_allowance"] = attribute in ("dibao", "tekun")
            persons.append((
                person_id, household_id, county6, group, number, id_hash(key, number), name, sex, birth, relation,
                rng.choices(["汉族", "彝族", "回族", "苗族"], weights=[88, 6, 4, 2])[0], fields["education"],
                fields["schooling"], fields["health"], fields["disability_grade"], fields["labour_capacity"],
                fields["work_place"], fields["months_worked"], fields["medical_insurance"],
                fields["pension_insurance"], fields["minimum_allowance"], fields["public_funded"], True, 1,
                name_initials(name),
            ))
            person_id += 1
        phone = f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"
        households.append((
            household_id, county6, group, f"{village}{seq:04d}", head_name, f"{group[-3:].lstrip('0')}组{seq}号",
            phone, attribute, main_cause, ",".join(others) or None, registration_year, status, exit_year,
            len(members), rng.random() < 0.01, rng.random() < 0.005, rng.random() < 0.01,
            DEMO_TIMESTAMP, DEMO_TIMESTAMP, 1,
        ))
        household_id += 1
        if len(households) >= BATCH_HOUSEHOLDS:
            yield households, persons
            households, persons = [], []
    if households:
        yield households, persons


def _bump_sequences(connection) -> None:  # type: ignore[no-untyped-def]
    if connection.dialect.name != "postgresql":
        return
    for table in ("households", "persons"):
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - fixed table names
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        ))


def build(ctx: DemoContext) -> None:
    advance = ctx.track("建档立卡户及成员", ctx.households)
    with UnitOfWork(ctx.db, Actor.system("demo")) as uow:
        session = uow.session
        connection = session.connection()
        first_household = (session.scalar(select(func.max(Household.id))) or 0) + 1
        first_person = (session.scalar(select(func.max(Person.id))) or 0) + 1
        total_h = total_p = 0
        for households, persons in generate(ctx, first_household, first_person):
            bulk_insert(connection, Household.__table__, HOUSEHOLD_COLUMNS, households)
            bulk_insert(connection, Person.__table__, PERSON_COLUMNS, persons)
            total_h += len(households)
            total_p += len(persons)
            advance(len(households))
        _bump_sequences(connection)
        uow.audit(AuditAction.imported, "households", None, area_code=ctx.county_code,
                  detail={"source": "demo", "seed": ctx.seed, "households": total_h, "persons": total_p})
    ctx.facts["households"] = total_h
    ctx.facts["persons"] = total_p
    ctx.summary.append(f"建档立卡:{total_h}户 {total_p}人")
    build_ledger(ctx)


# ---------------------------------------------------------------- the ledger: incomes, checks, measures, visits

LEDGER_YEARS = (2018, 2019, 2020)
_NO_PART = Decimal(0)  # demo transfers are half 养老金, half 其他
LINES = {2018: 3535, 2019: 3747, 2020: 4000}
INCOME_COLUMNS = ["household_id", "county_code", "area_code", "year", "members", "wages", "production_income",
                  "property_income", "transfer_income", "production_costs", "net_income", "per_capita_net", "version",
                  "transfer_dibao", "transfer_tekun", "transfer_pension", "transfer_ecological", "transfer_other"]
CHECK_COLUMNS = ["household_id", "county_code", "area_code", "year", "checked_on", "food_ok", "clothing_ok",
                 "education_ok", "medical_ok", "housing_ok", "water_litres_per_person_day", "water_trip_minutes",
                 "water_outage_days", "water_quality_ok", "water_short_area", "checked_by", "version"]
MEASURE_COLUMNS = ["household_id", "county_code", "area_code", "measure_type", "description", "amount",
                   "delivered_on", "helper_name", "created_at", "version"]
VISIT_COLUMNS = ["household_id", "county_code", "area_code", "cadre_id", "visitor_name", "visited_on", "found",
                 "done", "created_by", "created_at", "version"]
MEASURES = [("industry", "发放产业扶持资金", 3000), ("employment", "推荐到扶贫车间务工", None),
            ("education", "落实教育资助", 1500), ("health", "落实先诊疗后付费和大病救助", 2000),
            ("housing", "实施危房改造", 15000), ("microcredit", "发放扶贫小额信贷", 50000),
            ("training", "参加烹饪技能培训", None), ("public_welfare_post", "安排村保洁公益性岗位", 6000),
            ("ecological_post", "聘为生态护林员", 10000), ("minimum_allowance", "纳入农村低保", 3600)]
FOUND = ["家中老人慢性病需长期服药", "孩子上学路远", "住房屋顶漏雨", "春耕缺化肥", "务工工资被拖欠", "饮水管道冻裂",
         "家庭收入稳定", "产业发展缺技术"]
DONE = ["联系村医上门随访", "协调落实教育资助", "申请危房改造", "协调合作社赊销化肥", "帮助联系劳动监察", "组织维修水管",
        "宣讲政策并核实收入", "联系农技员指导种植"]
VISITORS = ["李书记", "王队员", "张干部", "赵主任", "刘书记", "陈队员"]


def _ledger_rows(ctx: DemoContext, households: list[tuple]) -> tuple[list, list, list, list]:  # type: ignore[type-arg]
    rng = ctx.rng("ledger")
    incomes, checks, measures, visits = [], [], [], []
    for household_id, county6, area_code, status, exit_year, members in households:
        base = rng.randint(2500, 9000)
        growth = rng.uniform(1.05, 1.18)
        typo = rng.random() < 0.01  # a few households with a per-capita figure to fix
        for year in LEDGER_YEARS:
            if status in ("exited", "monitored") and exit_year and year >= exit_year:
                target = max(base, LINES[year] + rng.randint(300, 6000))
            elif status in ("helped", "identified", "exit_proposed"):
                target = (LINES[year] + rng.randint(200, 3000)) if (status == "exit_proposed" or rng.random() < 0.3) \
                    else rng.randint(1800, LINES[year] - 100)
            else:
                target = base
            base = int(base * growth)
            total = target * members
            wages = int(total * rng.uniform(0.3, 0.7))
            transfer = int(total * rng.uniform(0.05, 0.2))
            prop = int(total * rng.uniform(0, 0.05))
            costs = int(total * rng.uniform(0.02, 0.1))
            production = total - wages - transfer - prop + costs
            figures = IncomeFigures(Decimal(wages), Decimal(production), Decimal(prop), Decimal(transfer),
                                    Decimal(costs), members)
            per_capita = figures.per_capita + (Decimal(500) if typo and year == 2020 else Decimal(0))
            incomes.append((household_id, county6, area_code, year, members, Decimal(wages), Decimal(production),
                            Decimal(prop), Decimal(transfer), Decimal(costs), figures.net, per_capita, 1,
                            _NO_PART, _NO_PART, Decimal(transfer // 2), _NO_PART, Decimal(transfer - transfer // 2)))
        passing = status in ("exited", "monitored", "exit_proposed") or rng.random() < 0.6
        housing_ok = passing or rng.random() < 0.5
        checks.append((household_id, county6, area_code, 2020, dt.date(2020, 11, rng.randint(1, 28)), True, True,
                       True, True, housing_ok, rng.randint(40, 120) if passing else rng.choice([25, 30, 60]),
                       rng.randint(0, 15), rng.randint(0, 20), True, False, rng.choice(VISITORS), 1))
        for _ in range(rng.randint(1, 3)):
            kind, text, amount = rng.choice(MEASURES)
            measures.append((household_id, county6, area_code, kind, text,
                             None if amount is None else Decimal(amount), dt.date(2019, 1, 1) +
                             dt.timedelta(days=rng.randrange(700)), rng.choice(VISITORS), DEMO_TIMESTAMP, 1))
        for _ in range(rng.randint(1, 4)):
            visits.append((household_id, county6, area_code, None, rng.choice(VISITORS),
                           dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(364)),
                           rng.choice(FOUND), rng.choice(DONE), None, DEMO_TIMESTAMP, 1))
    return incomes, checks, measures, visits


def build_ledger(ctx: DemoContext) -> None:
    from fupin.registry.models import HelpMeasure, HouseholdCheck, HouseholdIncome, Visit

    advance = ctx.track("扶贫台账(收入、核查、措施、走访)", ctx.facts.get("households", 0))
    with UnitOfWork(ctx.db, Actor.system("demo")) as uow:
        connection = uow.session.connection()
        last_id = 0
        counts = [0, 0, 0, 0]
        while True:
            batch = connection.execute(
                select(Household.id, Household.county_code, Household.area_code, Household.status,
                       Household.exit_year, Household.member_count)
                .where(Household.county_code == ctx.county_code[:6], Household.id > last_id)
                .order_by(Household.id).limit(BATCH_HOUSEHOLDS)).all()
            if not batch:
                break
            last_id = batch[-1][0]
            rows = _ledger_rows(ctx, [tuple(r) for r in batch])
            for table, columns, data, i in ((HouseholdIncome, INCOME_COLUMNS, rows[0], 0),
                                             (HouseholdCheck, CHECK_COLUMNS, rows[1], 1),
                                             (HelpMeasure, MEASURE_COLUMNS, rows[2], 2),
                                             (Visit, VISIT_COLUMNS, rows[3], 3)):
                bulk_insert(connection, table.__table__, columns, data)
                counts[i] += len(data)
            advance(len(batch))
        uow.audit(AuditAction.imported, "household_incomes", None, area_code=ctx.county_code,
                  detail={"source": "demo", "seed": ctx.seed, "incomes": counts[0], "checks": counts[1],
                          "measures": counts[2], "visits": counts[3]})
    ctx.summary.append(f"扶贫台账:收入{counts[0]}条、核查{counts[1]}条、措施{counts[2]}条、走访{counts[3]}条")
