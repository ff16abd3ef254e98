"""Read side of relocation. Other capabilities use `sites_select` and `relocated_households_select`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from fupin.core.errors import NotFound
from fupin.core.scoping import Scope
from fupin.registry.queries import households_select
from fupin.relocation.models import (
    HouseholdChecklist,
    HousingUnit,
    LotteryDraw,
    RelocatedHousehold,
    ResettlementSite,
    SiteBuilding,
    SiteGrid,
)
from fupin.relocation.rules import CHECKLIST_ITEMS


def _households():  # type: ignore[no-untyped-def]
    """The registry's households as a subquery (read through the registry's select, never its table)."""
    return households_select(Scope.everything()).subquery("registry_households")


def sites_select(scope: Scope) -> Select:
    """Resettlement sites in the scope (by the site's area): id, name, area_code, planned_households,
    planned_people."""
    return select(ResettlementSite.id, ResettlementSite.name, ResettlementSite.area_code,
                  ResettlementSite.planned_households, ResettlementSite.planned_people
                  ).where(scope.condition(ResettlementSite.area_code))


def grids_select(scope: Scope) -> Select:
    """Grids of the sites in the scope: id, site_id, site_area_code, has_leader (for the indicators)."""
    return (select(SiteGrid.id, SiteGrid.site_id, ResettlementSite.area_code.label("site_area_code"),
                   (SiteGrid.leader_name.is_not(None)).label("has_leader"))
            .join(ResettlementSite, ResettlementSite.id == SiteGrid.site_id)
            .where(scope.condition(ResettlementSite.area_code)))


def relocated_households_select(scope: Scope) -> Select:
    """Relocated households of the sites in the scope: household_id, site_id, status
    ('planned'|'allocated'|'moved_in'), site_area_code."""
    return select(RelocatedHousehold.household_id, RelocatedHousehold.site_id, RelocatedHousehold.status,
                  RelocatedHousehold.site_area_code).where(scope.condition(RelocatedHousehold.site_area_code))


def get_site(session: Session, site_id: int, scope: Scope) -> ResettlementSite:
    site = session.get(ResettlementSite, site_id)
    if site is None or not scope.contains(site.area_code):
        raise NotFound("安置点", site_id)
    return site


def get_relocated(session: Session, relocated_id: int, scope: Scope) -> RelocatedHousehold:
    row = session.get(RelocatedHousehold, relocated_id)
    if row is None or not scope.contains(row.site_area_code):
        raise NotFound("搬迁户", relocated_id)
    return row


def get_grid(session: Session, grid_id: int, scope: Scope) -> tuple[SiteGrid, ResettlementSite]:
    grid = session.get(SiteGrid, grid_id)
    if grid is None:
        raise NotFound("网格", grid_id)
    return grid, get_site(session, grid.site_id, scope)


def get_building(session: Session, building_id: int, scope: Scope) -> tuple[SiteBuilding, ResettlementSite]:
    building = session.get(SiteBuilding, building_id)
    if building is None:
        raise NotFound("楼栋", building_id)
    return building, get_site(session, building.site_id, scope)


def get_draw(session: Session, draw_id: int, scope: Scope) -> LotteryDraw:
    draw = session.get(LotteryDraw, draw_id)
    if draw is None or not scope.contains(draw.area_code):
        raise NotFound("摇号记录", draw_id)
    return draw


@dataclass
class SiteSummary:
    site: ResettlementSite
    households: int = 0
    people: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    demolished: int = 0
    units: int = 0
    free_units: int = 0
    buildings: int = 0
    grids: int = 0


def list_sites(session: Session, scope: Scope) -> list[SiteSummary]:
    sites = list(session.scalars(select(ResettlementSite).where(scope.condition(ResettlementSite.area_code))
                                 .order_by(ResettlementSite.id)))
    return [site_summary(session, s) for s in sites]


def site_summary(session: Session, site: ResettlementSite) -> SiteSummary:
    summary = SiteSummary(site)
    stmt = (select(RelocatedHousehold.status, func.count(), func.sum(RelocatedHousehold.members),
                   func.sum(case((RelocatedHousehold.old_house_demolished.is_(True), 1), else_=0)))
            .where(RelocatedHousehold.site_id == site.id).group_by(RelocatedHousehold.status))
    for status, count, people, demolished in session.execute(stmt):
        summary.by_status[status] = int(count)
        summary.households += int(count)
        summary.people += int(people or 0)
        summary.demolished += int(demolished or 0)
    summary.units = int(session.scalar(select(func.count()).where(HousingUnit.site_id == site.id)) or 0)
    taken = int(session.scalar(select(func.count()).where(RelocatedHousehold.site_id == site.id,
                                                          RelocatedHousehold.unit_id.is_not(None))) or 0)
    summary.free_units = summary.units - taken
    summary.buildings = int(session.scalar(select(func.count()).where(SiteBuilding.site_id == site.id)) or 0)
    summary.grids = int(session.scalar(select(func.count()).where(SiteGrid.site_id == site.id)) or 0)
    return summary


@dataclass
class HouseholdRow:
    relocated: RelocatedHousehold
    household_no: str
    head_name: str
    unit_number: str | None
    building: str | None
    grid_number: int | None


def households_at_site(session: Session, site_id: int, *, status: str | None = None, grid_id: int | None = None,
                       limit: int = 2000) -> list[HouseholdRow]:
    hh = _households()
    stmt = (select(RelocatedHousehold, hh.c.household_no, hh.c.head_name, HousingUnit.number,
                   SiteBuilding.name, SiteGrid.number)
            .join(hh, hh.c.id == RelocatedHousehold.household_id)
            .outerjoin(HousingUnit, HousingUnit.id == RelocatedHousehold.unit_id)
            .outerjoin(SiteBuilding, SiteBuilding.id == HousingUnit.building_id)
            .outerjoin(SiteGrid, SiteGrid.id == RelocatedHousehold.grid_id)
            .where(RelocatedHousehold.site_id == site_id))
    if status:
        stmt = stmt.where(RelocatedHousehold.status == status)
    if grid_id is not None:
        stmt = stmt.where(RelocatedHousehold.grid_id == grid_id)
    stmt = stmt.order_by(SiteBuilding.name, HousingUnit.floor, HousingUnit.number, RelocatedHousehold.id)
    return [HouseholdRow(r, no, head, unit, building, grid) for r, no, head, unit, building, grid
            in session.execute(stmt.limit(limit))]


def buildings_of_site(session: Session, site_id: int) -> list[tuple[SiteBuilding, int]]:
    stmt = (select(SiteBuilding, func.count(HousingUnit.id)).outerjoin(HousingUnit)
            .where(SiteBuilding.site_id == site_id).group_by(SiteBuilding.id).order_by(SiteBuilding.id))
    return [(b, int(n)) for b, n in session.execute(stmt)]


def grids_of_site(session: Session, site_id: int) -> list[tuple[SiteGrid, int]]:
    stmt = (select(SiteGrid, func.count(RelocatedHousehold.id))
            .outerjoin(RelocatedHousehold, RelocatedHousehold.grid_id == SiteGrid.id)
            .where(SiteGrid.site_id == site_id).group_by(SiteGrid.id).order_by(SiteGrid.number))
    return [(g, int(n)) for g, n in session.execute(stmt)]


@dataclass
class MapCell:
    unit_number: str
    household_no: str | None
    grid_number: int | None
    status: str | None


def grid_map(session: Session, site_id: int, building_id: int | None = None
             ) -> list[tuple[SiteBuilding, list[tuple[int, list[MapCell]]]]]:
    """Buildings → floors (top first) → units with their household and grid: the diagram of the grid page."""
    hh = _households()
    stmt = (select(HousingUnit, hh.c.household_no, SiteGrid.number, RelocatedHousehold.status)
            .outerjoin(RelocatedHousehold, RelocatedHousehold.unit_id == HousingUnit.id)
            .outerjoin(hh, hh.c.id == RelocatedHousehold.household_id)
            .outerjoin(SiteGrid, SiteGrid.id == RelocatedHousehold.grid_id)
            .where(HousingUnit.site_id == site_id))
    if building_id is not None:
        stmt = stmt.where(HousingUnit.building_id == building_id)
    floors: dict[int, dict[int, list[MapCell]]] = defaultdict(lambda: defaultdict(list))
    for unit, household_no, grid_number, status in session.execute(stmt.order_by(HousingUnit.number)):
        floors[unit.building_id][unit.floor].append(MapCell(unit.number, household_no, grid_number, status))
    buildings = {b.id: b for b in session.scalars(select(SiteBuilding).where(SiteBuilding.site_id == site_id))}
    result = []
    for bid in sorted(floors, key=lambda i: buildings[i].name):
        result.append((buildings[bid], [(f, floors[bid][f]) for f in sorted(floors[bid], reverse=True)]))
    return result


def checklist_gaps(session: Session, site_id: int) -> dict[str, int]:
    """Per item of 三地/三保/三就: how many households of the site still have it open."""
    columns = [func.sum(case((getattr(HouseholdChecklist, item) == "open", 1), else_=0)) for item in CHECKLIST_ITEMS]
    row = session.execute(select(*columns).where(HouseholdChecklist.site_id == site_id)).one()
    return {item: int(value or 0) for item, value in zip(CHECKLIST_ITEMS, row, strict=True)}


def open_checklist_households(session: Session, site_id: int, item: str, limit: int = 500) -> list[HouseholdRow]:
    if item not in CHECKLIST_ITEMS:
        raise NotFound("清单项目", item)
    ids = select(HouseholdChecklist.relocated_id).where(HouseholdChecklist.site_id == site_id,
                                                          getattr(HouseholdChecklist, item) == "open")
    rows = households_at_site(session, site_id, limit=100_000)
    wanted = set(session.scalars(ids))
    return [r for r in rows if r.relocated.id in wanted][:limit]


def checklist_of(session: Session, relocated_id: int) -> HouseholdChecklist | None:
    return session.get(HouseholdChecklist, relocated_id)


def draws_of_site(session: Session, site_id: int) -> list[LotteryDraw]:
    return list(session.scalars(select(LotteryDraw).where(LotteryDraw.site_id == site_id)
                                .order_by(LotteryDraw.id.desc())))


def unit_labels(session: Session, unit_ids: list[int]) -> dict[int, str]:
    """unit id → "building-number (area m²)" for publishing a draw."""
    labels: dict[int, str] = {}
    for start in range(0, len(unit_ids), 900):
        chunk = unit_ids[start:start + 900]
        stmt = (select(HousingUnit.id, SiteBuilding.name, HousingUnit.number, HousingUnit.area_m2)
                .join(SiteBuilding).where(HousingUnit.id.in_(chunk)))
        for uid, building, number, area in session.execute(stmt):
            labels[uid] = f"{building}-{number}({area}㎡)"
    return labels


def household_labels(session: Session, household_ids: list[int]) -> dict[int, tuple[str, str]]:
    labels: dict[int, tuple[str, str]] = {}
    for start in range(0, len(household_ids), 900):
        chunk = household_ids[start:start + 900]
        hh = _households()
        stmt = select(hh.c.id, hh.c.household_no, hh.c.head_name).where(hh.c.id.in_(chunk))
        labels.update({hid: (no, head) for hid, no, head in session.execute(stmt)})
    return labels
