"""Pages of pairing: the follow-up list, plans (computed by a background job, reviewed, applied once) and
organisation pairs. Reads use the request's session; each POST is one use case on the caller's unit of work."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from fupin.core.errors import Forbidden, FupinError, NotFound
from fupin.core.identity import CurrentUser
from fupin.core.permissions import grant
from fupin.core.scoping import Scope
from fupin.core.sql import MAX_ID, rows_in
from fupin.orgs import queries as org_queries
from fupin.pairing import queries, service
from fupin.pairing.planner import LEVEL_ZH
from fupin.pairing.rules import DEFAULT_VISIT_DAYS
from fupin.pairing.schemas import OrgPairCreate
from fupin.registry import queries as registry_queries
from fupin.web.deps import PageUow, PageUser, SessionDep, verify_csrf
from fupin.web.forms import FormResult, PageForm, keep_with_status, redirect_back, submit
from fupin.web.jobs import to_job
from fupin.web.templating import current_area_code, render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)
SHOWN = 200
PLAN_PANEL = "pairing/_plan_job.html"
PlanId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _may(user: CurrentUser, action: str) -> bool:
    return grant(user.role, action) is not None


def _home(request: Request, session: Session, user: CurrentUser, days: int = DEFAULT_VISIT_DAYS,
          org_pair_form: FormResult | None = None, status_code: int = 200):
    scope = user.scope.narrowed_to(current_area_code(request))
    own = org_queries.cadre_of_user(session, user.id)
    may_org_pair = _may(user, "pairing.org_pair.manage")
    orgs = {str(o.id): o.name for o in org_queries.list_orgs(session, user.scope, include_dissolved=False)
            } if may_org_pair else {}
    return render(request, "pairing/home.html", {
        "own": own, "mine": [] if own is None else queries.pairs_with_last_visit(
            session, user.scope, limit=100, cadre_id=own.id),
        "overdue": queries.pairs_with_last_visit(session, scope, overdue_days=days, limit=100),
        "follow_up": queries.visit_follow_up(session, scope, days),
        "days": days, "plans": queries.recent_plans(session, scope), "org_pairs": queries.org_pairs(session, scope),
        "may_plan": _may(user, "pairing.plan.compute"), "may_org_pair": may_org_pair, "orgs": orgs,
        "org_pair_forms": service.ORG_PAIR_FORMS, "org_pair_form": org_pair_form, "today": dt.date.today()},
        status_code=status_code)


@router.get("/pairing")
def pairing_home(request: Request, session: SessionDep, user: PageUser,
                 days: Annotated[int, Query(ge=0, le=3650)] = DEFAULT_VISIT_DAYS):
    return _home(request, session, user, days)


@router.post("/pairing/org-pairs")
def create_org_pair(request: Request, uow: PageUow, session: SessionDep, user: PageUser,
                    form: PageForm[OrgPairCreate]):
    """组织结对共建 from the page: the same use case as the API; a refusal comes back beside its field."""
    return submit(form, lambda data: service.create_org_pair(uow, **data.model_dump()),
                  lambda _: redirect_back("/pairing#org-pairs"),
                  lambda status: _home(request, session, user, org_pair_form=form, status_code=status),
                  keep_with_status)


@router.post("/pairing/plans")
def make_plan(request: Request, uow: PageUow):
    """Queue the plan's computation; the job page shows its progress and then links to the plan."""
    return to_job(service.request_plan(uow, current_area_code(request)), PLAN_PANEL)


def _names(session: Session, scope: Scope, body: dict[str, Any]) -> tuple[dict[int, str], dict[int, str]]:
    """Head names of the households (in the caller's scope) and names of the cadres the shown rows mention."""
    household_ids = {i["household_id"] for key in ("add", "end", "unpaired") for i in body[key][:SHOWN]}
    cadre_ids = {i["cadre_id"] for key in ("add", "end", "over_quota") for i in body[key][:SHOWN]}
    households = registry_queries.households_subquery(scope)
    names = {row.id: row.head_name for row in rows_in(
        session, lambda ids: select(households.c.id, households.c.head_name).where(households.c.id.in_(ids)),
        household_ids)}
    return names, org_queries.cadre_names(session, cadre_ids)


def _plan_page(request: Request, session: Session, user: CurrentUser, plan_id: int, *, error: str | None = None,
               applied: dict | None = None, status_code: int = 200):
    stored = queries.get_plan(session, plan_id, user.scope)
    households, cadres = _names(session, user.scope, stored.body)
    return render(request, "pairing/plan.html", {
        "plan": stored, "body": stored.body, "households": households, "cadres": cadres, "shown": SHOWN,
        "levels": LEVEL_ZH, "error": error, "applied": applied, "may_apply": _may(user, "pairing.plan.apply")},
        status_code=status_code)


@router.get("/pairing/plans/{plan_id:int}")
def plan_page(request: Request, plan_id: PlanId, session: SessionDep, user: PageUser):
    return _plan_page(request, session, user, plan_id)


@router.post("/pairing/plans/{plan_id:int}/apply")
def apply_plan(request: Request, plan_id: PlanId, uow: PageUow, session: SessionDep, user: PageUser):
    try:
        counts = service.apply_plan(uow, plan_id)
    except (Forbidden, NotFound):
        raise
    except FupinError as error:
        return _plan_page(request, session, user, plan_id, error=error.message,
                          status_code=error.status_code if error.status_code in (409, 422) else 422)
    return _plan_page(request, session, user, plan_id, applied=counts)
