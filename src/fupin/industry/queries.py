"""Read side of industry: set-based, always scoped to the caller's area (and, for an entity clerk, the entity).

Other capabilities call these through the plugin's `provides` (orgs' coverage rule `village_cooperative` reads
`branch_led_villages_select`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from fupin.areas.queries import areas_select
from fupin.core.rollup import area_key
from fupin.core.scoping import Scope, require_in_scope
from fupin.core.sql import rows_in
from fupin.industry import errors
from fupin.industry.models import (
    CollectiveIncome,
    DistributionRun,
    IndustryEntity,
    LandContract,
    Membership,
    RentPayment,
    RunPart,
)
from fupin.industry.rules import DEFAULT_COLLECTIVE_TARGET, rent_due
from fupin.registry.queries import households_subquery

MAX_ID = 2**63 - 1


def _valid(key: Any) -> bool:
    return isinstance(key, int) and not isinstance(key, bool) and 0 < key <= MAX_ID


def get_entity(session: Session, entity_id: int, scope: Scope) -> IndustryEntity:
    row = session.get(IndustryEntity, entity_id) if _valid(entity_id) else None
    return require_in_scope(row, row.area_code if row else None, scope, errors.ENTITY_NOT_FOUND, entity_id)


def get_run(session: Session, run_id: int, scope: Scope) -> DistributionRun:
    row = session.get(DistributionRun, run_id) if _valid(run_id) else None
    return require_in_scope(row, row.area_code if row else None, scope, errors.RUN_NOT_FOUND, run_id)


def entities_select(scope: Scope) -> Select:
    return select(IndustryEntity).where(scope.condition(IndustryEntity.area_code)).order_by(
        IndustryEntity.area_code, IndustryEntity.id)


def list_entities(session: Session, scope: Scope, *, entity_id: int | None = None, kind: str | None = None,
                  limit: int = 500) -> list[IndustryEntity]:
    stmt = entities_select(scope)
    if entity_id is not None:
        stmt = stmt.where(IndustryEntity.id == entity_id)
    if kind:
        stmt = stmt.where(IndustryEntity.kind == kind)
    return list(session.scalars(stmt.limit(limit)))


def active_membership(day: dt.date) -> Any:
    return and_(Membership.joined_on <= day, or_(Membership.left_on.is_(None), Membership.left_on > day))


def members_of(session: Session, entity_id: int) -> list[Membership]:
    return list(session.scalars(select(Membership).where(Membership.entity_id == entity_id)
                                .order_by(Membership.area_code, Membership.id)))


def contracts_of(session: Session, entity_id: int) -> list[LandContract]:
    return list(session.scalars(select(LandContract).where(LandContract.entity_id == entity_id)
                                .order_by(LandContract.area_code, LandContract.id)))


def runs_of(session: Session, entity_id: int) -> list[DistributionRun]:
    return list(session.scalars(select(DistributionRun).where(DistributionRun.entity_id == entity_id)
                                .order_by(DistributionRun.id.desc())))


def parts_of(session: Session, run_id: int) -> list[RunPart]:
    order = {"enterprise": 0, "village": 1, "household": 2, "collective": 3}
    parts = list(session.scalars(select(RunPart).where(RunPart.run_id == run_id)
                                 .order_by(RunPart.area_code, RunPart.id)))
    return sorted(parts, key=lambda p: (order.get(p.kind, 9), p.area_code, p.id))


def household_names(session: Session, household_ids: list[int]) -> dict[int, tuple[str, str]]:
    """household id → (household number, head's name), for the pages of an entity or run."""
    h = households_subquery(Scope.everything())
    return {row.id: (row.household_no, row.head_name) for row in rows_in(
        session, lambda chunk: select(h.c.id, h.c.household_no, h.c.head_name).where(h.c.id.in_(chunk)),
        sorted(set(household_ids)))}


@dataclass
class LandTotals:
    contracts: int
    area_mu: Decimal
    rent_due: Decimal
    rent_paid: Decimal


def land_totals(session: Session, contracts: list[LandContract], year: int) -> LandTotals:
    ids = [c.id for c in contracts]
    paid = Decimal("0.00")
    if ids:
        paid = session.scalar(select(func.coalesce(func.sum(RentPayment.paid), 0))
                              .where(RentPayment.contract_id.in_(ids), RentPayment.year == year)) or Decimal("0")
    due = sum((rent_due(c.area_mu, c.rent_per_mu, c.starts_on, c.ends_on, year) for c in contracts),
              Decimal("0.00"))
    return LandTotals(len(contracts), sum((c.area_mu for c in contracts), Decimal("0.00")), due,
                      Decimal(paid).quantize(Decimal("0.01")))


def rent_paid_by_contract(session: Session, contract_ids: list[int], year: int) -> dict[int, Decimal]:
    if not contract_ids:
        return {}
    return dict(session.execute(select(RentPayment.contract_id, RentPayment.paid)
                                .where(RentPayment.contract_id.in_(contract_ids), RentPayment.year == year)).all())


def land_by_village(session: Session, scope: Scope, year: int) -> list[Any]:
    """Land under contract in the year per village: contracts, mu, yearly rent."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    key = area_key(LandContract.area_code)
    return list(session.execute(
        select(key.label("village"), func.count().label("contracts"), func.sum(LandContract.area_mu).label("area_mu"),
               func.sum(LandContract.area_mu * LandContract.rent_per_mu).label("rent"))
        .where(scope.condition(LandContract.area_code), LandContract.starts_on <= end, LandContract.ends_on >= start)
        .group_by(key).order_by(key)))


# ---------------------------------------------------------------- a household's industry (the household page)


@dataclass
class HouseholdIndustry:
    memberships: list[tuple[Membership, str]]
    contracts: list[tuple[LandContract, str]]
    dividends: list[tuple[RunPart, DistributionRun, str]]

    @property
    def empty(self) -> bool:
        return not (self.memberships or self.contracts or self.dividends)


def household_industry(session: Session, scope: Scope, household_id: int, only: int | None = None
                       ) -> HouseholdIndustry:
    """What the household has with entities: memberships, land contracts, dividends of confirmed runs (with
    `only`, with that one entity: what an entity clerk sees)."""
    names = dict(session.execute(select(IndustryEntity.id, IndustryEntity.name)).all()) if household_id else {}
    memberships = list(session.scalars(select(Membership).where(
        Membership.household_id == household_id, scope.condition(Membership.area_code)).order_by(Membership.id)))
    contracts = list(session.scalars(select(LandContract).where(
        LandContract.household_id == household_id, scope.condition(LandContract.area_code))
        .order_by(LandContract.id)))
    dividends = list(session.execute(select(RunPart, DistributionRun).join(
        DistributionRun, DistributionRun.id == RunPart.run_id).where(
        RunPart.household_id == household_id, RunPart.kind == "household", DistributionRun.status == "confirmed",
        scope.condition(RunPart.area_code)).order_by(DistributionRun.id)).all())
    if only is not None:
        memberships = [m for m in memberships if m.entity_id == only]
        contracts = [c for c in contracts if c.entity_id == only]
        dividends = [(p, r) for p, r in dividends if r.entity_id == only]
    return HouseholdIndustry([(m, names.get(m.entity_id, "")) for m in memberships],
                             [(c, names.get(c.entity_id, "")) for c in contracts],
                             [(p, r, names.get(r.entity_id, "")) for p, r in dividends])


# ---------------------------------------------------------------- collective economy


def collective_income_by_village(session: Session, scope: Scope, year: int) -> dict[str, Decimal]:
    key = area_key(CollectiveIncome.area_code)
    return {row[0]: Decimal(row[1]) for row in session.execute(
        select(key, func.sum(CollectiveIncome.amount)).where(scope.condition(CollectiveIncome.area_code),
                                                              CollectiveIncome.year == year).group_by(key))}


def villages_under_target(session: Session, scope: Scope, year: int,
                          target: Decimal = DEFAULT_COLLECTIVE_TARGET) -> list[tuple[str, str, Decimal]]:
    """Every administrative village of the scope whose collective income of the year is below the target:
    (code, name, income), lowest first."""
    incomes = collective_income_by_village(session, scope, year)
    villages = areas_select(scope, levels=("village",)).subquery("villages")
    rows = session.execute(select(villages.c.code, villages.c.name).order_by(villages.c.code)).all()
    under = [(code, name, incomes.get(code, Decimal("0.00"))) for code, name in rows
             if incomes.get(code, Decimal("0")) < target]
    return sorted(under, key=lambda item: (item[2], item[0]))


def collective_incomes(session: Session, scope: Scope, year: int) -> list[CollectiveIncome]:
    return list(session.scalars(select(CollectiveIncome).where(
        scope.condition(CollectiveIncome.area_code), CollectiveIncome.year == year)
        .order_by(CollectiveIncome.area_code, CollectiveIncome.id)))


# ---------------------------------------------------------------- lent to other capabilities


def branch_led_villages_select(scope: Scope, day: dt.date) -> Select:
    """The villages (12-digit codes) of the scope where a cooperative led by a Party organisation works: orgs'
    coverage rule "village_cooperative" counts them as covered (a link both ways: the entity names its org).
    Whether that organisation is still active is orgs' own business (its rule joins its organisations)."""
    return (select(area_key(IndustryEntity.area_code).label("area_code"), IndustryEntity.led_by_org_id)
            .where(scope.condition(IndustryEntity.area_code), IndustryEntity.kind == "cooperative",
                   IndustryEntity.led_by_org_id.is_not(None),
                   or_(IndustryEntity.founded_on.is_(None), IndustryEntity.founded_on <= day)))


def entities_led_by(session: Session, scope: Scope, org_id: int) -> list[tuple[int, str, str]]:
    """(id, name, kind) of the entities an organisation leads (for the organisation's page)."""
    return [tuple(row) for row in session.execute(  # type: ignore[misc]
        select(IndustryEntity.id, IndustryEntity.name, IndustryEntity.kind).where(
            IndustryEntity.led_by_org_id == org_id, scope.condition(IndustryEntity.area_code))
        .order_by(IndustryEntity.id))]


# ---------------------------------------------------------------- what a caller may see


def entity_scope_id(role: str, entity_id: int | None) -> int | None:
    """An entity clerk sees only their own entity (None: no such restriction)."""
    return (entity_id or -1) if role == "entity_clerk" else None


def visible_entity(session: Session, scope: Scope, entity_id: int, only: int | None) -> IndustryEntity:
    entity = get_entity(session, entity_id, scope)
    if only is not None and entity.id != only:
        raise errors.ENTITY_NOT_FOUND(key=entity_id)
    return entity


def visible_run(session: Session, scope: Scope, run_id: int, only: int | None) -> DistributionRun:
    run = get_run(session, run_id, scope)
    if only is not None and run.entity_id != only:
        raise errors.RUN_NOT_FOUND(key=run_id)
    return run


def run_as_dict(session: Session, run: DistributionRun) -> dict[str, Any]:
    """Every part of a run: the enterprise's, every village's share and collective, every household's amount."""
    parts = parts_of(session, run.id)
    names = household_names(session, [p.household_id for p in parts if p.household_id])
    villages: dict[str, dict[str, Any]] = {}
    enterprise = Decimal("0.00")
    for part in parts:
        if part.kind == "enterprise":
            enterprise = part.amount
        elif part.kind == "village":
            villages[part.area_code] = {"area_code": part.area_code, "weight": str(part.weight),
                                        "amount": str(part.amount), "collective": "0.00", "households": []}
        elif part.kind == "collective":
            villages[part.area_code]["collective"] = str(part.amount)
        else:
            number, head = names.get(part.household_id or 0, ("", ""))
            villages[part.area_code]["households"].append(
                {"household_id": part.household_id, "household_no": number, "head_name": head,
                 "amount": str(part.amount)})
    return {"id": run.id, "entity_id": run.entity_id, "period": run.period, "year": run.year, "unit": run.unit,
            "status": run.status, "total": str(run.total), "enterprise_percent": str(run.enterprise_percent),
            "village_basis": run.village_basis, "inside_village": run.inside_village,
            "household_cap": None if run.household_cap is None else str(run.household_cap),
            "income_field": run.income_field, "corrects_id": run.corrects_id, "enterprise": str(enterprise),
            "villages_total": str(sum((Decimal(v["amount"]) for v in villages.values()), Decimal("0.00"))),
            "villages": list(villages.values())}
