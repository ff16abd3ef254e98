"""Dashboard pages: key figures with their trend, ranking of child areas, coverage gaps, households needing
action; every figure opens into the records behind it; the reports (a background job each: the page goes to the
job's panel, which offers the file when it is done); the village/county exit page (evaluation, steps as a
timeline, forms for the next step and the county survey). Handlers read on the request's session and write
through one use case; forms parse with the API's schemas."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from fupin.areas.queries import get_area, names_of
from fupin.core.areacodes import LEVEL_ORDER, AreaCodeError, AreaLevel, level_of, validate_code
from fupin.core.identity import CurrentUser
from fupin.indicators import drilldown, engine, errors, queries, reports, rules, service, snapshots
from fupin.indicators.catalogue import BY_CODE
from fupin.indicators.schemas import YEAR_MAX, YEAR_MIN, ExitStepCreate, ExitSurveyCreate, ReportRequest
from fupin.indicators.snapshots import ACTION, COVERAGE, KEY_FIGURES, RANKED, TREND_YEARS
from fupin.registry.vocab import HOUSEHOLD_STATUSES
from fupin.web.deps import PageUow, PageUser, SessionDep, verify_csrf, viewer_of
from fupin.web.forms import FormResult, PageForm, keep_fixable, redirect_back, submit
from fupin.web.jobs import to_job
from fupin.web.templating import current_area_code, render
from fupin.web.workyear import work_year

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

EXIT_LEVELS = (AreaLevel.village, AreaLevel.township, AreaLevel.county)  # a township page lists its villages


def _year(request: Request, raw: object = None) -> int:
    """The year of a page: a valid year typed in a form, else the working year (web/workyear.py)."""
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and YEAR_MIN <= int(text) <= YEAR_MAX else work_year(request)


def _age(computed_at: dt.datetime) -> int:
    return max(0, int(time.time() - computed_at.timestamp()))


def _area(request: Request, user: CurrentUser, raw: str | None = None) -> str:
    """The area of a page: asked for, else the picker's, else the user's own (a bad code falls back too)."""
    chosen = raw if raw is not None else (request.query_params.get("area") or current_area_code(request) or "")
    try:
        area = validate_code(chosen) if chosen else ""
    except AreaCodeError:
        area = ""
    if not area or level_of(area) not in engine.ROLLUP_LEVELS:
        area = (user.scope.prefix or "").ljust(12, "0") if user.scope.prefix else ""
    return area


def dashboard_context(session: Any, user: CurrentUser, area: str, year: int) -> dict[str, Any]:
    """The figures of the dashboard from the area's snapshot (indicators/snapshots.py: computed by the job worker
    for everybody who may see the area); `age` says how old they are."""
    user.scope.narrowed_to(area)  # outside the user's area: NotFound, before any figure is read
    table, computed_at = snapshots.read(session, snapshots.DASHBOARD, area, year)
    return _dashboard_figures(table) | {"age": _age(computed_at), "report_form": None}


def _dashboard_figures(table: engine.IndicatorTable) -> dict[str, Any]:
    level = level_of(table.area_code)
    below = LEVEL_ORDER[LEVEL_ORDER.index(level) + 1] if level != AreaLevel.village else level
    assert table.trend is not None
    trend_years = list(range(table.year - TREND_YEARS + 1, table.year + 1))
    trend = {code: [None if v is None else float(v) for v in values] for code, values in table.trend.items()}
    children = [r for r in table.rows[1:] if r.level == below]
    ranked = sorted(children, key=lambda r: (r.values["poverty_incidence"].value is None,
                                              -(r.values["poverty_incidence"].value or 0)))
    chart = {"years": trend_years, "trend": trend,
             "ranking": {"names": [r.name for r in ranked[:15]],
                         "values": [None if r.values["poverty_incidence"].value is None
                                    else float(r.values["poverty_incidence"].value) for r in ranked[:15]]}}
    return {"area": table.area_code, "year": table.year, "table": table, "root": table.root(), "children": ranked,
            "by_code": BY_CODE, "key_figures": KEY_FIGURES, "ranked": RANKED, "action": ACTION,
            "coverage": COVERAGE, "chart_json": json.dumps(chart, ensure_ascii=False),
            "shown": reports.shown}


@router.get("/indicators")
def dashboard_page(request: Request, session: SessionDep, user: PageUser):
    area = _area(request, user)
    if not area:
        return render(request, "indicators/dashboard.html", {"area": "", "year": None})
    return render(request, "indicators/dashboard.html", dashboard_context(session, user, area, _year(request)))


@router.get("/indicators/records")
def records_page(request: Request, session: SessionDep, user: PageUser):
    area = _area(request, user)
    code = request.query_params.get("indicator", "registered_households")[:64]
    year = _year(request)
    rows = drilldown.records(session, user.scope, code, area, year, viewer=viewer_of(user))
    names = names_of(session, [str(r.get("area_code") or "") for r in rows])
    return render(request, "indicators/records.html", {"area": area, "year": year, "indicator": BY_CODE.get(code),
                                                       "rows": rows, "limit": drilldown.DEFAULT_LIMIT,
                                                       "area_names": names, "statuses": HOUSEHOLD_STATUSES})


@router.post("/indicators/report")
def request_report(request: Request, session: SessionDep, user: PageUser, uow: PageUow,
                   form: PageForm[ReportRequest]):
    """Start the report job and go to its panel (progress, then the download)."""
    def again(status: int):
        area = _area(request, user, str(form.values.get("area") or ""))
        if not area:
            return render(request, "indicators/dashboard.html", {"area": "", "year": None}, status_code=status)
        year = _year(request, form.values.get("year"))
        context = dashboard_context(session, user, area, year) | {"report_form": form}
        return render(request, "indicators/dashboard.html", context, status_code=status)

    return submit(form, lambda data: service.request_report(uow, _area(request, user, data.area or ""), data.year,
                                                            data.format), to_job, again, keep_fixable)


def home_context(session: Any, user: Any, year: int) -> dict[str, Any] | None:
    """The key figures of the user's own area for `year` (the working year), for the home page partial
    `indicators/_home.html`, from the area's snapshot (indicators/snapshots.py)."""
    if not user.scope.prefix or level_of(user.scope.prefix.ljust(12, "0")) not in engine.ROLLUP_LEVELS:
        return None
    area = user.scope.prefix.ljust(12, "0")
    table, computed_at = snapshots.read(session, snapshots.HOME, area, year)
    return {"area": area, "year": year, "root": table.root(), "by_code": BY_CODE, "key_figures": KEY_FIGURES,
            "age": _age(computed_at)}


# ---------------------------------------------------------------- area exit (贫困村退出 / 贫困县摘帽)


def _exit_area(raw: str | None, user: CurrentUser) -> str:
    """The area of an exit page: inside the user's scope (else NotFound), a village, township or county."""
    code = validate_code(raw) if raw else (user.scope.prefix.ljust(12, "0") if user.scope.prefix else "")
    if not code:
        raise errors.AREA_REQUIRED(field="area")
    user.scope.narrowed_to(code)
    if level_of(code) not in EXIT_LEVELS:
        raise errors.EXIT_LEVEL(field="area")
    return code


def _figure_checks(evaluation: rules.AreaExitEvaluation) -> dict[str, dict[str, Any]]:
    """Each evaluated figure with its standard and whether it meets it (None: no figure), as the rules decided
    it on the exact value (never re-decided here on the rounded one)."""
    return {key: {"value": c.value, "limit": c.limit, "kind": c.kind, "ok": c.ok}
            for key, c in evaluation.checks.items()}


def area_exit_context(session: Any, user: CurrentUser, code: str, year: int) -> dict[str, Any]:
    area = get_area(session, code, user.scope)
    level = level_of(code)
    context: dict[str, Any] = {
        "area": code, "area_name": area.name, "level": level.value, "year": year, "today": dt.date.today(),
        "can_write": user.can_write, "evaluation": None, "checks": {}, "record": None, "steps": [],
        "step_order": [s for s, _ in rules.AREA_EXIT_STEPS], "next_step": None, "survey": None, "villages": None,
        "step_form": None, "survey_form": None, "can_step": False, "can_survey": False}
    if level in (AreaLevel.village, AreaLevel.county):
        evaluation = queries.evaluate_exit(session, user.scope, code, year)
        record = queries.exit_record(session, code, year)
        steps = [] if record is None else queries.steps_of(session, record.id)
        next_step = rules.next_step([s.step for s in steps])
        context |= {"evaluation": evaluation, "checks": _figure_checks(evaluation), "record": record,
                    "steps": steps, "next_step": next_step,
                    "can_step": next_step is not None and service.may_record_exit_step(user.role, user.scope, code,
                                                                                       next_step)}
        if level == AreaLevel.county:
            context["survey"] = queries.survey_of(session, code, year)
            context["can_survey"] = service.may_record_exit_survey(user.role, user.scope, code)
    if level in (AreaLevel.township, AreaLevel.county):
        context["villages"] = queries.villages_exit_status(session, user.scope, code, year)
    return context


@router.get("/indicators/area-exit")
def area_exit_page(request: Request, session: SessionDep, user: PageUser):
    code = _exit_area(request.query_params.get("area") or current_area_code(request), user)
    year = _year(request)
    return render(request, "indicators/area_exit.html", area_exit_context(session, user, code, year))


def _rejected(request: Request, session: Any, user: CurrentUser, form: FormResult[Any], which: str
              ) -> Callable[[int], Response]:
    """The page again, nothing written, what was typed kept and each message beside its field."""
    def again(status: int) -> Response:
        code = _exit_area(str(form.values.get("area") or ""), user)
        year = _year(request, form.values.get("year"))
        context = area_exit_context(session, user, code, year) | {f"{which}_form": form}
        return render(request, "indicators/area_exit.html", context, status_code=status)

    return again


@router.post("/indicators/area-exit/steps")
def area_exit_step_post(request: Request, session: SessionDep, user: PageUser, uow: PageUow,
                        form: PageForm[ExitStepCreate]):
    return submit(form, lambda d: service.record_exit_step(uow, d.area, d.year, d.step, d.happened_on, d.note),
                  lambda record: redirect_back(f"/indicators/area-exit?area={record.area_code}&year={record.year}"
                                               "&saved=step#steps"),
                  _rejected(request, session, user, form, "step"), keep_fixable)


@router.post("/indicators/area-exit/surveys")
def area_exit_survey_post(request: Request, session: SessionDep, user: PageUser, uow: PageUow,
                          form: PageForm[ExitSurveyCreate]):
    def record_survey(data: ExitSurveyCreate):
        fields = data.model_dump()
        return service.record_exit_survey(uow, fields.pop("area"), fields.pop("year"), **fields)

    return submit(form, record_survey,
                  lambda survey: redirect_back(f"/indicators/area-exit?area={survey.area_code}&year={survey.year}"
                                               "&saved=survey#survey"),
                  _rejected(request, session, user, form, "survey"), keep_fixable)
