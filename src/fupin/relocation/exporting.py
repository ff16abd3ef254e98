"""The relocated households of a site or an area as a background job (xlsx), masked per role and audited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin.core.jobs import JobContext
from fupin.core.personal_data import Viewer
from fupin.core.scoping import Scope
from fupin.employment.exporting import xlsx_bytes
from fupin.registry.queries import get_household, households_subquery
from fupin.relocation import models
from fupin.relocation.rules import CHECK_STATES, CHECKLIST_ITEMS, PRIORITY_GROUPS, RELOCATION_STATUSES

HEADERS = ["搬迁户编号", "安置点编号", "户编号", "户主", "户联系电话", "迁出地区划", "人口", "优先组", "搬迁状态",
           "楼栋", "房号", "网格", "分房日期", "入住日期", "旧房拆除", "拆除日期",
           *(f"{group}·{label}" for group, label in CHECKLIST_ITEMS.values())]


def household_rows(session: Session, scope: Scope, viewer: Viewer, site_id: int | None = None
                   ) -> Iterator[list[Any]]:
    households = households_subquery(Scope.everything())
    stmt = (select(models.RelocatedHousehold, households.c.household_no, households.c.head_name, models.SiteBuilding.name,
                   models.HousingUnit.number, models.SiteGrid.number, models.HouseholdChecklist)
            .join(households, households.c.id == models.RelocatedHousehold.household_id)
            .outerjoin(models.HousingUnit, models.HousingUnit.id == models.RelocatedHousehold.unit_id)
            .outerjoin(models.SiteBuilding, models.SiteBuilding.id == models.HousingUnit.building_id)
            .outerjoin(models.SiteGrid, models.SiteGrid.id == models.RelocatedHousehold.grid_id)
            .outerjoin(models.HouseholdChecklist, models.HouseholdChecklist.relocated_id == models.RelocatedHousehold.id)
            .where(scope.condition(models.RelocatedHousehold.site_area_code))
            .order_by(models.RelocatedHousehold.site_id, models.RelocatedHousehold.id))
    if site_id is not None:
        stmt = stmt.where(models.RelocatedHousehold.site_id == site_id)
    for row, household_no, head_name, building, unit_number, grid_number, checklist in session.execute(stmt).all():
        phone = get_household(session, row.household_id, Scope.everything()).phone
        yield [row.id, row.site_id, household_no, head_name, viewer.phone(phone), row.origin_area_code, row.members,
               PRIORITY_GROUPS.get(row.priority_group, row.priority_group),
               RELOCATION_STATUSES.get(row.status, row.status), building, unit_number, grid_number,
               row.allocated_on, row.moved_in_on, row.old_house_demolished, row.demolished_on,
               *((CHECK_STATES.get(getattr(checklist, item), "") if checklist else "") for item in CHECKLIST_ITEMS)]


def run_household_export(ctx: JobContext) -> dict[str, Any]:
    """Job `relocation.export_households`."""
    uow = ctx.uow()
    area_code, site_id = ctx.params.get("area_code"), ctx.params.get("site_id")
    viewer = uow.viewer
    with uow.reading():
        uow.require("relocation.export")
        scope = uow.scope.narrowed_to(area_code) if area_code else uow.scope
        count_stmt = select(func.count()).select_from(models.RelocatedHousehold).where(
            scope.condition(models.RelocatedHousehold.site_area_code))
        if site_id is not None:
            count_stmt = count_stmt.where(models.RelocatedHousehold.site_id == site_id)
        total = int(uow.session.scalar(count_stmt) or 0)
        ctx.progress("读取搬迁户", 0, total, force=True)

        content, count = xlsx_bytes("搬迁户台账", HEADERS, ctx.counted(
            household_rows(uow.session, scope, viewer, site_id), total))
    name = f"搬迁户台账-{('安置点' + str(site_id)) if site_id else (area_code or '全部')}.xlsx"
    return ctx.deliver_personal_workbook(uow, "relocated_households", site_id, area_code, name, content, count)
