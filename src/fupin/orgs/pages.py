"""Pages of organisations, cadres and coverage. Reads use the request's session; each form is parsed by the
API's schema and handed to one use case; a rejected form comes back (422) with what was typed and each error
beside its field."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Path, Request, UploadFile

from fupin.areas import queries as area_queries
from fupin.core.capability import provided
from fupin.core.errors import NotFound
from fupin.core.identity import CurrentUser
from fupin.core.permissions import grant
from fupin.core.personal_data import mask_phone
from fupin.core.sql import MAX_ID
from fupin.orgs import coverage, errors, queries, schemas, service
from fupin.orgs.rules import build_forest
from fupin.orgs.vocab import BASE_KINDS, CADRE_POSTS, CADRE_RANKS, EVENT_KINDS, ORG_TYPES
from fupin.web.deps import PageUow, PageUser, SessionDep, verify_csrf
from fupin.web.forms import FormResult, PageForm, form_of, keep_with_status, redirect_back, submit
from fupin.web.jobs import to_job
from fupin.web.record_forms import RecordForm, add_page
from fupin.web.templating import current_area_code, render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)
VOCAB = {"org_types": ORG_TYPES, "base_kinds": BASE_KINDS, "ranks": CADRE_RANKS, "posts": CADRE_POSTS,
         "event_kinds": EVENT_KINDS}
OrgId = Annotated[int, Path(ge=1, le=MAX_ID)]
MemberId = Annotated[int, Path(ge=1, le=MAX_ID)]
IMPORT_PANEL = "orgs/_import_job.html"


def _may(user: CurrentUser, action: str) -> bool:
    return grant(user.role, action) is not None


def _area_names(session: SessionDep, codes: set[str]) -> dict[str, str]:
    """Area code → its name (the areas capability lends the path), for pages that show words, not codes."""
    names: dict[str, str] = {}
    for code in codes:
        path = provided("areas.path_names")(session, code)
        names[code] = path[-1].name if path else code
    return names


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
    return render(request, "orgs/coverage.html", {"results": results, "may_export": _may(user, "orgs.export")})


@router.post("/orgs/coverage/export")
def coverage_export(request: Request, uow: PageUow):
    return to_job(service.request_coverage_export(uow, current_area_code(request)))


@router.get("/orgs/cadres")
def cadres_page(request: Request, session: SessionDep, user: PageUser):
    scope = user.scope.narrowed_to(current_area_code(request))
    cadres = queries.list_cadres(session, scope, limit=300)
    return render(request, "orgs/cadres.html", {
        "cadres": cadres, "phones": {c.id: mask_phone(c.phone) for c in cadres},
        "loads": provided("pairing.cadre_loads")(session, scope), "quotas": provided("pairing.configured_quotas")(),
        "today": dt.date.today(), "may_export": _may(user, "orgs.export"),
        "may_manage": _may(user, "orgs.cadre.manage"), "area_names": _area_names(session, {c.area_code for c in cadres}),
        **VOCAB})




def _cadre_form(request: Request, session: SessionDep, user: CurrentUser, cadre_id: int | None,
                form: FormResult | None = None, status_code: int = 200):
    cadre = queries.get_cadre(session, cadre_id, user.scope) if cadre_id is not None else None
    account = None
    if cadre is not None and cadre.user_id is not None:
        account = provided("accounts.usernames_of")(session, [cadre.user_id]).get(cadre.user_id)
    return render(request, "orgs/cadre_form.html", {
        "cadre": cadre, "account": account, "form": form, "area": current_area_code(request) or user.area_code or "",
        "area_choices": area_queries.area_choices(session, user.scope.narrowed_to(current_area_code(request)),
                                                  ("county", "township", "village")),
        "area_label": "派驻区划",
        "may_manage": _may(user, "orgs.cadre.manage"), "today": dt.date.today(), **VOCAB}, status_code=status_code)


@router.get("/orgs/cadres/new")
def new_cadre_form(request: Request, session: SessionDep, user: PageUser):
    return _cadre_form(request, session, user, None, None)


@router.post("/orgs/cadres/new")
def create_cadre(request: Request, uow: PageUow, session: SessionDep, user: PageUser,
                 form: PageForm[schemas.CadreCreate]):
    return submit(form, lambda data: service.add_cadre(uow, **data.model_dump()),
                  lambda cadre: redirect_back(f"/orgs/cadres/{cadre.id}/edit?saved=1"),
                  lambda status: _cadre_form(request, session, user, None, form, status), keep_with_status)


add_page(router, "/orgs/cadres/{cadre_id:int}/edit", _cadre_form, [
    RecordForm("", schemas.CadreUpdate, "form", "",
               lambda uow, cadre_id, d: service.update_cadre(uow, cadre_id, **d.model_dump()))],
    back=lambda cadre_id, _: f"/orgs/cadres/{cadre_id}/edit?saved=1", keep=keep_with_status)


@router.post("/orgs/cadres/export")
def cadres_export(request: Request, uow: PageUow):
    return to_job(service.request_cadres_export(uow, current_area_code(request)))


def _org_page(request: Request, session: SessionDep, user: CurrentUser, org_id: int, *,
              move_form: FormResult | None = None, dissolve_form: FormResult | None = None,
              member_form: FormResult | None = None, manager_form: FormResult | None = None,
              manager_of: int | None = None, status_code: int = 200):
    org = queries.get_org(session, org_id, user.scope)
    parent = None
    if org.parent_id is not None:
        try:
            parent = queries.get_org(session, org.parent_id, user.scope)
        except NotFound:
            parent = None  # above the caller's scope: not shown
    living = queries.list_orgs(session, user.scope, include_dissolved=False)
    parents = {str(o.id): f"{o.name} #{o.id}" for o in living if o.id != org.id}
    managers = {str(o.id): f"{o.name} #{o.id}" for o in living}
    events = queries.org_events(session, org.id)
    area_names = area_queries.names_of(session, [c for e in events for c in (e.from_area_code, e.to_area_code)])
    return render(request, "orgs/org.html", {
        "org": org, "parent": parent, "events": events, "area_names": area_names, "parents": parents,
        "members": queries.org_members(session, org.id, user.scope), "move_form": move_form,
        "dissolve_form": dissolve_form, "may_manage": _may(user, "orgs.org.manage"), "member_form": member_form,
        "may_add_member": _may(user, "orgs.member.manage"), "manager_form": manager_form, "manager_of": manager_of,
        "managers": managers,
        "may_edit": _may(user, "orgs.org.manage") and org.dissolved_on is None, **VOCAB},
        status_code=status_code)


@router.get("/orgs/new")
def new_org_form(request: Request, session: SessionDep, user: PageUser):
    return _new_org(request, session, user, None)


def _new_org(request: Request, session: SessionDep, user: CurrentUser, form: FormResult | None,
             status_code: int = 200):
    scope = user.scope.narrowed_to(current_area_code(request))
    parents = {str(o.id): o.name for o in queries.list_orgs(session, user.scope, include_dissolved=False)}
    return render(request, "orgs/org_form.html", {
        "form": form, "parents": parents, "area": current_area_code(request) or user.area_code or "",
        "area_choices": area_queries.area_choices(session, scope, ("county", "township", "village")),
        "area_label": "所在区划", "today": dt.date.today(), "may_manage": _may(user, "orgs.org.manage"), **VOCAB},
        status_code=status_code)


@router.post("/orgs/new")
def create_org(request: Request, uow: PageUow, session: SessionDep, user: PageUser,
               form: PageForm[schemas.OrgCreate]):
    return submit(form, lambda data: service.create_org(uow, **data.model_dump()),
                  lambda org: redirect_back(f"/orgs/{org.id}"),
                  lambda status: _new_org(request, session, user, form, status), keep_with_status)


@router.post("/orgs/{org_id:int}/members")
def add_member(request: Request, org_id: OrgId, uow: PageUow, session: SessionDep, user: PageUser,
               form: Annotated[FormResult[schemas.MemberCreate], Depends(form_of(schemas.MemberCreate, org_id=lambda r: int(
                   r.path_params["org_id"])))]):
    return submit(form, lambda data: service.add_member(uow, **data.model_dump()),
                  lambda _: redirect_back(f"/orgs/{org_id}#members"),
                  lambda status: _org_page(request, session, user, org_id, member_form=form, status_code=status),
                  keep_with_status)


@router.post("/orgs/{org_id:int}/members/{member_id:int}/manager")
def set_member_manager(request: Request, org_id: OrgId, member_id: MemberId, uow: PageUow, session: SessionDep,
                       user: PageUser, form: PageForm[schemas.MemberManager]):
    """The organisation that manages a floating member of this branch where he now lives."""
    return submit(form, lambda data: service.set_member_manager(uow, member_id, data.managing_org_id),
                  lambda _: redirect_back(f"/orgs/{org_id}#member-{member_id}"),
                  lambda status: _org_page(request, session, user, org_id, manager_form=form, manager_of=member_id,
                                           status_code=status), keep_with_status)


def _edit_org(request: Request, session: SessionDep, user: CurrentUser, org_id: int,
              form: FormResult | None = None, status_code: int = 200):
    org = queries.get_org(session, org_id, user.scope)
    return render(request, "orgs/org_edit.html", {
        "org": org, "form": form, "may_manage": _may(user, "orgs.org.manage"), **VOCAB}, status_code=status_code)


add_page(router, "/orgs/{org_id:int}/edit", _edit_org, [
    RecordForm("", schemas.OrgUpdate, "form", "", service.update_org)],
    back=lambda org_id, _: f"/orgs/{org_id}/edit?saved=1", keep=keep_with_status)


add_page(router, "/orgs/{org_id:int}", _org_page, (
    RecordForm("dissolve", schemas.OrgDissolve, "dissolve_form", "",
               lambda uow, org_id, d: service.dissolve_org(uow, org_id, **d.model_dump())),
    RecordForm("move", schemas.OrgMove, "move_form", "",
               lambda uow, org_id, d: service.move_org(uow, org_id, **d.model_dump())),
), keep=keep_with_status)


@router.get("/orgs/import")
def import_page(request: Request, user: PageUser):
    return render(request, "orgs/import.html", {"form": None, "may_import": _may(user, "orgs.import")})


@router.post("/orgs/import")
def import_upload(request: Request, uow: PageUow, user: PageUser, file: Annotated[UploadFile, File()],
                  form: PageForm[schemas.ImportRequest]):
    def request_import(request_: schemas.ImportRequest) -> str:
        data = file.file.read(service.MAX_IMPORT_BYTES + 1)
        if len(data) > service.MAX_IMPORT_BYTES:
            raise errors.FILE_TOO_LARGE(field="file", megabytes=service.MAX_IMPORT_BYTES // (1024 * 1024))
        return service.request_import(uow, request_.kind, request_.mode, file.filename or "upload.xlsx", data)

    return submit(form, request_import, lambda job_id: to_job(job_id, IMPORT_PANEL),
                  lambda _status: render(request, "orgs/import.html",
                                         {"form": form, "may_import": _may(user, "orgs.import")}, status_code=422),
                  keep_with_status)
