"""JSON API of the registry: thin routes over the service and queries; ID numbers masked per role."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from fupin.core.security_text import mask_id_number
from fupin.registry import queries, schemas, service
from fupin.registry.models import Person
from fupin.web.deps import ApiUser, DbDep, SessionDep, uow_for

router = APIRouter(prefix="/registry", tags=["registry 建档立卡"])


def _person(person: Person, can_view_pii: bool) -> schemas.PersonPublic:
    public = schemas.PersonPublic.model_validate(person)
    if not can_view_pii:
        public.id_number = mask_id_number(public.id_number)
    return public


def _detail(session: Any, household: Any, can_view_pii: bool) -> schemas.HouseholdDetail:
    members = [_person(p, can_view_pii) for p in queries.members_of(session, household.id)]
    return schemas.HouseholdDetail(**schemas.HouseholdPublic.model_validate(household).model_dump(), members=members)


@router.get("/households", response_model=schemas.HouseholdPage)
def list_households(
    session: SessionDep, user: ApiUser,
    q: Annotated[str | None, Query(max_length=40, description="姓名、身份证号(精确)或户编号")] = None,
    status: str | None = None, cause: str | None = None, attribute: str | None = None,
    area: str | None = None, cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> schemas.HouseholdPage:
    rows, next_cursor = queries.list_households(
        session, user.scope, queries.HouseholdFilters(q, status, cause, attribute, area),
        key=service.pii_key(), cursor=cursor, limit=limit)
    return schemas.HouseholdPage(items=[schemas.HouseholdPublic.model_validate(h) for h in rows],
                                 next_cursor=next_cursor)


@router.post("/households", response_model=schemas.HouseholdDetail, status_code=201)
def create_household(body: schemas.HouseholdCreate, db: DbDep, user: ApiUser) -> schemas.HouseholdDetail:
    with uow_for(db, user) as uow:
        household = service.create_household(uow, body)
        return _detail(uow.session, household, user.can_view_pii)


@router.get("/households/{household_id}", response_model=schemas.HouseholdDetail)
def get_household(household_id: int, session: SessionDep, user: ApiUser) -> schemas.HouseholdDetail:
    return _detail(session, queries.get_household(session, household_id, user.scope), user.can_view_pii)


@router.patch("/households/{household_id}", response_model=schemas.HouseholdPublic)
def update_household(household_id: int, body: schemas.HouseholdUpdate, db: DbDep,
                     user: ApiUser) -> schemas.HouseholdPublic:
    with uow_for(db, user) as uow:
        return schemas.HouseholdPublic.model_validate(service.update_household(uow, household_id, body))


@router.post("/households/{household_id}/persons", response_model=schemas.PersonPublic, status_code=201)
def add_person(household_id: int, body: schemas.PersonCreate, db: DbDep, user: ApiUser) -> schemas.PersonPublic:
    with uow_for(db, user) as uow:
        return _person(service.add_person(uow, household_id, body), user.can_view_pii)


@router.get("/persons/{person_id}", response_model=schemas.PersonPublic)
def get_person(person_id: int, session: SessionDep, user: ApiUser) -> schemas.PersonPublic:
    return _person(queries.get_person(session, person_id, user.scope), user.can_view_pii)


@router.patch("/persons/{person_id}", response_model=schemas.PersonPublic)
def update_person(person_id: int, body: schemas.PersonUpdate, db: DbDep, user: ApiUser) -> schemas.PersonPublic:
    with uow_for(db, user) as uow:
        return _person(service.update_person(uow, person_id, body), user.can_view_pii)


@router.get("/households/{household_id}/incomes", response_model=list[schemas.IncomePublic])
def list_incomes(household_id: int, session: SessionDep, user: ApiUser) -> list[schemas.IncomePublic]:
    ledger = queries.ledger(session, household_id, user.scope, dt.date.today().year - 1)
    return [schemas.IncomePublic.model_validate(i) for i in ledger.incomes]


@router.put("/households/{household_id}/incomes", response_model=schemas.IncomePublic)
def record_income(household_id: int, body: schemas.IncomeCreate, db: DbDep, user: ApiUser) -> schemas.IncomePublic:
    with uow_for(db, user) as uow:
        return schemas.IncomePublic.model_validate(service.record_income(uow, household_id, body))


@router.get("/households/{household_id}/checks", response_model=list[schemas.CheckPublic])
def list_checks(household_id: int, session: SessionDep, user: ApiUser) -> list[schemas.CheckPublic]:
    ledger = queries.ledger(session, household_id, user.scope, dt.date.today().year - 1)
    return [schemas.CheckPublic.model_validate(c) for c in ledger.checks]


@router.put("/households/{household_id}/checks", response_model=schemas.CheckPublic)
def record_check(household_id: int, body: schemas.CheckCreate, db: DbDep, user: ApiUser) -> schemas.CheckPublic:
    with uow_for(db, user) as uow:
        return schemas.CheckPublic.model_validate(service.record_check(uow, household_id, body))


@router.get("/households/{household_id}/measures", response_model=list[schemas.MeasurePublic])
def list_measures(household_id: int, session: SessionDep, user: ApiUser) -> list[schemas.MeasurePublic]:
    ledger = queries.ledger(session, household_id, user.scope, dt.date.today().year - 1)
    return [schemas.MeasurePublic.model_validate(m) for m in ledger.measures]


@router.post("/households/{household_id}/measures", response_model=schemas.MeasurePublic, status_code=201)
def add_measure(household_id: int, body: schemas.MeasureCreate, db: DbDep, user: ApiUser) -> schemas.MeasurePublic:
    with uow_for(db, user) as uow:
        return schemas.MeasurePublic.model_validate(service.add_measure(uow, household_id, body))


@router.get("/households/{household_id}/visits", response_model=list[schemas.VisitPublic])
def list_visits(household_id: int, session: SessionDep, user: ApiUser) -> list[schemas.VisitPublic]:
    ledger = queries.ledger(session, household_id, user.scope, dt.date.today().year - 1)
    return [schemas.VisitPublic.model_validate(v) for v in ledger.visits]


@router.post("/households/{household_id}/visits", response_model=schemas.VisitPublic, status_code=201)
def add_visit(household_id: int, body: schemas.VisitCreate, db: DbDep, user: ApiUser) -> schemas.VisitPublic:
    with uow_for(db, user) as uow:
        return schemas.VisitPublic.model_validate(service.add_visit(uow, household_id, body))


@router.get("/households/{household_id}/exit", response_model=schemas.ExitEvaluationPublic)
def exit_evaluation(household_id: int, session: SessionDep, user: ApiUser,
                    year: int | None = None) -> schemas.ExitEvaluationPublic:
    from fupin.registry.rules import EXIT_STEP_NAMES, next_exit_step

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
def record_exit_step(household_id: int, body: schemas.ExitStepCreate, db: DbDep, user: ApiUser,
                     year: int | None = None) -> dict[str, Any]:
    with uow_for(db, user) as uow:
        queries.get_household(uow.session, household_id, uow.scope)
        event = service.record_exit_step(uow, household_id, body, year or queries.default_year(uow.session, household_id))
        return {"id": event.id, "step": event.step, "happened_on": event.happened_on.isoformat()}


@router.get("/quality")
def quality_findings(session: SessionDep, user: ApiUser, area: str | None = None,
                     rule: str | None = None) -> dict[str, Any]:
    """Data-quality findings in the caller's scope (optionally one rule), with a count per rule."""
    from fupin.registry import quality

    findings = quality.run_checks(session, user.scope.narrowed_to(area), rules=[rule] if rule else None)
    return {"summary": [{"rule": c, "name": n, "count": k} for c, n, k in quality.summary(findings)],
            "findings": [f.__dict__ for f in findings[:5000]]}
