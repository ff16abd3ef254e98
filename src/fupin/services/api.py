"""Services' JSON API: reads on the request's session scoped to the caller (a grid leader to the grid), each
write one use case on the caller's unit of work."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from fupin.core.areacodes import validate_code
from fupin.registry.schemas import VisitCreate, VisitPublic
from fupin.services import queries, service
from fupin.services.schemas import (
    AssignForm,
    CategoryPublic,
    CategorySet,
    ClaimForm,
    ClaimLimitSet,
    CompleteForm,
    ConfirmForm,
    DutyClose,
    DutyCreate,
    DutyPublic,
    EscalationPublic,
    EventPublic,
    FiguresPublic,
    FulfilForm,
    GridHouseholdPublic,
    GridLeaderBind,
    GridLeaderPublic,
    ReopenForm,
    RequestCreate,
    RequestPublic,
    TeamCreate,
    TeamMemberCreate,
    TeamMemberPublic,
    TeamPublic,
    WishCreate,
    WishPublic,
)
from fupin.web.deps import ApiUow, ApiUser, SessionDep
from fupin.web.params import AreaParam, Id, Limit, Offset

router = APIRouter(prefix="/services", tags=["services 便民服务"])


def _scope(user, area: str | None):  # type: ignore[no-untyped-def]
    return user.scope.narrowed_to(validate_code(area)) if area else user.scope


# ---------------------------------------------------------------- requests


@router.get("/requests", response_model=list[RequestPublic])
def list_requests(session: SessionDep, user: ApiUser, status: Annotated[str | None, Query(max_length=16)] = None,
                  overdue: bool = False, area: AreaParam = None, limit: Limit = 100,
                  offset: Offset = 0) -> list[RequestPublic]:
    grid = queries.grid_of_viewer(session, user)
    rows = queries.list_requests(session, _scope(user, area), grid, status=status,
                                 overdue_on=dt.date.today() if overdue else None, limit=limit, offset=offset)
    return [RequestPublic.model_validate(r.request) for r in rows]


@router.post("/requests", response_model=RequestPublic, status_code=201)
def file_request(body: RequestCreate, uow: ApiUow) -> RequestPublic:
    request = service.file_request(uow, body.household_id, category=body.category, description=body.description,
                                   filed_via=body.filed_via, attachments=body.attachments)
    return RequestPublic.model_validate(request)


@router.get("/requests/figures", response_model=FiguresPublic)
def figures(session: SessionDep, user: ApiUser, start: dt.date | None = None, end: dt.date | None = None,
            area: AreaParam = None) -> FiguresPublic:
    today = dt.date.today()
    start = start or dt.date(today.year, 1, 1)
    end = end or dt.date(today.year, 12, 31)
    got = queries.request_figures(session, _scope(user, area), start, end, today,
                                  queries.grid_of_viewer(session, user))
    return FiguresPublic(start=start, end=end, **got.__dict__)


@router.post("/requests/escalate", response_model=list[EscalationPublic])
def escalate(uow: ApiUow) -> list[EscalationPublic]:
    return [EscalationPublic(request_id=i, level=level, escalated_to=area)
            for i, level, area in service.escalate_overdue(uow)]


@router.get("/requests/{request_id}", response_model=RequestPublic)
def get_request(request_id: Id, session: SessionDep, user: ApiUser) -> RequestPublic:
    row = queries.get_request(session, request_id, user.scope, queries.grid_of_viewer(session, user))
    return RequestPublic.model_validate(row.request)


@router.get("/requests/{request_id}/events", response_model=list[EventPublic])
def request_events(request_id: Id, session: SessionDep, user: ApiUser) -> list[EventPublic]:
    row = queries.get_request(session, request_id, user.scope, queries.grid_of_viewer(session, user))
    return [EventPublic.model_validate(e) for e in queries.events_of(session, row.request.id)]


@router.post("/requests/{request_id}/assign", response_model=RequestPublic)
def assign(request_id: Id, body: AssignForm, uow: ApiUow) -> RequestPublic:
    return RequestPublic.model_validate(service.assign_request(uow, request_id, handler=body.handler,
                                                               note=body.note, version=body.version))


@router.post("/requests/{request_id}/complete", response_model=RequestPublic)
def complete(request_id: Id, body: CompleteForm, uow: ApiUow) -> RequestPublic:
    return RequestPublic.model_validate(service.complete_request(
        uow, request_id, result=body.result, one_visit=body.one_visit, done_on=body.done_on, version=body.version))


@router.post("/requests/{request_id}/confirm", response_model=RequestPublic)
def confirm(request_id: Id, body: ConfirmForm, uow: ApiUow) -> RequestPublic:
    return RequestPublic.model_validate(service.confirm_request(uow, request_id, satisfaction=body.satisfaction,
                                                                note=body.note, version=body.version))


@router.post("/requests/{request_id}/reopen", response_model=RequestPublic)
def reopen(request_id: Id, body: ReopenForm, uow: ApiUow) -> RequestPublic:
    return RequestPublic.model_validate(service.reopen_request(uow, request_id, reason=body.reason,
                                                               version=body.version))


# ---------------------------------------------------------------- categories and settings


@router.get("/categories", response_model=list[CategoryPublic])
def list_categories(session: SessionDep, user: ApiUser) -> list[CategoryPublic]:
    return [CategoryPublic.model_validate(c) for c in queries.categories(session, active_only=False)]


@router.put("/categories/{code}", response_model=CategoryPublic)
def set_category(code: Annotated[str, Path(max_length=24)], body: CategorySet, uow: ApiUow) -> CategoryPublic:
    return CategoryPublic.model_validate(service.set_category(uow, code, body.name, body.deadline_days, body.active))


@router.put("/settings/claim-limit", response_model=ClaimLimitSet)
def set_claim_limit(body: ClaimLimitSet, uow: ApiUow) -> ClaimLimitSet:
    return ClaimLimitSet(limit=service.set_claim_limit(uow, body.limit))


# ---------------------------------------------------------------- wishes


@router.get("/wishes", response_model=list[WishPublic])
def list_wishes(session: SessionDep, user: ApiUser, status: Annotated[str | None, Query(max_length=16)] = None,
                area: AreaParam = None, limit: Limit = 100, offset: Offset = 0) -> list[WishPublic]:
    rows = queries.list_wishes(session, _scope(user, area), queries.grid_of_viewer(session, user), status=status,
                               limit=limit, offset=offset)
    return [WishPublic.model_validate(r.wish) for r in rows]


@router.post("/wishes", response_model=WishPublic, status_code=201)
def post_wish(body: WishCreate, uow: ApiUow) -> WishPublic:
    return WishPublic.model_validate(service.post_wish(uow, body.household_id, title=body.title,
                                                       description=body.description))


@router.post("/wishes/{wish_id}/claim", response_model=WishPublic)
def claim_wish(wish_id: Id, body: ClaimForm, uow: ApiUow) -> WishPublic:
    return WishPublic.model_validate(service.claim_wish(uow, wish_id, member_id=body.member_id,
                                                        unit_name=body.unit_name))


@router.post("/wishes/{wish_id}/fulfil", response_model=WishPublic)
def fulfil_wish(wish_id: Id, body: FulfilForm, uow: ApiUow) -> WishPublic:
    return WishPublic.model_validate(service.fulfil_wish(uow, wish_id, fulfilled_on=body.fulfilled_on,
                                                         evidence=body.evidence))


# ---------------------------------------------------------------- mutual aid


@router.get("/teams", response_model=list[TeamPublic])
def list_teams(session: SessionDep, user: ApiUser) -> list[TeamPublic]:
    return [TeamPublic.model_validate(v.team)
            for v in queries.teams(session, user.scope, queries.grid_of_viewer(session, user))]


@router.post("/teams", response_model=TeamPublic, status_code=201)
def create_team(body: TeamCreate, uow: ApiUow) -> TeamPublic:
    return TeamPublic.model_validate(service.create_team(uow, body.household_id, name=body.name,
                                                         worker_name=body.worker_name,
                                                         migrant_org_id=body.migrant_org_id, members=body.members))


@router.post("/teams/{team_id}/members", response_model=TeamMemberPublic, status_code=201)
def add_team_member(team_id: Id, body: TeamMemberCreate, uow: ApiUow) -> TeamMemberPublic:
    return TeamMemberPublic.model_validate(service.add_team_member(uow, team_id, name=body.name,
                                                                   member_id=body.member_id))


@router.get("/teams/{team_id}/duties", response_model=list[DutyPublic])
def list_duties(team_id: Id, session: SessionDep, user: ApiUser) -> list[DutyPublic]:
    view = queries.get_team(session, team_id, user.scope, queries.grid_of_viewer(session, user))
    return [DutyPublic.model_validate(d) for d in view.duties]


@router.post("/teams/{team_id}/duties", response_model=DutyPublic, status_code=201)
def assign_duty(team_id: Id, body: DutyCreate, uow: ApiUow) -> DutyPublic:
    return DutyPublic.model_validate(service.assign_duty(uow, team_id, kind=body.kind, helper_id=body.helper_id,
                                                         due_on=body.due_on, description=body.description))


@router.post("/duties/{duty_id}/close", response_model=DutyPublic)
def close_duty(duty_id: Id, body: DutyClose, uow: ApiUow) -> DutyPublic:
    return DutyPublic.model_validate(service.close_duty(uow, duty_id, outcome=body.outcome, on=body.on,
                                                        note=body.note))


# ---------------------------------------------------------------- the grid leader


@router.put("/grid-leaders/{username}", response_model=GridLeaderPublic)
def bind_grid_leader(username: Annotated[str, Path(max_length=64)], body: GridLeaderBind,
                     uow: ApiUow) -> GridLeaderPublic:
    return GridLeaderPublic.model_validate(service.bind_grid_leader(uow, username, body.grid_id))


@router.get("/grid/households", response_model=list[GridHouseholdPublic])
def grid_households(session: SessionDep, user: ApiUser) -> list[GridHouseholdPublic]:
    grid = queries.grid_of_viewer(session, user)
    if grid is None:
        return []
    return [GridHouseholdPublic(**h.__dict__) for h in queries.grid_day(session, grid, dt.date.today())]


@router.post("/grid/households/{household_id}/visits", response_model=VisitPublic, status_code=201)
def log_visit(household_id: Id, body: VisitCreate, uow: ApiUow) -> VisitPublic:
    return VisitPublic.model_validate(service.log_visit(uow, household_id, body))
