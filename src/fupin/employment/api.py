from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from fupin.core.areacodes import AreaLevel, validate_code
from fupin.employment import queries, service
from fupin.employment.schemas import (
    AcceptBody,
    AttendancePublic,
    CompleteBody,
    CourseCreate,
    CoursePublic,
    EndBody,
    EnrolBody,
    MatchPublic,
    OpeningCreate,
    OpeningPublic,
    PlacementCreate,
    PlacementPublic,
    StationCreate,
    StationPublic,
    WorkerCreate,
    WorkerPublic,
    WorkerUpdate,
)
from fupin.web.deps import ApiUser, DbDep, SessionDep, uow_for

router = APIRouter(prefix="/employment", tags=["employment 就业扶贫"])


@router.get("/workers", response_model=list[WorkerPublic])
def list_workers(session: SessionDep, user: ApiUser, classification: str | None = None,
                 q: Annotated[str, Query(max_length=30)] = "", limit: Annotated[int, Query(ge=1, le=500)] = 100,
                 offset: Annotated[int, Query(ge=0)] = 0) -> list[WorkerPublic]:
    return [WorkerPublic.model_validate(w) for w in queries.list_workers(
        session, user.scope, classification=classification, q=q, limit=limit, offset=offset)]


@router.post("/workers", response_model=WorkerPublic, status_code=201)
def register_worker(body: WorkerCreate, db: DbDep, user: ApiUser) -> WorkerPublic:
    with uow_for(db, user) as uow:
        data = body.model_dump()
        return WorkerPublic.model_validate(service.register_worker(uow, data.pop("person_id"), **data))


@router.get("/workers/{worker_id}", response_model=WorkerPublic)
def get_worker(worker_id: int, session: SessionDep, user: ApiUser) -> WorkerPublic:
    return WorkerPublic.model_validate(queries.get_worker(session, worker_id, user.scope))


@router.patch("/workers/{worker_id}", response_model=WorkerPublic)
def update_worker(worker_id: int, body: WorkerUpdate, db: DbDep, user: ApiUser) -> WorkerPublic:
    with uow_for(db, user) as uow:
        return WorkerPublic.model_validate(service.update_worker(uow, worker_id, **body.model_dump()))


@router.get("/workers/{worker_id}/placements", response_model=list[PlacementPublic])
def worker_placements(worker_id: int, session: SessionDep, user: ApiUser) -> list[PlacementPublic]:
    queries.get_worker(session, worker_id, user.scope)
    return [PlacementPublic.model_validate(p) for p in queries.placements_of_worker(session, worker_id)]


@router.post("/workers/{worker_id}/placements", response_model=PlacementPublic, status_code=201)
def add_placement(worker_id: int, body: PlacementCreate, db: DbDep, user: ApiUser) -> PlacementPublic:
    with uow_for(db, user) as uow:
        return PlacementPublic.model_validate(service.add_placement(uow, worker_id, **body.model_dump()))


@router.post("/placements/{placement_id}/end", response_model=PlacementPublic)
def end_placement(placement_id: int, body: EndBody, db: DbDep, user: ApiUser) -> PlacementPublic:
    with uow_for(db, user) as uow:
        return PlacementPublic.model_validate(service.end_placement(uow, placement_id, body.ended_on))


@router.get("/placements", response_model=list[PlacementPublic])
def list_placements(session: SessionDep, user: ApiUser, source: str | None = None, open_only: bool = False
                    ) -> list[PlacementPublic]:
    return [PlacementPublic.model_validate(p) for p, _n in queries.list_placements(
        session, user.scope, source=source, open_only=open_only)]


@router.get("/stations", response_model=list[StationPublic])
def list_stations(session: SessionDep, user: ApiUser) -> list[StationPublic]:
    return [StationPublic.model_validate(s) for s in queries.list_stations(session, user.scope)]


@router.post("/stations", response_model=StationPublic, status_code=201)
def create_station(body: StationCreate, db: DbDep, user: ApiUser) -> StationPublic:
    with uow_for(db, user) as uow:
        return StationPublic.model_validate(service.create_station(uow, **body.model_dump()))


@router.get("/openings", response_model=list[OpeningPublic])
def list_openings(session: SessionDep, user: ApiUser, status: str | None = None) -> list[OpeningPublic]:
    return [OpeningPublic.model_validate(o) for o in queries.list_openings(session, user.scope, status)]


@router.post("/openings", response_model=OpeningPublic, status_code=201)
def create_opening(body: OpeningCreate, db: DbDep, user: ApiUser) -> OpeningPublic:
    with uow_for(db, user) as uow:
        return OpeningPublic.model_validate(service.create_opening(uow, **body.model_dump()))


@router.get("/openings/{opening_id}/matches", response_model=list[MatchPublic])
def matches(opening_id: int, session: SessionDep, user: ApiUser,
            limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[MatchPublic]:
    """A proposal for a person to review: households with nobody employed first, then skill and place."""
    opening = queries.get_opening(session, opening_id, user.scope)
    return [MatchPublic(score=s, worker=WorkerPublic.model_validate(w), household_employed_members=n)
            for s, w, n in queries.propose_matches(session, user.scope, opening, limit)]


@router.post("/openings/{opening_id}/matches/{worker_id}", response_model=PlacementPublic, status_code=201)
def accept_match(opening_id: int, worker_id: int, body: AcceptBody, db: DbDep, user: ApiUser) -> PlacementPublic:
    with uow_for(db, user) as uow:
        return PlacementPublic.model_validate(service.accept_match(uow, opening_id, worker_id, body.started_on))


@router.get("/courses", response_model=list[CoursePublic])
def list_courses(session: SessionDep, user: ApiUser) -> list[CoursePublic]:
    return [CoursePublic.model_validate(c) for c, _n, _d in queries.list_courses(session, user.scope)]


@router.post("/courses", response_model=CoursePublic, status_code=201)
def create_course(body: CourseCreate, db: DbDep, user: ApiUser) -> CoursePublic:
    with uow_for(db, user) as uow:
        return CoursePublic.model_validate(service.create_course(uow, **body.model_dump()))


@router.post("/courses/{course_id}/attendance", response_model=AttendancePublic, status_code=201)
def enrol(course_id: int, body: EnrolBody, db: DbDep, user: ApiUser) -> AttendancePublic:
    with uow_for(db, user) as uow:
        return AttendancePublic.model_validate(service.enrol(uow, course_id, body.worker_id))


@router.post("/attendance/{attendance_id}/complete", response_model=AttendancePublic)
def complete(attendance_id: int, body: CompleteBody, db: DbDep, user: ApiUser) -> AttendancePublic:
    with uow_for(db, user) as uow:
        return AttendancePublic.model_validate(service.complete_attendance(uow, attendance_id,
                                                                           certified=body.certified))


@router.get("/figures")
def figures(session: SessionDep, user: ApiUser, area: str, year: Annotated[int, Query(ge=2000, le=2100)],
            level: AreaLevel | None = None) -> list[dict[str, object]]:
    """Figures of the area (level omitted) or of every area at `level` inside it."""
    code = validate_code(area)
    if level is None:
        return [queries.figures_for_area(session, user.scope, code, year).as_dict()]
    return [f.as_dict() for f in queries.employment_figures(session, user.scope.narrowed_to(code), year, level)]


@router.get("/figures/members")
def figure_members(session: SessionDep, user: ApiUser, area: str, year: Annotated[int, Query(ge=2000, le=2100)],
                   figure: str, limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> list[dict[str, object]]:
    """The records behind one number."""
    return queries.figure_members(session, user.scope, validate_code(area), year, figure, limit)


@router.get("/exports")
def exports(session: SessionDep, user: ApiUser) -> list[dict[str, object]]:
    return [dict(r._mapping) for r in session.execute(queries.export_concentrations_select(user.scope))]


@router.get("/trained-then-placed")
def trained_then_placed(session: SessionDep, user: ApiUser) -> dict[str, int]:
    return queries.trained_then_placed(session, user.scope)
