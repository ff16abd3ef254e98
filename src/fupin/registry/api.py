"""JSON API of the registry: thin routes over the use cases (writes) and the queries (reads on the request's
session); people through the personal-data policy."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from sqlalchemy.orm import Session

from fupin.core import jobs
from fupin.core.personal_data import Viewer
from fupin.core.uow import UnitOfWork
from fupin.registry import errors, queries, schemas, service
from fupin.registry.rules import EXIT_STEP_NAMES, next_exit_step, strip_control_characters
from fupin.registry.spreadsheets import MAX_FILE_BYTES
from fupin.web.deps import ApiUow, ApiUser, SessionDep, record_full_view, viewer_of

router = APIRouter(prefix="/registry", tags=["registry 建档立卡"])

Id = Annotated[int, Path(ge=1, le=queries.MAX_ID)]
YearQuery = Annotated[int | None, Query(ge=1900, le=2100)]


def _detail(session: Session, household: Any, viewer: Viewer) -> schemas.HouseholdDetail:
    members = [schemas.PersonPublic.of(p, viewer) for p in queries.members_of(session, household.id)]
    return schemas.HouseholdDetail(**schemas.HouseholdPublic.of(household, viewer).model_dump(), members=members)


@router.get("/households", response_model=schemas.HouseholdPage)
def list_households(
    session: SessionDep, user: ApiUser,
    q: Annotated[str | None, Query(max_length=40, description="姓名、身份证号(精确)或户编号")] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    cause: Annotated[str | None, Query(max_length=20)] = None,
    attribute: Annotated[str | None, Query(max_length=20)] = None,
    area: Annotated[str | None, Query(max_length=15)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> schemas.HouseholdPage:
    rows, next_cursor = queries.list_households(
        session, user.scope, queries.HouseholdFilters(q, status, cause, attribute, area),
        key=service.pii_key(), cursor=cursor, limit=limit)
    # A list is no place for full personal data in bulk: phones are masked for every role here (the household's
    # own page shows them to those who may see them).
    listing = Viewer(user.role, False)
    return schemas.HouseholdPage(items=[schemas.HouseholdPublic.of(h, listing) for h in rows], next_cursor=next_cursor)


@router.post("/households", response_model=schemas.HouseholdDetail, status_code=201)
def create_household(body: schemas.HouseholdCreate, uow: ApiUow) -> schemas.HouseholdDetail:
    household = service.create_household(uow, body)
    return _detail(uow.session, household, uow.viewer)


@router.get("/households/{household_id}", response_model=schemas.HouseholdDetail)
def get_household(request: Request, household_id: Id, session: SessionDep, user: ApiUser) -> schemas.HouseholdDetail:
    detail = _detail(session, queries.get_household(session, household_id, user.scope), viewer_of(user))
    record_full_view(request, user, "household", household_id, area_code=detail.area_code, rows=len(detail.members))
    return detail


@router.patch("/households/{household_id}", response_model=schemas.HouseholdPublic)
def update_household(household_id: Id, body: schemas.HouseholdUpdate, uow: ApiUow) -> schemas.HouseholdPublic:
    return schemas.HouseholdPublic.of(service.update_household(uow, household_id, body), uow.viewer)


@router.post("/households/{household_id}/persons", response_model=schemas.PersonPublic, status_code=201)
def add_person(household_id: Id, body: schemas.PersonCreate, uow: ApiUow) -> schemas.PersonPublic:
    return schemas.PersonPublic.of(service.add_person(uow, household_id, body), uow.viewer)


@router.get("/persons/{person_id}", response_model=schemas.PersonPublic)
def get_person(request: Request, person_id: Id, session: SessionDep, user: ApiUser) -> schemas.PersonPublic:
    person = queries.get_person(session, person_id, user.scope)
    record_full_view(request, user, "person", person_id, area_code=None, rows=1)
    return schemas.PersonPublic.of(person, viewer_of(user))


@router.patch("/persons/{person_id}", response_model=schemas.PersonPublic)
def update_person(person_id: Id, body: schemas.PersonUpdate, uow: ApiUow) -> schemas.PersonPublic:
    return schemas.PersonPublic.of(service.update_person(uow, person_id, body), uow.viewer)


@router.post("/persons/{person_id}/removal", response_model=schemas.PersonPublic)
def remove_person(person_id: Id, body: schemas.PersonRemoval, uow: ApiUow) -> schemas.PersonPublic:
    """A member leaves the household (kept as inactive, never deleted)."""
    person = service.remove_person(uow, person_id, body.reason, body.version, body.left_on, body.note)
    return schemas.PersonPublic.of(person, uow.viewer)


def _ledger(session: Session, household_id: int, user: Any) -> queries.HouseholdLedger:
    return queries.ledger(session, household_id, user.scope, dt.date.today().year - 1)


@router.get("/households/{household_id}/incomes", response_model=list[schemas.IncomePublic])
def list_incomes(household_id: Id, session: SessionDep, user: ApiUser) -> list[schemas.IncomePublic]:
    return [schemas.IncomePublic.of(i) for i in _ledger(session, household_id, user).incomes]


@router.put("/households/{household_id}/incomes", response_model=schemas.IncomePublic)
def record_income(household_id: Id, body: schemas.IncomeCreate, uow: ApiUow) -> schemas.IncomePublic:
    return schemas.IncomePublic.of(service.record_income(uow, household_id, body))


@router.get("/households/{household_id}/checks", response_model=list[schemas.CheckPublic])
def list_checks(household_id: Id, session: SessionDep, user: ApiUser) -> list[schemas.CheckPublic]:
    return [schemas.CheckPublic.model_validate(c) for c in _ledger(session, household_id, user).checks]


@router.put("/households/{household_id}/checks", response_model=schemas.CheckPublic)
def record_check(household_id: Id, body: schemas.CheckCreate, uow: ApiUow) -> schemas.CheckPublic:
    return schemas.CheckPublic.model_validate(service.record_check(uow, household_id, body))


@router.get("/households/{household_id}/measures", response_model=list[schemas.MeasurePublic])
def list_measures(household_id: Id, session: SessionDep, user: ApiUser) -> list[schemas.MeasurePublic]:
    return [schemas.MeasurePublic.model_validate(m) for m in _ledger(session, household_id, user).measures]


@router.post("/households/{household_id}/measures", response_model=schemas.MeasurePublic, status_code=201)
def add_measure(household_id: Id, body: schemas.MeasureCreate, uow: ApiUow) -> schemas.MeasurePublic:
    return schemas.MeasurePublic.model_validate(service.add_measure(uow, household_id, body))


@router.get("/households/{household_id}/visits", response_model=list[schemas.VisitPublic])
def list_visits(household_id: Id, session: SessionDep, user: ApiUser) -> list[schemas.VisitPublic]:
    return [schemas.VisitPublic.model_validate(v) for v in _ledger(session, household_id, user).visits]


@router.post("/households/{household_id}/visits", response_model=schemas.VisitPublic, status_code=201)
def add_visit(household_id: Id, body: schemas.VisitCreate, uow: ApiUow) -> schemas.VisitPublic:
    return schemas.VisitPublic.model_validate(service.add_visit(uow, household_id, body))


@router.get("/households/{household_id}/exit", response_model=schemas.ExitEvaluationPublic)
def exit_evaluation(household_id: Id, session: SessionDep, user: ApiUser,
                    year: YearQuery = None) -> schemas.ExitEvaluationPublic:
    queries.get_household(session, household_id, user.scope)
    year = year or queries.default_year(session, household_id)
    ledger = queries.ledger(session, household_id, user.scope, year)
    evaluation = ledger.evaluation
    return schemas.ExitEvaluationPublic(
        year=year, eligible=evaluation.eligible, reasons=evaluation.reasons,
        per_capita_net=evaluation.per_capita_net, poverty_line=evaluation.poverty_line,
        next_step=next_exit_step([s for s, _ in ledger.steps_done]),
        steps_done=[{"step": s, "name": EXIT_STEP_NAMES[s], "on": d.isoformat()} for s, d in ledger.steps_done])


@router.post("/households/{household_id}/exit-steps", status_code=201)
def record_exit_step(household_id: Id, body: schemas.ExitStepCreate, uow: ApiUow,
                     year: YearQuery = None) -> dict[str, Any]:
    event = service.record_exit_step(uow, household_id, body, year)
    return {"id": event.id, "step": event.step, "happened_on": event.happened_on.isoformat()}


@router.post("/imports", status_code=202)
def start_import(uow: ApiUow, file: Annotated[UploadFile, File()],
                 mode: Annotated[str, Form(pattern="^(all-or-nothing|skip-invalid)$")] = "all-or-nothing",
                 ) -> dict[str, Any]:
    """Queue an import of a registry workbook as a background job; poll /api/v1/jobs/{id}."""
    job_id = submit_import(uow, file, mode)
    return {"job_id": job_id, "url": f"/api/v1/jobs/{job_id}"}


def read_upload(file: UploadFile) -> tuple[str, str, bytes]:
    """(name, media type, bytes) of an upload, bounded; an empty or oversized file is refused."""
    data = file.file.read(MAX_FILE_BYTES + 1)
    if not data:
        raise errors.FILE_EMPTY(field="file")
    if len(data) > MAX_FILE_BYTES:
        raise errors.FILE_TOO_LARGE(field="file", mb=MAX_FILE_BYTES // 1024 // 1024)
    name = strip_control_characters(file.filename or "")[-120:] or "upload"
    return name, strip_control_characters(file.content_type or "")[:100] or "application/octet-stream", data


def submit_import(uow: UnitOfWork, file: UploadFile, mode: str) -> str:
    """Read the upload (bounded), refuse what is plainly not importable, and queue the job."""
    with uow:
        uow.require("registry.import")
        name, media, data = read_upload(file)
        return jobs.submit(uow, "registry.import", f"导入建档立卡数据:{name}", {"mode": mode},
                           area_code=uow.scope.prefix.ljust(12, "0") if uow.scope.prefix else None,
                           input_file=(name, media, data))


@router.get("/quality")
def quality_findings(session: SessionDep, user: ApiUser, area: Annotated[str | None, Query(max_length=15)] = None,
                     rule: Annotated[str | None, Query(max_length=60)] = None) -> dict[str, Any]:
    """Data-quality findings in the caller's scope (optionally one rule), with a count per rule."""
    from fupin.registry import quality

    findings = quality.run_checks(session, queries.area_filter_scope(user.scope, area),
                                  rules=[rule] if rule else None)
    return {"summary": [{"rule": c, "name": n, "count": k} for c, n, k in quality.summary(findings)],
            "findings": [f.__dict__ for f in findings[:5000]]}

