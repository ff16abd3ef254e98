"""Use cases of employment; the only place that writes. One transaction per use case, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from fupin.core.audit import AuditAction
from fupin.core.errors import Conflict, Invalid, NotFound
from fupin.core.uow import UnitOfWork
from fupin.employment import queries
from fupin.employment.models import (
    EmploymentStation,
    HouseholdEmployment,
    JobOpening,
    JobPlacement,
    TrainingAttendance,
    TrainingCourse,
    Worker,
)
from fupin.employment.rules import (
    CLASSIFICATIONS,
    COURSE_TYPES,
    EMPLOYER_KINDS,
    SOURCES,
    WISHES,
    WORK_PLACES,
    classify,
    in_labour_registry,
    validate_placement,
)
from fupin.registry.queries import get_person


def _wage(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        wage = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise Invalid(f"月工资“{value}”不是金额", field="monthly_wage") from None
    if wage < 0 or wage > Decimal("99999999"):
        raise Invalid("月工资应在0到99,999,999元之间", field="monthly_wage")
    return wage


def _choice(value: str | None, vocabulary: dict[str, str], field: str, label: str) -> str:
    if value not in vocabulary:
        raise Invalid(f"{label}“{value}”无效", field=field)
    return value


def _area_in_scope(uow: UnitOfWork, area_code: str) -> str:
    from fupin.areas.queries import get_area

    return get_area(uow.session, area_code, uow.scope).code


def register_worker(uow: UnitOfWork, person_id: int, *, classification: str | None = None,
                    skills: str | None = None, wish: str = "local", note: str | None = None,
                    today: dt.date | None = None) -> Worker:
    session = uow.session
    person = get_person(session, person_id, uow.scope)
    today = today or dt.date.today()
    if not in_labour_registry(person.birth_date, person.labour_capacity, person.schooling, today):
        raise Invalid(f"{person.name}不是有劳动能力的劳动年龄人口(16–60岁、非在校生),不能登记为劳动力")
    if session.scalar(select(Worker.id).where(Worker.person_id == person_id)) is not None:
        raise Conflict(f"{person.name}已在劳动力台账中")
    skills = (skills or "").strip()[:200] or None
    classification = classification or classify(person.labour_capacity, person.education, skills)
    _choice(classification, CLASSIFICATIONS, "classification", "劳动力分类")
    _choice(wish, WISHES, "wish", "就业意愿")
    worker = Worker(person_id=person.id, household_id=person.household_id, county_code=person.county_code,
                    area_code=person.area_code, name=person.name, classification=classification, skills=skills,
                    wish=wish, note=(note or "").strip()[:500] or None)
    session.add(worker)
    session.flush()
    uow.audit(AuditAction.create, "worker", worker.id, area_code=worker.area_code,
              after={"person_id": person.id, "classification": classification, "skills": skills, "wish": wish})
    return worker


def update_worker(uow: UnitOfWork, worker_id: int, *, classification: str | None = None,
                  skills: str | None = None, wish: str | None = None, note: str | None = None) -> Worker:
    worker = queries.get_worker(uow.session, worker_id, uow.scope)
    before = {"classification": worker.classification, "skills": worker.skills, "wish": worker.wish,
              "note": worker.note}
    if classification is not None:
        worker.classification = _choice(classification, CLASSIFICATIONS, "classification", "劳动力分类")
    if wish is not None:
        worker.wish = _choice(wish, WISHES, "wish", "就业意愿")
    if skills is not None:
        worker.skills = skills.strip()[:200] or None
    if note is not None:
        worker.note = note.strip()[:500] or None
    uow.session.flush()
    uow.audit(AuditAction.update, "worker", worker.id, area_code=worker.area_code, before=before,
              after={"classification": worker.classification, "skills": worker.skills, "wish": worker.wish,
                     "note": worker.note})
    return worker


def refresh_household_employment(uow: UnitOfWork, household_id: int, area_code: str, today: dt.date) -> int:
    """Recount the household's members holding an open job; the household's employed status follows."""
    session = uow.session
    count = int(session.scalar(select(func.count(func.distinct(JobPlacement.person_id)))
                               .where(JobPlacement.household_id == household_id,
                                      JobPlacement.ended_on.is_(None))) or 0)
    row = session.get(HouseholdEmployment, household_id)
    if row is None:
        row = HouseholdEmployment(household_id=household_id, area_code=area_code, employed_members=count,
                                  updated_on=today)
        session.add(row)
    else:
        row.employed_members, row.updated_on = count, today
    session.flush()
    return count


def add_placement(uow: UnitOfWork, worker_id: int, *, source: str, work_place: str = "in_county",
                  destination: str | None = None, employer_name: str | None = None,
                  employer_kind: str | None = None, started_on: dt.date, monthly_wage: object = None,
                  opening_id: int | None = None) -> JobPlacement:
    session = uow.session
    worker = queries.get_worker(session, worker_id, uow.scope)
    destination = (destination or "").strip()[:100] or None
    problems = validate_placement(source, work_place, destination, started_on, None)
    if problems:
        field, reason = problems[0]
        raise Invalid(reason, field=field)
    if employer_kind is not None and employer_kind not in EMPLOYER_KINDS:
        raise Invalid(f"用工单位类型“{employer_kind}”无效", field="employer_kind")
    wage = _wage(monthly_wage)
    open_same = session.scalar(select(JobPlacement.id).where(JobPlacement.worker_id == worker.id,
                                                             JobPlacement.ended_on.is_(None),
                                                             JobPlacement.source == source,
                                                             JobPlacement.employer_name == employer_name))
    if open_same is not None:
        raise Conflict(f"{worker.name}在该单位已有在岗记录")
    placement = JobPlacement(
        worker_id=worker.id, person_id=worker.person_id, household_id=worker.household_id,
        county_code=worker.county_code, area_code=worker.area_code, source=source, work_place=work_place,
        destination=destination, employer_name=(employer_name or "").strip()[:100] or None,
        employer_kind=employer_kind, opening_id=opening_id, started_on=started_on, monthly_wage=wage)
    session.add(placement)
    session.flush()
    employed = refresh_household_employment(uow, worker.household_id, worker.area_code, started_on)
    uow.audit(AuditAction.create, "job_placement", placement.id, area_code=worker.area_code,
              after={"worker_id": worker.id, "source": source, "work_place": work_place, "destination": destination,
                     "employer_name": placement.employer_name, "started_on": started_on, "monthly_wage": wage},
              detail={"household_employed_members": employed})
    return placement


def end_placement(uow: UnitOfWork, placement_id: int, ended_on: dt.date) -> JobPlacement:
    session = uow.session
    placement = queries.get_placement(session, placement_id, uow.scope)
    if placement.ended_on is not None:
        raise Conflict(f"该就业记录已于{placement.ended_on.isoformat()}离岗")
    if ended_on < placement.started_on:
        raise Invalid("离岗日期不能早于上岗日期", field="ended_on")
    placement.ended_on = ended_on
    session.flush()
    employed = refresh_household_employment(uow, placement.household_id, placement.area_code, ended_on)
    uow.audit(AuditAction.update, "job_placement", placement.id, area_code=placement.area_code,
              before={"ended_on": None}, after={"ended_on": ended_on},
              detail={"household_employed_members": employed})
    return placement


def create_station(uow: UnitOfWork, *, name: str, area_code: str, site_id: int | None = None,
                   serves: str | None = None, phone: str | None = None) -> EmploymentStation:
    name = (name or "").strip()
    if not name:
        raise Invalid("服务站名称不能为空", field="name")
    uow.scope.narrowed_to(area_code)
    from fupin.areas.queries import get_area

    area = get_area(uow.session, area_code, uow.scope)
    station = EmploymentStation(county_code=area.code[:6], area_code=area.code, name=name[:100], site_id=site_id,
                                serves=(serves or "").strip()[:500] or None, phone=(phone or "").strip() or None)
    uow.session.add(station)
    uow.session.flush()
    uow.audit(AuditAction.create, "employment_station", station.id, area_code=area.code,
              after={"name": station.name, "site_id": site_id, "serves": station.serves})
    return station


def create_opening(uow: UnitOfWork, *, title: str, area_code: str, source: str, employer_name: str,
                   employer_kind: str = "enterprise", work_place: str = "in_county", destination: str | None = None,
                   skill: str | None = None, positions: int = 1, monthly_wage: object = None,
                   station_id: int | None = None, posted_on: dt.date | None = None) -> JobOpening:
    title, employer_name = (title or "").strip(), (employer_name or "").strip()
    if not title:
        raise Invalid("岗位名称不能为空", field="title")
    if not employer_name:
        raise Invalid("用工单位不能为空", field="employer_name")
    _choice(source, SOURCES, "source", "就业渠道")
    _choice(work_place, WORK_PLACES, "work_place", "务工地点")
    _choice(employer_kind, EMPLOYER_KINDS, "employer_kind", "用工单位类型")
    if not 1 <= positions <= 100_000:
        raise Invalid("招聘人数应在1到100,000之间", field="positions")
    if source == "labour_export" and not (destination or "").strip():
        raise Invalid("劳务输转须填写输出目的地", field="destination")
    _area_in_scope(uow, area_code)
    if station_id is not None:
        queries.get_station(uow.session, station_id, uow.scope)
    opening = JobOpening(county_code=area_code[:6], area_code=area_code, title=title[:100], source=source,
                         employer_name=employer_name[:100], employer_kind=employer_kind, work_place=work_place,
                         destination=(destination or "").strip()[:100] or None,
                         skill=(skill or "").strip()[:40] or None, positions=positions, monthly_wage=_wage(monthly_wage),
                         station_id=station_id, posted_on=posted_on or dt.date.today())
    uow.session.add(opening)
    uow.session.flush()
    uow.audit(AuditAction.create, "job_opening", opening.id, area_code=area_code,
              after={"title": opening.title, "source": source, "employer_name": opening.employer_name,
                     "positions": positions})
    return opening


def accept_match(uow: UnitOfWork, opening_id: int, worker_id: int, started_on: dt.date) -> JobPlacement:
    """A person reviewed the proposal and places this worker in the opening."""
    opening = queries.get_opening(uow.session, opening_id, uow.scope)
    if opening.status != "open":
        raise Conflict("该岗位已招满或已关闭")
    placement = add_placement(uow, worker_id, source=opening.source, work_place=opening.work_place,
                              destination=opening.destination, employer_name=opening.employer_name,
                              employer_kind=opening.employer_kind, started_on=started_on,
                              monthly_wage=opening.monthly_wage, opening_id=opening.id)
    if queries.filled_positions(uow.session, opening.id) >= opening.positions:
        opening.status = "closed"
        uow.audit(AuditAction.update, "job_opening", opening.id, area_code=opening.area_code,
                  before={"status": "open"}, after={"status": "closed"})
    return placement


def create_course(uow: UnitOfWork, *, title: str, course_type: str, area_code: str, hours: int, provider: str,
                  starts_on: dt.date, ends_on: dt.date, station_id: int | None = None) -> TrainingCourse:
    title, provider = (title or "").strip(), (provider or "").strip()
    if not title:
        raise Invalid("培训班名称不能为空", field="title")
    if not provider:
        raise Invalid("培训机构不能为空", field="provider")
    _choice(course_type, COURSE_TYPES, "course_type", "培训工种")
    if not 1 <= hours <= 2000:
        raise Invalid("课时应在1到2000之间", field="hours")
    if ends_on < starts_on:
        raise Invalid("结束日期不能早于开始日期", field="ends_on")
    _area_in_scope(uow, area_code)
    course = TrainingCourse(county_code=area_code[:6], area_code=area_code, course_type=course_type,
                            title=title[:100], hours=hours, provider=provider[:100], starts_on=starts_on,
                            ends_on=ends_on, station_id=station_id)
    uow.session.add(course)
    uow.session.flush()
    uow.audit(AuditAction.create, "training_course", course.id, area_code=area_code,
              after={"title": course.title, "course_type": course_type, "hours": hours, "provider": course.provider})
    return course


def enrol(uow: UnitOfWork, course_id: int, worker_id: int) -> TrainingAttendance:
    session = uow.session
    course = queries.get_course(session, course_id, uow.scope)
    worker = queries.get_worker(session, worker_id, uow.scope)
    if session.scalar(select(TrainingAttendance.id).where(TrainingAttendance.course_id == course.id,
                                                          TrainingAttendance.worker_id == worker.id)):
        raise Conflict(f"{worker.name}已报名该培训班")
    attendance = TrainingAttendance(course_id=course.id, worker_id=worker.id, area_code=worker.area_code)
    session.add(attendance)
    session.flush()
    uow.audit(AuditAction.create, "training_attendance", attendance.id, area_code=worker.area_code,
              after={"course_id": course.id, "worker_id": worker.id})
    return attendance


def complete_attendance(uow: UnitOfWork, attendance_id: int, *, certified: bool) -> TrainingAttendance:
    attendance = uow.session.get(TrainingAttendance, attendance_id)
    if attendance is None or not uow.scope.contains(attendance.area_code):
        raise NotFound("培训记录", attendance_id)
    before = {"completed": attendance.completed, "certified": attendance.certified}
    attendance.completed, attendance.certified = True, certified
    uow.session.flush()
    uow.audit(AuditAction.update, "training_attendance", attendance.id, area_code=attendance.area_code,
              before=before, after={"completed": True, "certified": certified})
    return attendance
