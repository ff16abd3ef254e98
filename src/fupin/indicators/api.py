"""`GET /api/v1/indicators` (figures rolled up), `/indicators/records` (drill-down), `/indicators/catalogue`,
and the downloads (xlsx, narrative md/docx). Every answer is scoped to the caller."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from fupin.core.areacodes import AreaLevel, validate_code
from fupin.indicators import drilldown, engine, reports
from fupin.indicators.catalogue import INDICATORS
from fupin.indicators.cli import _table_json
from fupin.web.deps import ApiUser, DbDep, SessionDep, uow_for

router = APIRouter(prefix="/indicators", tags=["indicators 指标"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _area(user: ApiUser, area: str | None) -> str:
    if area:
        return validate_code(area)
    if user.scope.prefix:
        return user.scope.prefix.ljust(12, "0")
    from fupin.core.errors import Invalid

    raise Invalid("请给出区划代码 area", field="area")


@router.get("")
def indicators(session: SessionDep, user: ApiUser, year: Annotated[int, Query(ge=2000, le=2100)],
               area: str | None = None, level: AreaLevel | None = None,
               indicator: Annotated[list[str] | None, Query()] = None) -> dict[str, Any]:
    table = engine.compute(session, user.scope, _area(user, area), year, level, indicator)
    return _table_json(table)


@router.get("/catalogue")
def catalogue() -> list[dict[str, Any]]:
    return [{"code": i.code, "name_zh": i.name_zh, "name_en": i.name_en, "definition": i.definition,
             "unit": i.unit, "seed": i.seed, "owner": i.owner, "additive": i.additive,
             "numerator": i.numerator, "denominator": i.denominator} for i in INDICATORS]


@router.get("/records")
def records(session: SessionDep, user: ApiUser, indicator: str, year: Annotated[int, Query(ge=2000, le=2100)],
            area: str | None = None, limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> list[dict[str, Any]]:
    rows = drilldown.records(session, user.scope, indicator, _area(user, area), year, limit=limit)
    return [{k: (v if isinstance(v, int | str | None) else str(v)) for k, v in row.items()} for row in rows]


@router.get("/report")
def report(session: SessionDep, user: ApiUser, year: Annotated[int, Query(ge=2000, le=2100)],
           area: str | None = None, fmt: Annotated[str, Query(alias="format", pattern="^(md|docx|xlsx)$")] = "md",
           ) -> Response:
    code = _area(user, area)
    level = None if fmt == "xlsx" else engine.levels_below(code, None)[0]
    table = engine.compute(session, user.scope, code, year, level)
    name = f"report_{code}_{year}.{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "md":
        return Response(reports.to_markdown(table), media_type="text/markdown; charset=utf-8", headers=disposition)
    if fmt == "docx":
        return Response(reports.to_docx(table), media_type=DOCX, headers=disposition)
    return Response(reports.to_xlsx(table), media_type=XLSX, headers=disposition)


@router.get("/area-exit")
def area_exit_evaluation(session: SessionDep, user: ApiUser, area: str,
                         year: Annotated[int, Query(ge=2000, le=2100)]) -> dict[str, Any]:
    from fupin.indicators import area_exit

    evaluation = area_exit.evaluate(session, user.scope, area, year)
    return {"passed": evaluation.passed, "reasons": evaluation.reasons, "figures": evaluation.figures}


class AreaExitStepBody(BaseModel):
    area: str = Field(max_length=15)
    year: int = Field(ge=2000, le=2100)
    step: str = Field(max_length=16)
    happened_on: dt.date
    note: str | None = Field(default=None, max_length=500)


class AreaExitSurveyBody(BaseModel):
    area: str = Field(max_length=15)
    year: int = Field(ge=2000, le=2100)
    sampled_exited: int = Field(ge=0)
    wrong_exits: int = Field(ge=0)
    sampled_households: int = Field(ge=0)
    missed_registrations: int = Field(ge=0)
    approval_asked: int = Field(ge=0)
    approval_yes: int = Field(ge=0)
    surveyed_on: dt.date
    surveyor: str = Field(max_length=120)


@router.post("/area-exit/steps", status_code=201)
def area_exit_step(body: AreaExitStepBody, db: DbDep, user: ApiUser) -> dict[str, Any]:
    from fupin.indicators import area_exit

    with uow_for(db, user) as uow:
        record = area_exit.record_step(uow, body.area, body.year, body.step, body.happened_on, body.note)
        return {"id": record.id, "area": record.area_code, "year": record.year, "status": record.status,
                "passed": record.passed, "reasons": (record.reasons or "").splitlines()}


@router.post("/area-exit/surveys", status_code=201)
def area_exit_survey(body: AreaExitSurveyBody, db: DbDep, user: ApiUser) -> dict[str, Any]:
    from fupin.indicators import area_exit

    data = body.model_dump()
    with uow_for(db, user) as uow:
        survey = area_exit.record_survey(uow, data.pop("area"), data.pop("year"), **data)
        return {"id": survey.id}
