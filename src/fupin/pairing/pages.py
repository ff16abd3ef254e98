from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from fupin.core.errors import FupinError
from fupin.core.scoping import Scope
from fupin.orgs.queries import cadres_select
from fupin.pairing import queries, service
from fupin.pairing.planner import LEVEL_ZH
from fupin.pairing.rules import DEFAULT_VISIT_DAYS
from fupin.web.deps import DbDep, PageUser, SessionDep, uow_for, verify_csrf
from fupin.web.templating import current_area_code, render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)
SHOWN = 200


@router.get("/pairing")
def pairing_home(request: Request, session: SessionDep, user: PageUser, days: int = DEFAULT_VISIT_DAYS,
                 error: str | None = None):
    scope = user.scope.narrowed_to(current_area_code(request))
    days = max(0, min(days, 3650))
    return render(request, "pairing/home.html", {
        "overdue": queries.pairs_with_last_visit(session, scope, overdue_days=days, limit=100),
        "days": days, "plans": queries.recent_plans(session, scope), "org_pairs": queries.org_pairs(session, scope),
        "error": error})


@router.post("/pairing/plans")
def make_plan(request: Request, db: DbDep, user: PageUser):
    area = current_area_code(request)
    try:
        with uow_for(db, user) as uow:
            body = service.compute_plan(uow.session, uow.scope, area)
            stored = service.save_plan(uow, body)
    except FupinError as error:
        with db.session_factory() as session:
            return pairing_home(request, session, user, error=error.message)
    return RedirectResponse(f"/pairing/plans/{stored.id}", status_code=303)


def _names(session, scope: Scope, body: dict[str, Any]) -> tuple[dict[int, str], dict[int, str]]:  # type: ignore[no-untyped-def]
    from fupin.registry.queries import households_subquery

    household_ids = {i["household_id"] for key in ("add", "end", "unpaired") for i in body[key][:SHOWN]}
    cadre_ids = {i["cadre_id"] for key in ("add", "end", "over_quota") for i in body[key][:SHOWN]}
    households = households_subquery(scope)
    names = dict(session.execute(select(households.c.id, households.c.head_name)
                                 .where(households.c.id.in_(sorted(household_ids) or [0]))).all())
    cadre_rows = cadres_select(Scope.everything()).where(cadres_select(Scope.everything()).selected_columns.id
                                                         .in_(sorted(cadre_ids) or [0]))
    cadres = {r.id: r.name for r in session.execute(cadre_rows)}
    return names, cadres


@router.get("/pairing/plans/{plan_id:int}")
def plan_page(request: Request, plan_id: int, session: SessionDep, user: PageUser, error: str | None = None,
              applied: dict | None = None):
    stored = queries.get_plan(session, plan_id, user.scope)
    households, cadres = _names(session, user.scope, stored.body)
    return render(request, "pairing/plan.html", {
        "plan": stored, "body": stored.body, "households": households, "cadres": cadres, "shown": SHOWN,
        "levels": LEVEL_ZH, "error": error, "applied": applied})


@router.post("/pairing/plans/{plan_id:int}/apply")
def apply_plan(request: Request, plan_id: int, db: DbDep, user: PageUser):
    try:
        with uow_for(db, user) as uow:
            stored = queries.get_plan(uow.session, plan_id, uow.scope)
            counts = service.apply_plan(uow, stored.body, plan_id=stored.id)
    except FupinError as error:
        with db.session_factory() as session:
            return plan_page(request, plan_id, session, user, error=error.message)
    with db.session_factory() as session:
        return plan_page(request, plan_id, session, user, applied=counts)
