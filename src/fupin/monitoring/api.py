"""Monitoring's JSON API: reads on the request's session scoped to the caller; each write calls one use case on
the caller's unit of work."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, Query

from fupin.core.areacodes import validate_code
from fupin.monitoring import queries, service
from fupin.monitoring.schemas import (
    ClearBody,
    MeasureForm,
    MeasurePublic,
    MonitoredCreate,
    MonitoredPublic,
    ProposalPublic,
    StepCreate,
    StepPublic,
    ThresholdPublic,
    ThresholdSet,
)
from fupin.web.deps import ApiUow, ApiUser, SessionDep
from fupin.web.params import AreaParam, Id, Limit, Offset

router = APIRouter(prefix="/monitoring", tags=["monitoring 防返贫监测"])


@router.get("/households", response_model=list[MonitoredPublic])
def list_monitored(session: SessionDep, user: ApiUser,
                   status: Annotated[str | None, Query(max_length=16)] = None,
                   monitor_type: Annotated[str | None, Query(max_length=16)] = None,
                   risk: Annotated[str | None, Query(max_length=20)] = None, area: AreaParam = None,
                   limit: Limit = 100, offset: Offset = 0) -> list[MonitoredPublic]:
    rows = queries.list_monitored(session, user.scope, status=status, monitor_type=monitor_type, risk=risk,
                                  area=validate_code(area) if area else None, limit=limit, offset=offset)
    return [MonitoredPublic.model_validate(r.record) for r in rows]


@router.post("/households", response_model=MonitoredPublic, status_code=201)
def start(body: MonitoredCreate, uow: ApiUow) -> MonitoredPublic:
    data = body.model_dump()
    record = service.start_monitoring(uow, data.pop("household_id"), **data)
    return MonitoredPublic.model_validate(record)


@router.get("/households/{monitored_id}", response_model=MonitoredPublic)
def get_monitored(monitored_id: Id, session: SessionDep, user: ApiUser) -> MonitoredPublic:
    return MonitoredPublic.model_validate(queries.get_monitored(session, monitored_id, user.scope))


@router.get("/households/{monitored_id}/steps", response_model=list[StepPublic])
def list_steps(monitored_id: Id, session: SessionDep, user: ApiUser) -> list[StepPublic]:
    record = queries.get_monitored(session, monitored_id, user.scope)
    return [StepPublic.model_validate(s) for s in queries.steps_of(session, record.id)]


@router.post("/households/{monitored_id}/steps", response_model=StepPublic, status_code=201)
def record_step(monitored_id: Id, body: StepCreate, uow: ApiUow) -> StepPublic:
    return StepPublic.model_validate(service.record_step(uow, monitored_id, body.step, body.happened_on, body.note))


@router.post("/households/{monitored_id}/measures", response_model=MeasurePublic, status_code=201)
def add_measure(monitored_id: Id, body: MeasureForm, uow: ApiUow) -> MeasurePublic:
    return MeasurePublic.model_validate(service.add_measure(uow, monitored_id, body))


@router.post("/households/{monitored_id}/clear", response_model=MonitoredPublic)
def clear(monitored_id: Id, body: ClearBody, uow: ApiUow) -> MonitoredPublic:
    record = service.clear_risk(uow, monitored_id, body.cleared_on, body.version, body.note)
    return MonitoredPublic.model_validate(record)


@router.get("/warnings", response_model=list[ProposalPublic])
def warnings(session: SessionDep, user: ApiUser, area: AreaParam = None,
             factor: Annotated[Decimal, Query(ge=Decimal("0.5"), le=Decimal("3"), allow_inf_nan=False)] = Decimal("1.0"),
             limit: Annotated[int, Query(ge=1, le=2000)] = 200) -> list[ProposalPublic]:
    scope = user.scope.narrowed_to(validate_code(area)) if area else user.scope
    proposals = queries.warnings(session, scope, as_of=dt.date.today(), factor=factor, limit=limit)
    return [ProposalPublic(**p.__dict__) for p in proposals]


@router.get("/thresholds", response_model=list[ThresholdPublic])
def thresholds(session: SessionDep, user: ApiUser) -> list[ThresholdPublic]:
    return [ThresholdPublic(year=y, province_code=p, amount=a)
            for (y, p), a in sorted(queries.thresholds(session).items())]


@router.put("/thresholds/{year}", response_model=ThresholdPublic)
def set_threshold(year: Annotated[int, Path(ge=2021, le=2100)], body: ThresholdSet, uow: ApiUow) -> ThresholdPublic:
    row = service.set_threshold(uow, year, body.amount, body.province_code, body.note)
    return ThresholdPublic(year=row.year, province_code=row.province_code, amount=row.amount)
