"""Read side of relocation. Other capabilities use `sites_select`, `relocated_households_select` and
`grids_select` (declared in the plugin's `provides`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Select, case, exists, false, func, select
from sqlalchemy.orm import Session

from fupin.core.personal_data import Viewer
from fupin.core.scoping import Scope
from fupin.employment.shared import chunks, in_scope
from fupin.registry.queries import get_household, households_select, persons_select
from fupin.relocation import errors
from fupin.relocation.models import (
    HouseholdChecklist,
    HousingUnit,
    LotteryDraw,
    RelocatedHousehold,
    ResettlementSite,
    SiteBuilding,
    SiteGrid,
)
from fupin.relocation.rules import (
    CHECKLIST_ITEMS,
    Applicant,
    DrawLine,
    FreeUnit,
    SizeRule,
    draw_number,
    run_lottery,
)
from fupin.relocation.schemas import RelocatedDetail


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


def grid_households_select(scope: Scope) -> Select:
    """Relocated households placed in a grid, by the site's area in the scope: household_id, grid_id, site_id,
    site_area_code (services: the grid leader's households)."""
    return (select(RelocatedHousehold.household_id, RelocatedHousehold.grid_id, RelocatedHousehold.site_id,
                   RelocatedHousehold.site_area_code)
            .where(RelocatedHousehold.grid_id.is_not(None), scope.condition(RelocatedHousehold.site_area_code)))


def relocated_households_select(scope: Scope) -> Select:
    """Relocated households of the sites in the scope: household_id, site_id, status
    ('planned'|'allocated'|'moved_in'), site_area_code."""
    return select(RelocatedHousehold.household_id, RelocatedHousehold.site_id, RelocatedHousehold.status,
                  RelocatedHousehold.site_area_code).where(scope.condition(RelocatedHousehold.site_area_code))


def get_site(session: Session, site_id: int, scope: Scope) -> ResettlementSite:
    return in_scope(session, ResettlementSite, site_id, scope, errors.SITE_NOT_FOUND)


def get_relocated(session: Session, relocated_id: int, scope: Scope) -> RelocatedHousehold:
    return in_scope(session, RelocatedHousehold, relocated_id, scope, errors.RELOCATED_NOT_FOUND,
                    area=lambda row: row.site_area_code)


def _site_area(session: Session, row: SiteGrid | SiteBuilding) -> str | None:
    site = session.get(ResettlementSite, row.site_id)
    return site.area_code if site is not None else None


def get_grid(session: Session, grid_id: int, scope: Scope) -> tuple[SiteGrid, ResettlementSite]:
    grid = in_scope(session, SiteGrid, grid_id, scope, errors.GRID_NOT_FOUND, area=lambda g: _site_area(session, g))
    return grid, session.get(ResettlementSite, grid.site_id)


def get_building(session: Session, building_id: int, scope: Scope) -> tuple[SiteBuilding, ResettlementSite]:
    building = in_scope(session, SiteBuilding, building_id, scope, errors.BUILDING_NOT_FOUND,
                        area=lambda b: _site_area(session, b))
    return building, session.get(ResettlementSite, building.site_id)


def get_draw(session: Session, draw_id: int, scope: Scope) -> LotteryDraw:
    return in_scope(session, LotteryDraw, draw_id, scope, errors.DRAW_NOT_FOUND)


def relocated_detail(session: Session, relocated_id: int, scope: Scope, viewer: Viewer) -> RelocatedDetail:
    """One relocated household with its number, head, unit and contact phone as `viewer` may see it."""
    row = get_relocated(session, relocated_id, scope)
    detail = RelocatedDetail.model_validate(row)
    household = get_household(session, row.household_id, Scope.everything())
    detail.household_no, detail.head_name = household.household_no, household.head_name
    detail.phone = viewer.phone(household.phone)
    if row.unit_id is not None:
        detail.unit = unit_labels(session, [row.unit_id]).get(row.unit_id)
    return detail


def phones_of(session: Session, household_ids: Sequence[int], viewer: Viewer) -> dict[int, str | None]:
    """The contact phone of a few households (a grid's), as `viewer` may see it."""
    return {hid: viewer.phone(get_household(session, hid, Scope.everything()).phone) for hid in household_ids}


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
        raise errors.CHECKLIST_ITEM_NOT_FOUND(key=item)
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


def unit_labels(session: Session, unit_ids: Sequence[int]) -> dict[int, str]:
    """unit id → "building-number (area m²)" for publishing a draw."""
    labels: dict[int, str] = {}
    for chunk in chunks(unit_ids):
        stmt = (select(HousingUnit.id, SiteBuilding.name, HousingUnit.number, HousingUnit.area_m2)
                .join(SiteBuilding).where(HousingUnit.id.in_(chunk)))
        for uid, building, number, area in session.execute(stmt):
            labels[uid] = f"{building}-{number}({area}㎡)"
    return labels


def household_labels(session: Session, household_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    labels: dict[int, tuple[str, str]] = {}
    hh = _households()
    for chunk in chunks(household_ids):
        stmt = select(hh.c.id, hh.c.household_no, hh.c.head_name).where(hh.c.id.in_(chunk))
        labels.update({hid: (no, head) for hid, no, head in session.execute(stmt)})
    return labels


# ---------------------------------------------------------------- draws: publish and re-run


def verify_draw(session: Session, draw_id: int, scope: Scope) -> tuple[bool, str]:
    """Re-run a recorded draw from its published inputs and seed; True when the result is the same."""
    draw = get_draw(session, draw_id, scope)
    inputs = draw.inputs
    applicants = [Applicant(int(h), int(m), int(p)) for h, m, p in inputs["applicants"]]
    units = [FreeUnit(int(u), Decimal(a)) for u, a in inputs["units"]]
    result = run_lottery(draw.seed, applicants, units, SizeRule.from_dict(draw.rules), inputs.get("waiting", []))
    digest = result.digest()
    return digest == draw.result_digest, digest


def draw_lines(draw: LotteryDraw) -> list[DrawLine]:
    return [DrawLine(int(o), int(h), draw_number(draw.seed, "household", int(h)), None if u is None else int(u))
            for o, h, u in draw.inputs["lines"]]


# ---------------------------------------------------------------- grid leaders


def leader_candidates(session: Session, household_ids: Sequence[int], *, with_members: bool = True
                      ) -> dict[int, list[tuple[int, str, bool, bool]]]:
    """household id → its members as (person id, name, is a Party member, is the head), in id order. Party
    membership is read through the orgs capability's `members_select`, in the same statement."""
    from fupin.orgs.queries import members_select

    persons = persons_select(Scope.everything()).subquery()
    if with_members:
        members = members_select(Scope.everything()).subquery()
        is_member = exists(select(members.c.id).where(members.c.person_id == persons.c.id))
    else:
        is_member = false()
    found: dict[int, list[tuple[int, str, bool, bool]]] = {}
    for chunk in chunks(household_ids):
        stmt = (select(persons.c.id, persons.c.household_id, persons.c.name, persons.c.relation,
                       is_member.label("member"))
                .where(persons.c.household_id.in_(chunk)).order_by(persons.c.household_id, persons.c.id))
        for pid, hid, name, relation, member in session.execute(stmt):
            found.setdefault(int(hid), []).append((int(pid), name, bool(member), relation == "head"))
    return found


def grid_leader_options(session: Session, grid_id: int) -> list[tuple[int, str, bool]]:
    household_ids = sorted(set(session.scalars(select(RelocatedHousehold.household_id)
                                               .where(RelocatedHousehold.grid_id == grid_id))))
    candidates = leader_candidates(session, household_ids, with_members=False)
    return [(pid, name, head) for hid in household_ids for pid, name, _m, head in candidates.get(hid, [])]
