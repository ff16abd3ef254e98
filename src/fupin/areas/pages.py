from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse

from fupin.areas import queries, service
from fupin.areas.schemas import GroupCreate
from fupin.web.deps import PageUow, PageUser, SessionDep, verify_csrf
from fupin.web.forms import FormResult, PageForm, redirect_back, submit
from fupin.web.templating import AREA_COOKIE, current_area_code, render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)


def _safe_next(target: str) -> str:
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else "/"


@router.get("/areas")
def area_tree(request: Request, session: SessionDep, user: PageUser,
              code: Annotated[str | None, Query(max_length=15)] = None):
    code = code or current_area_code(request) or ""
    if code:
        area = queries.get_area(session, code, user.scope)
        children = queries.children(session, code, user.scope)
        trail = queries.path_names(session, code)
    else:
        area, trail = None, []
        children = queries.roots(session)
    return render(request, "areas/tree.html", {"area": area, "children": children, "trail": trail, "form": None,
                                               "level_names": LEVEL_NAMES})


LEVEL_NAMES = {"province": "省", "prefecture": "市/州", "county": "县/区", "township": "乡/镇/街道",
               "village": "村/社区", "group": "村民小组"}


@router.post("/areas/{code}/groups")
def create_group(request: Request, code: Annotated[str, Path(max_length=15)], session: SessionDep, uow: PageUow,
                 user: PageUser, form: PageForm[GroupCreate]):
    return submit(form, lambda data: service.create_group(uow, code, data.name),
                  lambda _: redirect_back(f"/areas?code={code}", ok="已新建村民小组"),
                  lambda status: render(request, "areas/tree.html", {
                      "area": queries.get_area(session, code, user.scope),
                      "children": queries.children(session, code, user.scope),
                      "trail": queries.path_names(session, code), "form": form, "level_names": LEVEL_NAMES},
                      status_code=status), FormResult.add_error)


@router.get("/areas/picker")
def area_picker(request: Request, session: SessionDep, user: PageUser,
                q: Annotated[str, Query(max_length=50)] = "", next: Annotated[str, Query(max_length=500)] = "/"):
    results = queries.search(session, q, user.scope, limit=15) if q.strip() else []
    return render(request, "areas/picker_results.html", {"results": results, "next": _safe_next(next)})


@router.get("/areas/select")
def area_select(request: Request, session: SessionDep, user: PageUser, code: Annotated[str, Query(max_length=15)],
                next: Annotated[str, Query(max_length=500)] = "/"):
    queries.get_area(session, code, user.scope)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(AREA_COOKIE, code, httponly=True, samesite="lax", max_age=30 * 24 * 3600)
    return response
