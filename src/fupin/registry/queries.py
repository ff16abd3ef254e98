"""Read side of the registry. Other capabilities use these selects instead of the registry's tables.

`households_subquery` / `persons_subquery` are set-based building blocks: join them, group them, count them.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Select, and_, case, exists, func, literal_column, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from fupin.core.areacodes import prefix_upper_bound
from fupin.core.errors import NotFound
from fupin.core.scoping import Scope
from fupin.registry.models import (
    HelpMeasure,
    Household,
    HouseholdCheck,
    HouseholdEvent,
    HouseholdIncome,
    Person,
    PovertyLine,
    Visit,
)
from fupin.registry.rules import (
    COMPULSORY_SCHOOL_AGES,
    WATER_LITRES,
    WATER_LITRES_SHORT_AREA,
    WATER_OUTAGE_DAYS,
    WATER_TRIP_MINUTES,
    CheckFigures,
    ExitEvaluation,
    evaluate_exit,
    line_for,
)
from fupin.registry.vocab import ACTIVE_POOR_STATUSES


def households_select(scope: Scope, statuses: Sequence[str] | None = None) -> Select:
    """Registered households in the scope: id, county_code, area_code, household_no, head_name, status,
    exit_year, member_count, poverty_attribute, main_cause, registration_year."""
    stmt = select(
        Household.id,
        Household.county_code,
        Household.area_code,
        Household.household_no,
        Household.head_name,
        Household.status,
        Household.exit_year,
        Household.member_count,
        Household.poverty_attribute,
        Household.main_cause,
        Household.registration_year,
    ).where(scope.condition(Household.area_code))
    if statuses:
        stmt = stmt.where(Household.status.in_(list(statuses)))
    return stmt


def households_subquery(scope: Scope, statuses: Sequence[str] | None = None):  # type: ignore[no-untyped-def]
    return households_select(scope, statuses).subquery("households_in_scope")


def persons_select(scope: Scope, active_only: bool = True) -> Select:
    """Members in the scope (never the ID number): id, household_id, county_code, area_code, name, sex,
    birth_date, relation, health, disability_grade, labour_capacity, work_place, months_worked, schooling,
    education, medical_insurance, pension_insurance, minimum_allowance, active."""
    stmt = select(
        Person.id,
        Person.household_id,
        Person.county_code,
        Person.area_code,
        Person.name,
        Person.sex,
        Person.birth_date,
        Person.relation,
        Person.health,
        Person.disability_grade,
        Person.labour_capacity,
        Person.work_place,
        Person.months_worked,
        Person.schooling,
        Person.education,
        Person.medical_insurance,
        Person.pension_insurance,
        Person.minimum_allowance,
        Person.active,
    ).where(scope.condition(Person.area_code))
    if active_only:
        stmt = stmt.where(Person.active)
    return stmt


def persons_subquery(scope: Scope, active_only: bool = True):  # type: ignore[no-untyped-def]
    return persons_select(scope, active_only).subquery("persons_in_scope")


def get_household(session: Session, household_id: int, scope: Scope) -> Household:
    household = session.get(Household, household_id)
    if household is None or not scope.contains(household.area_code):
        raise NotFound("户", household_id)
    return household


def get_person(session: Session, person_id: int, scope: Scope) -> Person:
    person = session.get(Person, person_id)
    if person is None or not scope.contains(person.area_code):
        raise NotFound("人员", person_id)
    return person


def is_active_poor(status: str) -> bool:
    return status in ACTIVE_POOR_STATUSES


def visits_select(scope: Scope) -> Select:
    """Visits in the scope: id, household_id, area_code, cadre_id, visitor_name, visited_on."""
    return select(Visit.id, Visit.household_id, Visit.area_code, Visit.cadre_id, Visit.visitor_name,
                  Visit.visited_on).where(scope.condition(Visit.area_code))


CHECK_ITEMS = ("food", "clothing", "education", "medical", "housing", "water")


def checks_select(scope: Scope, year: int) -> Select:
    """The 两不愁三保障 checks of `year` in the scope: household_id, area_code and one boolean column per item of
    `CHECK_ITEMS` (food, clothing, education, medical, housing; water = safe water quality)."""
    c = HouseholdCheck
    return select(c.household_id, c.area_code, c.food_ok.label("food"), c.clothing_ok.label("clothing"),
                  c.education_ok.label("education"), c.medical_ok.label("medical"), c.housing_ok.label("housing"),
                  c.water_quality_ok.label("water")).where(scope.condition(c.area_code), c.year == year)


# ---------------------------------------------------------------- household list, search, page



@dataclass
class HouseholdFilters:
    text: str | None = None
    status: str | None = None
    cause: str | None = None
    attribute: str | None = None
    area: str | None = None


def _encode_cursor(values: list) -> str:  # type: ignore[type-arg]
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def _decode_cursor(cursor: str) -> list:  # type: ignore[type-arg]
    from fupin.core.errors import Invalid

    try:
        return json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, json.JSONDecodeError):
        raise Invalid("分页游标无效", field="cursor") from None


def list_households(session: Session, scope: Scope, filters: HouseholdFilters, *, key: bytes | None,
                    cursor: str | None = None, limit: int = 50) -> tuple[list[Household], str | None]:
    """Keyset-paginated by (area_code, id): stays fast on millions of rows (no OFFSET, index range scans)."""

    scope = scope.narrowed_to(filters.area) if filters.area else scope
    stmt = select(Household).where(scope.condition(Household.area_code))
    if filters.status:
        stmt = stmt.where(Household.status == filters.status)
    if filters.cause:
        stmt = stmt.where(Household.main_cause == filters.cause)
    if filters.attribute:
        stmt = stmt.where(Household.poverty_attribute == filters.attribute)
    text = (filters.text or "").strip()
    if text:
        # Exact searches resolve to a handful of household ids first, each through its own index, so the
        # page query never scans the scope (an OR across tables would).
        ids = _matching_household_ids(session, scope, text, key)
        stmt = stmt.where(Household.id.in_(ids or [-1]))
    if cursor:
        area_code, last_id = _decode_cursor(cursor)
        stmt = stmt.where(tuple_(Household.area_code, Household.id) > tuple_(area_code, last_id))
    rows = list(session.scalars(stmt.order_by(Household.area_code, Household.id).limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = _encode_cursor([rows[-1].area_code, rows[-1].id])
    return rows, next_cursor


def _matching_household_ids(session: Session, scope: Scope, text: str, key: bytes | None) -> list[int]:
    from fupin.registry.idnumbers import id_hash
    from fupin.registry.idrules import check_id_number

    candidate = text.upper()
    if len(candidate) in (15, 18) and candidate[:6].isdigit() and key is not None:
        check = check_id_number(candidate)
        digest = id_hash(key, check.number or candidate)
        stmt = select(Person.household_id).where(Person.id_hash == digest, Person.active,
                                                 scope.condition(Person.area_code))
        return list(session.scalars(stmt))
    if text.isdigit() and len(text) >= 12:
        # A prefix as an index range (LIKE 'x%' cannot use the index under a non-C collation).
        upper = prefix_upper_bound(text)
        number_range = Household.household_no >= text if upper is None else and_(
            Household.household_no >= text, Household.household_no < upper)
        return list(session.scalars(select(Household.id).where(number_range, scope.condition(Household.area_code))
                                    .limit(1000)))
    by_head = select(Household.id).where(or_(Household.head_name == text, Household.household_no == text),
                                         scope.condition(Household.area_code))
    by_member = select(Person.household_id).where(Person.name == text, Person.active,
                                                  scope.condition(Person.area_code))
    found = set(session.scalars(by_head.limit(1000))) | set(session.scalars(by_member.limit(1000)))
    return sorted(found)


def count_households(session: Session, scope: Scope) -> int:
    return session.scalar(select(func.count()).select_from(Household).where(scope.condition(Household.area_code))) or 0


def hashed_samples(session: Session, limit: int) -> list[tuple[str, str]]:
    """(ID number, its keyed hash) of a few people, to prove a key belongs to this database."""
    rows = session.execute(select(Person.id_number, Person.id_hash).where(Person.id_hash.is_not(None))
                           .order_by(Person.id).limit(limit))
    return [(number, digest) for number, digest in rows if number]


def count_people(session: Session, scope: Scope) -> int:
    return session.scalar(select(func.count()).select_from(Person)
                          .where(scope.condition(Person.area_code), Person.active)) or 0


def members_of(session: Session, household_id: int, include_inactive: bool = False) -> list[Person]:
    stmt = select(Person).where(Person.household_id == household_id)
    if not include_inactive:
        stmt = stmt.where(Person.active)
    order = {"head": 0, "spouse": 1}
    return sorted(session.scalars(stmt.order_by(Person.id)), key=lambda p: (order.get(p.relation, 2), p.id))


def poverty_lines(session: Session) -> dict[tuple[int, str], Decimal]:
    return {(line.year, line.province_code): line.amount for line in session.scalars(select(PovertyLine))}


def exit_steps_done(session: Session, household_id: int) -> list[tuple[str, dt.date]]:
    rows = session.execute(select(HouseholdEvent.step, HouseholdEvent.happened_on)
                           .where(HouseholdEvent.household_id == household_id, HouseholdEvent.kind == "exit_step")
                           .order_by(HouseholdEvent.id))
    return [(row.step, row.happened_on) for row in rows]


# What `evaluate_household` reads besides the income and the check: active members of compulsory-school age on
# 1 September of the year who are not in school, and active members without basic medical insurance.
OUT_OF_SCHOOL = ("not_in_school", "dropout")


def school_age_day(year: int) -> dt.date:
    return dt.date(year, 9, 1)


def exit_eligible_select(scope: Scope, year: int, statuses: Sequence[str] | None = None) -> Select:
    """Households of the scope that `evaluate_household` (rules.evaluate_exit) finds eligible to exit in `year`,
    as one set-based select with the columns of `households_select` (any status; filter as needed).

    The same conditions, in SQL that runs on SQLite and PostgreSQL:
    - the year's line: the province's line (first two digits of the area code) when it is set and higher than
      the national one ('00'), else the national one (`rules.line_for`); no line at all → not eligible;
    - an income record of the year with per-capita net income strictly above that line;
    - a check of the year with food, clothing, education, medical, housing and water quality met, water litres
      recorded and ≥ 35 per person-day (20 in a water-short area), trip minutes and outage days each either not
      recorded or within 20 minutes / 36 days (`rules.check_failures`);
    - no active member of compulsory-school age (6–15 on 1 September) whose schooling is not-in-school or dropout,
      and no active member without basic medical insurance.
    """
    national = aliased(PovertyLine, name="national_line")
    provincial = aliased(PovertyLine, name="provincial_line")
    line = case((and_(provincial.amount.is_not(None),
                      or_(national.amount.is_(None), provincial.amount > national.amount)), provincial.amount),
                else_=national.amount)
    check = HouseholdCheck
    litres_needed = case((check.water_short_area.is_(True), WATER_LITRES_SHORT_AREA), else_=WATER_LITRES)
    # age_on(birth, day) in range(lo, hi)  ⇔  day − hi years < birth ≤ day − lo years (day is 1 September).
    day = school_age_day(year)
    youngest_birth = day.replace(year=year - COMPULSORY_SCHOOL_AGES.start)
    oldest_birth_excluded = day.replace(year=year - COMPULSORY_SCHOOL_AGES.stop)
    member = aliased(Person, name="member")
    # One probe of the household's members for both member conditions.
    failing_member = exists().where(
        member.household_id == Household.id, member.active.is_(True),
        or_(member.medical_insurance.is_(False),
            and_(member.birth_date <= youngest_birth, member.birth_date > oldest_birth_excluded,
                 member.schooling.in_(OUT_OF_SCHOOL))))
    return (
        households_select(scope, statuses)
        .join(HouseholdIncome, and_(HouseholdIncome.household_id == Household.id, HouseholdIncome.year == year))
        .join(check, and_(check.household_id == Household.id, check.year == year))
        .outerjoin(national, and_(national.year == year, national.province_code == "00"))
        .outerjoin(provincial, and_(provincial.year == year, provincial.province_code ==
                                    func.substr(Household.area_code, literal_column("1"), literal_column("2"))))
        .where(
            HouseholdIncome.per_capita_net > line,
            check.food_ok.is_(True), check.clothing_ok.is_(True), check.education_ok.is_(True),
            check.medical_ok.is_(True), check.housing_ok.is_(True), check.water_quality_ok.is_(True),
            check.water_litres_per_person_day.is_not(None), check.water_litres_per_person_day >= litres_needed,
            or_(check.water_trip_minutes.is_(None), check.water_trip_minutes <= WATER_TRIP_MINUTES),
            or_(check.water_outage_days.is_(None), check.water_outage_days <= WATER_OUTAGE_DAYS),
            ~failing_member,
        )
    )


def evaluate_household(session: Session, household: Household, year: int,
                       today: dt.date | None = None) -> ExitEvaluation:
    from fupin.registry.rules import age_on

    today = today or dt.date(year, 12, 31)
    income = session.scalar(select(HouseholdIncome).where(HouseholdIncome.household_id == household.id,
                                                          HouseholdIncome.year == year))
    check = session.scalar(select(HouseholdCheck).where(HouseholdCheck.household_id == household.id,
                                                        HouseholdCheck.year == year))
    line = line_for(poverty_lines(session), year, household.area_code[:2])
    members = members_of(session, household.id)
    out_of_school = sum(1 for m in members if age_on(m.birth_date, school_age_day(year)) in COMPULSORY_SCHOOL_AGES
                        and m.schooling in OUT_OF_SCHOOL)
    uninsured = sum(1 for m in members if not m.medical_insurance)
    figures = None if check is None else CheckFigures(
        check.food_ok, check.clothing_ok, check.education_ok, check.medical_ok, check.housing_ok,
        check.water_litres_per_person_day, check.water_trip_minutes, check.water_outage_days,
        check.water_quality_ok, check.water_short_area)
    return evaluate_exit(year, None if income is None else income.per_capita_net, line, figures,
                         members_out_of_school=out_of_school, members_without_medical_insurance=uninsured)


@dataclass
class HouseholdLedger:
    household: Household
    members: list[Person]
    former_members: list[Person]
    incomes: list[HouseholdIncome]
    checks: list[HouseholdCheck]
    measures: list[HelpMeasure]
    visits: list[Visit]
    events: list[HouseholdEvent]
    evaluation: ExitEvaluation
    steps_done: list[tuple[str, dt.date]] = field(default_factory=list)


def ledger(session: Session, household_id: int, scope: Scope, year: int) -> HouseholdLedger:
    household = get_household(session, household_id, scope)
    everyone = members_of(session, household.id, include_inactive=True)

    def rows(model, order):  # type: ignore[no-untyped-def]
        return list(session.scalars(select(model).where(model.household_id == household.id).order_by(*order)))

    return HouseholdLedger(
        household=household,
        members=[p for p in everyone if p.active],
        former_members=[p for p in everyone if not p.active],
        incomes=rows(HouseholdIncome, [HouseholdIncome.year]),
        checks=rows(HouseholdCheck, [HouseholdCheck.year.desc()]),
        measures=rows(HelpMeasure, [HelpMeasure.delivered_on.desc(), HelpMeasure.id.desc()]),
        visits=rows(Visit, [Visit.visited_on.desc(), Visit.id.desc()]),
        events=rows(HouseholdEvent, [HouseholdEvent.id]),
        evaluation=evaluate_household(session, household, year),
        steps_done=exit_steps_done(session, household.id),
    )


def last_visits(session: Session, scope: Scope) -> Select:
    """Household id and date of its last visit, for follow-up lists."""
    return (select(Visit.household_id, func.max(Visit.visited_on).label("last_visit"))
            .where(scope.condition(Visit.area_code)).group_by(Visit.household_id))



def default_year(session: Session, household_id: int) -> int:
    """The year the ledger shows by default: the household's latest income year, else last year."""
    latest = session.scalar(select(func.max(HouseholdIncome.year)).where(HouseholdIncome.household_id == household_id))
    return latest or dt.date.today().year - 1
