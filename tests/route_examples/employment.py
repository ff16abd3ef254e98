"""A valid request for every write route of employment (API and pages), on records of the demo village."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from fupin.employment.models import (
    JobOpening,
    JobPlacement,
    TrainingAttendance,
    TrainingCourse,
    Worker,
)
from tests.route_examples import Call, Demo, Example


def _worker(demo: Demo) -> Worker:
    """A worker of the demo village without an open job (so a new placement or an acceptance can succeed)."""
    open_jobs = select(JobPlacement.worker_id).where(JobPlacement.ended_on.is_(None))
    worker = demo.session.scalar(select(Worker).where(Worker.area_code.startswith(demo.village_code),
                                                      Worker.id.not_in(open_jobs)).order_by(Worker.id))
    return worker or demo.session.scalar(select(Worker).where(Worker.area_code.startswith(demo.village_code))
                                         .order_by(Worker.id))


def _open_placement(demo: Demo) -> int:
    return demo.session.scalar(select(JobPlacement.id).where(JobPlacement.area_code.startswith(demo.village_code),
                                                             JobPlacement.ended_on.is_(None))
                               .order_by(JobPlacement.id))


def _opening(demo: Demo) -> int:
    return demo.session.scalar(select(JobOpening.id).where(JobOpening.county_code == demo.county_code[:6])
                               .order_by(JobOpening.id))


def _course(demo: Demo) -> int:
    return demo.session.scalar(select(TrainingCourse.id).order_by(TrainingCourse.id))


def _attendance(demo: Demo) -> int:
    found = demo.session.scalar(select(TrainingAttendance.id).where(
        TrainingAttendance.area_code.startswith(demo.village_code)).order_by(TrainingAttendance.id))
    return found or demo.session.scalar(select(TrainingAttendance.id).order_by(TrainingAttendance.id))


def _placement_json(_demo: Demo) -> dict[str, object]:
    return {"source": "workshop", "work_place": "in_county", "employer_name": "钟屏竹编扶贫车间",
            "employer_kind": "workshop", "started_on": "2024-03-01", "monthly_wage": "2000.00"}


def _opening_json(demo: Demo) -> dict[str, object]:
    return {"title": "竹编工", "area_code": demo.village_code, "source": "workshop",
            "employer_name": "钟屏竹编扶贫车间", "employer_kind": "workshop", "positions": 3}


def _course_json(demo: Demo) -> dict[str, object]:
    return {"title": "竹编技能培训班", "course_type": "other", "area_code": demo.village_code, "hours": 40,
            "provider": "会泽县职业技术培训中心", "starts_on": "2024-04-01", "ends_on": "2024-04-10"}


def _station_json(demo: Demo) -> dict[str, object]:
    return {"name": "村就业服务点", "area_code": demo.village_code}


def _form(data: dict[str, object]) -> dict[str, str]:
    return {k: str(v) for k, v in data.items()}


API = "/api/v1/employment"
TODAY = dt.date(2024, 3, 1).isoformat()

EXAMPLES: list[Example] = [
    # ---- API
    Example("POST", f"{API}/workers", "employment.worker.manage",
            lambda d: Call(f"{API}/workers", json={"person_id": _worker(d).person_id})),
    Example("POST", f"{API}/workers/export", "employment.export",
            lambda d: Call(f"{API}/workers/export", json={"area_code": d.village_code})),
    Example("PATCH", f"{API}/workers/{{worker_id}}", "employment.worker.manage",
            lambda d: Call(f"{API}/workers/{_worker(d).id}", json={"wish": "local"})),
    Example("POST", f"{API}/workers/{{worker_id}}/placements", "employment.placement.manage",
            lambda d: Call(f"{API}/workers/{_worker(d).id}/placements", json=_placement_json(d))),
    Example("POST", f"{API}/placements/{{placement_id}}/end", "employment.placement.manage",
            lambda d: Call(f"{API}/placements/{_open_placement(d)}/end", json={"ended_on": TODAY})),
    Example("POST", f"{API}/stations", "employment.station.manage",
            lambda d: Call(f"{API}/stations", json=_station_json(d))),
    Example("POST", f"{API}/openings", "employment.opening.manage",
            lambda d: Call(f"{API}/openings", json=_opening_json(d))),
    Example("POST", f"{API}/openings/{{opening_id}}/matches/{{worker_id}}", "employment.opening.manage",
            lambda d: Call(f"{API}/openings/{_opening(d)}/matches/{_worker(d).id}", json={"started_on": TODAY})),
    Example("POST", f"{API}/courses", "employment.course.manage",
            lambda d: Call(f"{API}/courses", json=_course_json(d))),
    Example("POST", f"{API}/courses/{{course_id}}/attendance", "employment.attendance.record",
            lambda d: Call(f"{API}/courses/{_course(d)}/attendance", json={"worker_id": _worker(d).id})),
    Example("POST", f"{API}/attendance/{{attendance_id}}/complete", "employment.attendance.record",
            lambda d: Call(f"{API}/attendance/{_attendance(d)}/complete", json={"certified": True})),
    # ---- pages
    Example("POST", "/employment/workers", "employment.worker.manage",
            lambda d: Call("/employment/workers", data={"person_id": str(_worker(d).person_id), "wish": "local"})),
    Example("POST", "/employment/workers/export", "employment.export",
            lambda d: Call("/employment/workers/export", data={"area_code": d.village_code})),
    Example("POST", "/employment/workers/{worker_id}", "employment.worker.manage",
            lambda d: Call(f"/employment/workers/{_worker(d).id}",
                           data={"classification": "needs_training", "skills": "竹编", "wish": "local"})),
    Example("POST", "/employment/workers/{worker_id}/placements", "employment.placement.manage",
            lambda d: Call(f"/employment/workers/{_worker(d).id}/placements", data=_form(_placement_json(d)))),
    Example("POST", "/employment/placements/{placement_id}/end", "employment.placement.manage",
            lambda d: Call(f"/employment/placements/{_open_placement(d)}/end", data={"ended_on": TODAY})),
    Example("POST", "/employment/openings", "employment.opening.manage",
            lambda d: Call("/employment/openings", data=_form(_opening_json(d)))),
    Example("POST", "/employment/openings/{opening_id}/accept", "employment.opening.manage",
            lambda d: Call(f"/employment/openings/{_opening(d)}/accept",
                           data={"worker_id": str(_worker(d).id), "started_on": TODAY})),
    Example("POST", "/employment/courses", "employment.course.manage",
            lambda d: Call("/employment/courses", data=_form(_course_json(d)))),
    Example("POST", "/employment/courses/{course_id}/attendance", "employment.attendance.record",
            lambda d: Call(f"/employment/courses/{_course(d)}/attendance", data={"worker_id": str(_worker(d).id)})),
    Example("POST", "/employment/attendance/{attendance_id}/complete", "employment.attendance.record",
            lambda d: Call(f"/employment/attendance/{_attendance(d)}/complete", data={"certified": "1"})),
    Example("POST", "/employment/stations", "employment.station.manage",
            lambda d: Call("/employment/stations", data=_form(_station_json(d)))),
]
