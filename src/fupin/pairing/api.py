"""结对帮扶 (Pairing): 干部与贫困户结对(“543”)、搬迁户党员联系、组织结对共建。

Reads on the request's session; each write is one use case on the caller's unit of work. A plan is computed by a
background job: `POST /pairing/plans` answers 202 with the job, whose result names the saved plan."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from fupin.core.areacodes import validate_code
from fupin.core.sql import MAX_ID
from fupin.pairing import queries, service
from fupin.pairing.rules import DEFAULT_VISIT_DAYS
from fupin.pairing.schemas import OrgHelpCreate, OrgPairCreate, PairCreate, PairEnd, PlanRequest
from fupin.web.deps import ApiUow, ApiUser, SessionDep

router = APIRouter(prefix="/pairing", tags=["pairing 结对帮扶"])
Key = Annotated[int, Path(ge=1, le=MAX_ID)]
AreaQuery = Annotated[str | None, Query(max_length=15, description="区划代码 / area code")]


def _area(area: str | None) -> str | None:
    return validate_code(area) if area else None


@router.get("/pairs")
def active_pairs(session: SessionDep, user: ApiUser, area: AreaQuery = None,
                 overdue_days: Annotated[int | None, Query(ge=0, le=3650)] = None,
                 limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> list[dict[str, Any]]:
    """Active pairs with the last visit; `overdue_days` keeps those not visited for longer."""
    scope = user.scope.narrowed_to(_area(area))
    return queries.pairs_with_last_visit(session, scope, limit=limit, overdue_days=overdue_days)


@router.get("/overdue")
def overdue_pairs(session: SessionDep, user: ApiUser, area: AreaQuery = None,
                  days: Annotated[int, Query(ge=0, le=3650)] = DEFAULT_VISIT_DAYS) -> list[dict[str, Any]]:
    scope = user.scope.narrowed_to(_area(area))
    return queries.pairs_with_last_visit(session, scope, overdue_days=days)


@router.post("/pairs", status_code=201)
def create_pair(body: PairCreate, uow: ApiUow) -> dict[str, Any]:
    made = service.pair(uow, body.household_id, body.cadre_id, body.started_on)
    return {"id": made.id, "household_id": made.household_id, "cadre_id": made.cadre_id,
            "started_on": made.started_on}


@router.post("/pairs/{pair_id}/end")
def end_pair(pair_id: Key, body: PairEnd, uow: ApiUow) -> dict[str, Any]:
    ended = service.end_pair(uow, pair_id, body.reason, body.day)
    return {"id": ended.id, "ended_on": ended.ended_on, "end_reason": ended.end_reason}


@router.post("/plans", status_code=202)
def make_plan(body: PlanRequest, uow: ApiUow) -> dict[str, Any]:
    """Queue the computation of a proposal for the area; the job's result holds `plan_id` (nothing changes until
    the plan is applied)."""
    job_id = service.request_plan(uow, body.area)
    return {"job_id": job_id, "url": f"/api/v1/jobs/{job_id}"}


@router.get("/plans/{plan_id}")
def get_plan(plan_id: Key, session: SessionDep, user: ApiUser) -> dict[str, Any]:
    stored = queries.get_plan(session, plan_id, user.scope)
    return {**service.plan_summary(stored.id, stored.body), "applied_at": stored.applied_at}


@router.post("/plans/{plan_id}/apply")
def apply_plan(plan_id: Key, uow: ApiUow) -> dict[str, Any]:
    """Apply the plan exactly once: a second apply, or one after the data changed, is 409 and writes nothing."""
    return service.apply_plan(uow, plan_id)


@router.get("/org-pairs")
def org_pairs(session: SessionDep, user: ApiUser) -> list[dict[str, Any]]:
    return queries.org_pairs(session, user.scope)


@router.post("/org-pairs", status_code=201)
def create_org_pair(body: OrgPairCreate, uow: ApiUow) -> dict[str, Any]:
    record = service.create_org_pair(uow, body.helper_org_id, body.helped_org_id, body.form, body.started_on)
    return {"id": record.id, "form": record.form}


@router.post("/org-pairs/{org_pair_id}/help", status_code=201)
def record_help(org_pair_id: Key, body: OrgHelpCreate, uow: ApiUow) -> dict[str, Any]:
    row = service.record_org_help(uow, org_pair_id, body.delivered_on, body.funds, body.project, body.note)
    return {"id": row.id, "funds": str(row.funds)}
