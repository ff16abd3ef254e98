"""Services pages (phone width first): the overview with the year's figures, requests with their moves, the
overdue list, wishes, mutual-aid teams and the grid leader's day. Handlers read on the request's session and
write through one use case; every form parses with the API's schema, and a rejected form comes back (422) with
what was typed and each message beside its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from fupin.core.identity import CurrentUser
from fupin.registry.schemas import VisitCreate
from fupin.services import errors, queries, rules, schemas, service
from fupin.web.deps import PageUow, PageUser, SessionDep, verify_csrf
from fupin.web.forms import FormResult, PageForm, keep_fixable, redirect_back, submit
from fupin.web.record_forms import RecordForm, RecordPage, add_page, add_record_forms, rendered
from fupin.web.templating import render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

ItemId = Annotated[int, Path(ge=1, le=schemas.MAX_ID)]
PAGE_SIZE = 50
NO_GRID_SEES_NOTHING = -1  # a grid leader's login bound to no grid sees no household


def _grid(session: Any, user: CurrentUser) -> int | None:
    if user.role != "grid":
        return None
    return queries.grid_of_user(session, user.id) or NO_GRID_SEES_NOTHING


def _vocab(session: Any) -> dict[str, Any]:
    return {"statuses": rules.STATUSES, "categories": queries.category_names(session), "via": service.FILED_VIA,
            "satisfaction": rules.SATISFACTION, "wish_statuses": rules.WISH_STATUSES,
            "duty_kinds": rules.DUTY_KINDS, "duty_statuses": rules.DUTY_STATUSES, "moves": rules.MOVE_NAMES}


def _ctx(request: Request, session: Any, user: CurrentUser, **values: Any) -> dict[str, Any]:
    grid = _grid(session, user)
    options = {c.code: c.name for c in queries.categories(session)}
    return {"vocab": _vocab(session), "ok": request.query_params.get("ok"), "today": dt.date.today(),
            "category_options": options,
            "grid": grid, "unbound": grid == NO_GRID_SEES_NOTHING, "forms": {}, **values}


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return max(int(raw), 1) if raw.isdigit() and len(raw) < 6 else 1


def _digits(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 19 else None


# ---------------------------------------------------------------- overview


@router.get("/services")
def overview(request: Request, session: SessionDep, user: PageUser):
    today = dt.date.today()
    grid = _grid(session, user)
    raw = request.query_params.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today.year
    got = queries.request_figures(session, user.scope, dt.date(year, 1, 1), dt.date(year, 12, 31), today, grid)
    return render(request, "services/overview.html", _ctx(
        request, session, user, year=year, figures=got, counts=queries.counts_by_status(session, user.scope, grid),
        wishes=queries.wish_counts(session, user.scope, grid),
        overdue=queries.count_overdue(session, user.scope, grid, today)))


# ---------------------------------------------------------------- requests


def _requests_context(request: Request, session: Any, user: CurrentUser, form: FormResult[Any] | None = None
                      ) -> dict[str, Any]:
    status = request.query_params.get("status") or None
    status = status if status in rules.STATUSES else None
    page = _page_number(request)
    grid = _grid(session, user)
    rows = queries.list_requests(session, user.scope, grid, status=status, limit=PAGE_SIZE,
                                 offset=(page - 1) * PAGE_SIZE)
    return _ctx(request, session, user, rows=rows, status=status, page=page, page_size=PAGE_SIZE,
                household_id=_digits(request.query_params.get("household_id")),
                categories=queries.categories(session), counts=queries.counts_by_status(session, user.scope, grid),
                file_form=form)


add_page(router, "/services/requests", rendered("services/requests.html", _requests_context), [
    RecordForm("", schemas.RequestCreate, "form", lambda row: f"已登记诉求,办理时限至{row.due_on.isoformat()}",
               lambda uow, d: service.file_request(uow, d.household_id, category=d.category, description=d.description,
                                                   filed_via=d.filed_via or None, attachments=d.attachments),
               to=lambda row: f"/services/requests/{row.id}")], keep=keep_fixable)


def _request_context(request: Request, session: Any, user: CurrentUser, request_id: int,
                     **forms: FormResult[Any]) -> dict[str, Any]:
    grid = _grid(session, user)
    row = queries.get_request(session, request_id, user.scope, grid)
    today = dt.date.today()
    r = row.request
    allowed = [m for m in rules.MOVES if rules.move_problem(r.status, m) is None]
    return _ctx(request, session, user, row=row, r=r, events=queries.events_of(session, r.id), allowed=allowed,
                overdue=rules.is_overdue(r.status, r.due_on, today), days_overdue=rules.days_overdue(r.due_on, today),
                on_time=rules.done_on_time(r.done_on, r.due_on), level_name=rules.level_name(r.escalated_to)
                if r.escalated_to else "", forms=forms, actions={m: rules.action_of(m) for m in rules.MOVES})


_request_page = rendered("services/request.html", _request_context)


@router.get("/services/requests/{request_id}")
def request_page(request_id: ItemId, request: Request, session: SessionDep, user: PageUser):
    return _request_page(request, session, user, request_id)


# A request's moves: the form each parses and the use case it runs; the page names each form by its move.
add_record_forms(router, "/services/requests/{request_id}", (
    RecordForm("assign", schemas.AssignForm, "assign", "已交办", lambda uow, request_id, d: service.assign_request(
        uow, request_id, handler=d.handler, note=d.note, version=d.version)),
    RecordForm("complete", schemas.CompleteForm, "complete", "已办结,待群众确认",
               lambda uow, request_id, d: service.complete_request(
                   uow, request_id, result=d.result, one_visit=d.one_visit, done_on=d.done_on, version=d.version)),
    RecordForm("confirm", schemas.ConfirmForm, "confirm", "群众已确认,诉求办结",
               lambda uow, request_id, d: service.confirm_request(
                   uow, request_id, satisfaction=d.satisfaction, note=d.note, version=d.version)),
    RecordForm("reopen", schemas.ReopenForm, "reopen", "已退回重新办理", lambda uow, request_id, d: service.reopen_request(
        uow, request_id, reason=d.reason, version=d.version)),
), _request_page, keep=keep_fixable)


@router.get("/services/overdue")
def overdue_page(request: Request, session: SessionDep, user: PageUser):
    today = dt.date.today()
    rows = queries.list_requests(session, user.scope, _grid(session, user), overdue_on=today, limit=500)
    return render(request, "services/overdue.html", _ctx(
        request, session, user, rows=rows, due_levels={
            r.request.id: rules.escalation_due(r.request.due_on, r.request.deadline_days, today) for r in rows},
        level_of=rules.level_name, days=lambda d: rules.days_overdue(d, today)))


@router.post("/services/escalate")
def escalate(request: Request, uow: PageUow):
    moved = service.escalate_overdue(uow)
    return redirect_back("/services/overdue", ok=f"已升级{len(moved)}件逾期诉求")


# ---------------------------------------------------------------- wishes


def _wishes_context(request: Request, session: Any, user: CurrentUser, **forms: FormResult[Any]) -> dict[str, Any]:
    status = request.query_params.get("status", "open")
    status = status if status in rules.WISH_STATUSES else None
    grid = _grid(session, user)
    members = queries.member_options(session, user.scope) if grid is None else []
    return _ctx(request, session, user, rows=queries.list_wishes(session, user.scope, grid, status=status, limit=200),
                status=status, counts=queries.wish_counts(session, user.scope, grid),
                members={str(i): f"{name}(已认领{held})" for i, name, held in members},
                limit=service.claim_limit(session), household_id=_digits(request.query_params.get("household_id")),
                forms=forms)


_wishes_page = rendered("services/wishes.html", _wishes_context)
add_page(router, "/services/wishes", _wishes_page, [
    RecordForm("", schemas.WishCreate, "post", "已登记微心愿",
               lambda uow, d: service.post_wish(uow, d.household_id, title=d.title, description=d.description))],
    keep=keep_fixable)


def _listed(request: Request, session: Any, user: CurrentUser, page: RecordPage, back: str, name: str,
            form: FormResult[Any], write: Callable[[Any], object], ok: str):
    """A form on a list's row (a wish, a team, a duty): back to the list, or the list again with the form."""
    return submit(form, write, lambda _: redirect_back(back, ok=ok),
                  lambda status: page(request, session, user, status_code=status, **{name: form}), keep_fixable)


@router.post("/services/wishes/{wish_id}/claim")
def claim_wish(wish_id: ItemId, request: Request, session: SessionDep, user: PageUser, uow: PageUow,
               form: PageForm[schemas.ClaimForm]):
    return _listed(request, session, user, _wishes_page, "/services/wishes?status=claimed", "claim", form,
                   lambda d: service.claim_wish(uow, wish_id, member_id=d.member_id, unit_name=d.unit_name), "已认领")


@router.post("/services/wishes/{wish_id}/fulfil")
def fulfil_wish(wish_id: ItemId, request: Request, session: SessionDep, user: PageUser, uow: PageUow,
                form: PageForm[schemas.FulfilForm]):
    return _listed(request, session, user, _wishes_page, "/services/wishes", "fulfil", form,
                   lambda d: service.fulfil_wish(
                       uow, wish_id, fulfilled_on=d.fulfilled_on, evidence=d.evidence), "已登记心愿实现")


# ---------------------------------------------------------------- mutual aid


def _teams_context(request: Request, session: Any, user: CurrentUser, **forms: FormResult[Any]) -> dict[str, Any]:
    grid = _grid(session, user)
    return _ctx(request, session, user, teams=queries.teams(session, user.scope, grid),
                orgs={str(i): n for i, n in queries.migrant_orgs(session, user.scope)},
                household_id=_digits(request.query_params.get("household_id")), forms=forms)


def _create_team(uow: Any, d: schemas.TeamCreate) -> Any:
    members = [m for part in d.members for m in part.replace(",", ",").replace("、", ",").split(",")]
    return service.create_team(uow, d.household_id, name=d.name, worker_name=d.worker_name,
                               migrant_org_id=d.migrant_org_id, members=members)


_teams_page = rendered("services/teams.html", _teams_context)
add_page(router, "/services/teams", _teams_page, [
    RecordForm("", schemas.TeamCreate, "team", "已组建互助组", _create_team)], keep=keep_fixable)


@router.post("/services/teams/{team_id}/duties")
def assign_duty(team_id: ItemId, request: Request, session: SessionDep, user: PageUser, uow: PageUow,
                form: PageForm[schemas.DutyCreate]):
    return _listed(request, session, user, _teams_page, "/services/teams", f"duty{team_id}", form,
                   lambda d: service.assign_duty(uow, team_id, kind=d.kind, helper_id=d.helper_id, due_on=d.due_on,
                                                 description=d.description), "已分派")


@router.post("/services/duties/{duty_id}/close")
def close_duty(duty_id: ItemId, request: Request, session: SessionDep, user: PageUser, uow: PageUow,
               form: PageForm[schemas.DutyClose]):
    return _listed(request, session, user, _teams_page, "/services/teams", f"close{duty_id}", form,
                   lambda d: service.close_duty(uow, duty_id, outcome=d.outcome, on=d.on, note=d.note), "已登记")


# ---------------------------------------------------------------- the grid leader's day


def _grid_context(request: Request, session: Any, user: CurrentUser, **forms: FormResult[Any]) -> dict[str, Any]:
    today = dt.date.today()
    grid = _grid(session, user)
    chosen = _digits(request.query_params.get("grid"))
    if grid is None and chosen is not None and queries.grid_area(session, chosen, user.scope) is not None:
        grid = chosen  # a cadre looks at one grid of the scope
    households = queries.grid_day(session, grid, today) if grid and grid > 0 else []
    open_requests = queries.list_requests(session, user.scope, grid, limit=200) if grid and grid > 0 else []
    open_wishes = queries.list_wishes(session, user.scope, grid, limit=200) if grid and grid > 0 else []
    return _ctx(request, session, user, households=households, shown_grid=grid,
                grids=queries.grids_in(session, user.scope) if user.role != "grid" else [],
                requests=[r for r in open_requests if r.request.status != "confirmed"],
                wishes=[w for w in open_wishes if w.wish.status != "fulfilled"],
                visits_due=sum(1 for h in households if h.visit_due), categories=queries.categories(session),
                forms=forms)


@router.get("/services/grid")
def grid_page(request: Request, session: SessionDep, user: PageUser):
    return render(request, "services/grid.html", _grid_context(request, session, user))


@router.post("/services/grid/households/{household_id}/visits")
def log_visit(household_id: ItemId, request: Request, session: SessionDep, user: PageUser, uow: PageUow,
              form: PageForm[VisitCreate]):
    return submit(form, lambda data: service.log_visit(uow, household_id, data),
                  lambda _: redirect_back("/services/grid", ok="已记录走访"),
                  lambda status: render(request, "services/grid.html",
                                        _grid_context(request, session, user, **{f"visit{household_id}": form}),
                                        status_code=status), keep_fixable)


__all__ = ["router", "errors"]
