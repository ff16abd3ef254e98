"""Shell pages: home, language switch, and the honest placeholder of every capability not built yet."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from fupin.core.cache import shown
from fupin.core.capability import load_capabilities, provided
from fupin.core.i18n import SUPPORTED_LOCALES
from fupin.core.scoping import Scope
from fupin.web import workyear
from fupin.web.deps import LOCALE_COOKIE, PageUser, SessionDep, verify_csrf
from fupin.web.templating import current_area_code, render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)
placeholder_router = APIRouter(include_in_schema=False)


def _home_figures(session, scope: Scope) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return shown(("home.counts", scope.prefix), lambda: {
        "villages": provided("areas.count_villages")(session, scope),
        "households": provided("registry.count_households")(session, scope),
        "people": provided("registry.count_people")(session, scope)})


@router.get("/")
def home(request: Request, session: SessionDep, user: PageUser):
    area_code = current_area_code(request)
    scope = user.scope.narrowed_to(area_code)
    indicators = provided("indicators.home_context")(session, user, workyear.work_year(request))
    # The indicators partial's figure macro reads `by_code` from the page context.
    return render(request, "home.html", {"figures": _home_figures(session, scope), "indicators": indicators,
                                         "by_code": indicators["by_code"] if indicators else {}})


@router.get("/year")
def switch_work_year(request: Request, user: PageUser, year: str = "", next: str = "/"):
    """The area picker's year: kept for the session, every page opens on it (web/workyear.py)."""
    target = next if next.startswith("/") and not urlsplit(next).netloc else "/"
    response = RedirectResponse(target, status_code=303)
    chosen = workyear.parse_year(year)
    if chosen is not None:
        workyear.keep(request, response, chosen)
    return response


@router.get("/lang/{locale}")
def switch_language(locale: str, request: Request, next: str = "/"):
    target = next if next.startswith("/") and not urlsplit(next).netloc else "/"
    response = RedirectResponse(target, status_code=303)
    if locale in SUPPORTED_LOCALES:
        response.set_cookie(LOCALE_COOKIE, locale, samesite="lax", max_age=365 * 24 * 3600)
    return response


def _placeholder(capability):  # type: ignore[no-untyped-def]
    def page(request: Request, user: PageUser):
        return render(request, "not_built.html", {"capability": capability}, status_code=200)

    return page


for _capability in load_capabilities():
    if not _capability.built:
        placeholder_router.add_api_route(_capability.path, _placeholder(_capability), methods=["GET"])
