"""Dashboard pages: key figures with their trend, ranking of child areas, coverage gaps, households needing
action; every figure opens into the records behind it; downloads of the xlsx and the narrative report; the
village/county exit page (evaluation, steps as a timeline, forms for the next step and the county survey)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from fupin.core.areacodes import LEVEL_ORDER, AreaLevel, level_of, validate_code
from fupin.core.errors import Conflict, FupinError, Invalid
from fupin.core.scoping import Scope
from fupin.indicators import drilldown, engine, reports, rules
from fupin.indicators.api import DOCX, XLSX
from fupin.indicators.catalogue import BY_CODE
from fupin.web.deps import DbDep, PageUser, SessionDep, uow_for, verify_csrf
from fupin.web.forms import form_date, form_text
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
    trend_years = list(range(year - TREND_YEARS + 1, year + 1))
    # A page only reads: the indicator groups run on two connections at once; the trend rides in the registry scan.
    table = engine.compute(session, user.scope, area, year, below, codes, workers=2, trend_years=trend_years)
    assert table.trend is not None
    trend = {code: [None if v is None else float(v) for v in values] for code, values in table.trend.items()}
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


# ---------------------------------------------------------------- area exit (贫困村退出 / 贫困县摘帽)

EXIT_LEVELS = (AreaLevel.village, AreaLevel.township, AreaLevel.county)  # a township page lists its villages
SURVEY_FIELDS = {"sampled_exited": "抽查已脱贫户数", "wrong_exits": "其中错退户数",
                 "sampled_households": "抽查农户数", "missed_registrations": "其中漏评户数",
                 "approval_asked": "认可度调查户数", "approval_yes": "其中认可户数"}
NOTE_MAX = 500
SURVEYOR_MAX = 120


def _exit_area(raw: str | None, user) -> str:  # type: ignore[no-untyped-def]
    """The area of an exit page or form: inside the user's scope (else NotFound), a village, township or county."""
    code = validate_code(raw) if raw else (user.scope.prefix.ljust(12, "0") if user.scope.prefix else "")
    if not code:
        raise Invalid("请给出区划代码 area", field="area")
    user.scope.narrowed_to(code)
    if level_of(code) not in EXIT_LEVELS:
        raise Invalid("只有村和县可以退出评估(乡镇可查看所辖各村)", field="area")
    return code


def _exit_year(raw: object, session, scope) -> int:  # type: ignore[no-untyped-def]
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else default_year(session, scope)


def _figure_checks(evaluation) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """Each evaluated figure with its standard and whether it meets it (None: no figure)."""
    figures = evaluation.figures
    limits = {"incidence": (figures.get("incidence_limit"), "below"),
              "wrong_exit_rate": (str(rules.WRONG_EXIT_LIMIT), "below"),
              "missed_rate": (str(rules.MISSED_LIMIT), "below"),
              "approval_rate": (str(rules.APPROVAL_MIN), "at_least")}
    checks = {}
    for key, (limit, kind) in limits.items():
        if key not in figures and key != "incidence":
            continue
        raw = figures.get(key)
        value = None if raw is None else Decimal(raw)
        ok = None if value is None else (value < Decimal(limit) if kind == "below" else value >= Decimal(limit))
        checks[key] = {"value": raw, "limit": limit, "kind": kind, "ok": ok}
    return checks


def villages_exit_status(session, scope, area: str, year: int) -> list[dict]:  # type: ignore[no-untyped-def]
    """Every village below `area` with its evaluation and recorded status: one roll-up call and one query."""
    from fupin.indicators.models import AreaExit

    table = engine.compute(session, scope, area, year, AreaLevel.village, ["poverty_incidence"])
    recorded = dict(session.execute(select(AreaExit.area_code, AreaExit.status).where(
        Scope.of_area(area).condition(AreaExit.area_code), AreaExit.year == year,
        AreaExit.level == "village")).all())
    out = []
    for row in table.at_level(AreaLevel.village):
        incidence = row.values["poverty_incidence"].value
        evaluation = rules.evaluate_area_exit(row.code, "village",
                                              incidence if isinstance(incidence, Decimal) else None)
        out.append({"code": row.code, "name": row.name, "incidence": incidence,
                    "limit": rules.incidence_limit(row.code), "passed": evaluation.passed,
                    "reasons": evaluation.reasons, "status": recorded.get(row.code)})
    return out


def area_exit_context(session, user, code: str, year: int) -> dict:  # type: ignore[no-untyped-def]
    from fupin.areas.queries import get_area
    from fupin.indicators import area_exit
    from fupin.indicators.models import AreaExit, AreaExitSurvey

    area = get_area(session, code, user.scope)
    level = level_of(code)
    context: dict = {"area": code, "area_name": area.name, "level": level.value, "year": year,
                     "today": dt.date.today(), "can_write": user.can_write, "evaluation": None, "checks": {},
                     "record": None, "steps": [], "step_order": [s for s, _ in rules.AREA_EXIT_STEPS],
                     "next_step": None, "survey": None, "villages": None, "errors": {}, "form": {},
                     "failed_form": None, "survey_fields": SURVEY_FIELDS}
    if level in (AreaLevel.village, AreaLevel.county):
        evaluation = area_exit.evaluate(session, user.scope, code, year)
        record = session.scalar(select(AreaExit).where(AreaExit.area_code == code, AreaExit.year == year))
        steps = [] if record is None else area_exit.steps_of(session, record.id)
        context |= {"evaluation": evaluation, "checks": _figure_checks(evaluation), "record": record,
                    "steps": steps, "next_step": rules.next_step([s.step for s in steps])}
        if level == AreaLevel.county:
            context["survey"] = session.scalar(select(AreaExitSurvey).where(AreaExitSurvey.area_code == code,
                                                                            AreaExitSurvey.year == year))
    if level in (AreaLevel.township, AreaLevel.county):
        context["villages"] = villages_exit_status(session, user.scope, code, year)
    return context


@router.get("/indicators/area-exit")
def area_exit_page(request: Request, session: SessionDep, user: PageUser):
    code = _exit_area(request.query_params.get("area") or current_area_code(request), user)
    year = _exit_year(request.query_params.get("year"), session, user.scope.narrowed_to(code))
    return render(request, "indicators/area_exit.html", area_exit_context(session, user, code, year))


def _not_in_future(day: dt.date, field: str) -> dt.date:
    if day > dt.date.today():
        raise Invalid(f"日期{day.isoformat()}晚于今天,不能登记未发生的事", field=field)
    return day


def _posted_date(form, name: str) -> dt.date:  # type: ignore[no-untyped-def]
    if not str(form.get(name) or "").strip():
        raise Invalid("请填写日期", field=name)
    return _not_in_future(form_date(form, name), name)


def _posted_count(form, name: str) -> int:  # type: ignore[no-untyped-def]
    raw = str(form.get(name) or "").strip()
    if not raw:
        raise Invalid(f"请填写{SURVEY_FIELDS[name]}", field=name)
    if not raw.isdigit() or len(raw) > 9:
        raise Invalid(f"{SURVEY_FIELDS[name]}应为不小于0的整数", field=name)
    return int(raw)


def _render_with_errors(request: Request, db, user, code: str, year: int, error: FupinError,  # type: ignore[no-untyped-def]
                        which: str, form) -> Response:
    """The page again, nothing written, the service's (or the form's) message at its field; 422."""
    with db.session_factory() as session:
        context = area_exit_context(session, user, code, year)
    shown = context["next_step"] is not None if which == "step" else context["survey"] is None
    fields = {"step": {"happened_on", "note"}, "survey": set(SURVEY_FIELDS) | {"surveyed_on", "surveyor"}}[which]
    field = error.field if shown and error.field in fields else which
    context |= {"errors": {field: error.message}, "failed_form": which,
                "form": {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}}
    return render(request, "indicators/area_exit.html", context, status_code=422)


async def _exit_form(request: Request, db, user):  # type: ignore[no-untyped-def]
    form = await request.form()
    code = _exit_area(str(form.get("area") or ""), user)
    with db.session_factory() as session:
        year = _exit_year(form.get("year"), session, user.scope.narrowed_to(code))
    return form, code, year


@router.post("/indicators/area-exit/steps")
async def area_exit_step_post(request: Request, db: DbDep, user: PageUser):
    from fupin.indicators import area_exit

    form, code, year = await _exit_form(request, db, user)
    try:
        with uow_for(db, user) as uow:
            happened_on = _posted_date(form, "happened_on")
            note = form_text(form, "note")
            if note is not None and len(note) > NOTE_MAX:
                raise Invalid(f"说明不能超过{NOTE_MAX}字", field="note")
            area_exit.record_step(uow, code, year, str(form.get("step") or ""), happened_on, note)
    except (Invalid, Conflict) as error:
        return _render_with_errors(request, db, user, code, year, error, "step", form)
    return RedirectResponse(f"/indicators/area-exit?area={code}&year={year}&saved=step#steps", status_code=303)


@router.post("/indicators/area-exit/surveys")
async def area_exit_survey_post(request: Request, db: DbDep, user: PageUser):
    from fupin.indicators import area_exit

    form, code, year = await _exit_form(request, db, user)
    try:
        with uow_for(db, user) as uow:
            counts = {name: _posted_count(form, name) for name in SURVEY_FIELDS}
            surveyed_on = _posted_date(form, "surveyed_on")
            surveyor = form_text(form, "surveyor") or ""
            if len(surveyor) > SURVEYOR_MAX:
                raise Invalid(f"调查单位不能超过{SURVEYOR_MAX}字", field="surveyor")
            area_exit.record_survey(uow, code, year, surveyed_on=surveyed_on, surveyor=surveyor, **counts)
    except (Invalid, Conflict) as error:
        return _render_with_errors(request, db, user, code, year, error, "survey", form)
    return RedirectResponse(f"/indicators/area-exit?area={code}&year={year}&saved=survey#survey", status_code=303)
