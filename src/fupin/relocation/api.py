from __future__ import annotations

from fastapi import APIRouter, Response

from fupin.relocation import queries, service
from fupin.relocation.rules import CHECKLIST_ITEMS
from fupin.relocation.schemas import (
    BuildingCreate,
    BuildingPublic,
    ChecklistBody,
    DateBody,
    DrawLinePublic,
    DrawPublic,
    GridMove,
    GridPublic,
    GridsRequest,
    GridUpdate,
    LotteryPublic,
    LotteryRequest,
    RelocatedCreate,
    RelocatedPublic,
    SiteCreate,
    SitePublic,
    SiteSummaryPublic,
    UnitBody,
)
from fupin.web.deps import ApiUser, DbDep, SessionDep, uow_for

router = APIRouter(prefix="/relocation", tags=["relocation 易地搬迁"])

LOTTERY_METHOD = ("每户摇号码 = SHA-256(\"种子:household:户编号\"),每套房摇号码 = SHA-256(\"种子:unit:房屋编号\");"
                  "户按(优先组降序, 摇号码)排序,依次取同一面积档(ceil(面积/25㎡),限2–6档;户按人口数,限2–6)中"
                  "摇号码最小的空房。 / Household and unit draw numbers are SHA-256 of \"seed:household:id\" and "
                  "\"seed:unit:id\"; households in (priority desc, number) order take the first free unit of their size "
                  "class in unit-number order.")


def _summary(summary: queries.SiteSummary) -> SiteSummaryPublic:
    return SiteSummaryPublic(site=SitePublic.model_validate(summary.site), households=summary.households,
                             people=summary.people, by_status=summary.by_status, demolished=summary.demolished,
                             units=summary.units, free_units=summary.free_units, buildings=summary.buildings,
                             grids=summary.grids)


@router.get("/sites", response_model=list[SiteSummaryPublic])
def list_sites(session: SessionDep, user: ApiUser) -> list[SiteSummaryPublic]:
    return [_summary(s) for s in queries.list_sites(session, user.scope)]


@router.post("/sites", response_model=SitePublic, status_code=201)
def create_site(body: SiteCreate, db: DbDep, user: ApiUser) -> SitePublic:
    with uow_for(db, user) as uow:
        return SitePublic.model_validate(service.create_site(uow, **body.model_dump()))


@router.get("/sites/{site_id}", response_model=SiteSummaryPublic)
def get_site(site_id: int, session: SessionDep, user: ApiUser) -> SiteSummaryPublic:
    return _summary(queries.site_summary(session, queries.get_site(session, site_id, user.scope)))


@router.get("/sites/{site_id}/buildings", response_model=list[BuildingPublic])
def list_buildings(site_id: int, session: SessionDep, user: ApiUser) -> list[BuildingPublic]:
    queries.get_site(session, site_id, user.scope)
    return [BuildingPublic.model_validate(b) for b, _n in queries.buildings_of_site(session, site_id)]


@router.post("/sites/{site_id}/buildings", response_model=BuildingPublic, status_code=201)
def add_building(site_id: int, body: BuildingCreate, db: DbDep, user: ApiUser) -> BuildingPublic:
    with uow_for(db, user) as uow:
        return BuildingPublic.model_validate(service.add_building(uow, site_id, name=body.name, floors=body.floors,
                                                                 unit_areas=body.unit_areas))


@router.get("/sites/{site_id}/households", response_model=list[RelocatedPublic])
def list_households(site_id: int, session: SessionDep, user: ApiUser, status: str | None = None
                    ) -> list[RelocatedPublic]:
    queries.get_site(session, site_id, user.scope)
    return [RelocatedPublic.model_validate(r.relocated) for r in queries.households_at_site(session, site_id,
                                                                                             status=status)]


@router.post("/sites/{site_id}/households", response_model=RelocatedPublic, status_code=201)
def add_household(site_id: int, body: RelocatedCreate, db: DbDep, user: ApiUser) -> RelocatedPublic:
    with uow_for(db, user) as uow:
        return RelocatedPublic.model_validate(service.add_relocated_household(
            uow, site_id, body.household_id, priority_group=body.priority_group))


@router.post("/sites/{site_id}/lottery", response_model=LotteryPublic)
def run_lottery(site_id: int, body: LotteryRequest, db: DbDep, user: ApiUser) -> LotteryPublic:
    """摇号分房;dry_run=true 时只返回结果,不写入。"""
    with uow_for(db, user) as uow:
        outcome = service.lottery(uow, site_id, body.seed, waiting=body.waiting, dry_run=body.dry_run)
    result = outcome.result
    return LotteryPublic(draw_id=outcome.draw_id, seed=outcome.seed, dry_run=outcome.dry_run,
                         households=len(result.lines), allocated=len(result.allocations), unplaced=result.unplaced,
                         waiting=outcome.waiting, result_digest=result.digest(),
                         lines=[DrawLinePublic(**line.__dict__) for line in result.lines])


@router.get("/draws/{draw_id}", response_model=DrawPublic)
def get_draw(draw_id: int, session: SessionDep, user: ApiUser) -> DrawPublic:
    """The published draw: seed, rules, method, inputs and every line, so anyone can re-run it."""
    draw = queries.get_draw(session, draw_id, user.scope)
    return DrawPublic(id=draw.id, site_id=draw.site_id, seed=draw.seed, rules=draw.rules, households=draw.households,
                      allocated=draw.allocated, result_digest=draw.result_digest, drawn_by=draw.drawn_by,
                      drawn_at=draw.drawn_at, method=LOTTERY_METHOD,
                      lines=[DrawLinePublic(**ln.__dict__) for ln in service.draw_lines(draw)],
                      applicants=draw.inputs["applicants"], units=draw.inputs["units"],
                      waiting=draw.inputs.get("waiting", []))


@router.get("/draws/{draw_id}/verify")
def verify_draw(draw_id: int, session: SessionDep, user: ApiUser) -> dict[str, object]:
    same, digest = service.verify_draw(session, draw_id, user.scope)
    return {"draw_id": draw_id, "same": same, "result_digest": digest}


@router.get("/sites/{site_id}/grids", response_model=list[GridPublic])
def list_grids(site_id: int, session: SessionDep, user: ApiUser) -> list[GridPublic]:
    queries.get_site(session, site_id, user.scope)
    return [GridPublic.model_validate(g).model_copy(update={"households": n})
            for g, n in queries.grids_of_site(session, site_id)]


@router.post("/sites/{site_id}/grids", response_model=list[GridPublic])
def propose_grids(site_id: int, body: GridsRequest, db: DbDep, user: ApiUser) -> list[GridPublic]:
    with uow_for(db, user) as uow:
        service.propose_site_grids(uow, site_id, grid_size=body.grid_size, replace=body.replace)
    with db.session_factory() as session:
        return [GridPublic.model_validate(g).model_copy(update={"households": n})
                for g, n in queries.grids_of_site(session, site_id)]


@router.patch("/grids/{grid_id}", response_model=GridPublic)
def update_grid(grid_id: int, body: GridUpdate, db: DbDep, user: ApiUser) -> GridPublic:
    with uow_for(db, user) as uow:
        return GridPublic.model_validate(service.update_grid(uow, grid_id, name=body.name,
                                                             leader_person_id=body.leader_person_id))


@router.post("/households/{relocated_id}/grid", response_model=RelocatedPublic)
def move_to_grid(relocated_id: int, body: GridMove, db: DbDep, user: ApiUser) -> RelocatedPublic:
    with uow_for(db, user) as uow:
        return RelocatedPublic.model_validate(service.move_to_grid(uow, relocated_id, body.grid_id))


@router.post("/households/{relocated_id}/unit", response_model=RelocatedPublic)
def allocate_unit(relocated_id: int, body: UnitBody, db: DbDep, user: ApiUser) -> RelocatedPublic:
    with uow_for(db, user) as uow:
        return RelocatedPublic.model_validate(service.allocate_unit(uow, relocated_id, body.unit_id))


@router.post("/households/{relocated_id}/move-in", response_model=RelocatedPublic)
def move_in(relocated_id: int, body: DateBody, db: DbDep, user: ApiUser) -> RelocatedPublic:
    with uow_for(db, user) as uow:
        return RelocatedPublic.model_validate(service.move_in(uow, relocated_id, body.on))


@router.post("/households/{relocated_id}/demolished", response_model=RelocatedPublic)
def demolished(relocated_id: int, body: DateBody, db: DbDep, user: ApiUser) -> RelocatedPublic:
    with uow_for(db, user) as uow:
        return RelocatedPublic.model_validate(service.mark_demolished(uow, relocated_id, body.on))


@router.put("/households/{relocated_id}/checklist")
def update_checklist(relocated_id: int, body: ChecklistBody, db: DbDep, user: ApiUser) -> dict[str, str]:
    with uow_for(db, user) as uow:
        checklist = service.update_checklist(uow, relocated_id, body.items)
        return {item: getattr(checklist, item) for item in CHECKLIST_ITEMS}


@router.get("/sites/{site_id}/checklist-gaps")
def checklist_gaps(site_id: int, session: SessionDep, user: ApiUser) -> dict[str, int]:
    queries.get_site(session, site_id, user.scope)
    return queries.checklist_gaps(session, site_id)


@router.get("/sites/{site_id}/draws/latest.csv")
def latest_draw_csv(site_id: int, session: SessionDep, user: ApiUser) -> Response:
    queries.get_site(session, site_id, user.scope)
    draws = queries.draws_of_site(session, site_id)
    lines = ["order,household_id,draw_number,unit_id"]
    if draws:
        lines += [f"{ln.order},{ln.household_id},{ln.draw_number},{ln.unit_id or ''}"
                  for ln in service.draw_lines(draws[0])]
    return Response("\n".join(lines) + "\n", media_type="text/csv; charset=utf-8")
