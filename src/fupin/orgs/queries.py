"""Read side of organisations, members and cadres; every function takes the caller's scope.

Other capabilities read these tables only through the functions below (pairing joins `cadres_select` and
`org_names_select` as subqueries; the registry asks `cadre_in_scope` through the provided hook).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, or_, select
from sqlalchemy.orm import Session

from fupin.core.scoping import Scope, get_in_scope
from fupin.core.sql import rows_in
from fupin.orgs import errors
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


def org_names_select(scope: Scope) -> Select:
    """id, name, area_code of the organisations in the scope (to show names beside another table's ids)."""
    return select(PartyOrg.id, PartyOrg.name, PartyOrg.area_code).where(scope.condition(PartyOrg.area_code))


def list_orgs(session: Session, scope: Scope, include_dissolved: bool = True) -> list[PartyOrg]:
    stmt = orgs_select(scope, None if include_dissolved else dt.date.today())
    return list(session.scalars(stmt))


def get_org(session: Session, org_id: int, scope: Scope, *, lock: bool = False) -> PartyOrg:
    """The organisation when it lies in the scope (NotFound otherwise); `lock` holds its row to the end of the
    transaction (the check-then-write of a use case)."""
    return get_in_scope(session, PartyOrg, org_id, scope, errors.ORG_NOT_FOUND, lock=lock)


def parent_of_every_org(session: Session) -> dict[int, int | None]:
    return dict(session.execute(select(PartyOrg.id, PartyOrg.parent_id)).tuples().all())


def has_open_children(session: Session, org_id: int) -> bool:
    return session.scalar(select(PartyOrg.id).where(PartyOrg.parent_id == org_id, PartyOrg.dissolved_on.is_(None))
                          .limit(1)) is not None


def org_ids_in(session: Session, scope: Scope) -> set[int]:
    return set(session.scalars(select(PartyOrg.id).where(scope.condition(PartyOrg.area_code))))


def org_events(session: Session, org_id: int) -> list[PartyOrgEvent]:
    return list(session.scalars(select(PartyOrgEvent).where(PartyOrgEvent.org_id == org_id)
                                .order_by(PartyOrgEvent.id)))


def org_members(session: Session, org_id: int, scope: Scope) -> list[PartyMember]:
    return list(session.scalars(select(PartyMember).where(
        or_(PartyMember.org_id == org_id, PartyMember.managing_org_id == org_id),
        scope.condition(PartyMember.area_code)).order_by(PartyMember.id)))


def get_member(session: Session, member_id: int, scope: Scope, *, lock: bool = False) -> PartyMember:
    return get_in_scope(session, PartyMember, member_id, scope, errors.MEMBER_NOT_FOUND, lock=lock)


# ---- cadres

CADRE_COLUMNS = (Cadre.id, Cadre.name, Cadre.work_unit, Cadre.rank, Cadre.post, Cadre.area_code,
                 Cadre.is_party_member, Cadre.active_from, Cadre.active_to)


def active_cadre_condition(day: dt.date) -> ColumnElement[bool]:
    return and_(Cadre.active_from <= day, or_(Cadre.active_to.is_(None), Cadre.active_to > day))


def cadres_select(scope: Scope, day: dt.date | None = None) -> Select:
    """Cadres assigned in the scope (active on `day` when given): id, name, work_unit, rank, post, area_code,
    is_party_member, active_from, active_to."""
    stmt = select(*CADRE_COLUMNS).where(scope.condition(Cadre.area_code))
    if day is not None:
        stmt = stmt.where(active_cadre_condition(day))
    return stmt


def posts_above(scope: Scope) -> list[str]:
    """The area codes of the scope's ancestors (a cadre posted there may work inside the scope)."""
    prefix = scope.prefix
    return [prefix[:n].ljust(12, "0") for n in (2, 4, 6, 9, 12) if n < len(prefix)]


def serving_condition(scope: Scope) -> ColumnElement[bool]:
    """A cadre serves the scope when posted inside it or in an area that contains it (a county cadre may help any
    household of the county, also when a township plans)."""
    above = posts_above(scope)
    inside = scope.condition(Cadre.area_code)
    return or_(inside, Cadre.area_code.in_(above)) if above else inside


def cadres_serving_select(scope: Scope, day: dt.date | None = None) -> Select:
    """The columns of `cadres_select` for every cadre who serves the scope (see `serving_condition`)."""
    stmt = select(*CADRE_COLUMNS).where(serving_condition(scope))
    if day is not None:
        stmt = stmt.where(active_cadre_condition(day))
    return stmt


def cadre_in_scope(session: Session, scope: Scope, cadre_id: int, *, lock: bool = False) -> Row[Any] | None:
    """The cadre (id, name, work_unit, rank, post, area_code, is_party_member, active_from, active_to) when he
    serves the scope — posted inside it or above it — else None: a cadre of another area reads as not existing.
    Provided to the other capabilities as `orgs.cadre_in_scope` (visits refuse unknown or foreign cadres)."""
    if not isinstance(cadre_id, int) or isinstance(cadre_id, bool) or not 0 < cadre_id < 2**63:
        return None
    stmt = select(*CADRE_COLUMNS).where(Cadre.id == cadre_id, serving_condition(scope))
    if lock:
        stmt = stmt.with_for_update()
    return session.execute(stmt).one_or_none()


def cadre_of_user(session: Session, user_id: int | None, day: dt.date | None = None) -> Row[Any] | None:
    """The cadre (the columns of `cadres_select`) linked to a login account and in post on `day`, else None.
    Provided as `orgs.cadre_of_user`: a visit logged from that account is the cadre's by default."""
    if user_id is None:
        return None
    stmt = select(*CADRE_COLUMNS).where(Cadre.user_id == user_id,
                                        active_cadre_condition(day or dt.date.today()))
    return session.execute(stmt).one_or_none()


def cadre_names(session: Session, cadre_ids: Iterable[int]) -> dict[int, str]:
    return {row.id: row.name for row in rows_in(
        session, lambda ids: select(Cadre.id, Cadre.name).where(Cadre.id.in_(ids)), cadre_ids)}


def get_cadre(session: Session, cadre_id: int, scope: Scope, *, lock: bool = False) -> Cadre:
    """A cadre posted inside the scope (NotFound otherwise)."""
    return get_in_scope(session, Cadre, cadre_id, scope, errors.CADRE_NOT_FOUND, lock=lock)


def list_cadres(session: Session, scope: Scope, limit: int = 500) -> list[Cadre]:
    return list(session.scalars(select(Cadre).where(scope.condition(Cadre.area_code))
                                .order_by(Cadre.area_code, Cadre.id).limit(limit)))


def cadres_for_export_select(scope: Scope) -> Select:
    """Every cadre of the scope with the phone, for the (audited) cadre list export."""
    return (select(*CADRE_COLUMNS, Cadre.phone).where(scope.condition(Cadre.area_code))
            .order_by(Cadre.area_code, Cadre.id))
