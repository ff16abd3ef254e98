"""就业扶贫 (Employment): 劳动力登记与分类、扶贫车间、公益性岗位、劳务输转、技能培训、就业服务站。

Thin routes: reads on the request's session within the caller's scope, writes through one use case each."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from fupin.core.areacodes import AreaLevel, validate_code
from fupin.core.sql import MAX_ID
from fupin.employment import queries, schemas, service
from fupin.web.deps import ApiUow, ApiUser, SessionDep, viewer_of

router = APIRouter(prefix="/employment", tags=["employment 就业扶贫"])

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Year = Annotated[int, Query(ge=2000, le=2100)]
Area = Annotated[str, Query(min_length=6, max_length=15)]
Code = Annotated[str | None, Query(max_length=16)]


@router.get("/workers", response_model=list[schemas.WorkerPublic])
def list_workers(session: SessionDep, user: ApiUser, classification: Code = None,
                 q: Annotated[str, Query(max_length=30)] = "", limit: Annotated[int, Query(ge=1, le=500)] = 100,
                 offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> list[schemas.WorkerPublic]:
    return [schemas.WorkerPublic.model_validate(w) for w in queries.list_workers(
        session, user.scope, classification=classification, q=q, limit=limit, offset=offset)]


@router.post("/workers", response_model=schemas.WorkerPublic, status_code=201)
def register_worker(body: schemas.WorkerCreate, uow: ApiUow) -> schemas.WorkerPublic:
    data = body.model_dump()
    return schemas.WorkerPublic.model_validate(service.register_worker(uow, data.pop("person_id"), **data))


@router.post("/workers/export", response_model=schemas.JobStarted, status_code=202)
def export_workers(body: schemas.ExportRequest, uow: ApiUow) -> schemas.JobStarted:
    """劳动力台账导出(后台任务,按角色脱敏;下载留审计记录)。"""
    job_id = service.start_worker_export(uow, body.area_code)
    return schemas.JobStarted(job_id=job_id, url=f"/api/v1/jobs/{job_id}")


@router.get("/workers/{worker_id}", response_model=schemas.WorkerDetail)
def get_worker(worker_id: Id, session: SessionDep, user: ApiUser) -> schemas.WorkerDetail:
    return queries.worker_detail(session, worker_id, user.scope, viewer_of(user))


@router.patch("/workers/{worker_id}", response_model=schemas.WorkerPublic)
def update_worker(worker_id: Id, body: schemas.WorkerUpdate, uow: ApiUow) -> schemas.WorkerPublic:
    return schemas.WorkerPublic.model_validate(service.update_worker(uow, worker_id, **body.model_dump()))


@router.get("/workers/{worker_id}/placements", response_model=list[schemas.PlacementPublic])
def worker_placements(worker_id: Id, session: SessionDep, user: ApiUser) -> list[schemas.PlacementPublic]:
    queries.get_worker(session, worker_id, user.scope)
    return [schemas.PlacementPublic.model_validate(p) for p in queries.placements_of_worker(session, worker_id)]


@router.post("/workers/{worker_id}/placements", response_model=schemas.PlacementPublic, status_code=201)
def add_placement(worker_id: Id, body: schemas.PlacementCreate, uow: ApiUow) -> schemas.PlacementPublic:
    return schemas.PlacementPublic.model_validate(service.add_placement(uow, worker_id, **body.model_dump()))


@router.post("/placements/{placement_id}/end", response_model=schemas.PlacementPublic)
def end_placement(placement_id: Id, body: schemas.EndBody, uow: ApiUow) -> schemas.PlacementPublic:
    """离岗:只能登记一次;再次提交(或同时提交)答复 409 `employment.placement_ended`。"""
    return schemas.PlacementPublic.model_validate(service.end_placement(uow, placement_id, body.ended_on))


@router.get("/placements", response_model=list[schemas.PlacementPublic])
def list_placements(session: SessionDep, user: ApiUser, source: Code = None, open_only: bool = False
                    ) -> list[schemas.PlacementPublic]:
    return [schemas.PlacementPublic.model_validate(p) for p, _n in queries.list_placements(
        session, user.scope, source=source, open_only=open_only)]


@router.get("/stations", response_model=list[schemas.StationPublic])
def list_stations(session: SessionDep, user: ApiUser) -> list[schemas.StationPublic]:
    return [schemas.StationPublic.model_validate(s) for s in queries.list_stations(session, user.scope)]


@router.post("/stations", response_model=schemas.StationPublic, status_code=201)
def create_station(body: schemas.StationCreate, uow: ApiUow) -> schemas.StationPublic:
    return schemas.StationPublic.model_validate(service.create_station(uow, **body.model_dump()))


@router.get("/openings", response_model=list[schemas.OpeningPublic])
def list_openings(session: SessionDep, user: ApiUser, status: Code = None) -> list[schemas.OpeningPublic]:
    return [schemas.OpeningPublic.model_validate(o) for o in queries.list_openings(session, user.scope, status)]


@router.post("/openings", response_model=schemas.OpeningPublic, status_code=201)
def create_opening(body: schemas.OpeningCreate, uow: ApiUow) -> schemas.OpeningPublic:
    return schemas.OpeningPublic.model_validate(service.create_opening(uow, **body.model_dump()))


@router.get("/openings/{opening_id}/matches", response_model=list[schemas.MatchPublic])
def matches(opening_id: Id, session: SessionDep, user: ApiUser,
            limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[schemas.MatchPublic]:
    """A proposal for a person to review: households with nobody employed first, then skill and place."""
    opening = queries.get_opening(session, opening_id, user.scope)
    return [schemas.MatchPublic(score=s, worker=schemas.WorkerPublic.model_validate(w), household_employed_members=n)
            for s, w, n in queries.propose_matches(session, user.scope, opening, limit)]


@router.post("/openings/{opening_id}/matches/{worker_id}", response_model=schemas.PlacementPublic, status_code=201)
def accept_match(opening_id: Id, worker_id: Id, body: schemas.AcceptBody, uow: ApiUow) -> schemas.PlacementPublic:
    return schemas.PlacementPublic.model_validate(service.accept_match(uow, opening_id, worker_id, body.started_on))


@router.get("/courses", response_model=list[schemas.CoursePublic])
def list_courses(session: SessionDep, user: ApiUser) -> list[schemas.CoursePublic]:
    return [schemas.CoursePublic.model_validate(c) for c, _n, _d in queries.list_courses(session, user.scope)]


@router.post("/courses", response_model=schemas.CoursePublic, status_code=201)
def create_course(body: schemas.CourseCreate, uow: ApiUow) -> schemas.CoursePublic:
    return schemas.CoursePublic.model_validate(service.create_course(uow, **body.model_dump()))


@router.post("/courses/{course_id}/attendance", response_model=schemas.AttendancePublic, status_code=201)
def enrol(course_id: Id, body: schemas.EnrolBody, uow: ApiUow) -> schemas.AttendancePublic:
    return schemas.AttendancePublic.model_validate(service.enrol(uow, course_id, body.worker_id))


@router.post("/attendance/{attendance_id}/complete", response_model=schemas.AttendancePublic)
def complete(attendance_id: Id, body: schemas.CompleteBody, uow: ApiUow) -> schemas.AttendancePublic:
    return schemas.AttendancePublic.model_validate(service.complete_attendance(uow, attendance_id,
                                                                       certified=body.certified))


@router.get("/figures")
def figures(session: SessionDep, user: ApiUser, area: Area, year: Year,
            level: AreaLevel | None = None) -> list[dict[str, object]]:
    """Figures of the area (level omitted) or of every area at `level` inside it."""
    code = validate_code(area)
    if level is None:
        return [queries.figures_for_area(session, user.scope, code, year).as_dict()]
    return [f.as_dict() for f in queries.employment_figures(session, user.scope.narrowed_to(code), year, level)]


@router.get("/figures/members")
def figure_members(session: SessionDep, user: ApiUser, area: Area, year: Year,
                   figure: Annotated[str, Query(max_length=40)],
                   limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> list[dict[str, object]]:
    """The records behind one number."""
    return queries.figure_members(session, user.scope, validate_code(area), year, figure, limit)


@router.get("/exports")
def exports(session: SessionDep, user: ApiUser) -> list[dict[str, object]]:
    """劳务输出集中地(目的地 × 来源县的在外务工人数)。"""
    return [dict(r._mapping) for r in session.execute(queries.export_concentrations_select(user.scope))]


@router.get("/trained-then-placed")
def trained_then_placed(session: SessionDep, user: ApiUser) -> dict[str, int]:
    return queries.trained_then_placed(session, user.scope)
