from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from fupin.core.areacodes import validate_code
from fupin.pairing import queries, service
from fupin.pairing.rules import DEFAULT_VISIT_DAYS
from fupin.pairing.schemas import OrgHelpCreate, OrgPairCreate, PairCreate, PairEnd, PlanRequest
from fupin.web.deps import ApiUser, DbDep, SessionDep, uow_for

router = APIRouter(prefix="/pairing", tags=["pairing 结对帮扶"])


def _summary(plan_id: int, body: dict[str, Any]) -> dict[str, Any]:
    return {"plan_id": plan_id, "area_code": body["area_code"], "day": body["day"], "cost": body["cost"],
            "over_quota": body["over_quota"], "unpaired": body["unpaired"][:500], "end": body["end"][:500],
            "add": body["add"][:500]}


@router.get("/pairs")
def active_pairs(session: SessionDep, user: ApiUser, area: str | None = None,
                 overdue_days: Annotated[int | None, Query(ge=0, le=3650)] = None,
                 limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> list[dict[str, Any]]:
    """Active pairs with the last visit; `overdue_days` keeps those not visited for longer (default 30)."""
    scope = user.scope.narrowed_to(validate_code(area) if area else None)
    return queries.pairs_with_last_visit(session, scope, limit=limit, overdue_days=overdue_days)


@router.get("/overdue")
def overdue_pairs(session: SessionDep, user: ApiUser, area: str | None = None,
                  days: Annotated[int, Query(ge=0, le=3650)] = DEFAULT_VISIT_DAYS) -> list[dict[str, Any]]:
    scope = user.scope.narrowed_to(validate_code(area) if area else None)
    return queries.pairs_with_last_visit(session, scope, overdue_days=days)


@router.post("/pairs", status_code=201)
def create_pair(body: PairCreate, db: DbDep, user: ApiUser) -> dict[str, Any]:
    with uow_for(db, user) as uow:
        made = service.pair(uow, body.household_id, body.cadre_id, body.started_on)
        return {"id": made.id, "household_id": made.household_id, "cadre_id": made.cadre_id,
                "started_on": made.started_on}


@router.post("/pairs/{pair_id}/end")
def end_pair(pair_id: int, body: PairEnd, db: DbDep, user: ApiUser) -> dict[str, Any]:
    with uow_for(db, user) as uow:
        ended = service.end_pair(uow, pair_id, body.reason, body.day)
        return {"id": ended.id, "ended_on": ended.ended_on, "end_reason": ended.end_reason}


@router.post("/plans", status_code=201)
def make_plan(body: PlanRequest, db: DbDep, user: ApiUser) -> dict[str, Any]:
    """Compute a proposal for the area and keep it for review; nothing changes until it is applied."""
    with uow_for(db, user) as uow:
        plan = service.compute_plan(uow.session, uow.scope, validate_code(body.area) if body.area else None)
        stored = service.save_plan(uow, plan)
        return _summary(stored.id, plan)


@router.get("/plans/{plan_id}")
def get_plan(plan_id: int, session: SessionDep, user: ApiUser) -> dict[str, Any]:
    stored = queries.get_plan(session, plan_id, user.scope)
    return {**_summary(stored.id, stored.body), "applied_at": stored.applied_at}


@router.post("/plans/{plan_id}/apply")
def apply_plan(plan_id: int, db: DbDep, user: ApiUser) -> dict[str, Any]:
    with uow_for(db, user) as uow:
        stored = queries.get_plan(uow.session, plan_id, uow.scope)
        return service.apply_plan(uow, stored.body, plan_id=stored.id)


@router.get("/org-pairs")
def org_pairs(session: SessionDep, user: ApiUser) -> list[dict[str, Any]]:
    return queries.org_pairs(session, user.scope)


@router.post("/org-pairs", status_code=201)
def create_org_pair(body: OrgPairCreate, db: DbDep, user: ApiUser) -> dict[str, Any]:
    with uow_for(db, user) as uow:
        record = service.create_org_pair(uow, body.helper_org_id, body.helped_org_id, body.form, body.started_on)
        return {"id": record.id, "form": record.form}


@router.post("/org-pairs/{org_pair_id}/help", status_code=201)
def record_help(org_pair_id: int, body: OrgHelpCreate, db: DbDep, user: ApiUser) -> dict[str, Any]:
    with uow_for(db, user) as uow:
        row = service.record_org_help(uow, org_pair_id, body.delivered_on, body.funds, body.project, body.note)
        return {"id": row.id, "funds": str(row.funds)}
