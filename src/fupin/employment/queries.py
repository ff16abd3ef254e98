"""Read side of employment. Figures are set-based (GROUP BY over code prefixes), never a loop over people.

Other capabilities use `stations_select`, `export_concentrations_select`, `employment_figures` and
`employed_members_by_household`; the indicator engine uses `employment_figures`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from fupin.core.areacodes import PREFIX_LENGTH, AreaLevel, level_of
from fupin.core.personal_data import PersonalField, Viewer
from fupin.core.scoping import Scope
from fupin.core.scoping import get_in_scope as in_scope
from fupin.core.sql import chunks
from fupin.employment import errors, models
from fupin.employment.rules import PLACE_RANK, Candidate, match_score
from fupin.employment.schemas import WorkerDetail

FIGURES = {
    "labour_force": "劳动力",
    "employed": "已就业",
    "transfer_employed": "转移就业",
    "in_county": "县内就业",
    "in_province": "县外省内就业",
    "out_province": "省外就业",
    "households_with_labour": "有劳动力户",
    "households_employed": "有就业人员户",
    "public_welfare": "公益性岗位在岗",
}


def stations_select(scope: Scope) -> Select:
    """Employment service stations in the scope: id, name, area_code, site_id (nullable)."""
    return select(models.EmploymentStation.id, models.EmploymentStation.name, models.EmploymentStation.area_code,
                  models.EmploymentStation.site_id).where(scope.condition(models.EmploymentStation.area_code))


def export_concentrations_select(scope: Scope) -> Select:
    """Where labour export takes people: destination, county_code (origin county, 6 digits), workers (persons
    with an open labour-export placement), grouped by destination and origin county."""
    return (
        select(models.JobPlacement.destination.label("destination"), models.JobPlacement.county_code.label("county_code"),
               func.count(func.distinct(models.JobPlacement.person_id)).label("workers"))
        .where(scope.condition(models.JobPlacement.area_code), models.JobPlacement.source == "labour_export",
               models.JobPlacement.ended_on.is_(None), models.JobPlacement.destination.is_not(None))
        .group_by(models.JobPlacement.destination, models.JobPlacement.county_code)
    )


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _active_in_year(year: int):  # type: ignore[no-untyped-def]
    start, end = _year_bounds(year)
    return and_(models.JobPlacement.started_on <= end,
                or_(models.JobPlacement.ended_on.is_(None), models.JobPlacement.ended_on >= start))


def _place_rank():  # type: ignore[no-untyped-def]
    """The farthest place of a transfer job (self-employment at home is employment, not transfer)."""
    whens = [(and_(models.JobPlacement.source != "self_employed", models.JobPlacement.work_place == place), rank)
             for place, rank in PLACE_RANK.items()]
    return case(*whens, else_=0)


def employed_persons_subquery(scope: Scope, year: int):  # type: ignore[no-untyped-def]
    """One row per person employed at some time in the year: person, household, area, farthest transfer
    place (0 = none), whether on a public-welfare post."""
    return (
        select(models.JobPlacement.person_id, models.JobPlacement.household_id,
               func.min(models.JobPlacement.area_code).label("area_code"),
               func.max(_place_rank()).label("place_rank"),
               func.max(case((models.JobPlacement.source == "public_welfare", 1), else_=0)).label("welfare"))
        .where(scope.condition(models.JobPlacement.area_code), _active_in_year(year))
        .group_by(models.JobPlacement.person_id, models.JobPlacement.household_id)
        .subquery("employed_persons")
    )


@dataclass
class EmploymentFigures:
    area_code: str
    labour_force: int = 0
    employed: int = 0
    transfer_employed: int = 0
    in_county: int = 0
    in_province: int = 0
    out_province: int = 0
    households_with_labour: int = 0
    households_employed: int = 0
    public_welfare: int = 0
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def transfer_rate(self) -> Decimal:
        """Transfer-employed ÷ labour force, in percent with one decimal."""
        if not self.labour_force:
            return Decimal("0.0")
        return (Decimal(self.transfer_employed) * 100 / Decimal(self.labour_force)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def employment_rate(self) -> Decimal | None:
        """Employed ÷ labour force (就业率), in percent with one decimal; None without a labour force."""
        if not self.labour_force:
            return None
        return (Decimal(self.employed) * 100 / Decimal(self.labour_force)).quantize(Decimal("0.1"),
                                                                                    rounding=ROUND_HALF_UP)

    @property
    def households_without_employed(self) -> int:
        return self.households_with_labour - self.households_employed

    def as_dict(self) -> dict[str, object]:
        data = {name: getattr(self, name) for name in ("area_code", *FIGURES)}
        data["transfer_rate"] = str(self.transfer_rate)
        data["employment_rate"] = None if self.employment_rate is None else str(self.employment_rate)
        data["households_without_employed"] = self.households_without_employed
        return data


def _pad(key: str, level: AreaLevel) -> str:
    return key if level == AreaLevel.group else key.ljust(12, "0")


def employment_figures(session: Session, scope: Scope, year: int, level: AreaLevel) -> list[EmploymentFigures]:
    """The figures of every area at `level` inside the scope, from the records: two GROUP BYs over code
    prefixes (labour registry; placements active in the year), merged by area code."""
    n = PREFIX_LENGTH[level]
    rows: dict[str, EmploymentFigures] = {}

    def row(key: str) -> EmploymentFigures:
        code = _pad(key, level)
        return rows.setdefault(code, EmploymentFigures(code))

    area_key = func.substr(models.Worker.area_code, 1, n)
    labour = (select(area_key.label("k"), func.count(), func.count(func.distinct(models.Worker.household_id)))
              .where(scope.condition(models.Worker.area_code)).group_by(area_key))
    for key, labour_force, households in session.execute(labour):
        figures = row(key)
        figures.labour_force, figures.households_with_labour = int(labour_force), int(households)
    employed = employed_persons_subquery(scope, year)
    key_e = func.substr(employed.c.area_code, 1, n)
    stmt = (
        select(key_e.label("k"), func.count(),
               func.sum(case((employed.c.place_rank > 0, 1), else_=0)),
               func.sum(case((employed.c.place_rank == 1, 1), else_=0)),
               func.sum(case((employed.c.place_rank == 2, 1), else_=0)),
               func.sum(case((employed.c.place_rank == 3, 1), else_=0)),
               func.count(func.distinct(employed.c.household_id)),
               func.sum(employed.c.welfare))
        .group_by(key_e)
    )
    for key, count, transfer, county, province, out, households, welfare in session.execute(stmt):
        figures = row(key)
        figures.employed, figures.transfer_employed = int(count), int(transfer or 0)
        figures.in_county, figures.in_province, figures.out_province = int(county or 0), int(province or 0), int(out or 0)
        figures.households_employed, figures.public_welfare = int(households), int(welfare or 0)
    return [rows[k] for k in sorted(rows)]


def figures_for_area(session: Session, scope: Scope, area_code: str, year: int) -> EmploymentFigures:
    """The figures of one area (its whole subtree)."""
    inner = scope.narrowed_to(area_code)
    found = employment_figures(session, inner, year, level_of(area_code))
    for figures in found:
        if figures.area_code == area_code:
            return figures
    return EmploymentFigures(area_code)


def figure_members(session: Session, scope: Scope, area_code: str, year: int, figure: str,
                   limit: int = 500) -> list[dict[str, object]]:
    """The records behind one number: people (or households) counted in `figure` for the area and year."""
    if figure not in FIGURES:
        raise errors.FIGURE_NOT_FOUND(field="figure", key=figure)
    inner = scope.narrowed_to(area_code)
    if figure in ("labour_force", "households_with_labour"):
        if figure == "labour_force":
            stmt = select(models.Worker.person_id, models.Worker.household_id, models.Worker.name, models.Worker.area_code,
                          models.Worker.classification).where(inner.condition(models.Worker.area_code)).order_by(models.Worker.id)
        else:
            stmt = (select(models.Worker.household_id, func.min(models.Worker.area_code).label("area_code"),
                           func.count().label("workers"))
                    .where(inner.condition(models.Worker.area_code)).group_by(models.Worker.household_id)
                    .order_by(models.Worker.household_id))
        return [dict(r._mapping) for r in session.execute(stmt.limit(limit))]
    employed = employed_persons_subquery(inner, year)
    conditions = {
        "employed": None,
        "transfer_employed": employed.c.place_rank > 0,
        "in_county": employed.c.place_rank == 1,
        "in_province": employed.c.place_rank == 2,
        "out_province": employed.c.place_rank == 3,
        "public_welfare": employed.c.welfare == 1,
        "households_employed": None,
    }
    if figure == "households_employed":
        stmt = (select(employed.c.household_id, func.min(employed.c.area_code).label("area_code"),
                       func.count().label("employed"))
                .group_by(employed.c.household_id).order_by(employed.c.household_id))
    else:
        stmt = (select(employed.c.person_id, employed.c.household_id, models.Worker.name, employed.c.area_code,
                       employed.c.place_rank)
                .join(models.Worker, models.Worker.person_id == employed.c.person_id).order_by(employed.c.person_id))
        if conditions[figure] is not None:
            stmt = stmt.where(conditions[figure])
    return [dict(r._mapping) for r in session.execute(stmt.limit(limit))]


def employed_members_by_household(session: Session, household_ids: Iterable[int]) -> dict[int, int]:
    result: dict[int, int] = {}
    for chunk in chunks(household_ids):
        stmt = select(models.HouseholdEmployment.household_id, models.HouseholdEmployment.employed_members).where(
            models.HouseholdEmployment.household_id.in_(chunk))
        result.update({h: int(n) for h, n in session.execute(stmt)})
    return result


def list_workers(session: Session, scope: Scope, *, classification: str | None = None, q: str = "",
                 limit: int = 100, offset: int = 0) -> list[models.Worker]:
    stmt = select(models.Worker).where(scope.condition(models.Worker.area_code))
    if classification:
        stmt = stmt.where(models.Worker.classification == classification)
    if q.strip():
        stmt = stmt.where(models.Worker.name.contains(q.strip()))
    return list(session.scalars(stmt.order_by(models.Worker.id).limit(limit).offset(offset)))


def get_worker(session: Session, worker_id: int, scope: Scope) -> models.Worker:
    return in_scope(session, models.Worker, worker_id, scope, errors.WORKER_NOT_FOUND)


def worker_detail(session: Session, worker_id: int, scope: Scope, viewer: Viewer) -> WorkerDetail:
    """The worker with the person's data as `viewer` may see it (core.personal_data)."""
    from fupin.registry.queries import get_household, get_person

    worker = get_worker(session, worker_id, scope)
    detail = WorkerDetail.model_validate(worker)
    person = get_person(session, worker.person_id, Scope.everything())
    household = get_household(session, worker.household_id, Scope.everything())
    detail.sex = person.sex
    detail.id_number = viewer.id_number(person.id_number)
    detail.birth_date = viewer.birth_date(person.birth_date)
    detail.birth_year = viewer.birth_year(person.birth_date)
    detail.phone = viewer.phone(household.phone)
    if viewer.shows(PersonalField.health):
        detail.health = person.health
    if viewer.shows(PersonalField.disability):
        detail.disability_grade = person.disability_grade
    return detail


def current_placement_by_worker(session: Session, worker_ids: Sequence[int]) -> dict[int, models.JobPlacement]:
    found: dict[int, models.JobPlacement] = {}
    for chunk in chunks(worker_ids):
        stmt = select(models.JobPlacement).where(models.JobPlacement.worker_id.in_(chunk),
                                          models.JobPlacement.ended_on.is_(None)).order_by(models.JobPlacement.started_on)
        found.update({p.worker_id: p for p in session.scalars(stmt)})
    return found


def placements_of_worker(session: Session, worker_id: int) -> list[models.JobPlacement]:
    return list(session.scalars(select(models.JobPlacement).where(models.JobPlacement.worker_id == worker_id)
                                .order_by(models.JobPlacement.started_on.desc(), models.JobPlacement.id.desc())))


def training_of_worker(session: Session, worker_id: int) -> list[tuple[models.TrainingAttendance, models.TrainingCourse]]:
    stmt = (select(models.TrainingAttendance, models.TrainingCourse).join(models.TrainingCourse)
            .where(models.TrainingAttendance.worker_id == worker_id).order_by(models.TrainingCourse.starts_on.desc()))
    return [(a, c) for a, c in session.execute(stmt)]


def get_placement(session: Session, placement_id: int, scope: Scope) -> models.JobPlacement:
    return in_scope(session, models.JobPlacement, placement_id, scope, errors.PLACEMENT_NOT_FOUND)


def list_placements(session: Session, scope: Scope, *, source: str | None = None, open_only: bool = False,
                    limit: int = 100) -> list[tuple[models.JobPlacement, str]]:
    stmt = select(models.JobPlacement, models.Worker.name).join(models.Worker).where(scope.condition(models.JobPlacement.area_code))
    if source:
        stmt = stmt.where(models.JobPlacement.source == source)
    if open_only:
        stmt = stmt.where(models.JobPlacement.ended_on.is_(None))
    return [(p, n) for p, n in session.execute(stmt.order_by(models.JobPlacement.id.desc()).limit(limit))]


def list_stations(session: Session, scope: Scope) -> list[models.EmploymentStation]:
    return list(session.scalars(select(models.EmploymentStation).where(scope.condition(models.EmploymentStation.area_code))
                                .order_by(models.EmploymentStation.id)))


def get_station(session: Session, station_id: int, scope: Scope) -> models.EmploymentStation:
    return in_scope(session, models.EmploymentStation, station_id, scope, errors.STATION_NOT_FOUND)


def list_openings(session: Session, scope: Scope, status: str | None = None) -> list[models.JobOpening]:
    stmt = select(models.JobOpening).where(scope.condition(models.JobOpening.area_code))
    if status:
        stmt = stmt.where(models.JobOpening.status == status)
    return list(session.scalars(stmt.order_by(models.JobOpening.id.desc()).limit(200)))


def get_opening(session: Session, opening_id: int, scope: Scope) -> models.JobOpening:
    return in_scope(session, models.JobOpening, opening_id, scope, errors.OPENING_NOT_FOUND)


def filled_positions(session: Session, opening_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(models.JobPlacement)
                              .where(models.JobPlacement.opening_id == opening_id)) or 0)


def list_courses(session: Session, scope: Scope) -> list[tuple[models.TrainingCourse, int, int]]:
    """Courses with their attendance and completed counts."""
    stmt = (select(models.TrainingCourse, func.count(models.TrainingAttendance.id),
                   func.coalesce(func.sum(case((models.TrainingAttendance.completed.is_(True), 1), else_=0)), 0))
            .outerjoin(models.TrainingAttendance).where(scope.condition(models.TrainingCourse.area_code))
            .group_by(models.TrainingCourse.id).order_by(models.TrainingCourse.starts_on.desc(), models.TrainingCourse.id.desc()))
    return [(c, int(n), int(done)) for c, n, done in session.execute(stmt.limit(200))]


def get_course(session: Session, course_id: int, scope: Scope) -> models.TrainingCourse:
    return in_scope(session, models.TrainingCourse, course_id, scope, errors.COURSE_NOT_FOUND)


def get_attendance(session: Session, attendance_id: int, scope: Scope) -> models.TrainingAttendance:
    return in_scope(session, models.TrainingAttendance, attendance_id, scope, errors.ATTENDANCE_NOT_FOUND)


def attendance_of_course(session: Session, course_id: int) -> list[tuple[models.TrainingAttendance, models.Worker]]:
    stmt = (select(models.TrainingAttendance, models.Worker).join(models.Worker, models.Worker.id == models.TrainingAttendance.worker_id)
            .where(models.TrainingAttendance.course_id == course_id).order_by(models.TrainingAttendance.id))
    return [(a, w) for a, w in session.execute(stmt)]


def trained_then_placed(session: Session, scope: Scope) -> dict[str, int]:
    """Workers who completed a course, and of them those placed in a job that started after the course."""
    completed = (select(models.TrainingAttendance.worker_id, func.min(models.TrainingCourse.ends_on).label("ended"))
                 .join(models.TrainingCourse).where(models.TrainingAttendance.completed.is_(True),
                                             scope.condition(models.TrainingAttendance.area_code))
                 .group_by(models.TrainingAttendance.worker_id).subquery())
    trained = int(session.scalar(select(func.count()).select_from(completed)) or 0)
    placed = int(session.scalar(
        select(func.count(func.distinct(completed.c.worker_id)))
        .join(models.JobPlacement, models.JobPlacement.worker_id == completed.c.worker_id)
        .where(models.JobPlacement.started_on >= completed.c.ended)) or 0)
    return {"trained": trained, "placed_after_training": placed}


def propose_matches(session: Session, scope: Scope, opening: models.JobOpening, limit: int = 20
                    ) -> list[tuple[int, models.Worker, int]]:
    """Workers proposed for an opening, best first: (score, worker, employed members of the household).
    A person reviews the proposal; nothing is written here."""
    employed_now = select(models.JobPlacement.worker_id).where(models.JobPlacement.ended_on.is_(None))
    stmt = (select(models.Worker, func.coalesce(models.HouseholdEmployment.employed_members, 0))
            .outerjoin(models.HouseholdEmployment, models.HouseholdEmployment.household_id == models.Worker.household_id)
            .where(scope.condition(models.Worker.area_code), models.Worker.area_code.startswith(opening.area_code[:6]),
                   models.Worker.id.not_in(employed_now))
            .order_by(func.coalesce(models.HouseholdEmployment.employed_members, 0), models.Worker.id).limit(5000))
    scored: list[tuple[int, models.Worker, int]] = []
    for worker, household_employed in session.execute(stmt):
        candidate = Candidate(worker.id, worker.household_id, worker.area_code, worker.classification,
                              worker.skills or "", worker.wish, int(household_employed), False)
        score = match_score(candidate, opening.area_code, opening.skill, opening.work_place)
        if score is not None:
            scored.append((score, worker, int(household_employed)))
    scored.sort(key=lambda t: (-t[0], t[1].id))
    return scored[:limit]
