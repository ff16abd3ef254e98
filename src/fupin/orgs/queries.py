"""Read side of organisations, members and cadres; every function takes the caller's scope."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from fupin.core.errors import NotFound
from fupin.core.scoping import Scope
from fupin.orgs.models import Cadre, PartyMember, PartyOrg, PartyOrgEvent


def members_select(scope: Scope) -> Select:
    """Active Party members in the scope: id, person_id, name, org_id, area_code, is_floating,
    is_central_household (the contract other capabilities use)."""
    return select(PartyMember.id, PartyMember.person_id, PartyMember.name, PartyMember.org_id,
                  PartyMember.area_code, PartyMember.is_floating, PartyMember.is_central_household
                  ).where(scope.condition(PartyMember.area_code), PartyMember.active.is_(True))


def active_org_condition(day: dt.date):  # type: ignore[no-untyped-def]
    return and_(PartyOrg.founded_on <= day, or_(PartyOrg.dissolved_on.is_(None), PartyOrg.dissolved_on > day))


def orgs_select(scope: Scope, day: dt.date | None = None) -> Select:
    """Organisations in the scope (active on `day` when given)."""
    stmt = select(PartyOrg).where(scope.condition(PartyOrg.area_code))
    if day is not None:
        stmt = stmt.where(active_org_condition(day))
    return stmt.order_by(PartyOrg.area_code, PartyOrg.id)


def list_orgs(session: Session, scope: Scope, include_dissolved: bool = True) -> list[PartyOrg]:
    stmt = orgs_select(scope, None if include_dissolved else dt.date.today())
    return list(session.scalars(stmt))


def get_org(session: Session, org_id: int, scope: Scope) -> PartyOrg:
    org = session.get(PartyOrg, org_id)
    if org is None or not scope.contains(org.area_code):
        raise NotFound("党组织", org_id)
    return org


def org_events(session: Session, org_id: int) -> list[PartyOrgEvent]:
    return list(session.scalars(select(PartyOrgEvent).where(PartyOrgEvent.org_id == org_id)
                                .order_by(PartyOrgEvent.id)))


def org_members(session: Session, org_id: int, scope: Scope) -> list[PartyMember]:
    return list(session.scalars(select(PartyMember).where(
        or_(PartyMember.org_id == org_id, PartyMember.managing_org_id == org_id),
        scope.condition(PartyMember.area_code)).order_by(PartyMember.id)))


def cadres_select(scope: Scope, day: dt.date | None = None) -> Select:
    """Cadres assigned in the scope (active on `day` when given): id, name, work_unit, rank, post, area_code,
    is_party_member, active_from, active_to."""
    stmt = select(Cadre.id, Cadre.name, Cadre.work_unit, Cadre.rank, Cadre.post, Cadre.area_code,
                  Cadre.is_party_member, Cadre.active_from, Cadre.active_to).where(scope.condition(Cadre.area_code))
    if day is not None:
        stmt = stmt.where(Cadre.active_from <= day, or_(Cadre.active_to.is_(None), Cadre.active_to > day))
    return stmt


def get_cadre(session: Session, cadre_id: int, scope: Scope) -> Cadre:
    cadre = session.get(Cadre, cadre_id)
    if cadre is None or not scope.contains(cadre.area_code):
        raise NotFound("帮扶干部", cadre_id)
    return cadre


def list_cadres(session: Session, scope: Scope, limit: int = 500) -> list[Cadre]:
    return list(session.scalars(select(Cadre).where(scope.condition(Cadre.area_code))
                                .order_by(Cadre.area_code, Cadre.id).limit(limit)))
