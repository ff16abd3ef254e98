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
from fupin.core.scoping import get_in_scope as in_scope
from fupin.core.sql import chunks
from fupin.registry.queries import get_household, households_select, persons_select
from fupin.relocation import errors, models, rules
from fupin.relocation.schemas import RelocatedDetail


def _households():  # type: ignore[no-untyped-def]
    """The registry's households as a subquery (read through the registry's select, never its table)."""
    return households_select(Scope.everything()).subquery("registry_households")


def sites_select(scope: Scope) -> Select:
    """Resettlement sites in the scope (by the site's area): id, name, area_code, planned_households,
    planned_people."""
    return select(models.ResettlementSite.id, models.ResettlementSite.name, models.ResettlementSite.area_code,
                  models.ResettlementSite.planned_households, models.ResettlementSite.planned_people
                  ).where(scope.condition(models.ResettlementSite.area_code))


def grids_select(scope: Scope) -> Select:
    """Grids of the sites in the scope: id, site_id, site_area_code, has_leader (for the indicators)."""
    return (select(models.SiteGrid.id, models.SiteGrid.site_id, models.ResettlementSite.area_code.label("site_area_code"),
                   (models.SiteGrid.leader_name.is_not(None)).label("has_leader"))
            .join(models.ResettlementSite, models.ResettlementSite.id == models.SiteGrid.site_id)
            .where(scope.condition(models.ResettlementSite.area_code)))


def grid_households_select(scope: Scope) -> Select:
    """Relocated households placed in a grid, by the site's area in the scope: household_id, grid_id, site_id,
    site_area_code (services: the grid leader's households)."""
    return (select(models.RelocatedHousehold.household_id, models.RelocatedHousehold.grid_id, models.RelocatedHousehold.site_id,
                   models.RelocatedHousehold.site_area_code)
            .where(models.RelocatedHousehold.grid_id.is_not(None), scope.condition(models.RelocatedHousehold.site_area_code)))


def relocated_households_select(scope: Scope) -> Select:
    """Relocated households of the sites in the scope: household_id, site_id, status
    ('planned'|'allocated'|'moved_in'), site_area_code, allocated_on, moved_in_on (figures of a year count what
    had happened by its end)."""
    return select(models.RelocatedHousehold.household_id, models.RelocatedHousehold.site_id, models.RelocatedHousehold.status,
                  models.RelocatedHousehold.site_area_code, models.RelocatedHousehold.allocated_on,
                  models.RelocatedHousehold.moved_in_on).where(scope.condition(models.RelocatedHousehold.site_area_code))


def get_site(session: Session, site_id: int, scope: Scope) -> models.ResettlementSite:
    return in_scope(session, models.ResettlementSite, site_id, scope, errors.SITE_NOT_FOUND)


def get_relocated(session: Session, relocated_id: int, scope: Scope) -> models.RelocatedHousehold:
    return in_scope(session, models.RelocatedHousehold, relocated_id, scope, errors.RELOCATED_NOT_FOUND,
                    area=lambda row: row.site_area_code)


def _site_area(session: Session, row: models.SiteGrid | models.SiteBuilding) -> str | None:
    site = session.get(models.ResettlementSite, row.site_id)
    return site.area_code if site is not None else None


def get_grid(session: Session, grid_id: int, scope: Scope) -> tuple[models.SiteGrid, models.ResettlementSite]:
    grid = in_scope(session, models.SiteGrid, grid_id, scope, errors.GRID_NOT_FOUND, area=lambda g: _site_area(session, g))
    return grid, session.get(models.ResettlementSite, grid.site_id)


def get_building(session: Session, building_id: int, scope: Scope) -> tuple[models.SiteBuilding, models.ResettlementSite]:
    building = in_scope(session, models.SiteBuilding, building_id, scope, errors.BUILDING_NOT_FOUND,
                        area=lambda b: _site_area(session, b))
    return building, session.get(models.ResettlementSite, building.site_id)


def get_draw(session: Session, draw_id: int, scope: Scope) -> models.LotteryDraw:
    return in_scope(session, models.LotteryDraw, draw_id, scope, errors.DRAW_NOT_FOUND)


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
    site: models.ResettlementSite
    households: int = 0
    people: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    demolished: int = 0
    units: int = 0
    free_units: int = 0
    buildings: int = 0
    grids: int = 0


def list_sites(session: Session, scope: Scope) -> list[SiteSummary]:
    sites = list(session.scalars(select(models.ResettlementSite).where(scope.condition(models.ResettlementSite.area_code))
                                 .order_by(models.ResettlementSite.id)))
    return [site_summary(session, s) for s in sites]


def site_summary(session: Session, site: models.ResettlementSite) -> SiteSummary:
    summary = SiteSummary(site)
    stmt = (select(models.RelocatedHousehold.status, func.count(), func.sum(models.RelocatedHousehold.members),
                   func.sum(case((models.RelocatedHousehold.old_house_demolished.is_(True), 1), else_=0)))
            .where(models.RelocatedHousehold.site_id == site.id).group_by(models.RelocatedHousehold.status))
    for status, count, people, demolished in session.execute(stmt):
        summary.by_status[status] = int(count)
        summary.households += int(count)
        summary.people += int(people or 0)
        summary.demolished += int(demolished or 0)
    summary.units = int(session.scalar(select(func.count()).where(models.HousingUnit.site_id == site.id)) or 0)
    taken = int(session.scalar(select(func.count()).where(models.RelocatedHousehold.site_id == site.id,
                                                          models.RelocatedHousehold.unit_id.is_not(None))) or 0)
    summary.free_units = summary.units - taken
    summary.buildings = int(session.scalar(select(func.count()).where(models.SiteBuilding.site_id == site.id)) or 0)
    summary.grids = int(session.scalar(select(func.count()).where(models.SiteGrid.site_id == site.id)) or 0)
    return summary


@dataclass
class HouseholdRow:
    relocated: models.RelocatedHousehold
    household_no: str
    head_name: str
    unit_number: str | None
    building: str | None
    grid_number: int | None


def households_at_site(session: Session, site_id: int, *, status: str | None = None, grid_id: int | None = None,
                       limit: int = 2000) -> list[HouseholdRow]:
    hh = _households()
    stmt = (select(models.RelocatedHousehold, hh.c.household_no, hh.c.head_name, models.HousingUnit.number,
                   models.SiteBuilding.name, models.SiteGrid.number)
            .join(hh, hh.c.id == models.RelocatedHousehold.household_id)
            .outerjoin(models.HousingUnit, models.HousingUnit.id == models.RelocatedHousehold.unit_id)
            .outerjoin(models.SiteBuilding, models.SiteBuilding.id == models.HousingUnit.building_id)
            .outerjoin(models.SiteGrid, models.SiteGrid.id == models.RelocatedHousehold.grid_id)
            .where(models.RelocatedHousehold.site_id == site_id))
    if status:
        stmt = stmt.where(models.RelocatedHousehold.status == status)
    if grid_id is not None:
        stmt = stmt.where(models.RelocatedHousehold.grid_id == grid_id)
    stmt = stmt.order_by(models.SiteBuilding.name, models.HousingUnit.floor, models.HousingUnit.number, models.RelocatedHousehold.id)
    return [HouseholdRow(r, no, head, unit, building, grid) for r, no, head, unit, building, grid
            in session.execute(stmt.limit(limit))]


def buildings_of_site(session: Session, site_id: int) -> list[tuple[models.SiteBuilding, int]]:
    stmt = (select(models.SiteBuilding, func.count(models.HousingUnit.id)).outerjoin(models.HousingUnit)
            .where(models.SiteBuilding.site_id == site_id).group_by(models.SiteBuilding.id).order_by(models.SiteBuilding.id))
    return [(b, int(n)) for b, n in session.execute(stmt)]


def grids_of_site(session: Session, site_id: int) -> list[tuple[models.SiteGrid, int]]:
    stmt = (select(models.SiteGrid, func.count(models.RelocatedHousehold.id))
            .outerjoin(models.RelocatedHousehold, models.RelocatedHousehold.grid_id == models.SiteGrid.id)
            .where(models.SiteGrid.site_id == site_id).group_by(models.SiteGrid.id).order_by(models.SiteGrid.number))
    return [(g, int(n)) for g, n in session.execute(stmt)]


@dataclass
class MapCell:
    unit_number: str
    household_no: str | None
    grid_number: int | None
    status: str | None


def grid_map(session: Session, site_id: int, building_id: int | None = None
             ) -> list[tuple[models.SiteBuilding, list[tuple[int, list[MapCell]]]]]:
    """Buildings → floors (top first) → units with their household and grid: the diagram of the grid page."""
    hh = _households()
    stmt = (select(models.HousingUnit, hh.c.household_no, models.SiteGrid.number, models.RelocatedHousehold.status)
            .outerjoin(models.RelocatedHousehold, models.RelocatedHousehold.unit_id == models.HousingUnit.id)
            .outerjoin(hh, hh.c.id == models.RelocatedHousehold.household_id)
            .outerjoin(models.SiteGrid, models.SiteGrid.id == models.RelocatedHousehold.grid_id)
            .where(models.HousingUnit.site_id == site_id))
    if building_id is not None:
        stmt = stmt.where(models.HousingUnit.building_id == building_id)
    floors: dict[int, dict[int, list[MapCell]]] = defaultdict(lambda: defaultdict(list))
    for unit, household_no, grid_number, status in session.execute(stmt.order_by(models.HousingUnit.number)):
        floors[unit.building_id][unit.floor].append(MapCell(unit.number, household_no, grid_number, status))
    buildings = {b.id: b for b in session.scalars(select(models.SiteBuilding).where(models.SiteBuilding.site_id == site_id))}
    result = []
    for bid in sorted(floors, key=lambda i: buildings[i].name):
        result.append((buildings[bid], [(f, floors[bid][f]) for f in sorted(floors[bid], reverse=True)]))
    return result


def checklist_gaps(session: Session, site_id: int) -> dict[str, int]:
    """Per item of 三地/三保/三就: how many households of the site still have it open."""
    columns = [func.sum(case((getattr(models.HouseholdChecklist, item) == "open", 1), else_=0)) for item in rules.CHECKLIST_ITEMS]
    row = session.execute(select(*columns).where(models.HouseholdChecklist.site_id == site_id)).one()
    return {item: int(value or 0) for item, value in zip(rules.CHECKLIST_ITEMS, row, strict=True)}


def open_checklist_households(session: Session, site_id: int, item: str, limit: int = 500) -> list[HouseholdRow]:
    if item not in rules.CHECKLIST_ITEMS:
        raise errors.CHECKLIST_ITEM_NOT_FOUND(key=item)
    ids = select(models.HouseholdChecklist.relocated_id).where(models.HouseholdChecklist.site_id == site_id,
                                                          getattr(models.HouseholdChecklist, item) == "open")
    rows = households_at_site(session, site_id, limit=100_000)
    wanted = set(session.scalars(ids))
    return [r for r in rows if r.relocated.id in wanted][:limit]


def checklist_of(session: Session, relocated_id: int) -> models.HouseholdChecklist | None:
    return session.get(models.HouseholdChecklist, relocated_id)


def draws_of_site(session: Session, site_id: int) -> list[models.LotteryDraw]:
    return list(session.scalars(select(models.LotteryDraw).where(models.LotteryDraw.site_id == site_id)
                                .order_by(models.LotteryDraw.id.desc())))


def unit_labels(session: Session, unit_ids: Sequence[int]) -> dict[int, str]:
    """unit id → "building-number (area m²)" for publishing a draw."""
    labels: dict[int, str] = {}
    for chunk in chunks(unit_ids):
        stmt = (select(models.HousingUnit.id, models.SiteBuilding.name, models.HousingUnit.number, models.HousingUnit.area_m2)
                .join(models.SiteBuilding).where(models.HousingUnit.id.in_(chunk)))
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
    applicants = [rules.Applicant(int(h), int(m), int(p)) for h, m, p in inputs["applicants"]]
    units = [rules.FreeUnit(int(u), Decimal(a)) for u, a in inputs["units"]]
    result = rules.run_lottery(draw.seed, applicants, units, rules.SizeRule.from_dict(draw.rules), inputs.get("waiting", []))
    digest = result.digest()
    return digest == draw.result_digest, digest


def draw_lines(draw: models.LotteryDraw) -> list[rules.DrawLine]:
    return [rules.DrawLine(int(o), int(h), rules.draw_number(draw.seed, "household", int(h)), None if u is None else int(u))
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
    household_ids = sorted(set(session.scalars(select(models.RelocatedHousehold.household_id)
                                               .where(models.RelocatedHousehold.grid_id == grid_id))))
    candidates = leader_candidates(session, household_ids, with_members=False)
    return [(pid, name, head) for hid in household_ids for pid, name, _m, head in candidates.get(hid, [])]
