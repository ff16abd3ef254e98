"""Read side of pairing: active helpers per household, pairs with their last visit, organisation pairs.

Cadres, organisations and households belong to other capabilities: they are joined as the subqueries their
queries lend (`orgs.queries.cadres_select`, `org_names_select`, `registry.queries.households_subquery`), never
as tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from fupin.core.scoping import Scope, get_in_scope
from fupin.orgs import queries as org_queries
from fupin.pairing import errors
from fupin.pairing.models import OrgPair, OrgPairHelp, Pair, PairingPlan
from fupin.registry import queries as registry_queries


def active_pair_condition(day: dt.date):  # type: ignore[no-untyped-def]
    return and_(Pair.started_on <= day, or_(Pair.ended_on.is_(None), Pair.ended_on > day))


def _cadres() -> Any:
    return org_queries.cadres_select(Scope.everything()).subquery("cadres")


def helpers_per_household(scope: Scope, day: dt.date | None = None, party_members_only: bool = False) -> Select:
    """household_id, helpers (active helper count) for households of the scope that have at least one.
    Provided to the other capabilities as `pairing.helpers_per_household`."""
    day = day or dt.date.today()
    stmt = (select(Pair.household_id, func.count(Pair.id).label("helpers"))
            .where(scope.condition(Pair.area_code), active_pair_condition(day)))
    if party_members_only:
        cadres = _cadres()
        stmt = stmt.join(cadres, cadres.c.id == Pair.cadre_id).where(cadres.c.is_party_member.is_(True))
    return stmt.group_by(Pair.household_id)


def active_pairs_select(scope: Scope, day: dt.date | None = None) -> Select:
    """id, household_id, cadre_id, area_code, started_on of the pairs active on `day`."""
    day = day or dt.date.today()
    return select(Pair.id, Pair.household_id, Pair.cadre_id, Pair.area_code, Pair.started_on).where(
        scope.condition(Pair.area_code), active_pair_condition(day))


def pairs_with_last_visit(session: Session, scope: Scope, day: dt.date | None = None, limit: int = 500,
                          overdue_days: int | None = None, cadre_id: int | None = None) -> list[dict]:
    """Active pairs with the cadre's last visit to the household; `overdue_days` keeps the ones not visited
    for more than that many days (or never)."""
    day = day or dt.date.today()
    visits = registry_queries.visits_select(scope).subquery("visits_in_scope")
    last_visits = (select(visits.c.household_id, visits.c.cadre_id,
                          func.max(visits.c.visited_on).label("last_visit"))
                   .group_by(visits.c.household_id, visits.c.cadre_id).subquery("last_visits"))
    cadres = _cadres()
    households = registry_queries.households_subquery(scope)
    stmt = (select(Pair.id, Pair.household_id, Pair.cadre_id, Pair.area_code, Pair.started_on,
                   cadres.c.name.label("cadre_name"), cadres.c.rank, households.c.head_name,
                   households.c.household_no, last_visits.c.last_visit)
            .join(cadres, cadres.c.id == Pair.cadre_id)
            .join(households, households.c.id == Pair.household_id)
            .outerjoin(last_visits, and_(last_visits.c.household_id == Pair.household_id,
                                         last_visits.c.cadre_id == Pair.cadre_id))
            .where(scope.condition(Pair.area_code), active_pair_condition(day)))
    if cadre_id is not None:
        stmt = stmt.where(Pair.cadre_id == cadre_id)
    if overdue_days is not None:
        stmt = stmt.where(or_(last_visits.c.last_visit.is_(None),
                              last_visits.c.last_visit < day - dt.timedelta(days=overdue_days)))
    stmt = stmt.order_by(last_visits.c.last_visit.asc().nulls_first(), Pair.id).limit(limit)
    return [dict(row._mapping) for row in session.execute(stmt)]


def visit_follow_up(session: Session, scope: Scope, days: int, day: dt.date | None = None) -> dict[str, int]:
    """Active pairs of the scope and how many of them the cadre visited within `days` days before `day` (the
    pairing page's count; a visit counts for the pair of the cadre who made it)."""
    day = day or dt.date.today()
    visits = registry_queries.visits_select(scope).subquery("visits_in_scope")
    last_visits = (select(visits.c.household_id, visits.c.cadre_id,
                          func.max(visits.c.visited_on).label("last_visit"))
                   .where(visits.c.visited_on <= day)
                   .group_by(visits.c.household_id, visits.c.cadre_id).subquery("last_visits"))
    visited = and_(last_visits.c.last_visit.is_not(None), last_visits.c.last_visit >= day - dt.timedelta(days=days))
    stmt = (select(func.count(Pair.id), func.count(Pair.id).filter(visited))
            .outerjoin(last_visits, and_(last_visits.c.household_id == Pair.household_id,
                                         last_visits.c.cadre_id == Pair.cadre_id))
            .where(scope.condition(Pair.area_code), active_pair_condition(day)))
    pairs, done = session.execute(stmt).one()
    return {"pairs": pairs or 0, "visited": done or 0, "overdue": (pairs or 0) - (done or 0)}


def household_pair_history(session: Session, household_id: int, scope: Scope) -> list[dict]:
    """Every pair of the household (ended ones too), oldest first: id, cadre_id, cadre_name, started_on,
    ended_on, end_reason. Provided as `pairing.household_pair_history`."""
    cadres = _cadres()
    stmt = (select(Pair.id, Pair.cadre_id, cadres.c.name.label("cadre_name"), Pair.started_on, Pair.ended_on,
                   Pair.end_reason)
            .join(cadres, cadres.c.id == Pair.cadre_id)
            .where(Pair.household_id == household_id, scope.condition(Pair.area_code)).order_by(Pair.id))
    return [dict(row._mapping) for row in session.execute(stmt)]


def cadre_loads(session: Session, scope: Scope, day: dt.date | None = None) -> dict[int, int]:
    """cadre id → active pairs in the scope. Provided as `pairing.cadre_loads` (the orgs cadre list)."""
    day = day or dt.date.today()
    stmt = (select(Pair.cadre_id, func.count()).where(scope.condition(Pair.area_code), active_pair_condition(day))
            .group_by(Pair.cadre_id))
    return dict(session.execute(stmt).tuples().all())


def active_pairs_of_cadre(session: Session, cadre_id: int, day: dt.date) -> int:
    return session.scalar(select(func.count()).select_from(Pair).where(
        Pair.cadre_id == cadre_id, active_pair_condition(day))) or 0


def active_pair_exists(session: Session, cadre_id: int, household_id: int, day: dt.date) -> bool:
    return session.scalar(select(Pair.id).where(Pair.cadre_id == cadre_id, Pair.household_id == household_id,
                                                active_pair_condition(day)).limit(1)) is not None


def get_pair(session: Session, pair_id: int, scope: Scope) -> Pair:
    return get_in_scope(session, Pair, pair_id, scope, errors.PAIR_NOT_FOUND)


def get_plan(session: Session, plan_id: int, scope: Scope, *, lock: bool = False) -> PairingPlan:
    return get_in_scope(session, PairingPlan, plan_id, scope, errors.PLAN_NOT_FOUND, lock=lock)


def recent_plans(session: Session, scope: Scope, limit: int = 10) -> list[PairingPlan]:
    return list(session.scalars(select(PairingPlan).where(scope.condition(PairingPlan.area_code))
                                .order_by(PairingPlan.id.desc()).limit(limit)))


def get_org_pair(session: Session, org_pair_id: int, scope: Scope) -> OrgPair:
    return get_in_scope(session, OrgPair, org_pair_id, scope, errors.ORG_PAIR_NOT_FOUND)


def active_org_pair_exists(session: Session, helper_org_id: int, helped_org_id: int) -> bool:
    return session.scalar(select(OrgPair.id).where(OrgPair.helper_org_id == helper_org_id,
                                                   OrgPair.helped_org_id == helped_org_id,
                                                   OrgPair.ended_on.is_(None)).limit(1)) is not None


def org_pairs(session: Session, scope: Scope) -> list[dict]:
    helper = org_queries.org_names_select(Scope.everything()).subquery("helper")
    helped = org_queries.org_names_select(Scope.everything()).subquery("helped")
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
