"""Use cases of relocation; the only place that writes. Each opens its unit of work, asks the permission table
first, and holds the rows it checks (race-free on SQLite and PostgreSQL), audited in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, select, update

from fupin.areas.queries import area_in_scope
from fupin.core import jobs
from fupin.core.audit import AuditAction
from fupin.core.scoping import found_as
from fupin.core.sql import valid_id
from fupin.core.uow import UnitOfWork
from fupin.core.validation import one_of, required_text
from fupin.registry.queries import get_household
from fupin.relocation import errors, models, queries
from fupin.relocation.rules import (
    CHECK_STATES,
    CHECKLIST_ITEMS,
    FIELD_LABELS,
    PRIORITY_GROUPS,
    SITE_KINDS,
    SITE_LOCATIONS,
    Applicant,
    DrawResult,
    FreeUnit,
    GridSlot,
    LotteryRefused,
    SizeRule,
    StatusRefused,
    next_status,
    pick_leader,
    propose_grids,
    run_lottery,
)


def _choice(value: Any, vocabulary: dict[Any, str], field: str) -> Any:
    return one_of(errors.INVALID_CHOICE, FIELD_LABELS, field, value, vocabulary)


def _required(value: str | None, field: str) -> str:
    return required_text(errors.REQUIRED, FIELD_LABELS, field, value)


def _locked_site(uow: UnitOfWork, site_id: int) -> models.ResettlementSite:
    return uow.locked_in_scope(models.ResettlementSite, site_id, errors.SITE_NOT_FOUND)


def _locked_relocated(uow: UnitOfWork, relocated_id: int) -> models.RelocatedHousehold:
    return uow.locked_in_scope(models.RelocatedHousehold, relocated_id, errors.RELOCATED_NOT_FOUND,
                           area=lambda row: row.site_area_code)


# ---------------------------------------------------------------- sites and buildings


def create_site(uow: UnitOfWork, *, name: str, area_code: str, kind: str = "concentrated",
                location: str = "county_town", planned_households: int = 0, planned_people: int = 0,
                phase: str | None = None, completed_on: dt.date | None = None, grid_size: int = 10
                ) -> models.ResettlementSite:
    with uow:
        uow.require("relocation.site.manage")
        name = _required(name, "name")
        _choice(kind, SITE_KINDS, "kind")
        _choice(location, SITE_LOCATIONS, "location")
        if not (0 <= planned_households <= 1_000_000 and 0 <= planned_people <= 10_000_000):
            raise errors.PLANNED_RANGE(field="planned_households")
        if not 2 <= grid_size <= 100:
            raise errors.GRID_SIZE_RANGE(field="grid_size")
        code = area_in_scope(uow.session, uow.scope, area_code)
        site = models.ResettlementSite(county_code=code[:6], area_code=code, name=name[:100], kind=kind,
                                location=location, planned_households=planned_households,
                                planned_people=planned_people, phase=(phase or "").strip()[:40] or None,
                                completed_on=completed_on, grid_size=grid_size)
        uow.session.add(site)
        uow.flush()
        uow.audit(AuditAction.create, "resettlement_site", site.id, area_code=site.area_code,
                  after={"name": site.name, "kind": kind, "location": location,
                         "planned_households": planned_households, "planned_people": planned_people})
        return site


def layout_for(area: Decimal) -> str:
    rooms = {50: "一室一厅", 75: "两室一厅", 100: "三室一厅", 125: "三室两厅"}
    return next((label for limit, label in sorted(rooms.items()) if area <= limit), "四室两厅")


def _unit_areas(unit_areas: Sequence[Any]) -> list[Decimal]:
    areas: list[Decimal] = []
    for value in unit_areas:
        try:
            area = Decimal(str(value)).quantize(Decimal("0.01"))
        except ArithmeticError:
            raise errors.UNIT_AREA_NOT_NUMBER(field="unit_areas", value=str(value)[:20]) from None
        if not area.is_finite() or not Decimal("10") <= area <= Decimal("500"):
            raise errors.UNIT_AREA_RANGE(field="unit_areas", value=str(value)[:20])
        areas.append(area)
    if not areas:
        raise errors.UNIT_AREAS_MISSING(field="unit_areas")
    if len(areas) > 20:
        raise errors.UNITS_PER_FLOOR_RANGE(field="unit_areas")
    return areas


def add_building(uow: UnitOfWork, site_id: int, *, name: str, floors: int, unit_areas: Sequence[Decimal]
                 ) -> models.SiteBuilding:
    """A building and its units: every floor has the same units, numbered floor + position (e.g. 502)."""
    with uow:
        uow.require("relocation.site.manage")
        session = uow.session
        site = _locked_site(uow, site_id)
        name = _required(name, "name")[:40]
        if not 1 <= floors <= 60:
            raise errors.FLOORS_RANGE(field="floors")
        areas = _unit_areas(unit_areas)
        if session.scalar(select(models.SiteBuilding.id).where(models.SiteBuilding.site_id == site.id, models.SiteBuilding.name == name)):
            raise errors.BUILDING_EXISTS(field="name", name=name)
        building = models.SiteBuilding(site_id=site.id, name=name, floors=floors)
        session.add(building)
        uow.flush()
        rows = [{"site_id": site.id, "building_id": building.id, "floor": floor, "number": f"{floor}{pos:02d}",
                 "area_m2": area, "layout": layout_for(area)}
                for floor in range(1, floors + 1) for pos, area in enumerate(areas, start=1)]
        session.execute(models.HousingUnit.__table__.insert(), rows)
        uow.audit(AuditAction.create, "site_building", building.id, area_code=site.area_code,
                  after={"site_id": site.id, "name": building.name, "floors": floors, "units": len(rows),
                         "unit_areas": [str(a) for a in areas]})
        return building


# ---------------------------------------------------------------- relocated households


def add_relocated_household(uow: UnitOfWork, site_id: int, household_id: int, *, priority_group: int = 0
                            ) -> models.RelocatedHousehold:
    """A registered household on a site's list, once (the unique household id backs the check)."""
    with uow:
        uow.require("relocation.household.manage")
        session = uow.session
        site = queries.get_site(session, site_id, uow.scope)
        # The household comes from its home village, which may lie outside the site's community: the county
        # user who plans the move sees both; a site-only user must not pull in households it cannot see.
        household = found_as(errors.HOUSEHOLD_NOT_FOUND, "household_id", household_id,
                             lambda key: get_household(session, key, uow.scope))
        _choice(priority_group, PRIORITY_GROUPS, "priority_group")
        existing = session.scalar(select(models.RelocatedHousehold.id).where(models.RelocatedHousehold.household_id == household.id))
        if existing is not None:
            # Which site holds it may lie outside the caller's area: say only that it is listed.
            raise errors.HOUSEHOLD_LISTED(field="household_id", household_no=household.household_no)
        row = models.RelocatedHousehold(household_id=household.id, site_id=site.id, county_code=site.county_code,
                                 origin_area_code=household.area_code, site_area_code=site.area_code,
                                 members=max(1, household.member_count), priority_group=priority_group,
                                 status="planned")
        session.add(row)
        uow.flush()
        session.add(models.HouseholdChecklist(relocated_id=row.id, site_id=site.id))
        uow.flush()
        uow.audit(AuditAction.create, "relocated_household", row.id, area_code=site.area_code,
                  after={"household_id": household.id, "site_id": site.id, "origin_area_code": household.area_code,
                         "members": row.members, "priority_group": priority_group})
        return row


# ---------------------------------------------------------------- lottery


@dataclass
class LotteryOutcome:
    draw_id: int | None
    seed: str
    result: DrawResult
    dry_run: bool
    waiting: list[int]


def _lottery_inputs(uow: UnitOfWork, site: models.ResettlementSite) -> tuple[list[Applicant], list[FreeUnit]]:
    session = uow.session
    applicants = [Applicant(hid, int(members), int(priority)) for hid, members, priority in session.execute(
        select(models.RelocatedHousehold.household_id, models.RelocatedHousehold.members, models.RelocatedHousehold.priority_group)
        .where(models.RelocatedHousehold.site_id == site.id, models.RelocatedHousehold.status == "planned",
               models.RelocatedHousehold.unit_id.is_(None)).order_by(models.RelocatedHousehold.household_id))]
    taken = select(models.RelocatedHousehold.unit_id).where(models.RelocatedHousehold.unit_id.is_not(None))
    units = [FreeUnit(uid, area) for uid, area in session.execute(
        select(models.HousingUnit.id, models.HousingUnit.area_m2).where(models.HousingUnit.site_id == site.id,
                                                          models.HousingUnit.id.not_in(taken)).order_by(models.HousingUnit.id))]
    return applicants, units


def lottery(uow: UnitOfWork, site_id: int, seed: str, *, waiting: Iterable[int] = (), dry_run: bool = False,
            rule: SizeRule | None = None, today: dt.date | None = None) -> LotteryOutcome:
    """摇号分房 for the households of a site still without a unit. A dry run writes nothing; a real draw
    records seed, rules, inputs and result and allocates the units in the same transaction.

    The site's row is held for the whole draw: of two draws of one site at the same moment the second starts
    after the first committed, finds nobody left to draw and gets 409 `relocation.nothing_to_draw` — one draw,
    no unit allocated twice (the allocation is also a conditional update and the unit id is unique)."""
    with uow.reading() if dry_run else uow:
        uow.require("relocation.lottery.draw")
        session = uow.session
        site = (queries.get_site(session, site_id, uow.scope) if dry_run else _locked_site(uow, site_id))
        rule = rule or SizeRule()
        seed = (seed or "").strip()
        if not 1 <= len(seed) <= 64:
            raise errors.SEED_INVALID(field="seed")
        waiting_ids = sorted(set(waiting))
        applicants, units = _lottery_inputs(uow, site)
        if not applicants:
            raise errors.NOTHING_TO_DRAW()
        try:
            result = run_lottery(seed, applicants, units, rule, waiting_ids)
        except LotteryRefused as refused:
            raise refused.error from None
        if not result.lines:
            raise errors.NOTHING_TO_DRAW()
        if dry_run:
            return LotteryOutcome(None, seed, result, True, waiting_ids)
        today = today or dt.date.today()
        draw = models.LotteryDraw(
            site_id=site.id, area_code=site.area_code, seed=seed, rules=rule.as_dict(),
            inputs={"applicants": [[a.household_id, a.members, a.priority_group] for a in applicants],
                    "units": [[u.unit_id, str(u.area_m2)] for u in units], "waiting": waiting_ids,
                    "lines": [[ln.order, ln.household_id, ln.unit_id] for ln in result.lines]},
            households=len(result.lines), allocated=len(result.allocations), result_digest=result.digest(),
            drawn_by=uow.actor.name)
        session.add(draw)
        uow.flush()
        allocations = result.allocations
        if allocations:
            table = models.RelocatedHousehold.__table__
            stmt = (update(table)
                    .where(table.c.household_id == bindparam("hid"), table.c.unit_id.is_(None))
                    .values(unit_id=bindparam("uid"), status="allocated", draw_id=draw.id, allocated_on=today,
                            version=table.c.version + 1))
            outcome = session.execute(stmt, [{"hid": h, "uid": u} for h, u in allocations.items()])
            if outcome.rowcount != len(allocations):
                raise errors.DRAW_OVERTAKEN()
        uow.audit(AuditAction.command, "lottery_draw", draw.id, area_code=site.area_code,
                  detail={"site_id": site.id, "seed": seed, "households": draw.households,
                          "allocated": draw.allocated, "waiting": waiting_ids, "result_digest": draw.result_digest})
        return LotteryOutcome(draw.id, seed, result, False, waiting_ids)


# ---------------------------------------------------------------- one household: unit, move-in, 拆旧, checklist


def allocate_unit(uow: UnitOfWork, relocated_id: int, unit_id: int, today: dt.date | None = None
                  ) -> models.RelocatedHousehold:
    """Hand-allocate a unit (dispersed cases, corrections): a household holds one unit, a unit one household.
    The household's row and the unit's row are held, so two allocations at once cannot both pass the checks."""
    with uow:
        uow.require("relocation.household.manage")
        session = uow.session
        row = _locked_relocated(uow, relocated_id)
        unit = None
        if valid_id(unit_id):
            unit = session.execute(uow.locked(select(models.HousingUnit).where(models.HousingUnit.id == unit_id))
                                   .execution_options(populate_existing=True)).scalar_one_or_none()
        if unit is None or unit.site_id != row.site_id:
            raise errors.UNIT_NOT_FOUND(field="unit_id", key=unit_id)
        if row.unit_id is not None:
            raise errors.HOUSEHOLD_HAS_UNIT(field="unit_id")
        holder = session.scalar(select(models.RelocatedHousehold.id).where(models.RelocatedHousehold.unit_id == unit.id))
        if holder is not None:
            raise errors.UNIT_TAKEN(field="unit_id", number=unit.number)
        try:
            next_status(row.status, "allocated")
        except StatusRefused as refused:
            raise refused.error from None
        before = {"unit_id": None, "status": row.status}
        row.unit_id, row.status, row.allocated_on = unit.id, "allocated", today or dt.date.today()
        uow.flush()
        uow.audit(AuditAction.update, "relocated_household", row.id, area_code=row.site_area_code,
                  before=before, after={"unit_id": unit.id, "status": "allocated"})
        return row


def move_in(uow: UnitOfWork, relocated_id: int, moved_in_on: dt.date) -> models.RelocatedHousehold:
    """Once: a second move-in (or two at the same moment) gets 409 `relocation.already_moved_in`."""
    with uow:
        uow.require("relocation.household.manage")
        row = _locked_relocated(uow, relocated_id)
        if row.status == "moved_in":
            raise errors.ALREADY_MOVED_IN(on=row.moved_in_on.isoformat() if row.moved_in_on else "")
        site = uow.session.get(models.ResettlementSite, row.site_id)
        if site is not None and site.kind == "concentrated" and row.unit_id is None:
            raise errors.ALLOCATE_BEFORE_MOVE_IN()
        before = row.status
        try:
            row.status = next_status(row.status, "moved_in")
        except StatusRefused as refused:
            raise refused.error from None
        row.moved_in_on = moved_in_on
        uow.flush()
        uow.audit(AuditAction.update, "relocated_household", row.id, area_code=row.site_area_code,
                  before={"status": before}, after={"status": row.status, "moved_in_on": moved_in_on})
        return row


def mark_demolished(uow: UnitOfWork, relocated_id: int, demolished_on: dt.date) -> models.RelocatedHousehold:
    """Once: a second mark (or two at the same moment) gets 409 `relocation.already_demolished`."""
    with uow:
        uow.require("relocation.household.manage")
        row = _locked_relocated(uow, relocated_id)
        if row.old_house_demolished:
            raise errors.ALREADY_DEMOLISHED(on=row.demolished_on.isoformat() if row.demolished_on else "")
        row.old_house_demolished, row.demolished_on = True, demolished_on
        uow.flush()
        uow.audit(AuditAction.update, "relocated_household", row.id, area_code=row.site_area_code,
                  before={"old_house_demolished": False},
                  after={"old_house_demolished": True, "demolished_on": demolished_on})
        return row


def update_checklist(uow: UnitOfWork, relocated_id: int, items: dict[str, str], today: dt.date | None = None
                     ) -> models.HouseholdChecklist:
    with uow:
        uow.require("relocation.household.manage")
        for item, state in items.items():
            if item not in CHECKLIST_ITEMS:
                raise errors.CHECKLIST_ITEM_NOT_FOUND(field=str(item)[:32], key=str(item)[:32])
            if state not in CHECK_STATES:
                raise errors.CHECKLIST_STATE_INVALID(field=item, item=CHECKLIST_ITEMS[item][1])
        row = _locked_relocated(uow, relocated_id)
        checklist = uow.session.get(models.HouseholdChecklist, row.id)
        if checklist is None:
            checklist = models.HouseholdChecklist(relocated_id=row.id, site_id=row.site_id)
            uow.session.add(checklist)
            uow.flush()
        before = {item: getattr(checklist, item) for item in CHECKLIST_ITEMS}
        for item, state in items.items():
            setattr(checklist, item, state)
        checklist.updated_on = today or dt.date.today()
        uow.flush()
        uow.audit(AuditAction.update, "relocation_checklist", row.id, area_code=row.site_area_code, before=before,
                  after={item: getattr(checklist, item) for item in CHECKLIST_ITEMS})
        return checklist


# ---------------------------------------------------------------- grids


def propose_site_grids(uow: UnitOfWork, site_id: int, *, grid_size: int | None = None, replace: bool = False
                       ) -> list[models.SiteGrid]:
    """Cut the housed households of a site into grids by building and floor and name leaders (a Party member
    of the grid when known, else a household head). Buildings get a leader the same way. Editable after.
    The site's row is held, so two proposals at once run one after the other (the second needs "replace")."""
    with uow:
        uow.require("relocation.grid.manage")
        session = uow.session
        site = _locked_site(uow, site_id)
        size = grid_size or site.grid_size
        if not 2 <= size <= 100:
            raise errors.GRID_SIZE_RANGE(field="grid_size")
        existing = session.scalar(select(func.count()).where(models.SiteGrid.site_id == site.id)) or 0
        if existing and not replace:
            raise errors.GRIDS_EXIST(field="replace")
        slots_rows = session.execute(
            select(models.RelocatedHousehold.id, models.RelocatedHousehold.household_id, models.SiteBuilding.id, models.SiteBuilding.name,
                   models.HousingUnit.floor, models.HousingUnit.number)
            .join(models.HousingUnit, models.HousingUnit.id == models.RelocatedHousehold.unit_id)
            .join(models.SiteBuilding, models.SiteBuilding.id == models.HousingUnit.building_id)
            .where(models.RelocatedHousehold.site_id == site.id)).all()
        if not slots_rows:
            raise errors.NO_HOUSED_HOUSEHOLDS()
        if existing:
            session.execute(update(models.RelocatedHousehold).where(models.RelocatedHousehold.site_id == site.id)
                            .values(grid_id=None).execution_options(synchronize_session=False))
            session.execute(models.SiteGrid.__table__.delete().where(models.SiteGrid.__table__.c.site_id == site.id))
        household_of = {rid: hid for rid, hid, *_ in slots_rows}
        building_of = {rid: bid for rid, _h, bid, *_ in slots_rows}
        grids = propose_grids([GridSlot(rid, bname, floor, number)
                               for rid, _h, _b, bname, floor, number in slots_rows], size)
        candidates = queries.leader_candidates(session, list(household_of.values()))
        created: list[models.SiteGrid] = []
        for number, relocated_ids in enumerate(grids, start=1):
            pool = [c for rid in relocated_ids for c in candidates.get(household_of[rid], [])]
            leader = pick_leader(pool)
            grid = models.SiteGrid(site_id=site.id, number=number, name=f"第{number}网格",
                            leader_person_id=leader[0] if leader else None,
                            leader_name=leader[1] if leader else None,
                            leader_is_party_member=bool(leader and leader[2]))
            session.add(grid)
            created.append(grid)
        uow.flush()
        assignments = [{"rid": rid, "gid": grid.id}
                       for grid, relocated_ids in zip(created, grids, strict=True) for rid in relocated_ids]
        table = models.RelocatedHousehold.__table__
        session.execute(update(table).where(table.c.id == bindparam("rid")).values(grid_id=bindparam("gid")),
                        assignments)
        by_building: dict[int, list[int]] = {}
        for rid, bid in building_of.items():
            by_building.setdefault(bid, []).append(household_of[rid])
        for bid, household_ids in by_building.items():
            pool = [c for hid in sorted(household_ids) for c in candidates.get(hid, [])]
            leader = pick_leader(pool)
            if leader:
                session.execute(update(models.SiteBuilding).where(models.SiteBuilding.id == bid).values(
                    leader_person_id=leader[0], leader_name=leader[1], leader_is_party_member=leader[2]))
        uow.audit(AuditAction.command, "site_grids", site.id, area_code=site.area_code,
                  detail={"grid_size": size, "grids": len(created), "households": len(household_of),
                          "replaced": existing})
        return created


def update_grid(uow: UnitOfWork, grid_id: int, *, name: str | None = None, leader_person_id: int | None = None
                ) -> models.SiteGrid:
    with uow:
        uow.require("relocation.grid.manage")
        session = uow.session
        grid, site = queries.get_grid(session, grid_id, uow.scope)
        grid = uow.locked_in_scope(models.SiteGrid, grid.id, errors.GRID_NOT_FOUND, area=lambda _g: site.area_code)
        before = {"name": grid.name, "leader_person_id": grid.leader_person_id, "leader_name": grid.leader_name}
        if name is not None:
            grid.name = _required(name, "name")[:60]
        if leader_person_id is not None:
            household_ids = set(session.scalars(select(models.RelocatedHousehold.household_id)
                                                .where(models.RelocatedHousehold.grid_id == grid.id)))
            candidates = queries.leader_candidates(session, sorted(household_ids))
            match = next((c for cs in candidates.values() for c in cs if c[0] == leader_person_id), None)
            if match is None:
                raise errors.LEADER_NOT_RESIDENT(field="leader_person_id")
            grid.leader_person_id, grid.leader_name, grid.leader_is_party_member = match[0], match[1], match[2]
        uow.flush()
        uow.audit(AuditAction.update, "site_grid", grid.id, area_code=site.area_code, before=before,
                  after={"name": grid.name, "leader_person_id": grid.leader_person_id,
                         "leader_name": grid.leader_name})
        return grid


def move_to_grid(uow: UnitOfWork, relocated_id: int, grid_id: int) -> models.RelocatedHousehold:
    with uow:
        uow.require("relocation.grid.manage")
        session = uow.session
        row = _locked_relocated(uow, relocated_id)
        grid, _site = found_as(errors.GRID_NOT_FOUND, "grid_id", grid_id,
                               lambda key: queries.get_grid(session, key, uow.scope))
        if grid.site_id != row.site_id:
            raise errors.GRID_OF_ANOTHER_SITE(field="grid_id")
        before = row.grid_id
        row.grid_id = grid.id
        uow.flush()
        uow.audit(AuditAction.update, "relocated_household", row.id, area_code=row.site_area_code,
                  before={"grid_id": before}, after={"grid_id": grid.id})
        return row


# ---------------------------------------------------------------- exports (jobs)


def start_household_export(uow: UnitOfWork, area_code: str | None = None, site_id: int | None = None) -> str:
    """Queue the export of the relocated households of a site or an area (the caller's whole area when neither
    is given); masked for the caller's role, the download audited. Returns the job id."""
    with uow:
        uow.require("relocation.export")
        site = queries.get_site(uow.session, site_id, uow.scope) if site_id is not None else None
        code = site.area_code if site else (area_in_scope(uow.session, uow.scope, area_code) if area_code else uow.scope.own_area_code)
        what = site.name if site else (code or "全部")
        return jobs.submit(uow, "relocation.export_households", f"导出搬迁户台账({what})",
                           {"area_code": code, "site_id": site.id if site else None}, area_code=code)
