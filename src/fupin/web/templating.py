"""Jinja2 environment shared by every capability's pages, with gettext and the layout's context."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape

from fupin.core import i18n
from fupin.core.capability import CAPABILITY_MODULES, load_capabilities, provided
from fupin.core.permissions import grant
from fupin.core.personal_data import mask_id_number, mask_phone
from fupin.core.roles import role_name
from fupin.web import workyear

AREA_COOKIE = "fupin_area"


@lru_cache
def environment() -> Environment:
    prefixed = {}
    for name in CAPABILITY_MODULES:
        try:
            prefixed[name] = PackageLoader(f"fupin.{name}", "templates")
        except ValueError:
            continue
    env = Environment(
        loader=ChoiceLoader([PackageLoader("fupin.web", "templates"), PrefixLoader(prefixed)]),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["mask_id"] = mask_id_number
    env.filters["mask_phone"] = mask_phone
    env.globals["role_name"] = lambda role: role_name(role, i18n.current_locale.get())
    env.globals["may"] = lambda user, action: user is not None and grant(user.role, action) is not None
    env.globals["capabilities"] = load_capabilities
    return env


def current_area_code(request: Request) -> str | None:
    """The area the user is looking at: the picker's cookie if it lies in the user's scope, else the user's."""
    user = getattr(request.state, "user", None)
    if user is None:
        return None
    chosen = request.query_params.get("area") or request.cookies.get(AREA_COOKIE)
    if chosen and user.scope.contains(chosen):
        return chosen
    return user.area_code


def render(request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200,
           headers: dict[str, str] | None = None) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    area_code = current_area_code(request)
    base: dict[str, Any] = {
        "request": request,
        "user": user,
        "locale": i18n.current_locale.get(),
        "csrf_token": user.csrf_token if user is not None else getattr(request.state, "login_csrf", None),
        "current_area_code": area_code,
        "current_area": None,
        "current_path": request.url.path,
        "work_year": workyear.work_year(request),
    }
    session = getattr(request.state, "db_session", None)
    if user is not None and area_code and session is not None:
        trail = provided("areas.path_names")(session, area_code)
        base["area_trail"] = trail
        base["current_area"] = trail[-1] if trail else None
    base.update(context or {})
    base["year_choices"] = workyear.year_choices(base["work_year"])
    html = environment().get_template(template).render(base)
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    if user is not None:
        workyear.keep(request, response)
    return response
