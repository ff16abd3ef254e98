"""易地搬迁 (Relocation) JSON routes: reads on the request's session within the caller's scope, writes through one
use case each."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from fupin.core.sql import MAX_ID
from fupin.relocation import queries, schemas, service
from fupin.relocation.rules import CHECKLIST_ITEMS
from fupin.web.deps import ApiUow, ApiUser, SessionDep, viewer_of

router = APIRouter(prefix="/relocation", tags=["relocation 易地搬迁"])
Id = Annotated[int, Path(ge=1, le=MAX_ID)]

LOTTERY_METHOD = ("每户摇号码 = SHA-256(\"种子:household:户编号\"),每套房摇号码 = SHA-256(\"种子:unit:房屋编号\");"
                  "户按(优先组降序, 摇号码)排序,依次取同一面积档(ceil(面积/25㎡),限2–6档;户按人口数,限2–6)中"
                  "摇号码最小的空房。 / Household and unit draw numbers are SHA-256 of \"seed:household:id\" and "
                  "\"seed:unit:id\"; households in (priority desc, number) order take the first free unit of their size "
                  "class in unit-number order.")


def _summary(summary: queries.SiteSummary) -> schemas.SiteSummaryPublic:
    return schemas.SiteSummaryPublic(site=schemas.SitePublic.model_validate(summary.site), households=summary.households,
                             people=summary.people, by_status=summary.by_status, demolished=summary.demolished,
                             units=summary.units, free_units=summary.free_units, buildings=summary.buildings,
                             grids=summary.grids)


@router.get("/sites", response_model=list[schemas.SiteSummaryPublic])
def list_sites(session: SessionDep, user: ApiUser) -> list[schemas.SiteSummaryPublic]:
    return [_summary(s) for s in queries.list_sites(session, user.scope)]


@router.post("/sites", response_model=schemas.SitePublic, status_code=201)
def create_site(body: schemas.SiteCreate, uow: ApiUow) -> schemas.SitePublic:
    return schemas.SitePublic.model_validate(service.create_site(uow, **body.model_dump()))


@router.get("/sites/{site_id}", response_model=schemas.SiteSummaryPublic)
def get_site(site_id: Id, session: SessionDep, user: ApiUser) -> schemas.SiteSummaryPublic:
    return _summary(queries.site_summary(session, queries.get_site(session, site_id, user.scope)))


@router.get("/sites/{site_id}/buildings", response_model=list[schemas.BuildingPublic])
def list_buildings(site_id: Id, session: SessionDep, user: ApiUser) -> list[schemas.BuildingPublic]:
    queries.get_site(session, site_id, user.scope)
    return [schemas.BuildingPublic.model_validate(b) for b, _n in queries.buildings_of_site(session, site_id)]


@router.post("/sites/{site_id}/buildings", response_model=schemas.BuildingPublic, status_code=201)
def add_building(site_id: Id, body: schemas.BuildingCreate, uow: ApiUow) -> schemas.BuildingPublic:
    return schemas.BuildingPublic.model_validate(service.add_building(uow, site_id, name=body.name, floors=body.floors,
                                                             unit_areas=body.unit_areas))


@router.get("/sites/{site_id}/households", response_model=list[schemas.RelocatedPublic])
def list_households(site_id: Id, session: SessionDep, user: ApiUser,
                    status: Annotated[str | None, Query(max_length=16)] = None
                    ) -> list[schemas.RelocatedPublic]:
    queries.get_site(session, site_id, user.scope)
    return [schemas.RelocatedPublic.model_validate(r.relocated) for r in queries.households_at_site(session, site_id,
                                                                                             status=status)]


@router.post("/sites/{site_id}/households", response_model=schemas.RelocatedPublic, status_code=201)
def add_household(site_id: Id, body: schemas.RelocatedCreate, uow: ApiUow) -> schemas.RelocatedPublic:
    return schemas.RelocatedPublic.model_validate(service.add_relocated_household(
        uow, site_id, body.household_id, priority_group=body.priority_group))


@router.post("/sites/{site_id}/lottery", response_model=schemas.LotteryPublic)
def run_lottery(site_id: Id, body: schemas.LotteryRequest, uow: ApiUow) -> schemas.LotteryPublic:
    """摇号分房;dry_run=true 时只返回结果,不写入。同一安置点同时摇号:一次成功,其余 409
    `relocation.nothing_to_draw`。"""
    outcome = service.lottery(uow, site_id, body.seed, waiting=body.waiting, dry_run=body.dry_run)
    result = outcome.result
    return schemas.LotteryPublic(draw_id=outcome.draw_id, seed=outcome.seed, dry_run=outcome.dry_run,
                         households=len(result.lines), allocated=len(result.allocations), unplaced=result.unplaced,
                         waiting=outcome.waiting, result_digest=result.digest(),
                         lines=[schemas.DrawLinePublic(**line.__dict__) for line in result.lines])


@router.get("/draws/{draw_id}", response_model=schemas.DrawPublic)
def get_draw(draw_id: Id, session: SessionDep, user: ApiUser) -> schemas.DrawPublic:
    """The published draw: seed, rules, method, inputs and every line, so anyone can re-run it."""
    draw = queries.get_draw(session, draw_id, user.scope)
    return schemas.DrawPublic(id=draw.id, site_id=draw.site_id, seed=draw.seed, rules=draw.rules, households=draw.households,
                      allocated=draw.allocated, result_digest=draw.result_digest, drawn_by=draw.drawn_by,
                      drawn_at=draw.drawn_at, method=LOTTERY_METHOD,
                      lines=[schemas.DrawLinePublic(**ln.__dict__) for ln in queries.draw_lines(draw)],
                      applicants=draw.inputs["applicants"], units=draw.inputs["units"],
                      waiting=draw.inputs.get("waiting", []))


@router.get("/draws/{draw_id}/verify")
def verify_draw(draw_id: Id, session: SessionDep, user: ApiUser) -> dict[str, object]:
    same, digest = queries.verify_draw(session, draw_id, user.scope)
    return {"draw_id": draw_id, "same": same, "result_digest": digest}


@router.get("/households/{relocated_id}", response_model=schemas.RelocatedDetail)
def get_relocated(relocated_id: Id, session: SessionDep, user: ApiUser) -> schemas.RelocatedDetail:
    """One relocated household with its contact phone as the caller may see it (masked per role)."""
    return queries.relocated_detail(session, relocated_id, user.scope, viewer_of(user))


@router.post("/households/export", response_model=schemas.JobStarted, status_code=202)
def export_households(body: schemas.ExportRequest, uow: ApiUow) -> schemas.JobStarted:
    """搬迁户台账导出(后台任务,按角色脱敏;下载留审计记录)。"""
    job_id = service.start_household_export(uow, body.area_code, body.site_id)
    return schemas.JobStarted(job_id=job_id, url=f"/api/v1/jobs/{job_id}")


@router.get("/sites/{site_id}/grids", response_model=list[schemas.GridPublic])
def list_grids(site_id: Id, session: SessionDep, user: ApiUser) -> list[schemas.GridPublic]:
    queries.get_site(session, site_id, user.scope)
    return [schemas.GridPublic.model_validate(g).model_copy(update={"households": n})
            for g, n in queries.grids_of_site(session, site_id)]


@router.post("/sites/{site_id}/grids", response_model=list[schemas.GridPublic])
def propose_grids(site_id: Id, body: schemas.GridsRequest, uow: ApiUow, session: SessionDep) -> list[schemas.GridPublic]:
    service.propose_site_grids(uow, site_id, grid_size=body.grid_size, replace=body.replace)
    return [schemas.GridPublic.model_validate(g).model_copy(update={"households": n})
            for g, n in queries.grids_of_site(session, site_id)]


@router.patch("/grids/{grid_id}", response_model=schemas.GridPublic)
def update_grid(grid_id: Id, body: schemas.GridUpdate, uow: ApiUow) -> schemas.GridPublic:
    return schemas.GridPublic.model_validate(service.update_grid(uow, grid_id, name=body.name,
                                                         leader_person_id=body.leader_person_id))


@router.post("/households/{relocated_id}/grid", response_model=schemas.RelocatedPublic)
def move_to_grid(relocated_id: Id, body: schemas.GridMove, uow: ApiUow) -> schemas.RelocatedPublic:
    return schemas.RelocatedPublic.model_validate(service.move_to_grid(uow, relocated_id, body.grid_id))


@router.post("/households/{relocated_id}/unit", response_model=schemas.RelocatedPublic)
def allocate_unit(relocated_id: Id, body: schemas.UnitBody, uow: ApiUow) -> schemas.RelocatedPublic:
    return schemas.RelocatedPublic.model_validate(service.allocate_unit(uow, relocated_id, body.unit_id))


@router.post("/households/{relocated_id}/move-in", response_model=schemas.RelocatedPublic)
def move_in(relocated_id: Id, body: schemas.DateBody, uow: ApiUow) -> schemas.RelocatedPublic:
    """入住:只能登记一次;再次提交(或同时提交)答复 409 `relocation.already_moved_in`。"""
    return schemas.RelocatedPublic.model_validate(service.move_in(uow, relocated_id, body.on))


@router.post("/households/{relocated_id}/demolished", response_model=schemas.RelocatedPublic)
def demolished(relocated_id: Id, body: schemas.DateBody, uow: ApiUow) -> schemas.RelocatedPublic:
    """拆旧:只能登记一次;再次提交(或同时提交)答复 409 `relocation.already_demolished`。"""
    return schemas.RelocatedPublic.model_validate(service.mark_demolished(uow, relocated_id, body.on))


@router.put("/households/{relocated_id}/checklist")
def update_checklist(relocated_id: Id, body: schemas.ChecklistBody, uow: ApiUow) -> dict[str, str]:
    checklist = service.update_checklist(uow, relocated_id, body.items)
    return {item: getattr(checklist, item) for item in CHECKLIST_ITEMS}


@router.get("/sites/{site_id}/checklist-gaps")
def checklist_gaps(site_id: Id, session: SessionDep, user: ApiUser) -> dict[str, int]:
    queries.get_site(session, site_id, user.scope)
    return queries.checklist_gaps(session, site_id)


@router.get("/sites/{site_id}/draws/latest.csv")
def latest_draw_csv(site_id: Id, session: SessionDep, user: ApiUser) -> Response:
    queries.get_site(session, site_id, user.scope)
    draws = queries.draws_of_site(session, site_id)
    lines = ["order,household_id,draw_number,unit_id"]
    if draws:
        lines += [f"{ln.order},{ln.household_id},{ln.draw_number},{ln.unit_id or ''}"
                  for ln in queries.draw_lines(draws[0])]
    return Response("\n".join(lines) + "\n", media_type="text/csv; charset=utf-8")
