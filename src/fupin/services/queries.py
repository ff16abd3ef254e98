"""Read side of services, always scoped: by the area scope, and for a grid leader by the grid bound to the login
(`grid_id`). Households are read through the registry's selects, grids through relocation's lent selects
(`relocation.grids_select`, `relocation.grid_households_select`), Party members and organisations through orgs'
(`orgs.members_select`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from fupin.core.capability import provided
from fupin.core.scoping import Scope
from fupin.services import errors, rules
from fupin.services.models import (
    AidDuty,
    AidTeam,
    AidTeamMember,
    GridLeaderAccount,
    RequestEvent,
    ServiceCategory,
    ServiceRequest,
    Wish,
)

VISIT_EVERY_DAYS = 30  # a grid household not visited for this long is due a visit


def _households() -> Any:
    from fupin.registry.queries import households_select

    return households_select(Scope.everything()).subquery("registry_households")


def visible(model: Any, scope: Scope, grid_id: int | None) -> Any:
    """The records a caller sees: a grid leader the grid's, everybody else the scope's."""
    if grid_id is not None:
        return model.grid_id == grid_id
    return scope.condition(model.area_code)


# ---------------------------------------------------------------- grids


def grid_of_user(session: Session, user_id: int | None) -> int | None:
    if user_id is None:
        return None
    return session.scalar(select(GridLeaderAccount.grid_id).where(GridLeaderAccount.user_id == user_id))


def grid_of_viewer(session: Session, user: Any) -> int | None:
    """For pages and the API: the grid of a grid leader (NO_GRID when unbound); None for other roles."""
    if user.role != "grid":
        return None
    grid = grid_of_user(session, user.id)
    if grid is None:
        raise errors.NO_GRID()
    return grid


def grid_placement(session: Session, household_id: int) -> tuple[int, str] | None:
    """(grid id, the site's area code) of a relocated household placed in a grid, else None."""
    placed = provided("relocation.grid_households_select")(Scope.everything()).subquery()
    row = session.execute(select(placed.c.grid_id, placed.c.site_area_code)
                          .where(placed.c.household_id == household_id).limit(1)).first()
    return None if row is None else (int(row[0]), row[1])


def grid_area(session: Session, grid_id: int, scope: Scope) -> str | None:
    grids = provided("relocation.grids_select")(scope).subquery()
    return session.scalar(select(grids.c.site_area_code).where(grids.c.id == grid_id))


def grids_in(session: Session, scope: Scope) -> list[tuple[int, str]]:
    """(grid id, "site · grid name") of the grids in the scope, for a cadre's grid picker."""
    from fupin.relocation.queries import get_grid

    grids = provided("relocation.grids_select")(scope).subquery()
    ids = [int(r[0]) for r in session.execute(select(grids.c.id).order_by(grids.c.id).limit(100))]
    named = []
    for grid_id in ids:
        grid, site = get_grid(session, grid_id, scope)
        named.append((grid_id, f"{site.name} · {grid.name}"))
    return named


@dataclass
class GridHousehold:
    household_id: int
    household_no: str
    head_name: str
    member_count: int
    open_requests: int
    open_wishes: int
    last_visit: dt.date | None
    visit_due: bool


def grid_day(session: Session, grid_id: int, today: dt.date) -> list[GridHousehold]:
    """The grid leader's day: every household of the grid, its open requests and wishes, its last visit and
    whether a visit is due."""
    from fupin.registry.queries import visits_select

    placed = provided("relocation.grid_households_select")(Scope.everything()).subquery()
    h = _households()
    v = visits_select(Scope.everything()).subquery()
    last = (select(v.c.household_id, func.max(v.c.visited_on).label("last_visit"))
            .where(v.c.household_id.in_(select(placed.c.household_id).where(placed.c.grid_id == grid_id)))
            .group_by(v.c.household_id).subquery())
    requests = (select(ServiceRequest.household_id, func.count().label("n"))
                .where(ServiceRequest.grid_id == grid_id, ServiceRequest.status.in_(rules.OPEN_STATUSES + ("done",)))
                .group_by(ServiceRequest.household_id).subquery())
    wishes = (select(Wish.household_id, func.count().label("n"))
              .where(Wish.grid_id == grid_id, Wish.status.in_(("open", "claimed")))
              .group_by(Wish.household_id).subquery())
    stmt = (select(h.c.id, h.c.household_no, h.c.head_name, h.c.member_count, requests.c.n, wishes.c.n,
                   last.c.last_visit)
            .join(placed, placed.c.household_id == h.c.id)
            .outerjoin(requests, requests.c.household_id == h.c.id)
            .outerjoin(wishes, wishes.c.household_id == h.c.id)
            .outerjoin(last, last.c.household_id == h.c.id)
            .where(placed.c.grid_id == grid_id).order_by(h.c.household_no))
    out = []
    for hid, no, head, members, n_req, n_wish, last_visit in session.execute(stmt):
        due = last_visit is None or (today - last_visit).days >= VISIT_EVERY_DAYS
        out.append(GridHousehold(int(hid), no, head, int(members or 0), int(n_req or 0), int(n_wish or 0),
                                 last_visit, due))
    return out


# ---------------------------------------------------------------- categories


def categories(session: Session, active_only: bool = True) -> list[ServiceCategory]:
    stmt = select(ServiceCategory).order_by(ServiceCategory.code)
    if active_only:
        stmt = stmt.where(ServiceCategory.active.is_(True))
    return list(session.scalars(stmt))


def category_names(session: Session) -> dict[str, str]:
    return {c.code: c.name for c in categories(session, active_only=False)}


# ---------------------------------------------------------------- requests


@dataclass
class RequestRow:
    request: ServiceRequest
    household_no: str
    head_name: str


def list_requests(session: Session, scope: Scope, grid_id: int | None = None, *, status: str | None = None,
                  overdue_on: dt.date | None = None, household_id: int | None = None, limit: int = 100,
                  offset: int = 0) -> list[RequestRow]:
    """Requests the caller sees, newest first; `overdue_on`: only those open past their deadline on that day,
    the most overdue first."""
    h = _households()
    stmt = (select(ServiceRequest, h.c.household_no, h.c.head_name)
            .join(h, h.c.id == ServiceRequest.household_id)
            .where(visible(ServiceRequest, scope, grid_id)))
    if status:
        stmt = stmt.where(ServiceRequest.status == status)
    if household_id:
        stmt = stmt.where(ServiceRequest.household_id == household_id)
    if overdue_on is not None:
        stmt = stmt.where(ServiceRequest.status.in_(rules.OPEN_STATUSES), ServiceRequest.due_on < overdue_on)
        stmt = stmt.order_by(ServiceRequest.due_on, ServiceRequest.id)
    else:
        stmt = stmt.order_by(ServiceRequest.id.desc())
    return [RequestRow(r[0], r[1], r[2]) for r in session.execute(stmt.limit(limit).offset(offset))]


def count_overdue(session: Session, scope: Scope, grid_id: int | None, day: dt.date) -> int:
    """Requests open past their deadline on `day`."""
    return int(session.scalar(select(func.count()).select_from(ServiceRequest).where(
        visible(ServiceRequest, scope, grid_id), ServiceRequest.status.in_(rules.OPEN_STATUSES),
        ServiceRequest.due_on < day)) or 0)


def get_request(session: Session, request_id: int, scope: Scope, grid_id: int | None = None) -> RequestRow:
    h = _households()
    row = session.execute(select(ServiceRequest, h.c.household_no, h.c.head_name)
                          .join(h, h.c.id == ServiceRequest.household_id)
                          .where(ServiceRequest.id == request_id, visible(ServiceRequest, scope, grid_id))).first()
    if row is None:
        raise errors.REQUEST_NOT_FOUND(key=request_id)
    return RequestRow(row[0], row[1], row[2])


def events_of(session: Session, request_id: int) -> list[RequestEvent]:
    return list(session.scalars(select(RequestEvent).where(RequestEvent.request_id == request_id)
                                .order_by(RequestEvent.id)))


def counts_by_status(session: Session, scope: Scope, grid_id: int | None = None) -> dict[str, int]:
    rows = session.execute(select(ServiceRequest.status, func.count()).where(visible(ServiceRequest, scope, grid_id))
                           .group_by(ServiceRequest.status))
    return {r[0]: int(r[1]) for r in rows}


def request_conditions(r: Any, start: dt.date, end: dt.date, today: dt.date) -> dict[str, Any]:
    """The SQL of rules.figures over a request table or subquery `r` (its columns by the model's names)."""
    as_of = min(today, end)
    finished = and_(r.status.in_(rules.FINISHED_STATUSES), r.done_on.is_not(None))
    return {
        "received": and_(r.filed_on >= start, r.filed_on <= end),
        "done": finished,
        "done_on_time": and_(finished, r.done_on <= r.due_on),
        "overdue": or_(and_(finished, r.done_on > r.due_on),
                       and_(r.status.in_(rules.OPEN_STATUSES), r.due_on < as_of)),
        "one_visit": and_(finished, r.one_visit.is_(True)),
        "confirmed": r.status == "confirmed",
        "satisfied": and_(r.status == "confirmed", r.satisfaction == "satisfied"),
    }


def request_figures(session: Session, scope: Scope, start: dt.date, end: dt.date, today: dt.date,
                    grid_id: int | None = None) -> rules.RequestFigures:
    """Figures of the requests received in [start, end] (one query; the same conditions as the indicators)."""
    from fupin.core.rollup import count_if

    conditions = request_conditions(ServiceRequest, start, end, today)
    received = conditions["received"]
    row = session.execute(select(*[count_if(and_(received, c)) if name != "received" else count_if(c)
                                   for name, c in conditions.items()])
                          .where(visible(ServiceRequest, scope, grid_id))).one()
    return rules.RequestFigures(*[int(v or 0) for v in row])


# ---------------------------------------------------------------- wishes


@dataclass
class WishRow:
    wish: Wish
    household_no: str
    head_name: str


def list_wishes(session: Session, scope: Scope, grid_id: int | None = None, *, status: str | None = None,
                limit: int = 100, offset: int = 0) -> list[WishRow]:
    h = _households()
    stmt = (select(Wish, h.c.household_no, h.c.head_name).join(h, h.c.id == Wish.household_id)
            .where(visible(Wish, scope, grid_id)))
    if status:
        stmt = stmt.where(Wish.status == status)
    stmt = stmt.order_by(Wish.posted_on, Wish.id) if status == "open" else stmt.order_by(Wish.id.desc())
    return [WishRow(r[0], r[1], r[2]) for r in session.execute(stmt.limit(limit).offset(offset))]


def get_wish(session: Session, wish_id: int, scope: Scope, grid_id: int | None = None) -> Wish:
    wish = session.scalar(select(Wish).where(Wish.id == wish_id, visible(Wish, scope, grid_id)))
    if wish is None:
        raise errors.WISH_NOT_FOUND(key=wish_id)
    return wish


def wish_counts(session: Session, scope: Scope, grid_id: int | None = None) -> dict[str, int]:
    rows = session.execute(select(Wish.status, func.count()).where(visible(Wish, scope, grid_id))
                           .group_by(Wish.status))
    return {r[0]: int(r[1]) for r in rows}


def member_options(session: Session, scope: Scope, limit: int = 300) -> list[tuple[int, str, int]]:
    """Party members the caller may record a claim for, with the open claims each holds: (id, name, held)."""
    members = provided("orgs.members_select")(scope).subquery()
    held = (select(Wish.member_id, func.count().label("n")).where(Wish.status == "claimed")
            .group_by(Wish.member_id).subquery())
    rows = session.execute(select(members.c.id, members.c.name, held.c.n)
                           .outerjoin(held, held.c.member_id == members.c.id)
                           .order_by(members.c.area_code, members.c.id).limit(limit))
    return [(int(r[0]), r[1], int(r[2] or 0)) for r in rows]


def open_claims(session: Session, member_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(Wish).where(Wish.member_id == member_id,
                                                                         Wish.status == "claimed")) or 0)


# ---------------------------------------------------------------- mutual aid


def org_name(session: Session, org_id: int) -> str | None:
    from fupin.orgs.queries import org_names_select

    names = org_names_select(Scope.everything()).subquery()
    return session.scalar(select(names.c.name).where(names.c.id == org_id))


def migrant_orgs(session: Session, scope: Scope) -> list[tuple[int, str]]:
    """Party organisations a team may be linked to: the county's organisations built on a migrant-worker
    concentration (流动党员党支部; they may sit at the destination but are run from the home county)."""
    from fupin.orgs.queries import list_orgs

    county = Scope(scope.prefix[:6]) if len(scope.prefix) >= 6 else scope
    return [(org.id, org.name) for org in list_orgs(session, county, include_dissolved=False)
            if org.base_kind == "migrant"][:100]


@dataclass
class TeamView:
    team: AidTeam
    head_name: str
    org_name: str | None
    members: list[AidTeamMember]
    duties: list[AidDuty]


def teams(session: Session, scope: Scope, grid_id: int | None = None, limit: int = 100) -> list[TeamView]:
    h = _households()
    stmt = select(AidTeam, h.c.head_name).join(h, h.c.id == AidTeam.household_id)
    if grid_id is not None:
        placed = provided("relocation.grid_households_select")(Scope.everything()).subquery()
        stmt = stmt.where(AidTeam.household_id.in_(select(placed.c.household_id).where(placed.c.grid_id == grid_id)))
    else:
        stmt = stmt.where(scope.condition(AidTeam.area_code))
    found = session.execute(stmt.order_by(AidTeam.id.desc()).limit(limit)).all()
    ids = [t.id for t, _ in found] or [-1]
    members: dict[int, list[AidTeamMember]] = {}
    for m in session.scalars(select(AidTeamMember).where(AidTeamMember.team_id.in_(ids)).order_by(AidTeamMember.id)):
        members.setdefault(m.team_id, []).append(m)
    duties: dict[int, list[AidDuty]] = {}
    for d in session.scalars(select(AidDuty).where(AidDuty.team_id.in_(ids)).order_by(AidDuty.due_on, AidDuty.id)):
        duties.setdefault(d.team_id, []).append(d)
    return [TeamView(t, head, org_name(session, t.migrant_org_id) if t.migrant_org_id else None,
                     members.get(t.id, []), duties.get(t.id, [])) for t, head in found]


def get_team(session: Session, team_id: int, scope: Scope, grid_id: int | None = None) -> TeamView:
    team = session.get(AidTeam, team_id)
    if team is None:
        raise errors.TEAM_NOT_FOUND(key=team_id)
    if grid_id is not None:
        placed = grid_placement(session, team.household_id)
        if placed is None or placed[0] != grid_id:
            raise errors.TEAM_NOT_FOUND(key=team_id)
    elif not scope.contains(team.area_code):
        raise errors.TEAM_NOT_FOUND(key=team_id)
    h = _households()
    head = session.scalar(select(h.c.head_name).where(h.c.id == team.household_id)) or ""
    return TeamView(team, head, org_name(session, team.migrant_org_id) if team.migrant_org_id else None,
                    list(session.scalars(select(AidTeamMember).where(AidTeamMember.team_id == team.id)
                                         .order_by(AidTeamMember.id))),
                    list(session.scalars(select(AidDuty).where(AidDuty.team_id == team.id)
                                         .order_by(AidDuty.due_on, AidDuty.id))))
