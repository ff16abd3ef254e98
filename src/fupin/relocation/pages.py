"""Relocation pages: sites, buildings, households, lottery, grids and the checklist.

Reads use the request's session; each form is parsed by the API's schema (`form_of`) and handed to one use
case; a refused form comes back (422) with what was typed and each message beside its field."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from sqlalchemy.orm import Session

from fupin.areas.queries import names_of
from fupin.core.identity import CurrentUser
from fupin.core.sql import MAX_ID
from fupin.employment.queries import employed_members_by_household
from fupin.relocation import queries, rules, schemas, service
from fupin.web.deps import PageUow, PageUser, SessionDep, verify_csrf, viewer_of
from fupin.web.forms import FormResult, PageForm, fold_item_errors, redirect_back, submit
from fupin.web.jobs import to_job
from fupin.web.record_forms import RecordForm, add_page
from fupin.web.templating import current_area_code, render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

VOCAB = {"kinds": rules.SITE_KINDS, "locations": rules.SITE_LOCATIONS, "statuses": rules.RELOCATION_STATUSES,
         "items": rules.CHECKLIST_ITEMS, "states": rules.CHECK_STATES,
         "priorities": {str(k): v for k, v in rules.PRIORITY_GROUPS.items()}}
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def _ctx(request: Request, **values: Any) -> dict[str, Any]:
    return {"vocab": VOCAB, "ok": request.query_params.get("ok"), **values}


# ---------------------------------------------------------------- sites


def _sites_page(request: Request, session: Session, user: CurrentUser, form: FormResult[schemas.SiteCreate] | None = None,
                export_form: FormResult[schemas.ExportRequest] | None = None, status_code: int = 200):
    sites = queries.list_sites(session, user.scope)
    return render(request, "relocation/sites.html", _ctx(
        request, sites=sites, default_area=current_area_code(request) or "",
        area_names=names_of(session, [s.site.area_code for s in sites]),
        form=form, export_form=export_form), status_code=status_code)


add_page(router, "/relocation", _sites_page, [
    RecordForm("sites", schemas.SiteCreate, "form", "安置点已建立",
               lambda uow, d: service.create_site(uow, **d.model_dump()),
               to=lambda site: f"/relocation/sites/{site.id}")])


@router.post("/relocation/export")
def export_households(request: Request, uow: PageUow, session: SessionDep, user: PageUser,
                      form: PageForm[schemas.ExportRequest]):
    return submit(form, lambda data: service.start_household_export(uow, data.area_code, data.site_id), to_job,
                  lambda status: _sites_page(request, session, user, export_form=form, status_code=status))


def _site_page(request: Request, session: Session, user: CurrentUser, site_id: int,
               building_form: FormResult[schemas.BuildingCreate] | None = None,
               household_form: FormResult[schemas.RelocatedCreate] | None = None, status_code: int = 200):
    site = queries.get_site(session, site_id, user.scope)
    summary = queries.site_summary(session, site)
    status = request.query_params.get("status") or None
    households = queries.households_at_site(session, site.id, status=status if status in rules.RELOCATION_STATUSES else None,
                                            limit=300)
    employed = employed_members_by_household(session, [h.relocated.household_id for h in households])
    return render(request, "relocation/site.html", _ctx(
        request, site=site, summary=summary, households=households, employed=employed, status=status,
        buildings=queries.buildings_of_site(session, site.id), gaps=queries.checklist_gaps(session, site.id),
        draws=queries.draws_of_site(session, site.id)[:3], building_form=building_form,
        area_names=names_of(session, [h.relocated.origin_area_code[:12] for h in households]),
        household_form=household_form), status_code=status_code)


add_page(router, "/relocation/sites/{site_id}", _site_page, [
    RecordForm("households", schemas.RelocatedCreate, "household_form", "已列入搬迁名单",
               lambda uow, site_id, d: service.add_relocated_household(uow, site_id, d.household_id,
                                                                       priority_group=d.priority_group))])


@router.post("/relocation/sites/{site_id}/buildings")
def add_building(site_id: Id, request: Request, uow: PageUow, session: SessionDep, user: PageUser,
                 form: PageForm[schemas.BuildingCreate]):
    fold_item_errors(form, "unit_areas")
    return submit(form, lambda data: service.add_building(uow, site_id, **data.model_dump()),
                  lambda _: redirect_back(f"/relocation/sites/{site_id}", ok="楼栋及房屋已登记"),
                  lambda status: _site_page(request, session, user, site_id, building_form=form, status_code=status))


# ---------------------------------------------------------------- lottery


def _lottery_page(request: Request, session: Session, user: CurrentUser, site_id: int,
                  form: FormResult[schemas.LotteryRequest] | None = None, status_code: int = 200):
    site = queries.get_site(session, site_id, user.scope)
    dry = form is not None and form.value("dry_run") in ("1", "true", "on")
    return render(request, "relocation/lottery.html", _ctx(
        request, site=site, summary=queries.site_summary(session, site), draws=queries.draws_of_site(session, site.id),
        dry_form=form if dry else None, real_form=None if dry else form), status_code=status_code)


add_page(router, "/relocation/sites/{site_id}/lottery", _lottery_page)


@router.post("/relocation/sites/{site_id}/lottery")
def run_lottery(site_id: Id, request: Request, uow: PageUow, session: SessionDep, user: PageUser,
                form: PageForm[schemas.LotteryRequest]):
    fold_item_errors(form, "waiting")
    partial = bool(request.headers.get("HX-Request"))

    def answer(outcome: Any):
        if not outcome.dry_run:
            return redirect_back(f"/relocation/draws/{outcome.draw_id}", ok="摇号完成,结果已公布")
        ctx = _ctx(request, outcome=outcome, site_id=site_id,
                   labels=queries.unit_labels(session, list(outcome.result.allocations.values())),
                   households=queries.household_labels(session, [ln.household_id for ln in outcome.result.lines]))
        return render(request, "relocation/lottery_result.html" if partial else "relocation/lottery_dry.html", ctx)

    def again(status: int):
        if partial:  # htmx swaps only a 2xx answer into the page: the refusal is the fragment's content
            return render(request, "relocation/lottery_result.html", _ctx(request, form=form))
        return _lottery_page(request, session, user, site_id, form=form, status_code=status)

    return submit(form, lambda data: service.lottery(uow, site_id, data.seed, waiting=data.waiting,
                                                     dry_run=data.dry_run), answer, again)


@router.get("/relocation/draws/{draw_id}")
def draw_page(draw_id: Id, request: Request, session: SessionDep, user: PageUser):
    draw = queries.get_draw(session, draw_id, user.scope)
    site = queries.get_site(session, draw.site_id, user.scope)
    lines = queries.draw_lines(draw)
    same, _digest = queries.verify_draw(session, draw.id, user.scope)
    return render(request, "relocation/draw.html", _ctx(
        request, draw=draw, site=site, lines=lines[:2000], total=len(lines), verified=same,
        labels=queries.unit_labels(session, [ln.unit_id for ln in lines[:2000] if ln.unit_id]),
        households=queries.household_labels(session, [ln.household_id for ln in lines[:2000]])))


# ---------------------------------------------------------------- grids


def _grids_page(request: Request, session: Session, user: CurrentUser, site_id: int,
                form: FormResult[schemas.GridsRequest] | None = None, status_code: int = 200):
    site = queries.get_site(session, site_id, user.scope)
    building = request.query_params.get("building")
    building_id = int(building) if building and building.isdigit() and len(building) < 19 else None
    return render(request, "relocation/grids.html", _ctx(
        request, site=site, grids=queries.grids_of_site(session, site.id),
        buildings=queries.buildings_of_site(session, site.id), building_id=building_id,
        grid_map=queries.grid_map(session, site.id, building_id), form=form), status_code=status_code)


add_page(router, "/relocation/sites/{site_id}/grids", _grids_page, [
    RecordForm("", schemas.GridsRequest, "form", lambda grids: f"已生成{len(grids)}个网格,可逐格调整",
               lambda uow, site_id, d: service.propose_site_grids(uow, site_id, grid_size=d.grid_size,
                                                                  replace=d.replace))])


def _grid_page(request: Request, session: Session, user: CurrentUser, grid_id: int,
               form: FormResult[Any] | None = None, status_code: int = 200):
    grid, site = queries.get_grid(session, grid_id, user.scope)
    households = queries.households_at_site(session, site.id, grid_id=grid.id)
    return render(request, "relocation/grid.html", _ctx(
        request, grid=grid, site=site, households=households,
        phones=queries.phones_of(session, [h.relocated.household_id for h in households], viewer_of(user)),
        options=queries.grid_leader_options(session, grid.id),
        grids=queries.grids_of_site(session, site.id), form=form), status_code=status_code)


add_page(router, "/relocation/grids/{grid_id}", _grid_page, [
    RecordForm("", schemas.GridUpdate, "form", "网格已更新",
               lambda uow, grid_id, d: service.update_grid(uow, grid_id, name=d.name,
                                                           leader_person_id=d.leader_person_id))])


@router.post("/relocation/households/{relocated_id}/grid")
def move_household(relocated_id: Id, request: Request, uow: PageUow, session: SessionDep, user: PageUser,
                   form: PageForm[schemas.GridMoveForm]):
    back = str(form.value("back") or "")
    back = back if back.startswith("/relocation/") and "//" not in back else f"/relocation/households/{relocated_id}"
    return submit(form, lambda data: service.move_to_grid(uow, relocated_id, data.grid_id),
                  lambda _: redirect_back(back, ok="已调整网格"),
                  lambda status: _household_page(request, session, user, relocated_id, form=form, status_code=status))


# ---------------------------------------------------------------- one household


def _household_page(request: Request, session: Session, user: CurrentUser, relocated_id: int,
                    form: FormResult[Any] | None = None, checklist_form: FormResult[schemas.ChecklistForm] | None = None,
                    status_code: int = 200):
    row = queries.relocated_detail(session, relocated_id, user.scope, viewer_of(user))
    site = queries.get_site(session, row.site_id, user.scope)
    return render(request, "relocation/household.html", _ctx(
        request, row=row, site=site, checklist=queries.checklist_of(session, row.id), form=form,
        area_names=names_of(session, [row.origin_area_code[:12]]),
        checklist_form=checklist_form, today=dt.date.today().isoformat()),
        status_code=status_code)


add_page(router, "/relocation/households/{relocated_id}", _household_page, (
    RecordForm("checklist", schemas.ChecklistForm, "checklist_form", "清单已保存",
               lambda uow, relocated_id, d: service.update_checklist(uow, relocated_id, d.items())),
    RecordForm("move-in", schemas.DateBody, "form", "已登记入住",
               lambda uow, relocated_id, d: service.move_in(uow, relocated_id, d.on)),
    RecordForm("demolished", schemas.DateBody, "form", "已登记拆旧",
               lambda uow, relocated_id, d: service.mark_demolished(uow, relocated_id, d.on)),
))
