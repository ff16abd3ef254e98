"""Use cases of relocation; the only place that writes. One transaction per use case, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import bindparam, func, select, update

from fupin.core.audit import AuditAction
from fupin.core.errors import Conflict, Invalid, NotFound
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.registry.queries import get_household, persons_select
from fupin.relocation import queries
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
    CHECK_STATES,
    CHECKLIST_ITEMS,
    PRIORITY_GROUPS,
    SITE_KINDS,
    SITE_LOCATIONS,
    Applicant,
    DrawLine,
    DrawResult,
    FreeUnit,
    GridSlot,
    LotteryRefused,
    SizeRule,
    next_status,
    pick_leader,
    propose_grids,
    run_lottery,
)


def create_site(uow: UnitOfWork, *, name: str, area_code: str, kind: str = "concentrated",
                location: str = "county_town", planned_households: int = 0, planned_people: int = 0,
                phase: str | None = None, completed_on: dt.date | None = None, grid_size: int = 10
                ) -> ResettlementSite:
    from fupin.areas.queries import get_area

    name = (name or "").strip()
    if not name:
        raise Invalid("安置点名称不能为空", field="name")
    if kind not in SITE_KINDS:
        raise Invalid(f"安置方式“{kind}”无效", field="kind")
    if location not in SITE_LOCATIONS:
        raise Invalid(f"安置区位“{location}”无效", field="location")
    if planned_households < 0 or planned_people < 0 or planned_people > 10_000_000:
        raise Invalid("计划户数、人数不能为负", field="planned_households")
    if not 2 <= grid_size <= 100:
        raise Invalid("网格规模应在2到100户之间", field="grid_size")
    area = get_area(uow.session, area_code, uow.scope)
    site = ResettlementSite(county_code=area.code[:6], area_code=area.code, name=name[:100], kind=kind,
                            location=location, planned_households=planned_households, planned_people=planned_people,
                            phase=(phase or "").strip()[:40] or None, completed_on=completed_on, grid_size=grid_size)
    uow.session.add(site)
    uow.session.flush()
    uow.audit(AuditAction.create, "resettlement_site", site.id, area_code=site.area_code,
              after={"name": site.name, "kind": kind, "location": location,
                     "planned_households": planned_households, "planned_people": planned_people})
    return site


def parse_areas(text: str) -> list[Decimal]:
    """"75,100,125" → the unit areas of one floor, left to right."""
    areas: list[Decimal] = []
    for part in (text or "").replace(",", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            value = Decimal(part).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise Invalid(f"面积“{part}”不是数字", field="unit_areas") from None
        if not Decimal("10") <= value <= Decimal("500"):
            raise Invalid(f"面积{value}㎡不在10到500之间", field="unit_areas")
        areas.append(value)
    if not areas:
        raise Invalid("请填写每层各套的面积,如 75,100,125", field="unit_areas")
    return areas


def layout_for(area: Decimal) -> str:
    rooms = {50: "一室一厅", 75: "两室一厅", 100: "三室一厅", 125: "三室两厅"}
    return next((label for limit, label in sorted(rooms.items()) if area <= limit), "四室两厅")


def add_building(uow: UnitOfWork, site_id: int, *, name: str, floors: int, unit_areas: Sequence[Decimal]
                 ) -> SiteBuilding:
    """A building and its units: every floor has the same units, numbered floor + position (e.g. 502)."""
    session = uow.session
    site = queries.get_site(session, site_id, uow.scope)
    name = (name or "").strip()
    if not name:
        raise Invalid("楼栋名称不能为空", field="name")
    if not 1 <= floors <= 60:
        raise Invalid("层数应在1到60之间", field="floors")
    if not 1 <= len(unit_areas) <= 20:
        raise Invalid("每层套数应在1到20之间", field="unit_areas")
    if session.scalar(select(SiteBuilding.id).where(SiteBuilding.site_id == site.id, SiteBuilding.name == name)):
        raise Conflict(f"安置点已有楼栋“{name}”")
    building = SiteBuilding(site_id=site.id, name=name[:40], floors=floors)
    session.add(building)
    session.flush()
    rows = [{"site_id": site.id, "building_id": building.id, "floor": floor, "number": f"{floor}{pos:02d}",
             "area_m2": area, "layout": layout_for(area)}
            for floor in range(1, floors + 1) for pos, area in enumerate(unit_areas, start=1)]
    session.execute(HousingUnit.__table__.insert(), rows)
    uow.audit(AuditAction.create, "site_building", building.id, area_code=site.area_code,
              after={"site_id": site.id, "name": building.name, "floors": floors, "units": len(rows),
                     "unit_areas": [str(a) for a in unit_areas]})
    return building


def add_relocated_household(uow: UnitOfWork, site_id: int, household_id: int, *, priority_group: int = 0
                            ) -> RelocatedHousehold:
    session = uow.session
    site = queries.get_site(session, site_id, uow.scope)
    # The household comes from its home village, which may lie outside the site's community: the county
    # user who plans the move sees both; a site-only user must not pull in households it cannot see.
    household = get_household(session, household_id, uow.scope)
    if priority_group not in PRIORITY_GROUPS:
        raise Invalid("优先组无效", field="priority_group")
    existing = session.scalar(select(RelocatedHousehold).where(RelocatedHousehold.household_id == household.id))
    if existing is not None:
        raise Conflict(f"户{household.household_no}已列入安置点{existing.site_id}的搬迁名单")
    row = RelocatedHousehold(household_id=household.id, site_id=site.id, county_code=site.county_code,
                             origin_area_code=household.area_code, site_area_code=site.area_code,
                             members=max(1, household.member_count), priority_group=priority_group, status="planned")
    session.add(row)
    session.flush()
    session.add(HouseholdChecklist(relocated_id=row.id, site_id=site.id))
    uow.audit(AuditAction.create, "relocated_household", row.id, area_code=site.area_code,
              after={"household_id": household.id, "site_id": site.id, "origin_area_code": household.area_code,
                     "members": row.members, "priority_group": priority_group})
    return row


@dataclass
class LotteryOutcome:
    draw_id: int | None
    seed: str
    result: DrawResult
    dry_run: bool
    waiting: list[int]


def _lottery_inputs(uow: UnitOfWork, site: ResettlementSite) -> tuple[list[Applicant], list[FreeUnit]]:
    session = uow.session
    applicants = [Applicant(hid, int(members), int(priority)) for hid, members, priority in session.execute(
        select(RelocatedHousehold.household_id, RelocatedHousehold.members, RelocatedHousehold.priority_group)
        .where(RelocatedHousehold.site_id == site.id, RelocatedHousehold.status == "planned",
               RelocatedHousehold.unit_id.is_(None)).order_by(RelocatedHousehold.household_id))]
    taken = select(RelocatedHousehold.unit_id).where(RelocatedHousehold.unit_id.is_not(None))
    units = [FreeUnit(uid, area) for uid, area in session.execute(
        select(HousingUnit.id, HousingUnit.area_m2).where(HousingUnit.site_id == site.id,
                                                          HousingUnit.id.not_in(taken)).order_by(HousingUnit.id))]
    return applicants, units


def lottery(uow: UnitOfWork, site_id: int, seed: str, *, waiting: Iterable[int] = (), dry_run: bool = False,
            rule: SizeRule | None = None, today: dt.date | None = None) -> LotteryOutcome:
    """摇号分房 for the households of a site still without a unit. A dry run writes nothing; a real draw
    records seed, rules, inputs and result and allocates the units in the same transaction."""
    session = uow.session
    site = queries.get_site(session, site_id, uow.scope)
    rule = rule or SizeRule()
    seed = (seed or "").strip()
    if len(seed) > 64:
        raise Invalid("摇号种子最长64个字符", field="seed")
    waiting_ids = sorted(set(waiting))
    applicants, units = _lottery_inputs(uow, site)
    if not applicants:
        raise Conflict("没有待分房的搬迁户")
    try:
        result = run_lottery(seed, applicants, units, rule, waiting_ids)
    except LotteryRefused as refused:
        raise Invalid(str(refused), field="seed") from None
    if dry_run:
        return LotteryOutcome(None, seed, result, True, waiting_ids)
    today = today or dt.date.today()
    draw = LotteryDraw(
        site_id=site.id, area_code=site.area_code, seed=seed, rules=rule.as_dict(),
        inputs={"applicants": [[a.household_id, a.members, a.priority_group] for a in applicants],
                "units": [[u.unit_id, str(u.area_m2)] for u in units], "waiting": waiting_ids,
                "lines": [[ln.order, ln.household_id, ln.unit_id] for ln in result.lines]},
        households=len(result.lines), allocated=len(result.allocations), result_digest=result.digest(),
        drawn_by=uow.actor.name)
    session.add(draw)
    session.flush()
    allocations = result.allocations
    if allocations:
        stmt = (update(RelocatedHousehold.__table__)
                .where(RelocatedHousehold.__table__.c.household_id == bindparam("hid"),
                       RelocatedHousehold.__table__.c.unit_id.is_(None))
                .values(unit_id=bindparam("uid"), status="allocated", draw_id=draw.id, allocated_on=today,
                        version=RelocatedHousehold.__table__.c.version + 1))
        outcome = session.execute(stmt, [{"hid": h, "uid": u} for h, u in allocations.items()])
        if outcome.rowcount != len(allocations):
            raise Conflict("摇号期间有户已被分房,请重新摇号")
    uow.audit(AuditAction.command, "lottery_draw", draw.id, area_code=site.area_code,
              detail={"site_id": site.id, "seed": seed, "households": draw.households, "allocated": draw.allocated,
                      "waiting": waiting_ids, "result_digest": draw.result_digest})
    return LotteryOutcome(draw.id, seed, result, False, waiting_ids)


def verify_draw(session, draw_id: int, scope: Scope) -> tuple[bool, str]:  # type: ignore[no-untyped-def]
    """Re-run a recorded draw from its published inputs and seed; True when the result is the same."""
    draw = queries.get_draw(session, draw_id, scope)
    inputs = draw.inputs
    applicants = [Applicant(int(h), int(m), int(p)) for h, m, p in inputs["applicants"]]
    units = [FreeUnit(int(u), Decimal(a)) for u, a in inputs["units"]]
    result = run_lottery(draw.seed, applicants, units, SizeRule.from_dict(draw.rules), inputs.get("waiting", []))
    digest = result.digest()
    return digest == draw.result_digest, digest


def draw_lines(draw: LotteryDraw) -> list[DrawLine]:
    from fupin.relocation.rules import draw_number

    return [DrawLine(int(o), int(h), draw_number(draw.seed, "household", int(h)), None if u is None else int(u))
            for o, h, u in draw.inputs["lines"]]


def allocate_unit(uow: UnitOfWork, relocated_id: int, unit_id: int, today: dt.date | None = None
                  ) -> RelocatedHousehold:
    """Hand-allocate a unit (dispersed cases, corrections): a household holds one unit, a unit one household."""
    session = uow.session
    row = queries.get_relocated(session, relocated_id, uow.scope)
    unit = session.get(HousingUnit, unit_id)
    if unit is None or unit.site_id != row.site_id:
        raise NotFound("房屋", unit_id)
    if row.unit_id is not None:
        raise Conflict("该户已分得一套住房,一户只能分一套")
    holder = session.scalar(select(RelocatedHousehold.id).where(RelocatedHousehold.unit_id == unit.id))
    if holder is not None:
        raise Conflict(f"房屋{unit.number}已分给其他户")
    try:
        next_status(row.status, "allocated")
    except ValueError as error:
        raise Conflict(str(error)) from None
    row.unit_id, row.status, row.allocated_on = unit.id, "allocated", today or dt.date.today()
    session.flush()
    uow.audit(AuditAction.update, "relocated_household", row.id, area_code=row.site_area_code,
              before={"unit_id": None, "status": "planned"}, after={"unit_id": unit.id, "status": "allocated"})
    return row


def move_in(uow: UnitOfWork, relocated_id: int, moved_in_on: dt.date) -> RelocatedHousehold:
    row = queries.get_relocated(uow.session, relocated_id, uow.scope)
    site = uow.session.get(ResettlementSite, row.site_id)
    if site is not None and site.kind == "concentrated" and row.unit_id is None:
        raise Conflict("集中安置的户须先分房再入住")
    before = row.status
    try:
        row.status = next_status(row.status, "moved_in")
    except ValueError as error:
        raise Conflict(str(error)) from None
    row.moved_in_on = moved_in_on
    uow.session.flush()
    uow.audit(AuditAction.update, "relocated_household", row.id, area_code=row.site_area_code,
              before={"status": before}, after={"status": row.status, "moved_in_on": moved_in_on})
    return row


def mark_demolished(uow: UnitOfWork, relocated_id: int, demolished_on: dt.date) -> RelocatedHousehold:
    row = queries.get_relocated(uow.session, relocated_id, uow.scope)
    if row.old_house_demolished:
        raise Conflict("旧房已登记拆除")
    row.old_house_demolished, row.demolished_on = True, demolished_on
    uow.session.flush()
    uow.audit(AuditAction.update, "relocated_household", row.id, area_code=row.site_area_code,
              before={"old_house_demolished": False}, after={"old_house_demolished": True,
                                                             "demolished_on": demolished_on})
    return row


def update_checklist(uow: UnitOfWork, relocated_id: int, items: dict[str, str], today: dt.date | None = None
                     ) -> HouseholdChecklist:
    row = queries.get_relocated(uow.session, relocated_id, uow.scope)
    checklist = uow.session.get(HouseholdChecklist, row.id)
    if checklist is None:
        checklist = HouseholdChecklist(relocated_id=row.id, site_id=row.site_id)
        uow.session.add(checklist)
    for item, state in items.items():
        if item not in CHECKLIST_ITEMS:
            raise Invalid(f"清单项目“{item}”无效", field=item)
        if state not in CHECK_STATES:
            raise Invalid(f"清单状态“{state}”无效", field=item)
    before = {item: getattr(checklist, item) for item in CHECKLIST_ITEMS}
    for item, state in items.items():
        setattr(checklist, item, state)
    checklist.updated_on = today or dt.date.today()
    uow.session.flush()
    uow.audit(AuditAction.update, "relocation_checklist", row.id, area_code=row.site_area_code, before=before,
              after={item: getattr(checklist, item) for item in CHECKLIST_ITEMS})
    return checklist


def _party_member_person_ids(scope: Scope, session) -> set[int]:  # type: ignore[no-untyped-def]
    """Persons who are Party members, when the orgs capability is there; otherwise none (heads lead)."""
    try:
        from fupin.orgs.queries import members_select  # type: ignore[import-not-found]
    except ImportError:
        return set()
    try:
        stmt = members_select(scope).subquery()
        return {int(p) for p in session.scalars(select(stmt.c.person_id).where(stmt.c.person_id.is_not(None)))}
    except Exception:  # noqa: BLE001 - a half-built orgs capability must not stop grid proposals
        return set()


def _leader_candidates(session, household_ids: Sequence[int], members: set[int]  # type: ignore[no-untyped-def]
                       ) -> dict[int, list[tuple[int, str, bool, bool]]]:
    persons = persons_select(Scope.everything()).subquery()
    found: dict[int, list[tuple[int, str, bool, bool]]] = {}
    ids = list(household_ids)
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        stmt = (select(persons.c.id, persons.c.household_id, persons.c.name, persons.c.relation)
                .where(persons.c.household_id.in_(chunk)).order_by(persons.c.household_id, persons.c.id))
        for pid, hid, name, relation in session.execute(stmt):
            found.setdefault(int(hid), []).append((int(pid), name, int(pid) in members, relation == "head"))
    return found


def propose_site_grids(uow: UnitOfWork, site_id: int, *, grid_size: int | None = None, replace: bool = False
                       ) -> list[SiteGrid]:
    """Cut the housed households of a site into grids by building and floor and name leaders (a Party member
    of the grid when known, else a household head). Buildings get a leader the same way. Editable after."""
    session = uow.session
    site = queries.get_site(session, site_id, uow.scope)
    size = grid_size or site.grid_size
    if not 2 <= size <= 100:
        raise Invalid("网格规模应在2到100户之间", field="grid_size")
    existing = session.scalar(select(func.count()).where(SiteGrid.site_id == site.id)) or 0
    if existing and not replace:
        raise Conflict("安置点已有网格;如需按新方案重新划分,请选择“替换现有网格”")
    slots_rows = session.execute(
        select(RelocatedHousehold.id, RelocatedHousehold.household_id, SiteBuilding.id, SiteBuilding.name,
               HousingUnit.floor, HousingUnit.number)
        .join(HousingUnit, HousingUnit.id == RelocatedHousehold.unit_id)
        .join(SiteBuilding, SiteBuilding.id == HousingUnit.building_id)
        .where(RelocatedHousehold.site_id == site.id)).all()
    if not slots_rows:
        raise Conflict("安置点还没有已分房的户,无法划分网格")
    if existing:
        session.execute(update(RelocatedHousehold).where(RelocatedHousehold.site_id == site.id)
                        .values(grid_id=None).execution_options(synchronize_session=False))
        session.execute(SiteGrid.__table__.delete().where(SiteGrid.__table__.c.site_id == site.id))
    household_of = {rid: hid for rid, hid, *_ in slots_rows}
    building_of = {rid: bid for rid, _h, bid, *_ in slots_rows}
    grids = propose_grids([GridSlot(rid, bname, floor, number) for rid, _h, _b, bname, floor, number in slots_rows],
                          size)
    members = _party_member_person_ids(uow.scope, session)
    candidates = _leader_candidates(session, list(household_of.values()), members)
    created: list[SiteGrid] = []
    assignments: list[dict[str, int]] = []
    for number, relocated_ids in enumerate(grids, start=1):
        pool = [c for rid in relocated_ids for c in candidates.get(household_of[rid], [])]
        leader = pick_leader(pool)
        grid = SiteGrid(site_id=site.id, number=number, name=f"第{number}网格",
                        leader_person_id=leader[0] if leader else None, leader_name=leader[1] if leader else None,
                        leader_is_party_member=bool(leader and leader[2]))
        session.add(grid)
        created.append(grid)
    session.flush()
    for grid, relocated_ids in zip(created, grids, strict=True):
        assignments.extend({"rid": rid, "gid": grid.id} for rid in relocated_ids)
    table = RelocatedHousehold.__table__
    session.execute(update(table).where(table.c.id == bindparam("rid")).values(grid_id=bindparam("gid")),
                    assignments)
    by_building: dict[int, list[int]] = {}
    for rid, bid in building_of.items():
        by_building.setdefault(bid, []).append(household_of[rid])
    for bid, household_ids in by_building.items():
        pool = [c for hid in sorted(household_ids) for c in candidates.get(hid, [])]
        leader = pick_leader(pool)
        if leader:
            session.execute(update(SiteBuilding).where(SiteBuilding.id == bid).values(
                leader_person_id=leader[0], leader_name=leader[1], leader_is_party_member=leader[2]))
    uow.audit(AuditAction.command, "site_grids", site.id, area_code=site.area_code,
              detail={"grid_size": size, "grids": len(created), "households": len(household_of), "replaced": existing})
    return created


def update_grid(uow: UnitOfWork, grid_id: int, *, name: str | None = None, leader_person_id: int | None = None
                ) -> SiteGrid:
    session = uow.session
    grid, site = queries.get_grid(session, grid_id, uow.scope)
    before = {"name": grid.name, "leader_person_id": grid.leader_person_id, "leader_name": grid.leader_name}
    if name is not None:
        if not name.strip():
            raise Invalid("网格名称不能为空", field="name")
        grid.name = name.strip()[:60]
    if leader_person_id is not None:
        household_ids = set(session.scalars(select(RelocatedHousehold.household_id)
                                            .where(RelocatedHousehold.grid_id == grid.id)))
        candidates = _leader_candidates(session, sorted(household_ids), _party_member_person_ids(uow.scope, session))
        match = next((c for cs in candidates.values() for c in cs if c[0] == leader_person_id), None)
        if match is None:
            raise Invalid("网格长须是本网格住户的成员", field="leader_person_id")
        grid.leader_person_id, grid.leader_name, grid.leader_is_party_member = match[0], match[1], match[2]
    session.flush()
    uow.audit(AuditAction.update, "site_grid", grid.id, area_code=site.area_code, before=before,
              after={"name": grid.name, "leader_person_id": grid.leader_person_id, "leader_name": grid.leader_name})
    return grid


def move_to_grid(uow: UnitOfWork, relocated_id: int, grid_id: int) -> RelocatedHousehold:
    session = uow.session
    row = queries.get_relocated(session, relocated_id, uow.scope)
    grid, _site = queries.get_grid(session, grid_id, uow.scope)
    if grid.site_id != row.site_id:
        raise Invalid("只能调入本安置点的网格", field="grid_id")
    before = row.grid_id
    row.grid_id = grid.id
    session.flush()
    uow.audit(AuditAction.update, "relocated_household", row.id, area_code=row.site_area_code,
              before={"grid_id": before}, after={"grid_id": grid.id})
    return row


def grid_leader_options(session, grid_id: int) -> list[tuple[int, str, bool]]:  # type: ignore[no-untyped-def]
    household_ids = sorted(set(session.scalars(select(RelocatedHousehold.household_id)
                                               .where(RelocatedHousehold.grid_id == grid_id))))
    candidates = _leader_candidates(session, household_ids, set())
    return [(pid, name, head) for hid in household_ids for pid, name, _m, head in candidates.get(hid, [])]
