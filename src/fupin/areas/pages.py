from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse

from fupin.areas import queries
from fupin.web.deps import PageUser, SessionDep, verify_csrf
from fupin.web.templating import AREA_COOKIE, current_area_code, render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)


def _safe_next(target: str) -> str:
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else "/"


@router.get("/areas")
def area_tree(request: Request, session: SessionDep, user: PageUser,
              code: Annotated[str | None, Query()] = None):
    code = code or current_area_code(request) or ""
    if code:
        area = queries.get_area(session, code, user.scope)
        children = queries.children(session, code, user.scope)
        trail = queries.path_names(session, code)
    else:
        area, trail = None, []
        from sqlalchemy import select

        from fupin.areas.models import Area

        children = list(session.scalars(select(Area).where(Area.parent_code.is_(None)).order_by(Area.code)))
    return render(request, "areas/tree.html", {"area": area, "children": children, "trail": trail})


@router.get("/areas/picker")
def area_picker(request: Request, session: SessionDep, user: PageUser,
                q: Annotated[str, Query(max_length=50)] = "", next: str = "/"):
    results = queries.search(session, q, user.scope, limit=15) if q.strip() else []
    return render(request, "areas/picker_results.html", {"results": results, "next": _safe_next(next)})


@router.get("/areas/select")
def area_select(request: Request, session: SessionDep, user: PageUser, code: str, next: str = "/"):
    queries.get_area(session, code, user.scope)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(AREA_COOKIE, code, httponly=True, samesite="lax", max_age=30 * 24 * 3600)
    return response
