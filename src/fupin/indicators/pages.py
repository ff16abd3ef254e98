"""Dashboard pages: key figures with their trend, ranking of child areas, coverage gaps, households needing
action; every figure opens into the records behind it; downloads of the xlsx and the narrative report."""

from __future__ import annotations

import datetime as dt
import json

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import func, select

from fupin.core.areacodes import LEVEL_ORDER, AreaLevel, level_of
from fupin.indicators import drilldown, engine, reports
from fupin.indicators.api import DOCX, XLSX
from fupin.indicators.catalogue import BY_CODE
from fupin.web.deps import PageUser, SessionDep, verify_csrf
from fupin.web.templating import current_area_code, render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

KEY_FIGURES = ("registered_households", "remaining_poor_households", "remaining_poor_people", "poverty_incidence",
               "exited_households_year", "eligible_not_exited", "pairing_coverage", "visit_recency_rate",
               "transfer_rate", "relocation_moved_in_rate")
TREND = ("remaining_poor_people", "poverty_incidence", "exited_people_year")
RANKED = ("poverty_incidence", "remaining_poor_households", "pairing_coverage", "eligible_not_exited")
ACTION = ("eligible_not_exited", "remaining_poor_households", "monitored_unstable", "requests_done_on_time")
COVERAGE = ("org_village_branch", "org_village_cooperative", "org_site_org", "org_floating_member_managed",
            "pairing_coverage")
TREND_YEARS = 5


def default_year(session, scope) -> int:  # type: ignore[no-untyped-def]
    """The latest year with a rural population entered for the scope (else last year)."""
    from fupin.indicators.models import RuralPopulation

    latest = session.scalar(select(func.max(RuralPopulation.year)).where(scope.condition(RuralPopulation.area_code)))
    return int(latest) if latest else dt.date.today().year - 1


def _year(request: Request, session, scope) -> int:  # type: ignore[no-untyped-def]
    raw = request.query_params.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default_year(session, scope)


def _area(request: Request, user) -> str:  # type: ignore[no-untyped-def]
    area = request.query_params.get("area") or current_area_code(request) or ""
    if not area or level_of(area) not in engine.ROLLUP_LEVELS:
        area = (user.scope.prefix or "").ljust(12, "0") if user.scope.prefix else ""
    return area


def dashboard_context(session, user, area: str, year: int) -> dict:  # type: ignore[no-untyped-def]
    """The figures of the dashboard (also for a home-page partial)."""
    level = level_of(area)
    below = LEVEL_ORDER[LEVEL_ORDER.index(level) + 1] if level != AreaLevel.village else level
    codes = sorted(set(KEY_FIGURES) | set(RANKED) | set(ACTION) | set(COVERAGE))
    table = engine.compute(session, user.scope, area, year, below, codes)
    trend_years = list(range(year - TREND_YEARS + 1, year + 1))
    trend = {code: [None if v is None else float(v) for v in values]
             for code, values in engine.trend(session, user.scope, area, trend_years).items()}
    children = [r for r in table.rows[1:] if r.level == below]
    ranked = sorted(children, key=lambda r: (r.values["poverty_incidence"].value is None,
                                              -(r.values["poverty_incidence"].value or 0)))
    chart = {"years": trend_years, "trend": trend,
             "ranking": {"names": [r.name for r in ranked[:15]],
                         "values": [None if r.values["poverty_incidence"].value is None
                                    else float(r.values["poverty_incidence"].value) for r in ranked[:15]]}}
    return {"area": area, "year": year, "table": table, "root": table.root(), "children": ranked,
            "by_code": BY_CODE, "key_figures": KEY_FIGURES, "ranked": RANKED, "action": ACTION,
            "coverage": COVERAGE, "chart_json": json.dumps(chart, ensure_ascii=False),
            "shown": reports.shown}


@router.get("/indicators")
def dashboard_page(request: Request, session: SessionDep, user: PageUser):
    area = _area(request, user)
    if not area:
        return render(request, "indicators/dashboard.html", {"area": "", "year": None})
    year = _year(request, session, user.scope.narrowed_to(area))
    return render(request, "indicators/dashboard.html", dashboard_context(session, user, area, year))


@router.get("/indicators/records")
def records_page(request: Request, session: SessionDep, user: PageUser):
    area = _area(request, user)
    code = request.query_params.get("indicator", "registered_households")
    year = _year(request, session, user.scope.narrowed_to(area))
    rows = drilldown.records(session, user.scope, code, area, year)
    indicator = BY_CODE.get(code)
    return render(request, "indicators/records.html", {"area": area, "year": year, "indicator": indicator,
                                                       "rows": rows, "limit": drilldown.DEFAULT_LIMIT})


@router.get("/indicators/report")
def report_download(request: Request, session: SessionDep, user: PageUser):
    area = _area(request, user)
    year = _year(request, session, user.scope.narrowed_to(area))
    fmt = request.query_params.get("format", "md")
    if fmt not in ("md", "docx", "xlsx"):
        fmt = "md"
    level = None if fmt == "xlsx" else level_of(area)
    table = engine.compute(session, user.scope, area, year, level)
    headers = {"Content-Disposition": f'attachment; filename="report_{area}_{year}.{fmt}"'}
    if fmt == "md":
        return Response(reports.to_markdown(table), media_type="text/markdown; charset=utf-8", headers=headers)
    if fmt == "docx":
        return Response(reports.to_docx(table), media_type=DOCX, headers=headers)
    return Response(reports.to_xlsx(table), media_type=XLSX, headers=headers)


def home_context(session, user) -> dict | None:  # type: ignore[no-untyped-def]
    """The key figures of the user's own area, for the home page partial `indicators/_home.html`."""
    if not user.scope.prefix or level_of(user.scope.prefix.ljust(12, "0")) not in engine.ROLLUP_LEVELS:
        return None
    area = user.scope.prefix.ljust(12, "0")
    year = default_year(session, user.scope)
    table = engine.compute(session, user.scope, area, year, level_of(area), KEY_FIGURES)
    return {"area": area, "year": year, "root": table.root(), "by_code": BY_CODE, "key_figures": KEY_FIGURES}
