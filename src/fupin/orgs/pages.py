from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse

from fupin.core.errors import FupinError
from fupin.core.importing import ImportMode
from fupin.orgs import coverage, queries, service
from fupin.orgs.rules import build_forest
from fupin.orgs.vocab import BASE_KINDS, CADRE_POSTS, CADRE_RANKS, ORG_TYPES
from fupin.web.deps import DbDep, PageUser, SessionDep, uow_for, verify_csrf
from fupin.web.templating import current_area_code, render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)
VOCAB = {"org_types": ORG_TYPES, "base_kinds": BASE_KINDS, "ranks": CADRE_RANKS, "posts": CADRE_POSTS}


@router.get("/orgs")
def org_tree(request: Request, session: SessionDep, user: PageUser, dissolved: bool = False):
    scope = user.scope.narrowed_to(current_area_code(request))
    orgs = queries.list_orgs(session, scope, include_dissolved=dissolved)
    forest = build_forest((o.id, o.parent_id, o) for o in orgs)
    return render(request, "orgs/tree.html", {"forest": forest, "count": len(orgs), "dissolved": dissolved, **VOCAB})


@router.get("/orgs/coverage")
def coverage_page(request: Request, session: SessionDep, user: PageUser):
    scope = user.scope.narrowed_to(current_area_code(request))
    results = coverage.evaluate(session, scope, gap_limit=50)
    return render(request, "orgs/coverage.html", {"results": results})


@router.get("/orgs/cadres")
def cadres_page(request: Request, session: SessionDep, user: PageUser):
    scope = user.scope.narrowed_to(current_area_code(request))
    from fupin.pairing.queries import cadre_loads
    from fupin.pairing.rules import configured_quotas

    return render(request, "orgs/cadres.html", {"cadres": queries.list_cadres(session, scope, limit=300),
                                                "loads": cadre_loads(session, scope), "quotas": configured_quotas(),
                                                "today": dt.date.today(), **VOCAB})


@router.get("/orgs/{org_id:int}")
def org_page(request: Request, org_id: int, session: SessionDep, user: PageUser, error: str | None = None):
    org = queries.get_org(session, org_id, user.scope)
    parent = queries.get_org(session, org.parent_id, user.scope) if org.parent_id and \
        user.scope.contains(_parent_area(session, org.parent_id)) else None
    parents = [o for o in queries.list_orgs(session, user.scope, include_dissolved=False) if o.id != org.id]
    return render(request, "orgs/org.html", {
        "org": org, "parent": parent, "events": queries.org_events(session, org.id), "parents": parents,
        "members": queries.org_members(session, org.id, user.scope), "error": error, **VOCAB})


def _parent_area(session, parent_id: int) -> str | None:  # type: ignore[no-untyped-def]
    from fupin.orgs.models import PartyOrg

    parent = session.get(PartyOrg, parent_id)
    return parent.area_code if parent else None


@router.post("/orgs/{org_id:int}/dissolve")
def dissolve(request: Request, org_id: int, db: DbDep, user: PageUser,
             day: Annotated[dt.date, Form()], note: Annotated[str, Form()] = ""):
    try:
        with uow_for(db, user) as uow:
            service.dissolve_org(uow, org_id, day=day, note=note or None)
    except FupinError as error:
        with db.session_factory() as session:
            return org_page(request, org_id, session, user, error=error.message)
    return RedirectResponse(f"/orgs/{org_id}", status_code=303)


@router.post("/orgs/{org_id:int}/move")
def move(request: Request, org_id: int, db: DbDep, user: PageUser, parent_id: Annotated[str, Form()] = "",
         note: Annotated[str, Form()] = ""):
    try:
        with uow_for(db, user) as uow:
            service.move_org(uow, org_id, parent_id=int(parent_id) if parent_id.isdigit() else None,
                             note=note or None)
    except FupinError as error:
        with db.session_factory() as session:
            return org_page(request, org_id, session, user, error=error.message)
    return RedirectResponse(f"/orgs/{org_id}", status_code=303)


MAX_IMPORT_BYTES = 10 * 1024 * 1024


@router.get("/orgs/import")
def import_page(request: Request, user: PageUser):
    return render(request, "orgs/import.html", {"report": None, "kind": "cadres"})


@router.post("/orgs/import")
async def import_upload(request: Request, db: DbDep, user: PageUser, file: Annotated[UploadFile, File()],
                        kind: Annotated[str, Form()] = "cadres", mode: Annotated[str, Form()] = "all-or-nothing"):
    data = await file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        return render(request, "orgs/import.html", {"report": None, "kind": kind,
                                                    "error": "文件超过10MB,请分批导入"})
    import_mode = ImportMode.skip_invalid if mode == ImportMode.skip_invalid.value else ImportMode.all_or_nothing
    function = service.import_members if kind == "members" else service.import_cadres
    try:
        with uow_for(db, user) as uow:
            report = function(uow, data, import_mode)
    except FupinError as error:
        return render(request, "orgs/import.html", {"report": None, "kind": kind, "error": error.message})
    return render(request, "orgs/import.html", {"report": report, "kind": kind})
