"""Relocation pages: sites, buildings, households, lottery, grids and the checklist. Routes stay thin."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request

from fupin.core.errors import FupinError, Invalid
from fupin.relocation import queries, service
from fupin.relocation.rules import (
    CHECK_STATES,
    CHECKLIST_ITEMS,
    PRIORITY_GROUPS,
    RELOCATION_STATUSES,
    SITE_KINDS,
    SITE_LOCATIONS,
)
from fupin.web.deps import DbDep, PageUser, SessionDep, uow_for, verify_csrf
from fupin.web.forms import form_date as _date
from fupin.web.forms import form_int as _int
from fupin.web.forms import redirect_back as _back
from fupin.web.templating import current_area_code, render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

VOCAB = {"kinds": SITE_KINDS, "locations": SITE_LOCATIONS, "statuses": RELOCATION_STATUSES,
         "items": CHECKLIST_ITEMS, "states": CHECK_STATES, "priorities": PRIORITY_GROUPS}








def _ctx(request: Request, **values):  # type: ignore[no-untyped-def]
    return {"vocab": VOCAB, "error": request.query_params.get("error"), "ok": request.query_params.get("ok"),
            **values}


@router.get("/relocation")
def sites_page(request: Request, session: SessionDep, user: PageUser):
    sites = queries.list_sites(session, user.scope)
    return render(request, "relocation/sites.html", _ctx(request, sites=sites,
                                                        default_area=current_area_code(request) or ""))


@router.post("/relocation/sites")
async def create_site(request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        with uow_for(db, user) as uow:
            site = service.create_site(
                uow, name=str(form.get("name") or ""), area_code=str(form.get("area_code") or "").strip(),
                kind=str(form.get("kind") or ""), location=str(form.get("location") or ""),
                planned_households=_int(form, "planned_households", 0), planned_people=_int(form, "planned_people", 0),
                phase=str(form.get("phase") or ""), grid_size=_int(form, "grid_size", 10))
    except FupinError as error:
        return _back("/relocation", error=error.message)
    return _back(f"/relocation/sites/{site.id}", ok="安置点已建立")


@router.get("/relocation/sites/{site_id}")
def site_page(site_id: int, request: Request, session: SessionDep, user: PageUser):
    from fupin.employment.queries import employed_members_by_household

    site = queries.get_site(session, site_id, user.scope)
    summary = queries.site_summary(session, site)
    status = request.query_params.get("status") or None
    households = queries.households_at_site(session, site.id, status=status if status in RELOCATION_STATUSES else None,
                                            limit=300)
    employed = employed_members_by_household(session, [h.relocated.household_id for h in households])
    return render(request, "relocation/site.html", _ctx(
        request, site=site, summary=summary, households=households, employed=employed, status=status,
        buildings=queries.buildings_of_site(session, site.id), gaps=queries.checklist_gaps(session, site.id),
        draws=queries.draws_of_site(session, site.id)[:3]))


@router.post("/relocation/sites/{site_id}/buildings")
async def add_building(site_id: int, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        with uow_for(db, user) as uow:
            service.add_building(uow, site_id, name=str(form.get("name") or ""), floors=_int(form, "floors"),
                                 unit_areas=service.parse_areas(str(form.get("unit_areas") or "")))
    except FupinError as error:
        return _back(f"/relocation/sites/{site_id}", error=error.message)
    return _back(f"/relocation/sites/{site_id}", ok="楼栋及房屋已登记")


@router.post("/relocation/sites/{site_id}/households")
async def add_household(site_id: int, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        with uow_for(db, user) as uow:
            service.add_relocated_household(uow, site_id, _int(form, "household_id"),
                                            priority_group=_int(form, "priority_group", 0))
    except FupinError as error:
        return _back(f"/relocation/sites/{site_id}", error=error.message)
    return _back(f"/relocation/sites/{site_id}", ok="已列入搬迁名单")


@router.get("/relocation/sites/{site_id}/lottery")
def lottery_page(site_id: int, request: Request, session: SessionDep, user: PageUser):
    site = queries.get_site(session, site_id, user.scope)
    return render(request, "relocation/lottery.html", _ctx(
        request, site=site, summary=queries.site_summary(session, site), draws=queries.draws_of_site(session, site.id)))


@router.post("/relocation/sites/{site_id}/lottery")
async def run_lottery(site_id: int, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    seed = str(form.get("seed") or "")
    dry_run = form.get("dry_run") == "1"
    try:
        waiting = [int(x) for x in str(form.get("waiting") or "").replace(",", ",").replace(" ", ",").split(",")
                   if x.strip()]
    except ValueError:
        return _back(f"/relocation/sites/{site_id}/lottery", error="轮候户编号应为数字,用逗号分隔")
    try:
        with uow_for(db, user) as uow:
            outcome = service.lottery(uow, site_id, seed, waiting=waiting, dry_run=dry_run)
            labels = queries.unit_labels(uow.session, list(outcome.result.allocations.values()))
            households = queries.household_labels(uow.session, [ln.household_id for ln in outcome.result.lines])
    except FupinError as error:
        if request.headers.get("HX-Request"):
            return render(request, "relocation/lottery_result.html", _ctx(request, error_message=error.message))
        return _back(f"/relocation/sites/{site_id}/lottery", error=error.message)
    if not dry_run:
        return _back(f"/relocation/draws/{outcome.draw_id}", ok="摇号完成,结果已公布")
    ctx = _ctx(request, outcome=outcome, labels=labels, households=households, site_id=site_id)
    template = "relocation/lottery_result.html" if request.headers.get("HX-Request") else "relocation/lottery_dry.html"
    return render(request, template, ctx)


@router.get("/relocation/draws/{draw_id}")
def draw_page(draw_id: int, request: Request, session: SessionDep, user: PageUser):
    draw = queries.get_draw(session, draw_id, user.scope)
    site = queries.get_site(session, draw.site_id, user.scope)
    lines = service.draw_lines(draw)
    same, _digest = service.verify_draw(session, draw.id, user.scope)
    return render(request, "relocation/draw.html", _ctx(
        request, draw=draw, site=site, lines=lines[:2000], total=len(lines), verified=same,
        labels=queries.unit_labels(session, [ln.unit_id for ln in lines[:2000] if ln.unit_id]),
        households=queries.household_labels(session, [ln.household_id for ln in lines[:2000]])))


@router.get("/relocation/sites/{site_id}/grids")
def grids_page(site_id: int, request: Request, session: SessionDep, user: PageUser):
    site = queries.get_site(session, site_id, user.scope)
    building = request.query_params.get("building")
    building_id = int(building) if building and building.isdigit() else None
    return render(request, "relocation/grids.html", _ctx(
        request, site=site, grids=queries.grids_of_site(session, site.id),
        buildings=queries.buildings_of_site(session, site.id), building_id=building_id,
        grid_map=queries.grid_map(session, site.id, building_id)))


@router.post("/relocation/sites/{site_id}/grids")
async def propose_grids(site_id: int, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        with uow_for(db, user) as uow:
            grids = service.propose_site_grids(uow, site_id, grid_size=_int(form, "grid_size", 0) or None,
                                               replace=form.get("replace") == "1")
    except FupinError as error:
        return _back(f"/relocation/sites/{site_id}/grids", error=error.message)
    return _back(f"/relocation/sites/{site_id}/grids", ok=f"已生成{len(grids)}个网格,可逐格调整")


@router.get("/relocation/grids/{grid_id}")
def grid_page(grid_id: int, request: Request, session: SessionDep, user: PageUser):
    grid, site = queries.get_grid(session, grid_id, user.scope)
    return render(request, "relocation/grid.html", _ctx(
        request, grid=grid, site=site, households=queries.households_at_site(session, site.id, grid_id=grid.id),
        options=service.grid_leader_options(session, grid.id), grids=queries.grids_of_site(session, site.id)))


@router.post("/relocation/grids/{grid_id}")
async def update_grid(grid_id: int, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        with uow_for(db, user) as uow:
            leader = str(form.get("leader_person_id") or "").strip()
            service.update_grid(uow, grid_id, name=str(form.get("name") or "") or None,
                                leader_person_id=int(leader) if leader.isdigit() else None)
    except FupinError as error:
        return _back(f"/relocation/grids/{grid_id}", error=error.message)
    return _back(f"/relocation/grids/{grid_id}", ok="网格已更新")


@router.post("/relocation/households/{relocated_id}/grid")
async def move_household(relocated_id: int, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    back = str(form.get("back") or "/relocation")
    back = back if back.startswith("/relocation/") else "/relocation"
    try:
        with uow_for(db, user) as uow:
            service.move_to_grid(uow, relocated_id, _int(form, "grid_id"))
    except FupinError as error:
        return _back(back, error=error.message)
    return _back(back, ok="已调整网格")


@router.get("/relocation/households/{relocated_id}")
def household_page(relocated_id: int, request: Request, session: SessionDep, user: PageUser):
    row = queries.get_relocated(session, relocated_id, user.scope)
    site = queries.get_site(session, row.site_id, user.scope)
    label = queries.household_labels(session, [row.household_id]).get(row.household_id, ("", ""))
    unit = queries.unit_labels(session, [row.unit_id]).get(row.unit_id) if row.unit_id else None
    return render(request, "relocation/household.html", _ctx(
        request, row=row, site=site, label=label, unit=unit, checklist=queries.checklist_of(session, row.id),
        today=dt.date.today().isoformat()))


@router.post("/relocation/households/{relocated_id}/checklist")
async def update_checklist(relocated_id: int, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    items = {item: str(form.get(item)) for item in CHECKLIST_ITEMS if form.get(item)}
    try:
        with uow_for(db, user) as uow:
            service.update_checklist(uow, relocated_id, items)
    except FupinError as error:
        return _back(f"/relocation/households/{relocated_id}", error=error.message)
    return _back(f"/relocation/households/{relocated_id}", ok="清单已保存")


@router.post("/relocation/households/{relocated_id}/{action}")
async def household_action(relocated_id: int, action: str, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        on = _date(form, "on", dt.date.today())
        with uow_for(db, user) as uow:
            if action == "move-in":
                service.move_in(uow, relocated_id, on)
            elif action == "demolished":
                service.mark_demolished(uow, relocated_id, on)
            else:
                raise Invalid("未知操作")
    except FupinError as error:
        return _back(f"/relocation/households/{relocated_id}", error=error.message)
    return _back(f"/relocation/households/{relocated_id}", ok="已登记")


