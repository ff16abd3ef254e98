"""Demo relocation: a concentrated site in 以礼社区 with buildings and units, ~6% of the demo households from
several villages, a finished lottery (a few households wait for the next round), move-ins, 拆旧, grids."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from sqlalchemy import func, select, update

from fupin.core.audit import Actor, AuditAction
from fupin.core.db import bulk_insert
from fupin.core.demo import DemoContext
from fupin.core.scoping import Scope
from fupin.core.sql import bump_sequences as bump_id_sequences
from fupin.core.sql import chunks
from fupin.core.uow import UnitOfWork
from fupin.registry.queries import households_select
from fupin.relocation import models, service
from fupin.relocation.rules import CHECKLIST_ITEMS, SizeRule

SHARE = 0.06
MIN_HOUSEHOLDS = 40
FLOORS = 6
UNITS_PER_FLOOR = 4
CLASS_AREA = {2: Decimal("50.00"), 3: Decimal("75.00"), 4: Decimal("100.00"), 5: Decimal("125.00"),
              6: Decimal("150.00")}
OWN_TABLES = ("resettlement_sites", "site_buildings", "housing_units", "relocated_households", "lottery_draws",
              "site_grids")


# Kept under its old name for the callers outside relocation (monitoring's demo); the helper is shared now.
bump_sequences = bump_id_sequences


def _next_id(session, model) -> int:  # type: ignore[no-untyped-def]
    return int(session.scalar(select(func.max(model.id))) or 0) + 1


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("relocation")
    actor = Actor.system("demo")
    county = ctx.county_code
    rule = SizeRule()
    with UnitOfWork(ctx.db, actor) as uow:
        session = uow.session
        selected = households_select(Scope.of_area(county)).subquery()
        rows = session.execute(select(selected).order_by(selected.c.id)).all()
        if not rows:
            return
        # Several villages (about one in eight), households drawn from them.
        villages = sorted({r.area_code[:12] for r in rows})
        chosen_villages = set(rng.sample(villages, k=min(len(villages), max(3, len(villages) // 8))))
        pool = [r for r in rows if r.area_code[:12] in chosen_villages]
        want = min(len(pool), max(MIN_HOUSEHOLDS, round(len(rows) * SHARE)))
        picked = sorted(rng.sample(pool, k=want), key=lambda r: r.id)
        site_code = ctx.facts["site_code"]
        site = models.ResettlementSite(
            county_code=county[:6], area_code=site_code, name="以礼社区易地扶贫搬迁集中安置点",
            kind="concentrated", location="county_town", planned_households=len(picked),
            planned_people=sum(max(1, r.member_count) for r in picked), phase="“十万人进城”一期",
            completed_on=dt.date(2019, 9, 30), grid_size=10)
        session.add(site)
        session.flush()
        # Units of each size class for the households of that class, plus a few spare.
        need = Counter(rule.household_class(max(1, r.member_count)) for r in picked)
        areas: list[Decimal] = []
        for size_class, count in sorted(need.items()):
            areas += [CLASS_AREA[size_class]] * (count + max(1, count // 20))
        rng.shuffle(areas)
        per_building = FLOORS * UNITS_PER_FLOOR
        building_id, unit_id = _next_id(session, models.SiteBuilding), _next_id(session, models.HousingUnit)
        building_rows, unit_rows = [], []
        for b in range(0, len(areas), per_building):
            chunk = areas[b:b + per_building]
            floors = (len(chunk) + UNITS_PER_FLOOR - 1) // UNITS_PER_FLOOR
            building_rows.append((building_id, site.id, f"{b // per_building + 1}幢", floors, False))
            for i, area in enumerate(chunk):
                floor, position = i // UNITS_PER_FLOOR + 1, i % UNITS_PER_FLOOR + 1
                unit_rows.append((unit_id, site.id, building_id, floor, f"{floor}{position:02d}", area,
                                  service.layout_for(area)))
                unit_id += 1
            building_id += 1
        connection = session.connection()
        bulk_insert(connection, models.SiteBuilding.__table__, ["id", "site_id", "name", "floors", "leader_is_party_member"],
                    building_rows)
        bulk_insert(connection, models.HousingUnit.__table__,
                    ["id", "site_id", "building_id", "floor", "number", "area_m2", "layout"], unit_rows)
        relocated_id = _next_id(session, models.RelocatedHousehold)
        relocated_rows, checklist_rows = [], []
        for r in picked:
            priority = 1 if rng.random() < 0.08 else 0
            relocated_rows.append((relocated_id, r.id, site.id, county[:6], r.area_code, site_code,
                                   max(1, r.member_count), priority, "planned", False, 1))
            states = [("done" if rng.random() < 0.85 else ("na" if rng.random() < 0.3 else "open"))
                      for _ in CHECKLIST_ITEMS]
            checklist_rows.append((relocated_id, site.id, *states))
            relocated_id += 1
        bulk_insert(connection, models.RelocatedHousehold.__table__,
                    ["id", "household_id", "site_id", "county_code", "origin_area_code", "site_area_code", "members",
                     "priority_group", "status", "old_house_demolished", "version"], relocated_rows)
        bulk_insert(connection, models.HouseholdChecklist.__table__, ["relocated_id", "site_id", *CHECKLIST_ITEMS],
                    checklist_rows)
        bump_id_sequences(connection, OWN_TABLES)
        uow.audit(AuditAction.imported, "resettlement_site", site.id, area_code=site_code,
                  detail={"source": "demo", "seed": ctx.seed, "households": len(picked), "units": len(unit_rows)})
        site_id = site.id
    # The lottery of the first round: about one household in ten waits for the next round.
    waiting = sorted(r.id for r in rng.sample(picked, k=min(len(picked) - 1, max(3, len(picked) // 10))))
    with UnitOfWork(ctx.db, actor) as uow:
        outcome = service.lottery(uow, site_id, f"会泽-以礼-{ctx.seed}", waiting=waiting,
                                  today=dt.date(2019, 10, 8))
    with UnitOfWork(ctx.db, actor) as uow:
        table = models.RelocatedHousehold.__table__
        allocated = sorted(outcome.result.allocations)
        moved = [h for h in allocated if rng.random() < 0.9]
        demolished = [h for h in moved if rng.random() < 0.8]
        for chunk in chunks(moved):
            uow.session.execute(update(table).where(table.c.household_id.in_(chunk)).values(
                status="moved_in", moved_in_on=dt.date(2019, 12, 20)))
        for chunk in chunks(demolished):
            uow.session.execute(update(table).where(table.c.household_id.in_(chunk)).values(
                old_house_demolished=True, demolished_on=dt.date(2020, 3, 15)))
        uow.audit(AuditAction.imported, "relocated_households", site_id, area_code=ctx.facts["site_code"],
                  detail={"source": "demo", "moved_in": len(moved), "demolished": len(demolished)})
    with UnitOfWork(ctx.db, actor) as uow:
        grids = service.propose_site_grids(uow, site_id)
    ctx.facts["site_id"] = site_id
    ctx.facts["relocated_household_ids"] = [r.id for r in picked]
    ctx.facts["lottery_draw_id"] = outcome.draw_id
    ctx.summary.append(f"易地搬迁:安置点1个、{len(building_rows)}幢{len(unit_rows)}套,搬迁{len(picked)}户,"
                       f"摇号分房{len(outcome.result.allocations)}户、入住{len(moved)}户、网格{len(grids)}个")
