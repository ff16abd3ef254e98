"""`GET /api/v1/indicators` (figures rolled up), `/indicators/records` (drill-down), `/indicators/catalogue`,
`POST /indicators/reports` (a report job), and the area exit. Every answer is scoped to the caller; writes call
one use case on the caller's unit of work."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from fupin.core.areacodes import AreaLevel, validate_code
from fupin.core.identity import CurrentUser
from fupin.indicators import drilldown, engine, errors, queries, reports, service
from fupin.indicators.catalogue import INDICATORS
from fupin.indicators.schemas import (
    YEAR_MAX,
    YEAR_MIN,
    ExitStepCreate,
    ExitStepPublic,
    ExitSurveyCreate,
    JobAccepted,
    ReportRequest,
    SurveyPublic,
)
from fupin.web.deps import ApiUow, ApiUser, SessionDep, viewer_of

router = APIRouter(prefix="/indicators", tags=["indicators 指标"])

Year = Annotated[int, Query(ge=YEAR_MIN, le=YEAR_MAX)]
AreaParam = Annotated[str | None, Query(max_length=15)]


def area_of(user: CurrentUser, area: str | None) -> str:
    """The area asked for (validated), else the caller's own."""
    if area:
        return validate_code(area)
    if user.scope.prefix:
        return user.scope.prefix.ljust(12, "0")
    raise errors.AREA_REQUIRED(field="area")


@router.get("")
def indicators(session: SessionDep, user: ApiUser, year: Year, area: AreaParam = None,
               level: AreaLevel | None = None,
               indicator: Annotated[list[str] | None, Query(max_length=100)] = None) -> dict[str, Any]:
    table = engine.compute(session, user.scope, area_of(user, area), year, level, indicator)
    return reports.as_json(table)


@router.get("/catalogue")
def catalogue(user: ApiUser) -> list[dict[str, Any]]:
    return [{"code": i.code, "name_zh": i.name_zh, "name_en": i.name_en, "definition": i.definition,
             "unit": i.unit, "seed": i.seed, "owner": i.owner, "additive": i.additive,
             "numerator": i.numerator, "denominator": i.denominator} for i in INDICATORS]


@router.get("/records")
def records(session: SessionDep, user: ApiUser, indicator: Annotated[str, Query(max_length=64)], year: Year,
            area: AreaParam = None, limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> list[dict[str, Any]]:
    rows = drilldown.records(session, user.scope, indicator, area_of(user, area), year, limit=limit,
                             viewer=viewer_of(user))
    return [{k: (v if isinstance(v, int | str | None) else str(v)) for k, v in row.items()} for row in rows]


@router.post("/reports", status_code=202, response_model=JobAccepted)
def request_report(body: ReportRequest, uow: ApiUow, user: ApiUser) -> JobAccepted:
    """Start the report job; poll `status_url` and download its result file when it is done."""
    job_id = service.request_report(uow, area_of(user, body.area), body.year, body.format)
    return JobAccepted(job_id=job_id, status_url=f"/api/v1/jobs/{job_id}")


@router.get("/area-exit")
def area_exit_evaluation(session: SessionDep, user: ApiUser, area: Annotated[str, Query(max_length=15)],
                         year: Year) -> dict[str, Any]:
    code = validate_code(area)
    user.scope.narrowed_to(code)
    evaluation = queries.evaluate_exit(session, user.scope, code, year)
    return {"passed": evaluation.passed, "reasons": evaluation.reasons, "figures": evaluation.figures}


@router.post("/area-exit/steps", status_code=201, response_model=ExitStepPublic)
def area_exit_step(body: ExitStepCreate, uow: ApiUow) -> ExitStepPublic:
    record = service.record_exit_step(uow, body.area, body.year, body.step, body.happened_on, body.note)
    return ExitStepPublic(id=record.id, area=record.area_code, year=record.year, status=record.status,
                          passed=record.passed, reasons=(record.reasons or "").splitlines())


@router.post("/area-exit/surveys", status_code=201, response_model=SurveyPublic)
def area_exit_survey(body: ExitSurveyCreate, uow: ApiUow) -> SurveyPublic:
    data = body.model_dump()
    survey = service.record_exit_survey(uow, data.pop("area"), data.pop("year"), **data)
    return SurveyPublic(id=survey.id)

