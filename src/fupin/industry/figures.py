"""Industry's indicator group (declared in the plugin's `indicator_groups`): branch-led cooperatives, member
households of cooperatives, land transferred (mu), dividends paid (yuan) and villages whose collective income
reaches the target — each one query grouped by village; the records behind each figure for the drill-down.

Figures are whole numbers (the roll-up adds integers): mu and yuan are summed exactly per village and rounded
to the whole unit there (half up), for display; the exact amounts are on the entity and run pages."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, func, select

from fupin.core.rollup import Context, Figures, IndicatorGroup, add, area_key
from fupin.core.scoping import Scope
from fupin.industry.models import (
    CollectiveIncome,
    DistributionRun,
    IndustryEntity,
    LandContract,
    Membership,
    RunPart,
)
from fupin.industry.queries import active_membership
from fupin.industry.rules import DEFAULT_COLLECTIVE_TARGET
from fupin.registry.queries import households_subquery

FIGURES = ("cooperatives", "cooperative_members", "land_transferred_mu", "dividends_paid",
           "villages_collective_income_met")


def _whole(value: Any) -> int:
    return int(Decimal(value or 0).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _led_cooperative(scope: Scope) -> Any:
    return and_(scope.condition(IndustryEntity.area_code), IndustryEntity.kind == "cooperative",
                IndustryEntity.led_by_org_id.is_not(None))


def _land_in_year(ctx: Context) -> Any:
    return and_(ctx.scope.condition(LandContract.area_code), LandContract.starts_on <= ctx.year_end,
                LandContract.ends_on >= ctx.year_start)


def _dividends(ctx: Context) -> Any:
    return and_(ctx.scope.condition(RunPart.area_code), RunPart.kind == "household", DistributionRun.status == "confirmed",
                DistributionRun.unit == "yuan", DistributionRun.year == ctx.year)


def _members_condition(ctx: Context) -> Any:
    return and_(ctx.scope.condition(Membership.area_code), Membership.household_id.is_not(None),
                active_membership(ctx.year_end), IndustryEntity.kind == "cooperative")


def _compute(ctx: Context, figures: Figures) -> None:
    session = ctx.session
    key = area_key(IndustryEntity.area_code)
    for code, count in session.execute(select(key, func.count()).where(_led_cooperative(ctx.scope)).group_by(key)):
        add(figures, code, "cooperatives", count)
    key = area_key(Membership.area_code)
    for code, count in session.execute(
            select(key, func.count(func.distinct(Membership.household_id)))
            .join(IndustryEntity, IndustryEntity.id == Membership.entity_id)
            .where(_members_condition(ctx)).group_by(key)):
        add(figures, code, "cooperative_members", count)
    key = area_key(LandContract.area_code)
    for code, mu in session.execute(select(key, func.sum(LandContract.area_mu)).where(_land_in_year(ctx)).group_by(key)):
        add(figures, code, "land_transferred_mu", _whole(mu))
    key = area_key(RunPart.area_code)
    for code, paid in session.execute(select(key, func.sum(RunPart.amount))
                                      .join(DistributionRun, DistributionRun.id == RunPart.run_id)
                                      .where(_dividends(ctx)).group_by(key)):
        add(figures, code, "dividends_paid", _whole(paid))
    key = area_key(CollectiveIncome.area_code)
    target = DEFAULT_COLLECTIVE_TARGET
    for code, income in session.execute(select(key, func.sum(CollectiveIncome.amount)).where(
            ctx.scope.condition(CollectiveIncome.area_code), CollectiveIncome.year == ctx.year).group_by(key)):
        add(figures, code, "villages_collective_income_met", 1 if Decimal(income or 0) >= target else 0)
        # 0 is still added, so a village with records but under the target shows 0 rather than no data


def _records(ctx: Context, figure: str, limit: int) -> list[dict[str, Any]] | None:
    session = ctx.session
    if figure == "cooperatives":
        rows = session.execute(select(IndustryEntity.id, IndustryEntity.name, IndustryEntity.area_code)
                               .where(_led_cooperative(ctx.scope)).order_by(IndustryEntity.area_code,
                                                                            IndustryEntity.id).limit(limit))
        return [{"entity_id": r.id, "name": r.name, "area_code": r.area_code, "status": "党支部领办合作社"}
                for r in rows]
    if figure == "villages_collective_income_met":
        key = area_key(CollectiveIncome.area_code)
        rows = session.execute(select(key.label("code"), func.sum(CollectiveIncome.amount).label("income")).where(
            ctx.scope.condition(CollectiveIncome.area_code), CollectiveIncome.year == ctx.year).group_by(key)
            .order_by(key))
        return [{"area_code": r.code, "name": f"村集体经济收入 {Decimal(r.income):,.2f} 元", "status": "达标"}
                for r in rows if Decimal(r.income or 0) >= DEFAULT_COLLECTIVE_TARGET][:limit]
    h = households_subquery(Scope.everything())
    if figure == "cooperative_members":
        ids = (select(Membership.household_id).join(IndustryEntity, IndustryEntity.id == Membership.entity_id)
               .where(_members_condition(ctx)))
    elif figure == "land_transferred_mu":
        ids = select(LandContract.household_id).where(_land_in_year(ctx))
    elif figure == "dividends_paid":
        ids = (select(RunPart.household_id).join(DistributionRun, DistributionRun.id == RunPart.run_id)
               .where(_dividends(ctx)))
    else:
        return None
    stmt = (select(h.c.id.label("household_id"), h.c.household_no, h.c.head_name, h.c.area_code, h.c.status,
                   h.c.member_count).where(h.c.id.in_(ids)).order_by(h.c.area_code, h.c.id).limit(limit))
    return [dict(row._mapping) for row in session.execute(stmt)]


GROUPS = {"industry": IndicatorGroup(FIGURES, _compute, _records)}
