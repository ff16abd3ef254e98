"""Use cases of services (便民服务): the only place services records are written.

Each use case opens the caller's unit of work and asks the permission table first. Time comes in as `now` (the
caller's clock; the current time when not given), so deadlines and escalation are tested at any moment.
A grid leader (role `grid`) acts only for the households of the grid bound to the login (`GridLeaderAccount`);
everybody else acts inside the area scope. Every move of a request holds the request's row (FOR UPDATE on
PostgreSQL; SQLite's writing transaction excludes other writers) while it checks the state machine, so of two
concurrent moves one wins and the other gets 409. A claim holds the wish's row and then the claiming member's row
(read through orgs' `members_select`), so the claim limit holds under concurrent claims.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import func, select

from fupin.core.audit import AuditAction
from fupin.core.capability import provided
from fupin.core.errors import ErrorCode, FupinError, NotFound
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.services import errors, queries, rules
from fupin.services.models import (
    AidDuty,
    AidTeam,
    AidTeamMember,
    GridLeaderAccount,
    RequestEvent,
    ServiceCategory,
    ServiceRequest,
    ServiceSetting,
    Wish,
)

FILED_VIA = {"household": "群众本人", "grid": "网格长代办", "cadre": "干部代办"}
CODE_PATTERN = re.compile(r"^[a-z0-9_]{1,24}$")


def _clock(now: dt.datetime | None) -> tuple[dt.datetime, dt.date]:
    """The moment of the use case and its (local) day."""
    if now is None:
        return dt.datetime.now(dt.UTC), dt.date.today()
    return now, now.date()


# ---------------------------------------------------------------- who may touch which household


def grid_of(uow: UnitOfWork) -> int | None:
    """The grid a grid leader serves (NO_GRID when the login is bound to none); None for every other role."""
    if uow.actor.role != "grid":
        return None
    grid = queries.grid_of_user(uow.session, uow.actor.user_id)
    if grid is None:
        raise errors.NO_GRID()
    return grid


def _household(uow: UnitOfWork, household_id: int) -> tuple[Any, int | None, str]:
    """The household (registry's row), its grid and the area where it is served: the grid's community for a
    relocated household placed in a grid, else its registry area. A grid leader reaches only the grid's
    households; others reach households in their scope by registry area or by the site they moved to."""
    from fupin.registry.queries import get_household

    placed = queries.grid_placement(uow.session, household_id)
    grid = grid_of(uow)
    if grid is not None:
        if placed is None or placed[0] != grid:
            raise errors.HOUSEHOLD_NOT_FOUND(field="household_id", key=household_id)
        household = get_household(uow.session, household_id, Scope.everything())
    else:
        try:
            household = get_household(uow.session, household_id, uow.scope)
        except NotFound:
            if placed is None or not uow.scope.contains(placed[1]):
                raise errors.HOUSEHOLD_NOT_FOUND(field="household_id", key=household_id) from None
            household = get_household(uow.session, household_id, Scope.everything())
    if placed is not None:
        return household, placed[0], placed[1]
    return household, None, household.area_code


def _visible(uow: UnitOfWork, area_code: str, grid_id: int | None) -> bool:
    grid = grid_of(uow)
    if grid is not None:
        return grid_id == grid
    return uow.scope.contains(area_code)


def _held_visible(uow: UnitOfWork, model: Any, key: int, not_found: ErrorCode) -> Any:
    """A request or a wish, re-read and held for the rest of the use case, when the caller may see it (its grid
    for a grid leader, else the area scope); `not_found` otherwise."""
    row = uow.session.execute(uow.locked(select(model).where(model.id == key))
                              .execution_options(populate_existing=True)).scalar_one_or_none()
    if row is None or not _visible(uow, row.area_code, row.grid_id):
        raise not_found(key=key)
    return row


def _filled(text: str | None, problem: ErrorCode, field: str, **values: Any) -> str:
    """The text without its surrounding blanks; `problem` on `field` when nothing is left."""
    text = (text or "").strip()
    if not text:
        raise problem(field=field, **values)
    return text


# ---------------------------------------------------------------- categories and settings


def set_category(uow: UnitOfWork, code: str, name: str, deadline_days: int, active: bool = True) -> ServiceCategory:
    """Add or change a request category and its deadline (办理时限); requests already filed keep theirs."""
    with uow:
        uow.require("services.category.configure")
        if not CODE_PATTERN.match(code or ""):
            raise errors.CATEGORY_CODE(field="code")
        if not rules.MIN_DEADLINE_DAYS <= deadline_days <= rules.MAX_DEADLINE_DAYS:
            raise errors.DEADLINE_RANGE(field="deadline_days", low=rules.MIN_DEADLINE_DAYS,
                                        high=rules.MAX_DEADLINE_DAYS)
        row = uow.session.execute(uow.locked(select(ServiceCategory).where(ServiceCategory.code == code))
                                  ).scalar_one_or_none()
        before = None if row is None else {"name": row.name, "deadline_days": row.deadline_days, "active": row.active}
        if row is None:
            row = ServiceCategory(code=code, name=name.strip()[:40], deadline_days=deadline_days, active=active)
            uow.session.add(row)
        else:
            row.name, row.deadline_days, row.active = name.strip()[:40], deadline_days, active
        uow.flush()
        uow.audit(AuditAction.update if before else AuditAction.create, "service_categories", code, before=before,
                  after={"name": row.name, "deadline_days": deadline_days, "active": active})
        return row


def set_claim_limit(uow: UnitOfWork, limit: int) -> int:
    """How many unfulfilled wishes one Party member may hold at once."""
    with uow:
        uow.require("services.category.configure")
        if not 1 <= limit <= 20:
            raise errors.CLAIM_LIMIT_RANGE(field="limit")
        row = uow.session.execute(uow.locked(select(ServiceSetting).where(ServiceSetting.key == "wish_claim_limit"))
                                  ).scalar_one_or_none()
        before = None if row is None else row.value
        if row is None:
            uow.session.add(ServiceSetting(key="wish_claim_limit", value=limit))
        else:
            row.value = limit
        uow.flush()
        uow.audit(AuditAction.update, "service_settings", "wish_claim_limit", before={"value": before},
                  after={"value": limit})
        return limit


# ---------------------------------------------------------------- requests


def _event(uow: UnitOfWork, request: ServiceRequest, move: str, before: str | None, at: dt.datetime,
           note: str | None = None) -> None:
    uow.session.add(RequestEvent(request_id=request.id, area_code=request.area_code, move=move, from_status=before,
                                 to_status=request.status, happened_at=at, actor_name=uow.actor.name,
                                 note=(note or None) and note[:500]))


def file_request(uow: UnitOfWork, household_id: int, *, category: str, description: str,
                 filed_via: str | None = None, attachments: str | None = None,
                 now: dt.datetime | None = None) -> ServiceRequest:
    """A household's request, filed by the household at the service hall, its grid leader or a cadre; its
    deadline comes from the category."""
    at, today = _clock(now)
    with uow:
        uow.require("services.request.file")
        via = filed_via or ("grid" if uow.actor.role == "grid" else "cadre")
        if via not in FILED_VIA:
            raise errors.UNKNOWN_VIA(field="filed_via", value=via[:16])
        row = uow.session.get(ServiceCategory, category)
        if row is None or not row.active:
            raise errors.UNKNOWN_CATEGORY(field="category", value=category[:24])
        description = _filled(description, errors.TEXT_REQUIRED, "description", what="诉求内容")
        household, grid_id, area_code = _household(uow, household_id)
        request = ServiceRequest(household_id=household.id, county_code=household.county_code, area_code=area_code,
                                 grid_id=grid_id, category_code=row.code, description=description,
                                 attachments=(attachments or "").strip() or None, filed_via=via,
                                 filed_by=uow.actor.name, filed_on=today, deadline_days=row.deadline_days,
                                 due_on=rules.due_on(today, row.deadline_days), status="open",
                                 escalated_to=rules.escalated_area(area_code, 0))
        uow.session.add(request)
        uow.flush()
        _event(uow, request, "file", None, at)
        uow.audit(AuditAction.create, "service_requests", request.id, area_code=area_code,
                  after={"household_id": household.id, "category": row.code, "filed_via": via,
                         "filed_on": today, "due_on": request.due_on})
        return request


def _refused(problem: rules.MoveProblem) -> FupinError:
    move = rules.MOVE_NAMES.get(problem.move, problem.move)
    if problem.kind == "unknown":
        return errors.UNKNOWN_MOVE(field="move", move=problem.move)
    if problem.kind == "finished":
        return errors.REQUEST_CLOSED(field="status", move=move)
    return errors.MOVE_OUT_OF_ORDER(field="status", status=rules.STATUSES.get(problem.status, problem.status),
                                    expected=problem.expected or "", move=move)


def _move(uow: UnitOfWork, request_id: int, move: str, version: int | None) -> tuple[ServiceRequest, str]:
    """Open the move: the action is the permission table's, the request is held, the state machine agrees."""
    if move not in rules.MOVES:
        raise errors.UNKNOWN_MOVE(field="move", move=move)
    uow.require(rules.action_of(move))
    request = _held_visible(uow, ServiceRequest, request_id, errors.REQUEST_NOT_FOUND)
    problem = rules.move_problem(request.status, move)
    if problem is not None:
        raise _refused(problem)
    if version is not None and version != request.version:
        raise errors.STALE(field="version", sent=version, current=request.version)
    before = request.status
    request.status = rules.target_of(move)
    return request, before


def _day(on: dt.date | None, today: dt.date, request: ServiceRequest, field: str) -> dt.date:
    day = on or today
    if day > today:
        raise errors.DATE_IN_FUTURE(field=field)
    if day < request.filed_on:
        raise errors.DATE_BEFORE_FILED(field=field, day=request.filed_on.isoformat())
    return day


def assign_request(uow: UnitOfWork, request_id: int, *, handler: str, note: str | None = None,
                   version: int | None = None, now: dt.datetime | None = None) -> ServiceRequest:
    """交办: name who handles it (a cadre, an office, a unit); a reassignment names another."""
    at, today = _clock(now)
    with uow:
        request, before = _move(uow, request_id, "assign", version)
        handler = _filled(handler, errors.HANDLER_REQUIRED, "handler")
        old_handler = request.handler
        request.handler, request.assigned_on = handler[:120], today
        uow.flush()
        _event(uow, request, "assign", before, at, f"承办:{handler}" + (f";{note}" if note else ""))
        uow.audit(AuditAction.update, "service_requests", request.id, area_code=request.area_code,
                  before={"status": before, "handler": old_handler},
                  after={"status": request.status, "handler": request.handler, "assigned_on": today})
        return request


def complete_request(uow: UnitOfWork, request_id: int, *, result: str, one_visit: bool = False,
                     done_on: dt.date | None = None, version: int | None = None,
                     now: dt.datetime | None = None) -> ServiceRequest:
    """办结: what was done, on which day, and whether the household had to come at most once (最多跑一次)."""
    at, today = _clock(now)
    with uow:
        request, before = _move(uow, request_id, "complete", version)
        day = _day(done_on, today, request, "done_on")
        request.done_on, request.one_visit, request.result = day, one_visit, (result or "").strip()[:500] or None
        uow.flush()
        _event(uow, request, "complete", before, at, request.result)
        uow.audit(AuditAction.update, "service_requests", request.id, area_code=request.area_code,
                  before={"status": before},
                  after={"status": request.status, "done_on": day, "one_visit": one_visit,
                         "on_time": rules.done_on_time(day, request.due_on)})
        return request


def confirm_request(uow: UnitOfWork, request_id: int, *, satisfaction: str, note: str | None = None,
                    version: int | None = None, now: dt.datetime | None = None) -> ServiceRequest:
    """The household confirms it is done (群众确认) with its satisfaction: the request is closed."""
    at, today = _clock(now)
    with uow:
        request, before = _move(uow, request_id, "confirm", version)
        if satisfaction not in rules.SATISFACTION:
            if not satisfaction:
                raise errors.SATISFACTION_REQUIRED(field="satisfaction")
            raise errors.UNKNOWN_SATISFACTION(field="satisfaction", value=satisfaction[:16])
        request.confirmed_on, request.satisfaction = today, satisfaction
        uow.flush()
        _event(uow, request, "confirm", before, at, rules.SATISFACTION[satisfaction] + (f";{note}" if note else ""))
        uow.audit(AuditAction.update, "service_requests", request.id, area_code=request.area_code,
                  before={"status": before}, after={"status": request.status, "confirmed_on": today,
                                                    "satisfaction": satisfaction})
        return request


def reopen_request(uow: UnitOfWork, request_id: int, *, reason: str, version: int | None = None,
                   now: dt.datetime | None = None) -> ServiceRequest:
    """The household is not satisfied that it is done: back to the handler (重新办理), the deadline stands."""
    at, _today = _clock(now)
    with uow:
        request, before = _move(uow, request_id, "reopen", version)
        reason = _filled(reason, errors.REASON_REQUIRED, "reason")
        request.reopened += 1
        request.done_on, request.one_visit = None, None
        uow.flush()
        _event(uow, request, "reopen", before, at, reason)
        uow.audit(AuditAction.update, "service_requests", request.id, area_code=request.area_code,
                  before={"status": before}, after={"status": request.status, "reason": reason[:200]})
        return request


def move_request(uow: UnitOfWork, request_id: int, move: str, *, now: dt.datetime | None = None,
                 **values: Any) -> ServiceRequest:
    """One move by name (the API's and the pages' single entry)."""
    match move:
        case "assign":
            return assign_request(uow, request_id, handler=values.get("handler") or "", note=values.get("note"),
                                  version=values.get("version"), now=now)
        case "complete":
            return complete_request(uow, request_id, result=values.get("result") or "",
                                    one_visit=bool(values.get("one_visit")), done_on=values.get("done_on"),
                                    version=values.get("version"), now=now)
        case "confirm":
            return confirm_request(uow, request_id, satisfaction=values.get("satisfaction") or "",
                                   note=values.get("note"), version=values.get("version"), now=now)
        case "reopen":
            return reopen_request(uow, request_id, reason=values.get("reason") or values.get("note") or "",
                                  version=values.get("version"), now=now)
    raise errors.UNKNOWN_MOVE(field="move", move=move[:20])


def escalate_overdue(uow: UnitOfWork, now: dt.datetime | None = None) -> list[tuple[int, int, str]]:
    """Every open request of the scope past its deadline goes up to the level it is due at (one level the day
    after the deadline, one more per further deadline's length): (request id, level, area answerable)."""
    at, today = _clock(now)
    with uow:
        uow.require("services.request.escalate")
        rows = uow.session.scalars(uow.locked(
            select(ServiceRequest).where(uow.scope.condition(ServiceRequest.area_code),
                                         ServiceRequest.status.in_(rules.OPEN_STATUSES),
                                         ServiceRequest.due_on < today,
                                         ServiceRequest.escalation_level < rules.MAX_ESCALATION)
            .order_by(ServiceRequest.id)).execution_options(populate_existing=True)).all()
        moved: list[tuple[int, int, str]] = []
        for request in rows:
            level = rules.escalation_due(request.due_on, request.deadline_days, today)
            if level <= request.escalation_level:
                continue
            before = request.escalation_level
            request.escalation_level, request.escalated_to = level, rules.escalated_area(request.area_code, level)
            _event(uow, request, "escalate", request.status, at,
                   f"逾期{rules.days_overdue(request.due_on, today)}天,升级至{rules.level_name(request.escalated_to)}")
            uow.audit(AuditAction.update, "service_requests", request.id, area_code=request.area_code,
                      before={"escalation_level": before},
                      after={"escalation_level": level, "escalated_to": request.escalated_to})
            moved.append((request.id, level, request.escalated_to))
        uow.flush()
        return moved


# ---------------------------------------------------------------- wishes


def claim_limit(session: Any) -> int:
    row = session.get(ServiceSetting, "wish_claim_limit")
    return rules.DEFAULT_CLAIM_LIMIT if row is None else int(row.value)


def post_wish(uow: UnitOfWork, household_id: int, *, title: str, description: str | None = None,
              now: dt.datetime | None = None) -> Wish:
    _at, today = _clock(now)
    with uow:
        uow.require("services.wish.post")
        title = _filled(title, errors.TEXT_REQUIRED, "title", what="心愿")
        household, grid_id, area_code = _household(uow, household_id)
        wish = Wish(household_id=household.id, county_code=household.county_code, area_code=area_code,
                    grid_id=grid_id, title=title[:100], description=(description or "").strip() or None,
                    posted_on=today, posted_by=uow.actor.name, status="open")
        uow.session.add(wish)
        uow.flush()
        uow.audit(AuditAction.create, "service_wishes", wish.id, area_code=area_code,
                  after={"household_id": household.id, "title": wish.title, "posted_on": today})
        return wish


def claim_wish(uow: UnitOfWork, wish_id: int, *, member_id: int | None = None, unit_name: str | None = None,
               now: dt.datetime | None = None) -> Wish:
    """A Party member (or a unit paired with the village) claims a wish; a member holds at most the configured
    number of unfulfilled claims. The wish's row, then the member's row, are held to the end."""
    _at, today = _clock(now)
    with uow:
        uow.require("services.wish.claim")
        unit_name = (unit_name or "").strip()
        if member_id is None and not unit_name:
            raise errors.CLAIMER_REQUIRED(field="member_id")
        wish = _held_visible(uow, Wish, wish_id, errors.WISH_NOT_FOUND)
        if wish.status != "open":
            raise errors.WISH_TAKEN(field="member_id")
        if member_id is not None:
            member = _held_member(uow, member_id)
            if member is None:
                raise errors.MEMBER_NOT_FOUND(field="member_id", key=member_id)
            held = uow.session.scalar(select(func.count()).select_from(Wish).where(
                Wish.member_id == member_id, Wish.status == "claimed")) or 0
            limit = claim_limit(uow.session)
            if rules.claim_refused(int(held), limit):
                raise errors.CLAIM_LIMIT(field="member_id", name=member.name, count=held, limit=limit)
            wish.member_id, wish.claimer_name = member_id, member.name
        else:
            wish.member_id, wish.claimer_name = None, unit_name[:120]
        wish.status, wish.claimed_on = "claimed", today
        uow.flush()
        uow.audit(AuditAction.update, "service_wishes", wish.id, area_code=wish.area_code, before={"status": "open"},
                  after={"status": "claimed", "member_id": member_id, "claimer_name": wish.claimer_name,
                         "claimed_on": today})
        return wish


def _held_member(uow: UnitOfWork, member_id: int) -> Any:
    """The claiming member (orgs' `members_select`, in the caller's scope), its row held for the transaction."""
    members = provided("orgs.members_select")(uow.scope)
    column = members.selected_columns.id
    return uow.session.execute(uow.locked(members.where(column == member_id))).first()


def fulfil_wish(uow: UnitOfWork, wish_id: int, *, fulfilled_on: dt.date | None = None, evidence: str,
                now: dt.datetime | None = None) -> Wish:
    _at, today = _clock(now)
    with uow:
        uow.require("services.wish.claim")
        evidence = (evidence or "").strip()
        wish = _held_visible(uow, Wish, wish_id, errors.WISH_NOT_FOUND)
        if wish.status != "claimed":
            raise errors.WISH_NOT_CLAIMED(field="status")
        if not evidence:
            raise errors.EVIDENCE_REQUIRED(field="evidence")
        day = fulfilled_on or today
        if day > today:
            raise errors.DATE_IN_FUTURE(field="fulfilled_on")
        if wish.claimed_on and day < wish.claimed_on:
            raise errors.DATE_BEFORE_FILED(field="fulfilled_on", day=wish.claimed_on.isoformat())
        wish.status, wish.fulfilled_on, wish.evidence = "fulfilled", day, evidence[:500]
        uow.flush()
        uow.audit(AuditAction.update, "service_wishes", wish.id, area_code=wish.area_code,
                  before={"status": "claimed"}, after={"status": "fulfilled", "fulfilled_on": day,
                                                       "evidence": wish.evidence})
        return wish


# ---------------------------------------------------------------- mutual aid for migrant workers' families


def create_team(uow: UnitOfWork, household_id: int, *, name: str, worker_name: str | None = None,
                migrant_org_id: int | None = None, members: list[str] | None = None,
                now: dt.datetime | None = None) -> AidTeam:
    """A mutual-aid team at home for a migrant worker's household, linked to the migrant Party branch (流动党员
    党支部) where there is one (it may sit at the destination, so any organisation of the county's orgs)."""
    _at, today = _clock(now)
    with uow:
        uow.require("services.mutual_aid.manage")
        name = _filled(name, errors.TEXT_REQUIRED, "name", what="互助组名称")
        household, _grid, area_code = _household(uow, household_id)
        if migrant_org_id is not None and queries.org_name(uow.session, migrant_org_id) is None:
            raise errors.ORG_NOT_FOUND(field="migrant_org_id", key=migrant_org_id)
        team = AidTeam(county_code=household.county_code, area_code=area_code, name=name[:100],
                       household_id=household.id, worker_name=(worker_name or "").strip()[:60] or None,
                       migrant_org_id=migrant_org_id, formed_on=today)
        uow.session.add(team)
        uow.flush()
        names: list[str] = []
        for raw in members or []:
            member = raw.strip()[:60]
            if member and member not in names:
                names.append(member)
                uow.session.add(AidTeamMember(team_id=team.id, name=member))
        uow.flush()
        uow.audit(AuditAction.create, "service_aid_teams", team.id, area_code=area_code,
                  after={"household_id": household.id, "name": team.name, "migrant_org_id": migrant_org_id,
                         "members": names})
        return team


def _team(uow: UnitOfWork, team_id: int) -> AidTeam:
    team = uow.session.get(AidTeam, team_id)
    if team is None:
        raise errors.TEAM_NOT_FOUND(key=team_id)
    grid = grid_of(uow)
    if grid is not None:
        placed = queries.grid_placement(uow.session, team.household_id)
        if placed is None or placed[0] != grid:
            raise errors.TEAM_NOT_FOUND(key=team_id)
    elif not uow.scope.contains(team.area_code):
        raise errors.TEAM_NOT_FOUND(key=team_id)
    return team


def add_team_member(uow: UnitOfWork, team_id: int, *, name: str, member_id: int | None = None) -> AidTeamMember:
    with uow:
        uow.require("services.mutual_aid.manage")
        team = _team(uow, team_id)
        if member_id is not None and _held_member(uow, member_id) is None:
            raise errors.MEMBER_NOT_FOUND(field="member_id", key=member_id)
        name = _filled(name, errors.TEXT_REQUIRED, "name", what="成员姓名")[:60]
        if uow.session.scalar(select(AidTeamMember.id).where(AidTeamMember.team_id == team.id,
                                                             AidTeamMember.name == name)) is not None:
            raise errors.TEAM_MEMBER_TWICE(field="name", name=name)
        row = AidTeamMember(team_id=team.id, name=name, member_id=member_id)
        uow.session.add(row)
        uow.flush()  # the (team, name) unique key: a concurrent twin loses here
        uow.audit(AuditAction.create, "service_aid_team_members", row.id, area_code=team.area_code,
                  after={"team_id": team.id, "name": name, "member_id": member_id})
        return row


def assign_duty(uow: UnitOfWork, team_id: int, *, kind: str, helper_id: int, due_on: dt.date,
                description: str | None = None) -> AidDuty:
    with uow:
        uow.require("services.mutual_aid.manage")
        if kind not in rules.DUTY_KINDS:
            raise errors.UNKNOWN_DUTY_KIND(field="kind", value=kind[:20])
        team = _team(uow, team_id)
        helper = uow.session.get(AidTeamMember, helper_id)
        if helper is None or helper.team_id != team.id:
            raise errors.HELPER_NOT_IN_TEAM(field="helper_id")
        duty = AidDuty(team_id=team.id, area_code=team.area_code, kind=kind, helper_id=helper.id, due_on=due_on,
                       description=(description or "").strip()[:300] or None, status="open")
        uow.session.add(duty)
        uow.flush()
        uow.audit(AuditAction.create, "service_aid_duties", duty.id, area_code=team.area_code,
                  after={"team_id": team.id, "kind": kind, "helper": helper.name, "due_on": due_on})
        return duty


def close_duty(uow: UnitOfWork, duty_id: int, *, outcome: str, on: dt.date | None = None, note: str | None = None,
               now: dt.datetime | None = None) -> AidDuty:
    """Done or not done, once."""
    _at, today = _clock(now)
    with uow:
        uow.require("services.mutual_aid.manage")
        duty = uow.session.execute(uow.locked(select(AidDuty).where(AidDuty.id == duty_id))
                                   .execution_options(populate_existing=True)).scalar_one_or_none()
        if duty is None:
            raise errors.DUTY_NOT_FOUND(key=duty_id)
        _team(uow, duty.team_id)
        problem = rules.duty_problem(duty.status, outcome)
        if problem == "unknown":
            raise errors.UNKNOWN_OUTCOME(field="outcome")
        if problem == "closed":
            raise errors.DUTY_CLOSED(field="outcome")
        day = on or today
        if day > today:
            raise errors.DATE_IN_FUTURE(field="on")
        duty.status, duty.closed_on, duty.note = outcome, day, (note or "").strip()[:300] or None
        uow.flush()
        uow.audit(AuditAction.update, "service_aid_duties", duty.id, area_code=duty.area_code,
                  before={"status": "open"}, after={"status": outcome, "closed_on": day})
        return duty


# ---------------------------------------------------------------- the grid leader


def bind_grid_leader(uow: UnitOfWork, username: str, grid_id: int) -> GridLeaderAccount:
    """The grid a grid leader's login serves (one grid per login; binding again moves it)."""
    from fupin.accounts.queries import login_of

    with uow:
        uow.require("services.grid_leader.bind")
        login = login_of(uow.session, username)
        if login is None:
            raise errors.USER_NOT_FOUND(field="username", username=username[:64])
        user_id, role, user_area = login
        if role != "grid":
            raise errors.USER_NOT_GRID_LEADER(field="username", username=username[:64])
        site_area = queries.grid_area(uow.session, grid_id, uow.scope)
        if site_area is None:
            raise errors.GRID_NOT_FOUND(field="grid_id", key=grid_id)
        if not Scope.of_area(user_area).contains(site_area):
            raise errors.GRID_OUTSIDE_USER(field="grid_id", username=username[:64])
        row = uow.session.execute(uow.locked(select(GridLeaderAccount).where(GridLeaderAccount.user_id == user_id))
                                  ).scalar_one_or_none()
        before = None if row is None else {"grid_id": row.grid_id}
        if row is None:
            row = GridLeaderAccount(user_id=user_id, grid_id=grid_id, area_code=site_area)
            uow.session.add(row)
        else:
            row.grid_id, row.area_code = grid_id, site_area
        uow.flush()
        uow.audit(AuditAction.update if before else AuditAction.create, "service_grid_leaders", user_id,
                  area_code=site_area, before=before, after={"username": username, "grid_id": grid_id})
        return row


def log_visit(uow: UnitOfWork, household_id: int, data: Any, today: dt.date | None = None) -> Any:
    """One tap on the grid leader's day: a visit, recorded by the registry's own use case. A grid leader's
    households may be filed in the registry under the villages they moved from; for this use case the grid
    leader acts in the area of the grid's household (checked here first), never wider."""
    from fupin.registry import service as registry_service

    with uow:
        uow.require("registry.visit.add")
        household, _grid, _area = _household(uow, household_id)
        if uow.actor.role != "grid" or uow.scope.contains(household.area_code):
            return registry_service.add_visit(uow, household.id, data, today=today)
        saved = uow.scope
        uow.scope = Scope.of_area(household.area_code)
        try:
            return registry_service.add_visit(uow, household.id, data, today=today)
        finally:
            uow.scope = saved
