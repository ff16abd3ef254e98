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

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Select,
    String,
    and_,
    any_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal_column,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.orm import Session, aliased

from fupin.core.areacodes import prefix_upper_bound
from fupin.core.errors import NotFound
from fupin.core.scoping import Scope
from fupin.registry import errors
from fupin.registry.fields import NATIONAL_PERSON_KEYS
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
    CHECK_CONDITIONS,
    MEMBER_CONDITION,
    SHORT_AREA_COLUMN,
    CheckFigures,
    ExitEvaluation,
    ExitIncome,
    Holder,
    evaluate_exit,
    has_control_characters,
    line_for,
)
from fupin.registry.rules import COMPULSORY_SCHOOL_AGES as COMPULSORY_SCHOOL_AGES
from fupin.registry.rules import OUT_OF_SCHOOL as OUT_OF_SCHOOL
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
    education, medical_insurance, pension_insurance, minimum_allowance, active, joined_on, left_on (a member in a
    past year: see `registry.figures.member_in`)."""
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
        Person.joined_on,
        Person.left_on,
    ).where(scope.condition(Person.area_code))
    if active_only:
        stmt = stmt.where(Person.active)
    return stmt


def persons_subquery(scope: Scope, active_only: bool = True):  # type: ignore[no-untyped-def]
    return persons_select(scope, active_only).subquery("persons_in_scope")


MAX_ID = 2**63 - 1


def get_household(session: Session, household_id: int, scope: Scope) -> Household:
    household = session.get(Household, household_id) if 0 < household_id <= MAX_ID else None
    if household is None or not scope.contains(household.area_code):
        raise NotFound("户", household_id)
    return household


def get_person(session: Session, person_id: int, scope: Scope) -> Person:
    person = session.get(Person, person_id) if 0 < person_id <= MAX_ID else None
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


def _decode_cursor(cursor: str) -> tuple[str, int]:
    """(area code, id) of the last row of the previous page; anything else is a 422 with a code."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
    except (ValueError, UnicodeError):
        raise errors.BAD_CURSOR(field="cursor") from None
    if (not isinstance(decoded, list) or len(decoded) != 2 or not isinstance(decoded[0], str)
            or type(decoded[1]) is not int or not 0 <= decoded[1] <= MAX_ID or len(decoded[0]) > 15
            or not (decoded[0].isdigit() and decoded[0].isascii())):
        raise errors.BAD_CURSOR(field="cursor")
    return decoded[0], decoded[1]


def area_filter_scope(scope: Scope, area: str | None) -> Scope:
    """The caller's scope narrowed to an area typed in a filter: digits only (a 422 with a code otherwise),
    and never wider than the scope (NotFound outside it)."""
    if not area:
        return scope
    area = area.strip()
    if not area.isdigit() or not area.isascii() or len(area) > 15:
        raise errors.BAD_AREA_FILTER(field="area", value=area[:20])
    return scope.narrowed_to(area)


def list_households(session: Session, scope: Scope, filters: HouseholdFilters, *, key: bytes | None,
                    cursor: str | None = None, limit: int = 50) -> tuple[list[Household], str | None]:
    """Keyset-paginated by (area_code, id): stays fast on millions of rows (no OFFSET, index range scans)."""

    scope = area_filter_scope(scope, filters.area)
    for name in ("text", "status", "cause", "attribute"):
        value = getattr(filters, name)
        if value and has_control_characters(value):
            raise errors.CONTROL_CHARACTERS(field="q" if name == "text" else name, label="查询条件")
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


SUFFIX_DIGITS = 3  # "the last digits of a household number": at least this many


def _matching_household_ids(session: Session, scope: Scope, text: str, key: bytes | None) -> list[int]:
    """Households as people search for them (issue 17): a full ID number as typed (full-width, spaced, 15 digits;
    through the keyed hash), a household number's first 12+ digits or its last digits, pinyin initials of a
    member's name ("wfg"), or a name or part of it. Each a bounded query; the ID hash, the number prefix, the
    initials and a name's beginning are index range scans."""
    from fupin.registry.idnumbers import id_hash
    from fupin.registry.idrules import check_id_number, normalise_id_number

    number = normalise_id_number(text)
    digits = number.isdigit() and number.isascii()
    if len(number) in (15, 18) and number[:17].isdigit() and number.isascii() and key is not None:
        check = check_id_number(number)
        digest = id_hash(key, check.number or number)
        stmt = select(Person.household_id).where(Person.id_hash == digest, Person.active,
                                                 scope.condition(Person.area_code))
        found = list(session.scalars(stmt))
        if found or not digits:
            return found
    if digits and len(number) >= 12:
        return list(session.scalars(select(Household.id).where(_prefix_range(Household.household_no, number),
                                                               scope.condition(Household.area_code)).limit(1000)))
    if digits and len(number) >= SUFFIX_DIGITS:
        return list(session.scalars(select(Household.id).where(Household.household_no.like(f"%{number}"),
                                                               scope.condition(Household.area_code)).limit(1000)))
    letters = text.strip().lower()
    if letters.isascii() and letters.isalpha():
        return sorted(set(session.scalars(select(Person.household_id).where(
            _prefix_range(Person.name_initials, letters), Person.active, scope.condition(Person.area_code))
            .limit(1000))))
    by_head = select(Household.id).where(or_(Household.head_name == text, Household.household_no == text),
                                         scope.condition(Household.area_code))
    by_member = select(Person.household_id).where(_prefix_range(Person.name, text), Person.active,
                                                  scope.condition(Person.area_code))
    found = set(session.scalars(by_head.limit(1000))) | set(session.scalars(by_member.limit(1000)))
    if not found:  # a part inside the name ("富贵" of 王富贵): a bounded scan of the scope's members
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        found = set(session.scalars(select(Person.household_id).where(
            Person.name.like(pattern, escape="\\"), Person.active, scope.condition(Person.area_code)).limit(1000)))
    return sorted(found)


def _prefix_range(column, prefix: str):  # type: ignore[no-untyped-def]
    """`column LIKE 'prefix%'` as an index range (LIKE cannot use the index under a non-C collation); for text
    that is not digits, the range is narrowed by the LIKE itself, so no collation can let a stranger in."""
    if prefix.isdigit() and prefix.isascii():
        upper = prefix_upper_bound(prefix)
        return column >= prefix if upper is None else and_(column >= prefix, column < upper)
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1) if ord(prefix[-1]) < 0x10FFFF else None
    bounded = column >= prefix if upper is None else and_(column >= prefix, column < upper)
    return and_(bounded, column.like(escaped + "%", escape="\\"))


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


def school_age_day(year: int) -> dt.date:
    return MEMBER_CONDITION.day(year)


def _check_condition_sql(condition, check):  # type: ignore[no-untyped-def]
    """One declared check condition (rules.CHECK_CONDITIONS) as SQL: the same test `rules.check_failures` makes."""
    column = getattr(check, condition.column)
    if condition.kind == "met":
        return column.is_(True)
    limit = condition.limit
    if condition.limit_short_area is not None:
        limit = case((getattr(check, SHORT_AREA_COLUMN).is_(True), condition.limit_short_area), else_=condition.limit)
    within = column >= limit if condition.kind == "at_least" else column <= limit
    return and_(column.is_not(None), within) if condition.required else or_(column.is_(None), within)


def _fen(amount):  # type: ignore[no-untyped-def]
    """An amount in yuan (two places) as integer fen, so a comparison is exact on both databases: SQLite keeps
    NUMERIC as a float (8856.01 might read 8856.009999…); rounding ×100 and casting gives the exact integer."""
    return cast(func.round(amount * 100), BigInteger)


def exit_eligible_select(scope: Scope, year: int, statuses: Sequence[str] | None = None) -> Select:
    """Households of the scope that `evaluate_household` (rules.evaluate_exit) finds eligible to exit in `year`,
    as one set-based select with the columns of `households_select` (any status; filter as needed).

    Derived from the same declarations as the per-household evaluation (rules.py), in SQL for SQLite and
    PostgreSQL:
    - the year's line: the province's line (first two digits of the area code) when it is set and higher than
      the national one ('00'), else the national one (`rules.line_for`); no line at all → not eligible;
    - an income record of the year with per-capita net income strictly above that line, compared exactly as
      `net_income > line × members` (`rules.income_above_line`; the stored per-capita figure is rounded);
    - a check of the year meeting every `rules.CHECK_CONDITIONS` item;
    - no active member that `rules.MEMBER_CONDITION` counts against the exit (of compulsory-school age on the
      school-year day, out of school and without 九年义务教育 completed, or without basic medical insurance).
    """
    national = aliased(PovertyLine, name="national_line")
    provincial = aliased(PovertyLine, name="provincial_line")
    line = case((and_(provincial.amount.is_not(None),
                      or_(national.amount.is_(None), provincial.amount > national.amount)), provincial.amount),
                else_=national.amount)
    check = HouseholdCheck
    youngest_birth, oldest_birth_excluded = MEMBER_CONDITION.birth_window(year)
    member = aliased(Person, name="member")
    # One probe of the household's members for both member conditions.
    failing_member = exists().where(
        member.household_id == Household.id, member.active.is_(True),
        or_(member.medical_insurance.is_(False),
            and_(member.birth_date <= youngest_birth, member.birth_date > oldest_birth_excluded,
                 member.schooling.in_(MEMBER_CONDITION.out_of_school),
                 or_(member.education.is_(None), member.education.not_in(MEMBER_CONDITION.completed)))))
    return (
        households_select(scope, statuses)
        .join(HouseholdIncome, and_(HouseholdIncome.household_id == Household.id, HouseholdIncome.year == year))
        .join(check, and_(check.household_id == Household.id, check.year == year))
        .outerjoin(national, and_(national.year == year, national.province_code == "00"))
        .outerjoin(provincial, and_(provincial.year == year, provincial.province_code ==
                                    func.substr(Household.area_code, literal_column("1"), literal_column("2"))))
        .where(
            HouseholdIncome.members > 0,
            _fen(HouseholdIncome.net_income) > _fen(line) * HouseholdIncome.members,
            *[_check_condition_sql(condition, check) for condition in CHECK_CONDITIONS],
            ~failing_member,
        )
    )


def evaluate_household(session: Session, household: Household, year: int,
                       today: dt.date | None = None) -> ExitEvaluation:
    income = session.scalar(select(HouseholdIncome).where(HouseholdIncome.household_id == household.id,
                                                          HouseholdIncome.year == year))
    check = session.scalar(select(HouseholdCheck).where(HouseholdCheck.household_id == household.id,
                                                        HouseholdCheck.year == year))
    line = line_for(poverty_lines(session), year, household.area_code[:2])
    members = members_of(session, household.id)
    out_of_school = sum(1 for m in members if MEMBER_CONDITION.dropout(m.birth_date, m.schooling, m.education, year))
    uninsured = sum(1 for m in members if not m.medical_insurance)
    figures = None if check is None else CheckFigures(
        check.food_ok, check.clothing_ok, check.education_ok, check.medical_ok, check.housing_ok,
        check.water_litres_per_person_day, check.water_trip_minutes, check.water_outage_days,
        check.water_quality_ok, check.water_short_area)
    return evaluate_exit(year, None if income is None else ExitIncome(income.net_income, income.members), line, figures,
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


# ---------------------------------------------------------------- the one conflict query (form, API and import)

CHUNK = 5000  # values per look-up
PERSON_COLUMNS = ["name", "sex", "birth_date", "relation", "ethnicity", "education", "schooling", "health",
                  "disability_grade", "labour_capacity", "work_place", "months_worked", "medical_insurance",
                  "pension_insurance", "minimum_allowance", "public_funded", "id_number_original", "name_initials",
                  *NATIONAL_PERSON_KEYS]


def member_of(column, values: list, dialect: str, *, hex_strings: bool = False):  # type: ignore[no-untyped-def]
    """`column IN (values)` with one parameter instead of thousands to compile and parse. On PostgreSQL as
    `= ANY(array)`; hex digests there go as one comma-joined string split by the server, which spares the client
    quoting-checking every element of a text array (a third of a second per 100,000)."""
    if not values:
        return ~true()
    if dialect == "postgresql":
        if hex_strings:
            return column == any_(func.string_to_array(bindparam(None, value=",".join(values), type_=String),
                                                        literal_column("','")))
        return column == any_(bindparam(None, value=list(values), type_=ARRAY(column.type)))
    # SQLite: the values as one JSON array, unpacked by json_each; compiling thousands of bind parameters
    # costs more than the look-up itself.
    listed = func.json_each(bindparam(None, value=json.dumps(values), type_=String)).table_valued("value")
    return column.in_(select(listed.c.value))


def chunked(items: list, size: int = CHUNK):  # type: ignore[no-untyped-def,type-arg]
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class HeldId:
    """An active member holding an ID number: where (for the rules) and the stored values (for the import)."""

    person_id: int
    household_id: int
    household_no: str
    area_code: str
    version: int
    values: tuple  # type: ignore[type-arg]  # PERSON_COLUMNS in order

    @property
    def holder(self) -> Holder:
        return Holder(self.household_no, self.area_code)


def id_holders(session: Session, digests: list[str]) -> dict[str, HeldId]:
    """Active members holding any of these keyed ID hashes, in any area (the rules decide what the caller may
    be told): digest → HeldId. The household form, the member form and the import all ask this."""
    dialect = session.get_bind().dialect.name
    found: dict[str, HeldId] = {}
    for chunk in chunked(sorted(set(digests))):
        rows = session.execute(
            select(Person.id_hash, Person.id, Person.household_id, Household.household_no, Household.area_code,
                   Person.version, *[getattr(Person, c) for c in PERSON_COLUMNS])
            .join(Household, Household.id == Person.household_id)
            .where(member_of(Person.id_hash, chunk, dialect, hex_strings=True), Person.active))
        for row in rows:
            found[row[0]] = HeldId(row[1], row[2], row[3], row[4], row[5], tuple(row[6:]))
    return found


def households_by_number(session: Session, numbers: list[str]) -> dict[str, tuple[int, str, int]]:
    """household_no → (id, area_code, version) for the numbers that exist, in any area."""
    dialect = session.get_bind().dialect.name
    found: dict[str, tuple[int, str, int]] = {}
    for chunk in chunked(sorted(set(numbers))):
        for row in session.execute(select(Household.household_no, Household.id, Household.area_code,
                                          Household.version).where(member_of(Household.household_no, chunk,
                                                                             dialect))):
            found[row.household_no] = (row.id, row.area_code, row.version)
    return found
