"""Use cases of employment; the only place that writes. Each opens its unit of work, asks the permission table
first, and holds the rows it checks (race-free on SQLite and PostgreSQL), audited in the same transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select

from fupin.areas.queries import area_in_scope
from fupin.core import jobs
from fupin.core.audit import AuditAction
from fupin.core.capability import provided
from fupin.core.periods import end_once
from fupin.core.scoping import found_as
from fupin.core.sql import valid_id
from fupin.core.uow import UnitOfWork
from fupin.core.validation import one_of, required_text
from fupin.employment import errors, models, queries, rules
from fupin.registry.queries import get_person

MAX_WAGE = Decimal("99999999.99")


def _wage(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        wage = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise errors.WAGE_INVALID(field="monthly_wage") from None
    if not wage.is_finite() or wage < 0 or wage > MAX_WAGE:
        raise errors.WAGE_INVALID(field="monthly_wage")
    return wage


def _choice(value: Any, vocabulary: dict[str, str], field: str) -> str:
    return one_of(errors.INVALID_CHOICE, rules.FIELD_LABELS, field, value, vocabulary)


def _required(value: str | None, field: str) -> str:
    return required_text(errors.REQUIRED, rules.FIELD_LABELS, field, value)


def _station_in_scope(uow: UnitOfWork, station_id: int | None) -> None:
    if station_id is not None:
        found_as(errors.STATION_NOT_FOUND, "station_id", station_id,
                 lambda key: queries.get_station(uow.session, key, uow.scope))


# ---------------------------------------------------------------- workers


def register_worker(uow: UnitOfWork, person_id: int, *, classification: str | None = None,
                    skills: str | None = None, wish: str = "local", note: str | None = None,
                    today: dt.date | None = None) -> models.Worker:
    """A person of the registry enters the labour registry (once: the unique person id makes a second,
    concurrent registration a 409)."""
    with uow:
        uow.require("employment.worker.manage")
        session = uow.session
        person = found_as(errors.PERSON_NOT_FOUND, "person_id", person_id,
                          lambda key: get_person(session, key, uow.scope))
        today = today or dt.date.today()
        if not rules.in_labour_registry(person.birth_date, person.labour_capacity, person.schooling, today):
            raise errors.NOT_IN_LABOUR_REGISTRY(field="person_id", name=person.name)
        if session.scalar(select(models.Worker.id).where(models.Worker.person_id == person.id)) is not None:
            raise errors.WORKER_EXISTS(field="person_id", name=person.name)
        skills = (skills or "").strip()[:200] or None
        classification = classification or rules.classify(person.labour_capacity, person.education, skills)
        _choice(classification, rules.CLASSIFICATIONS, "classification")
        _choice(wish, rules.WISHES, "wish")
        worker = models.Worker(person_id=person.id, household_id=person.household_id, county_code=person.county_code,
                        area_code=person.area_code, name=person.name, classification=classification, skills=skills,
                        wish=wish, note=(note or "").strip()[:500] or None)
        session.add(worker)
        uow.flush()
        uow.audit(AuditAction.create, "worker", worker.id, area_code=worker.area_code,
                  after={"person_id": person.id, "classification": classification, "skills": skills, "wish": wish})
        return worker


def update_worker(uow: UnitOfWork, worker_id: int, *, classification: str | None = None,
                  skills: str | None = None, wish: str | None = None, note: str | None = None) -> models.Worker:
    with uow:
        uow.require("employment.worker.manage")
        worker = uow.locked_in_scope(models.Worker, worker_id, errors.WORKER_NOT_FOUND)
        before = {"classification": worker.classification, "skills": worker.skills, "wish": worker.wish,
                  "note": worker.note}
        if classification is not None:
            worker.classification = _choice(classification, rules.CLASSIFICATIONS, "classification")
        if wish is not None:
            worker.wish = _choice(wish, rules.WISHES, "wish")
        if skills is not None:
            worker.skills = skills.strip()[:200] or None
        if note is not None:
            worker.note = note.strip()[:500] or None
        uow.flush()
        uow.audit(AuditAction.update, "worker", worker.id, area_code=worker.area_code, before=before,
                  after={"classification": worker.classification, "skills": worker.skills, "wish": worker.wish,
                         "note": worker.note})
        return worker


# ---------------------------------------------------------------- placements


def _refresh_household_employment(uow: UnitOfWork, household_id: int, area_code: str, today: dt.date) -> int:
    """Recount the household's members holding an open job; the household's employed status follows.

    The household's counter row is created if missing and then held, so two placements of one household
    written at the same moment are counted one after the other (each count sees the other's committed row)."""
    with uow:
        session = uow.session
        _ensure_counter_row(uow, household_id, area_code, today)
        row = session.execute(uow.locked(select(models.HouseholdEmployment)
                                         .where(models.HouseholdEmployment.household_id == household_id))
                              .execution_options(populate_existing=True)).scalar_one()
        count = int(session.scalar(select(func.count(func.distinct(models.JobPlacement.person_id)))
                                   .where(models.JobPlacement.household_id == household_id,
                                          models.JobPlacement.ended_on.is_(None))) or 0)
        row.employed_members, row.updated_on = count, today
        uow.flush()
        return count


def _ensure_counter_row(uow: UnitOfWork, household_id: int, area_code: str, today: dt.date) -> None:
    values = {"household_id": household_id, "area_code": area_code, "employed_members": 0, "updated_on": today}
    table = models.HouseholdEmployment.__table__
    if uow.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    uow.session.execute(insert(table).values(**values).on_conflict_do_nothing(index_elements=["household_id"]))


def _add_placement(uow: UnitOfWork, worker: models.Worker, *, source: str, work_place: str, destination: str | None,
                   employer_name: str | None, employer_kind: str | None, started_on: dt.date, monthly_wage: object,
                   opening_id: int | None = None) -> models.JobPlacement:
    """The worker's row is held by the caller, so the check for an open job with the same employer and the
    insert that follows cannot interleave with another placement of the same worker."""
    session = uow.session
    destination = (destination or "").strip()[:100] or None
    employer_name = (employer_name or "").strip()[:100] or None
    problems = rules.validate_placement(source, work_place, destination, started_on, None)
    if problems:
        raise problems[0]
    if employer_kind is not None:
        _choice(employer_kind, rules.EMPLOYER_KINDS, "employer_kind")
    wage = _wage(monthly_wage)
    open_same = session.scalar(select(models.JobPlacement.id).where(models.JobPlacement.worker_id == worker.id,
                                                             models.JobPlacement.ended_on.is_(None),
                                                             models.JobPlacement.source == source,
                                                             models.JobPlacement.employer_name.is_(employer_name)
                                                             if employer_name is None else
                                                             models.JobPlacement.employer_name == employer_name))
    if open_same is not None:
        raise errors.PLACEMENT_OPEN_SAME(name=worker.name)
    placement = models.JobPlacement(
        worker_id=worker.id, person_id=worker.person_id, household_id=worker.household_id,
        county_code=worker.county_code, area_code=worker.area_code, source=source, work_place=work_place,
        destination=destination, employer_name=employer_name, employer_kind=employer_kind, opening_id=opening_id,
        started_on=started_on, monthly_wage=wage)
    session.add(placement)
    uow.flush()
    employed = _refresh_household_employment(uow, worker.household_id, worker.area_code, started_on)
    uow.audit(AuditAction.create, "job_placement", placement.id, area_code=worker.area_code,
              after={"worker_id": worker.id, "source": source, "work_place": work_place, "destination": destination,
                     "employer_name": employer_name, "started_on": started_on, "monthly_wage": wage,
                     "opening_id": opening_id},
              detail={"household_employed_members": employed})
    return placement


def add_placement(uow: UnitOfWork, worker_id: int, *, source: str, work_place: str = "in_county",
                  destination: str | None = None, employer_name: str | None = None,
                  employer_kind: str | None = None, started_on: dt.date, monthly_wage: object = None
                  ) -> models.JobPlacement:
    with uow:
        uow.require("employment.placement.manage")
        worker = uow.locked_in_scope(models.Worker, worker_id, errors.WORKER_NOT_FOUND)
        return _add_placement(uow, worker, source=source, work_place=work_place, destination=destination,
                              employer_name=employer_name, employer_kind=employer_kind, started_on=started_on,
                              monthly_wage=monthly_wage)


def end_placement(uow: UnitOfWork, placement_id: int, ended_on: dt.date) -> models.JobPlacement:
    """The job ends once: the row is held while it is checked, so of two ends at the same moment the second
    sees the first and gets 409 `employment.placement_ended` (nothing written; see docs/decisions_employment.md)."""
    with uow:
        uow.require("employment.placement.manage")
        placement = uow.locked_in_scope(models.JobPlacement, placement_id, errors.PLACEMENT_NOT_FOUND)
        end_once(placement, "started_on", "ended_on", ended_on, ended=errors.PLACEMENT_ENDED,
                 before_start=errors.END_BEFORE_START)
        uow.flush()
        employed = _refresh_household_employment(uow, placement.household_id, placement.area_code, ended_on)
        uow.audit(AuditAction.update, "job_placement", placement.id, area_code=placement.area_code,
                  before={"ended_on": None}, after={"ended_on": ended_on},
                  detail={"household_employed_members": employed})
        return placement


# ---------------------------------------------------------------- stations and openings


def create_station(uow: UnitOfWork, *, name: str, area_code: str, site_id: int | None = None,
                   serves: str | None = None, phone: str | None = None) -> models.EmploymentStation:
    with uow:
        uow.require("employment.station.manage")
        name = _required(name, "name")
        code = area_in_scope(uow.session, uow.scope, area_code)
        if site_id is not None:
            sites = provided("relocation.sites_select")(uow.scope).subquery()
            if not valid_id(site_id) or uow.session.scalar(select(sites.c.id).where(sites.c.id == site_id)) is None:
                raise errors.SITE_NOT_FOUND(field="site_id", key=site_id)
        station = models.EmploymentStation(county_code=code[:6], area_code=code, name=name[:100], site_id=site_id,
                                    serves=(serves or "").strip()[:500] or None, phone=(phone or "").strip() or None)
        uow.session.add(station)
        uow.flush()
        uow.audit(AuditAction.create, "employment_station", station.id, area_code=code,
                  after={"name": station.name, "site_id": site_id, "serves": station.serves})
        return station


def create_opening(uow: UnitOfWork, *, title: str, area_code: str, source: str, employer_name: str,
                   employer_kind: str = "enterprise", work_place: str = "in_county", destination: str | None = None,
                   skill: str | None = None, positions: int = 1, monthly_wage: object = None,
                   station_id: int | None = None, posted_on: dt.date | None = None) -> models.JobOpening:
    with uow:
        uow.require("employment.opening.manage")
        title, employer_name = _required(title, "title"), _required(employer_name, "employer_name")
        _choice(source, rules.SOURCES, "source")
        _choice(work_place, rules.WORK_PLACES, "work_place")
        _choice(employer_kind, rules.EMPLOYER_KINDS, "employer_kind")
        if not 1 <= positions <= 100_000:
            raise errors.POSITIONS_RANGE(field="positions")
        if source == "labour_export" and not (destination or "").strip():
            raise errors.DESTINATION_REQUIRED(field="destination")
        code = area_in_scope(uow.session, uow.scope, area_code)
        _station_in_scope(uow, station_id)
        opening = models.JobOpening(county_code=code[:6], area_code=code, title=title[:100], source=source,
                             employer_name=employer_name[:100], employer_kind=employer_kind, work_place=work_place,
                             destination=(destination or "").strip()[:100] or None,
                             skill=(skill or "").strip()[:40] or None, positions=positions,
                             monthly_wage=_wage(monthly_wage), station_id=station_id,
                             posted_on=posted_on or dt.date.today())
        uow.session.add(opening)
        uow.flush()
        uow.audit(AuditAction.create, "job_opening", opening.id, area_code=code,
                  after={"title": opening.title, "source": source, "employer_name": opening.employer_name,
                         "positions": positions})
        return opening


def accept_match(uow: UnitOfWork, opening_id: int, worker_id: int, started_on: dt.date) -> models.JobPlacement:
    """A person reviewed the proposal and places this worker in the opening. The opening's row is held, so
    concurrent acceptances are counted one after another: never more placements than positions, and the same
    worker accepted twice at once gets one job and one 409."""
    with uow:
        uow.require("employment.opening.manage")
        opening = uow.locked_in_scope(models.JobOpening, opening_id, errors.OPENING_NOT_FOUND)
        if opening.status != "open":
            raise errors.OPENING_CLOSED()
        worker = uow.locked_in_scope(models.Worker, worker_id, errors.WORKER_NOT_FOUND)
        if queries.filled_positions(uow.session, opening.id) >= opening.positions:
            raise errors.OPENING_CLOSED()
        placement = _add_placement(uow, worker, source=opening.source, work_place=opening.work_place,
                                   destination=opening.destination, employer_name=opening.employer_name,
                                   employer_kind=opening.employer_kind, started_on=started_on,
                                   monthly_wage=opening.monthly_wage, opening_id=opening.id)
        if queries.filled_positions(uow.session, opening.id) >= opening.positions:
            opening.status = "closed"
            uow.flush()
            uow.audit(AuditAction.update, "job_opening", opening.id, area_code=opening.area_code,
                      before={"status": "open"}, after={"status": "closed"})
        return placement


# ---------------------------------------------------------------- training


def create_course(uow: UnitOfWork, *, title: str, course_type: str, area_code: str, hours: int, provider: str,
                  starts_on: dt.date, ends_on: dt.date, station_id: int | None = None) -> models.TrainingCourse:
    with uow:
        uow.require("employment.course.manage")
        title, provider = _required(title, "title"), _required(provider, "provider")
        _choice(course_type, rules.COURSE_TYPES, "course_type")
        if not 1 <= hours <= 2000:
            raise errors.HOURS_RANGE(field="hours")
        if ends_on < starts_on:
            raise errors.COURSE_ENDS_BEFORE_START(field="ends_on")
        code = area_in_scope(uow.session, uow.scope, area_code)
        _station_in_scope(uow, station_id)
        course = models.TrainingCourse(county_code=code[:6], area_code=code, course_type=course_type, title=title[:100],
                                hours=hours, provider=provider[:100], starts_on=starts_on, ends_on=ends_on,
                                station_id=station_id)
        uow.session.add(course)
        uow.flush()
        uow.audit(AuditAction.create, "training_course", course.id, area_code=code,
                  after={"title": course.title, "course_type": course_type, "hours": hours,
                         "provider": course.provider})
        return course


def enrol(uow: UnitOfWork, course_id: int, worker_id: int) -> models.TrainingAttendance:
    """Once per worker and course: the worker's row is held while the check runs (the unique key backs it)."""
    with uow:
        uow.require("employment.attendance.record")
        session = uow.session
        course = queries.get_course(session, course_id, uow.scope)
        worker = uow.locked_in_scope(models.Worker, worker_id, errors.WORKER_NOT_FOUND)
        if session.scalar(select(models.TrainingAttendance.id).where(models.TrainingAttendance.course_id == course.id,
                                                              models.TrainingAttendance.worker_id == worker.id)):
            raise errors.ALREADY_ENROLLED(field="worker_id", name=worker.name)
        attendance = models.TrainingAttendance(course_id=course.id, worker_id=worker.id, area_code=worker.area_code)
        session.add(attendance)
        uow.flush()
        uow.audit(AuditAction.create, "training_attendance", attendance.id, area_code=worker.area_code,
                  after={"course_id": course.id, "worker_id": worker.id})
        return attendance


def complete_attendance(uow: UnitOfWork, attendance_id: int, *, certified: bool) -> models.TrainingAttendance:
    with uow:
        uow.require("employment.attendance.record")
        attendance = uow.locked_in_scope(models.TrainingAttendance, attendance_id, errors.ATTENDANCE_NOT_FOUND)
        before = {"completed": attendance.completed, "certified": attendance.certified}
        attendance.completed, attendance.certified = True, certified
        uow.flush()
        uow.audit(AuditAction.update, "training_attendance", attendance.id, area_code=attendance.area_code,
                  before=before, after={"completed": True, "certified": certified})
        if not before["completed"]:  # training attended earns the points incentives' rule gives (once)
            worker = uow.session.get(models.Worker, attendance.worker_id)
            provided("incentives.award_points")(uow, "training_completed", worker.household_id,
                                                f"employment.attendance:{attendance.id}", dt.date.today())
        return attendance


# ---------------------------------------------------------------- exports (jobs)


def start_worker_export(uow: UnitOfWork, area_code: str | None = None) -> str:
    """Queue the export of the labour registry of an area (the caller's whole area when none is given); the
    file is masked for the caller's role and its download is audited. Returns the job id."""
    with uow:
        uow.require("employment.export")
        code = area_in_scope(uow.session, uow.scope, area_code) if area_code else uow.scope.own_area_code
        title = f"导出劳动力台账({code or '全部'})"
        return jobs.submit(uow, "employment.export_workers", title, {"area_code": code}, area_code=code)

