"""Write routes of services (便民服务), one concrete request each, for the route × role permission test."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from fupin.services.models import AidDuty, AidTeam, AidTeamMember, GridLeaderAccount, ServiceRequest, Wish
from tests.route_examples import Call, Demo, Example

TODAY = dt.date.today().isoformat()


def _near(demo: Demo, model: Any, *where: Any) -> Any:
    """A record as near the demo village as there is one (then its township, then the county)."""
    for prefix in (demo.village_code, demo.township_code[:9], demo.county_code[:6]):
        found = demo.session.scalar(select(model).where(model.area_code.startswith(prefix), *where)
                                    .order_by(model.id).limit(1))
        if found is not None:
            return found
    found = demo.session.scalar(select(model).order_by(model.id).limit(1))
    if found is None:
        raise LookupError(f"the demo has no {model.__tablename__}")
    return found


def _request(demo: Demo, *statuses: str) -> int:
    return _near(demo, ServiceRequest, ServiceRequest.status.in_(statuses)).id


def _household(demo: Demo) -> int:
    from fupin.registry.models import Household

    return demo.session.scalar(select(Household.id).where(Household.area_code.startswith(demo.village_code))
                               .order_by(Household.id).limit(1))


def _grid_household(demo: Demo) -> int:
    from fupin.relocation.models import RelocatedHousehold

    grid = demo.session.scalar(select(GridLeaderAccount.grid_id).order_by(GridLeaderAccount.user_id).limit(1))
    household = demo.session.scalar(select(RelocatedHousehold.household_id).where(RelocatedHousehold.grid_id == grid)
                                    .order_by(RelocatedHousehold.household_id).limit(1))
    return household if household is not None else _household(demo)


def _grid(demo: Demo) -> int:
    return demo.session.scalar(select(GridLeaderAccount.grid_id).order_by(GridLeaderAccount.user_id).limit(1)) or 1


def _team(demo: Demo) -> AidTeam:
    return _near(demo, AidTeam)


def _helper(demo: Demo) -> int:
    return demo.session.scalar(select(AidTeamMember.id).where(AidTeamMember.team_id == _team(demo).id)
                               .order_by(AidTeamMember.id).limit(1))


def _duty(demo: Demo) -> int:
    return _near(demo, AidDuty, AidDuty.status == "open").id


def _member(demo: Demo) -> int:
    from fupin.orgs.models import PartyMember

    return demo.session.scalar(select(PartyMember.id).where(PartyMember.area_code.startswith(demo.county_code[:6]))
                               .order_by(PartyMember.id.desc()).limit(1))


def _file(demo: Demo) -> dict[str, Any]:
    return {"household_id": _grid_household(demo), "category": "documents", "description": "补办户口本"}


def _wish(demo: Demo) -> dict[str, Any]:
    return {"household_id": _grid_household(demo), "title": "一个新书包"}


def _team_body(demo: Demo) -> dict[str, Any]:
    return {"household_id": _grid_household(demo), "name": "互助组", "worker_name": "外出务工人员"}


def _duty_body(demo: Demo) -> dict[str, Any]:
    return {"kind": "farm_work", "helper_id": _helper(demo), "due_on": TODAY, "description": "帮忙收玉米"}


def _visit(demo: Demo) -> dict[str, Any]:
    return {"visited_on": TODAY, "found": "入户走访"}


def _form(data: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) for k, v in data.items()}


def api(path: str, action: str | None, build: Any, method: str = "POST") -> Example:
    return Example(method, "/api/v1" + path, action, build)


def page(path: str, action: str | None, build: Any) -> Example:
    return Example("POST", path, action, build)


EXAMPLES = [
    api("/services/requests", "services.request.file",
        lambda d: Call("/api/v1/services/requests", json=_file(d))),
    api("/services/requests/escalate", "services.request.escalate",
        lambda d: Call("/api/v1/services/requests/escalate", json={})),
    api("/services/requests/{request_id}/assign", "services.request.assign",
        lambda d: Call(f"/api/v1/services/requests/{_request(d, 'open', 'assigned', 'reopened')}/assign",
                       json={"handler": "乡镇便民服务中心"})),
    api("/services/requests/{request_id}/complete", "services.request.complete",
        lambda d: Call(f"/api/v1/services/requests/{_request(d, 'assigned', 'reopened')}/complete",
                       json={"result": "已办结", "one_visit": True})),
    api("/services/requests/{request_id}/confirm", "services.request.confirm",
        lambda d: Call(f"/api/v1/services/requests/{_request(d, 'done')}/confirm", json={"satisfaction": "satisfied"})),
    api("/services/requests/{request_id}/reopen", "services.request.confirm",
        lambda d: Call(f"/api/v1/services/requests/{_request(d, 'done')}/reopen", json={"reason": "没有解决"})),
    api("/services/categories/{code}", "services.category.configure",
        lambda d: Call("/api/v1/services/categories/documents", json={"name": "证照办理", "deadline_days": 3}), "PUT"),
    api("/services/settings/claim-limit", "services.category.configure",
        lambda d: Call("/api/v1/services/settings/claim-limit", json={"limit": 3}), "PUT"),
    api("/services/wishes", "services.wish.post", lambda d: Call("/api/v1/services/wishes", json=_wish(d))),
    api("/services/wishes/{wish_id}/claim", "services.wish.claim",
        lambda d: Call(f"/api/v1/services/wishes/{_near(d, Wish, Wish.status == 'open').id}/claim",
                       json={"member_id": _member(d)})),
    api("/services/wishes/{wish_id}/fulfil", "services.wish.claim",
        lambda d: Call(f"/api/v1/services/wishes/{_near(d, Wish, Wish.status == 'claimed').id}/fulfil",
                       json={"evidence": "照片"})),
    api("/services/teams", "services.mutual_aid.manage", lambda d: Call("/api/v1/services/teams", json=_team_body(d))),
    api("/services/teams/{team_id}/members", "services.mutual_aid.manage",
        lambda d: Call(f"/api/v1/services/teams/{_team(d).id}/members", json={"name": f"新成员{TODAY}"})),
    api("/services/teams/{team_id}/duties", "services.mutual_aid.manage",
        lambda d: Call(f"/api/v1/services/teams/{_team(d).id}/duties", json=_duty_body(d))),
    api("/services/duties/{duty_id}/close", "services.mutual_aid.manage",
        lambda d: Call(f"/api/v1/services/duties/{_duty(d)}/close", json={"outcome": "done"})),
    api("/services/grid-leaders/{username}", "services.grid_leader.bind",
        lambda d: Call("/api/v1/services/grid-leaders/demo_grid", json={"grid_id": _grid(d)}), "PUT"),
    api("/services/grid/households/{household_id}/visits", "registry.visit.add",
        lambda d: Call(f"/api/v1/services/grid/households/{_grid_household(d)}/visits", json=_visit(d))),
    page("/services/requests", "services.request.file", lambda d: Call("/services/requests", data=_form(_file(d)))),
    page("/services/requests/{request_id}/assign", "services.request.assign",
         lambda d: Call(f"/services/requests/{_request(d, 'open', 'assigned', 'reopened')}/assign",
                        data={"handler": "乡镇便民服务中心"})),
    page("/services/requests/{request_id}/complete", "services.request.complete",
         lambda d: Call(f"/services/requests/{_request(d, 'assigned', 'reopened')}/complete",
                        data={"result": "已办结", "one_visit": "on"})),
    page("/services/requests/{request_id}/confirm", "services.request.confirm",
         lambda d: Call(f"/services/requests/{_request(d, 'done')}/confirm", data={"satisfaction": "satisfied"})),
    page("/services/requests/{request_id}/reopen", "services.request.confirm",
         lambda d: Call(f"/services/requests/{_request(d, 'done')}/reopen", data={"reason": "没有解决"})),
    page("/services/escalate", "services.request.escalate", lambda d: Call("/services/escalate", data={})),
    page("/services/wishes", "services.wish.post", lambda d: Call("/services/wishes", data=_form(_wish(d)))),
    page("/services/wishes/{wish_id}/claim", "services.wish.claim",
         lambda d: Call(f"/services/wishes/{_near(d, Wish, Wish.status == 'open').id}/claim",
                        data={"member_id": str(_member(d))})),
    page("/services/wishes/{wish_id}/fulfil", "services.wish.claim",
         lambda d: Call(f"/services/wishes/{_near(d, Wish, Wish.status == 'claimed').id}/fulfil",
                        data={"evidence": "照片"})),
    page("/services/teams", "services.mutual_aid.manage", lambda d: Call("/services/teams", data=_form(_team_body(d)))),
    page("/services/teams/{team_id}/duties", "services.mutual_aid.manage",
         lambda d: Call(f"/services/teams/{_team(d).id}/duties", data=_form(_duty_body(d)))),
    page("/services/duties/{duty_id}/close", "services.mutual_aid.manage",
         lambda d: Call(f"/services/duties/{_duty(d)}/close", data={"outcome": "done"})),
    page("/services/grid/households/{household_id}/visits", "registry.visit.add",
         lambda d: Call(f"/services/grid/households/{_grid_household(d)}/visits", data=_visit(d))),
]
