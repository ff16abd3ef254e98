"""Read side of pairing: active helpers per household, pairs with their last visit, organisation pairs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from fupin.core.errors import NotFound
from fupin.core.scoping import Scope
from fupin.orgs.models import Cadre, PartyOrg
from fupin.pairing.models import OrgPair, OrgPairHelp, Pair, PairingPlan


def active_pair_condition(day: dt.date):  # type: ignore[no-untyped-def]
    return and_(Pair.started_on <= day, or_(Pair.ended_on.is_(None), Pair.ended_on > day))


def helpers_per_household(scope: Scope, day: dt.date | None = None, party_members_only: bool = False) -> Select:
    """household_id, helpers (active helper count) for households of the scope that have at least one."""
    day = day or dt.date.today()
    stmt = (select(Pair.household_id, func.count(Pair.id).label("helpers"))
            .where(scope.condition(Pair.area_code), active_pair_condition(day)))
    if party_members_only:
        stmt = stmt.join(Cadre, Cadre.id == Pair.cadre_id).where(Cadre.is_party_member.is_(True))
    return stmt.group_by(Pair.household_id)


def active_pairs_select(scope: Scope, day: dt.date | None = None) -> Select:
    """id, household_id, cadre_id, area_code, started_on of the pairs active on `day`."""
    day = day or dt.date.today()
    return select(Pair.id, Pair.household_id, Pair.cadre_id, Pair.area_code, Pair.started_on).where(
        scope.condition(Pair.area_code), active_pair_condition(day))


def pairs_with_last_visit(session: Session, scope: Scope, day: dt.date | None = None, limit: int = 500,
                          overdue_days: int | None = None) -> list[dict]:
    """Active pairs with the cadre's last visit to the household; `overdue_days` keeps the ones not visited
    for more than that many days (or never)."""
    from fupin.registry.models import Household
    from fupin.registry.queries import visits_select

    day = day or dt.date.today()
    visits = visits_select(scope).subquery("visits_in_scope")
    last_visits = (select(visits.c.household_id, visits.c.cadre_id,
                          func.max(visits.c.visited_on).label("last_visit"))
                   .group_by(visits.c.household_id, visits.c.cadre_id).subquery("last_visits"))
    stmt = (select(Pair.id, Pair.household_id, Pair.cadre_id, Pair.area_code, Pair.started_on,
                   Cadre.name.label("cadre_name"), Cadre.rank, Household.head_name, Household.household_no,
                   last_visits.c.last_visit)
            .join(Cadre, Cadre.id == Pair.cadre_id)
            .join(Household, Household.id == Pair.household_id)
            .outerjoin(last_visits, and_(last_visits.c.household_id == Pair.household_id,
                                         last_visits.c.cadre_id == Pair.cadre_id))
            .where(scope.condition(Pair.area_code), active_pair_condition(day)))
    if overdue_days is not None:
        stmt = stmt.where(or_(last_visits.c.last_visit.is_(None),
                              last_visits.c.last_visit < day - dt.timedelta(days=overdue_days)))
    stmt = stmt.order_by(last_visits.c.last_visit.asc().nulls_first(), Pair.id).limit(limit)
    return [dict(row._mapping) for row in session.execute(stmt)]


def household_pair_history(session: Session, household_id: int, scope: Scope) -> list[dict]:
    stmt = (select(Pair.id, Pair.cadre_id, Cadre.name.label("cadre_name"), Pair.started_on, Pair.ended_on,
                   Pair.end_reason)
            .join(Cadre, Cadre.id == Pair.cadre_id)
            .where(Pair.household_id == household_id, scope.condition(Pair.area_code)).order_by(Pair.id))
    return [dict(row._mapping) for row in session.execute(stmt)]


def cadre_loads(session: Session, scope: Scope, day: dt.date | None = None) -> dict[int, int]:
    day = day or dt.date.today()
    stmt = (select(Pair.cadre_id, func.count()).where(scope.condition(Pair.area_code), active_pair_condition(day))
            .group_by(Pair.cadre_id))
    return dict(session.execute(stmt).all())


def get_plan(session: Session, plan_id: int, scope: Scope) -> PairingPlan:
    plan = session.get(PairingPlan, plan_id)
    if plan is None or not scope.contains(plan.area_code):
        raise NotFound("结对方案", plan_id)
    return plan


def recent_plans(session: Session, scope: Scope, limit: int = 10) -> list[PairingPlan]:
    return list(session.scalars(select(PairingPlan).where(scope.condition(PairingPlan.area_code))
                                .order_by(PairingPlan.id.desc()).limit(limit)))


def org_pairs(session: Session, scope: Scope) -> list[dict]:
    helper = PartyOrg.__table__.alias("helper")
    helped = PartyOrg.__table__.alias("helped")
    totals = (select(OrgPairHelp.org_pair_id, func.coalesce(func.sum(OrgPairHelp.funds), 0).label("funds"),
                     func.count(OrgPairHelp.project).label("projects"))
              .group_by(OrgPairHelp.org_pair_id).subquery("totals"))
    stmt = (select(OrgPair.id, OrgPair.form, OrgPair.started_on, OrgPair.ended_on, OrgPair.area_code,
                   helper.c.name.label("helper_name"), helped.c.name.label("helped_name"),
                   totals.c.funds, totals.c.projects)
            .join(helper, helper.c.id == OrgPair.helper_org_id)
            .join(helped, helped.c.id == OrgPair.helped_org_id)
            .outerjoin(totals, totals.c.org_pair_id == OrgPair.id)
            .where(scope.condition(OrgPair.area_code)).order_by(OrgPair.id))
    return [dict(row._mapping) for row in session.execute(stmt)]
