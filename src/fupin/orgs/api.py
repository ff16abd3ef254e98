from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from fupin.core.areacodes import validate_code
from fupin.orgs import coverage, queries, service
from fupin.orgs.rules import TreeNode, build_forest
from fupin.orgs.schemas import (
    CadreCreate,
    CadrePublic,
    MemberCreate,
    MemberPublic,
    OrgCreate,
    OrgDissolve,
    OrgEventPublic,
    OrgMove,
    OrgNode,
    OrgPublic,
)
from fupin.web.deps import ApiUser, DbDep, SessionDep, uow_for

router = APIRouter(tags=["orgs 党组织"])


def _node(node: TreeNode) -> OrgNode:
    public = OrgPublic.model_validate(node.label)
    return OrgNode(**public.model_dump(), children=[_node(c) for c in node.children])


@router.get("/orgs", response_model=list[OrgNode])
def org_tree(session: SessionDep, user: ApiUser, area: str | None = None,
             include_dissolved: bool = True) -> list[OrgNode]:
    """The organisation tree of the caller's scope (or of `area` inside it)."""
    scope = user.scope.narrowed_to(area)
    orgs = queries.list_orgs(session, scope, include_dissolved=include_dissolved)
    return [_node(n) for n in build_forest((o.id, o.parent_id, o) for o in orgs)]


@router.post("/orgs", response_model=OrgPublic, status_code=201)
def create_org(body: OrgCreate, db: DbDep, user: ApiUser) -> OrgPublic:
    with uow_for(db, user) as uow:
        return OrgPublic.model_validate(service.create_org(uow, **body.model_dump()))


@router.get("/orgs/{org_id}", response_model=OrgPublic)
def get_org(org_id: int, session: SessionDep, user: ApiUser) -> OrgPublic:
    return OrgPublic.model_validate(queries.get_org(session, org_id, user.scope))


@router.get("/orgs/{org_id}/history", response_model=list[OrgEventPublic])
def org_history(org_id: int, session: SessionDep, user: ApiUser) -> list[OrgEventPublic]:
    queries.get_org(session, org_id, user.scope)
    return [OrgEventPublic.model_validate(e) for e in queries.org_events(session, org_id)]


@router.post("/orgs/{org_id}/move", response_model=OrgPublic)
def move_org(org_id: int, body: OrgMove, db: DbDep, user: ApiUser) -> OrgPublic:
    with uow_for(db, user) as uow:
        return OrgPublic.model_validate(service.move_org(uow, org_id, **body.model_dump()))


@router.post("/orgs/{org_id}/dissolve", response_model=OrgPublic)
def dissolve_org(org_id: int, body: OrgDissolve, db: DbDep, user: ApiUser) -> OrgPublic:
    with uow_for(db, user) as uow:
        return OrgPublic.model_validate(service.dissolve_org(uow, org_id, **body.model_dump()))


@router.get("/orgs/{org_id}/members", response_model=list[MemberPublic])
def org_members(org_id: int, session: SessionDep, user: ApiUser) -> list[MemberPublic]:
    queries.get_org(session, org_id, user.scope)
    return [MemberPublic.model_validate(m) for m in queries.org_members(session, org_id, user.scope)]


@router.post("/party-members", response_model=MemberPublic, status_code=201)
def add_member(body: MemberCreate, db: DbDep, user: ApiUser) -> MemberPublic:
    with uow_for(db, user) as uow:
        return MemberPublic.model_validate(service.add_member(uow, **body.model_dump()))


@router.get("/cadres", response_model=list[CadrePublic])
def list_cadres(session: SessionDep, user: ApiUser, area: str | None = None,
                limit: Annotated[int, Query(ge=1, le=2000)] = 500) -> list[CadrePublic]:
    return [CadrePublic.model_validate(c) for c in queries.list_cadres(session, user.scope.narrowed_to(area), limit)]


@router.post("/cadres", response_model=CadrePublic, status_code=201)
def add_cadre(body: CadreCreate, db: DbDep, user: ApiUser) -> CadrePublic:
    with uow_for(db, user) as uow:
        return CadrePublic.model_validate(service.add_cadre(uow, **body.model_dump()))


@router.get("/coverage")
def get_coverage(session: SessionDep, user: ApiUser, area: str | None = None,
                 gaps: Annotated[int, Query(ge=0, le=5000)] = coverage.DEFAULT_GAP_LIMIT) -> dict[str, Any]:
    """Every coverage rule over the area: covered, total, rate (null with status "no_data") and the gaps."""
    code = validate_code(area) if area else None
    scope = user.scope.narrowed_to(code)
    results = coverage.evaluate(session, scope, gap_limit=gaps)
    return {"area": code or user.area_code, "rules": [r.as_dict() for r in results]}
