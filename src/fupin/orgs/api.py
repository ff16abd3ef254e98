"""JSON routes of organisations, members, cadres and coverage: reads on the request's session, each write one use
case on the caller's unit of work."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from fupin.core.areacodes import validate_code
from fupin.core.personal_data import mask_phone
from fupin.core.sql import MAX_ID
from fupin.orgs import coverage, queries, service
from fupin.orgs.rules import TreeNode, build_forest
from fupin.orgs.schemas import (
    AreaRequest,
    CadreCreate,
    CadreEnd,
    CadrePublic,
    CadreUpdate,
    MemberCreate,
    MemberPublic,
    OrgCreate,
    OrgDissolve,
    OrgEventPublic,
    OrgMove,
    OrgNode,
    OrgPublic,
    OrgUpdate,
)
from fupin.web.deps import ApiUow, ApiUser, SessionDep, viewer_of

router = APIRouter(tags=["orgs 党组织"])
OrgId = Annotated[int, Path(ge=1, le=MAX_ID)]
CadreId = Annotated[int, Path(ge=1, le=MAX_ID)]
AreaQuery = Annotated[str | None, Query(max_length=15, description="区划代码 / area code")]


def _node(node: TreeNode) -> OrgNode:
    public = OrgPublic.model_validate(node.label)
    return OrgNode(**public.model_dump(), children=[_node(c) for c in node.children])


def _area(area: str | None) -> str | None:
    return validate_code(area) if area else None


def _job(job_id: str) -> dict[str, str]:
    return {"job_id": job_id, "url": f"/api/v1/jobs/{job_id}"}


@router.get("/orgs", response_model=list[OrgNode])
def org_tree(session: SessionDep, user: ApiUser, area: AreaQuery = None,
             include_dissolved: bool = True) -> list[OrgNode]:
    """The organisation tree of the caller's scope (or of `area` inside it)."""
    scope = user.scope.narrowed_to(_area(area))
    orgs = queries.list_orgs(session, scope, include_dissolved=include_dissolved)
    return [_node(n) for n in build_forest((o.id, o.parent_id, o) for o in orgs)]


@router.post("/orgs", response_model=OrgPublic, status_code=201)
def create_org(body: OrgCreate, uow: ApiUow) -> OrgPublic:
    return OrgPublic.model_validate(service.create_org(uow, **body.model_dump()))


@router.get("/orgs/{org_id}", response_model=OrgPublic)
def get_org(org_id: OrgId, session: SessionDep, user: ApiUser) -> OrgPublic:
    return OrgPublic.model_validate(queries.get_org(session, org_id, user.scope))


@router.patch("/orgs/{org_id}", response_model=OrgPublic)
def update_org(org_id: OrgId, body: OrgUpdate, uow: ApiUow) -> OrgPublic:
    """Correct an organisation's name, type, base, founding date or secretary (send every field with the
    `version` read; a stale version is 409). Its parent and area change through `move`."""
    return OrgPublic.model_validate(service.update_org(uow, org_id, body))


@router.get("/orgs/{org_id}/history", response_model=list[OrgEventPublic])
def org_history(org_id: OrgId, session: SessionDep, user: ApiUser) -> list[OrgEventPublic]:
    queries.get_org(session, org_id, user.scope)
    return [OrgEventPublic.model_validate(e) for e in queries.org_events(session, org_id)]


@router.post("/orgs/{org_id}/move", response_model=OrgPublic)
def move_org(org_id: OrgId, body: OrgMove, uow: ApiUow) -> OrgPublic:
    return OrgPublic.model_validate(service.move_org(uow, org_id, **body.model_dump()))


@router.post("/orgs/{org_id}/dissolve", response_model=OrgPublic)
def dissolve_org(org_id: OrgId, body: OrgDissolve, uow: ApiUow) -> OrgPublic:
    return OrgPublic.model_validate(service.dissolve_org(uow, org_id, **body.model_dump()))


@router.get("/orgs/{org_id}/members", response_model=list[MemberPublic])
def org_members(org_id: OrgId, session: SessionDep, user: ApiUser) -> list[MemberPublic]:
    queries.get_org(session, org_id, user.scope)
    return [MemberPublic.model_validate(m) for m in queries.org_members(session, org_id, user.scope)]


@router.post("/party-members", response_model=MemberPublic, status_code=201)
def add_member(body: MemberCreate, uow: ApiUow) -> MemberPublic:
    """A member of a branch in the caller's scope; `area_code`, when given, must be an existing area of the scope."""
    return MemberPublic.model_validate(service.add_member(uow, **body.model_dump()))


@router.get("/cadres", response_model=list[CadrePublic])
def list_cadres(session: SessionDep, user: ApiUser, area: AreaQuery = None,
                limit: Annotated[int, Query(ge=1, le=2000)] = 500) -> list[CadrePublic]:
    """Cadres posted in the scope; phones masked in a list (the audited export gives them per role)."""
    cadres = queries.list_cadres(session, user.scope.narrowed_to(_area(area)), limit)
    return [CadrePublic.model_validate(c).model_copy(update={"phone": mask_phone(c.phone) or None})
            for c in cadres]


@router.get("/cadres/{cadre_id}", response_model=CadrePublic)
def get_cadre(cadre_id: CadreId, session: SessionDep, user: ApiUser) -> CadrePublic:
    """One cadre; the phone in full for the roles that see phones."""
    cadre = queries.get_cadre(session, cadre_id, user.scope)
    return CadrePublic.model_validate(cadre).model_copy(update={"phone": viewer_of(user).phone(cadre.phone)})


@router.post("/cadres", response_model=CadrePublic, status_code=201)
def add_cadre(body: CadreCreate, uow: ApiUow) -> CadrePublic:
    cadre = service.add_cadre(uow, **body.model_dump())
    return CadrePublic.model_validate(cadre).model_copy(update={"phone": uow.viewer.phone(cadre.phone)})


@router.put("/cadres/{cadre_id}", response_model=CadrePublic)
def update_cadre(cadre_id: CadreId, body: CadreUpdate, uow: ApiUow) -> CadrePublic:
    """Correct a cadre's record and link the login account he uses (`account`, a username; blank unlinks).
    A stale version or an account linked to another cadre is 409."""
    cadre = service.update_cadre(uow, cadre_id, **body.model_dump())
    return CadrePublic.model_validate(cadre).model_copy(update={"phone": uow.viewer.phone(cadre.phone)})


@router.post("/cadres/{cadre_id}/end", response_model=CadrePublic)
def end_cadre(cadre_id: CadreId, body: CadreEnd, uow: ApiUow) -> CadrePublic:
    """The cadre leaves the post on `day` (once: a second end is 409 `orgs.cadre_already_ended`)."""
    cadre = service.end_cadre(uow, cadre_id, body.day)
    return CadrePublic.model_validate(cadre).model_copy(update={"phone": uow.viewer.phone(cadre.phone)})


@router.post("/cadres/export", status_code=202)
def export_cadres(body: AreaRequest, uow: ApiUow) -> dict[str, str]:
    """The cadre list of the area as .xlsx, made by a background job (audited; phones per role)."""
    return _job(service.request_cadres_export(uow, body.area))


@router.get("/coverage")
def get_coverage(session: SessionDep, user: ApiUser, area: AreaQuery = None,
                 gaps: Annotated[int, Query(ge=0, le=5000)] = coverage.DEFAULT_GAP_LIMIT) -> dict[str, Any]:
    """Every coverage rule over the area: covered, total, rate (null with status "no_data") and the gaps."""
    code = _area(area)
    scope = user.scope.narrowed_to(code)
    results = coverage.evaluate(session, scope, gap_limit=gaps)
    return {"area": code or user.area_code, "rules": [r.as_dict() for r in results]}


@router.post("/coverage/export", status_code=202)
def export_coverage(body: AreaRequest, uow: ApiUow) -> dict[str, str]:
    """Every rule with all its gaps as .xlsx, made by a background job (audited)."""
    return _job(service.request_coverage_export(uow, body.area))
