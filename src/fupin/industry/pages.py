"""Industry pages: entities (members, land, runs, chain diagram), run preview and confirmation, the collective
economy, and the household's industry (a partial the registry's household page loads).

Reads use the request's session (an entity clerk sees only their entity); each form is parsed by the API's schema
(`form_of`) and handed to one use case; a refused form comes back (422) with what was typed and each message
beside its field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Path, Request, UploadFile
from sqlalchemy.orm import Session

from fupin.areas.queries import names_of
from fupin.core.errors import Conflict, FupinError, Invalid
from fupin.core.identity import CurrentUser
from fupin.industry import queries, rules, schemas, service
from fupin.web.deps import PageUow, PageUser, SessionDep, verify_csrf
from fupin.web.forms import FormResult, keep_fixable, redirect_back
from fupin.web.jobs import to_job
from fupin.web.record_forms import RecordForm, add_page
from fupin.web.templating import current_area_code, render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

VOCAB = {"kinds": rules.ENTITY_KINDS, "industries": rules.INDUSTRIES, "links": rules.LINK_KINDS,
         "bases": rules.VILLAGE_BASES, "inside": rules.INSIDE_VILLAGE, "units": rules.UNITS,
         "income_fields": rules.INCOME_FIELDS, "sources": rules.COLLECTIVE_SOURCES, "statuses": rules.RUN_STATUSES,
         "parts": rules.PART_KINDS}
Id = Annotated[int, Path(ge=1, le=schemas.MAX_ID)]


def _ctx(request: Request, **values: Any) -> dict[str, Any]:
    return {"vocab": VOCAB, "ok": request.query_params.get("ok"), "error": request.query_params.get("error"),
            "today": dt.date.today().isoformat(), **values}


def _year(request: Request) -> int:
    raw = request.query_params.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else dt.date.today().year


def _only(user: CurrentUser) -> int | None:
    return queries.entity_scope_id(user.role, user.entity_id)


# ---------------------------------------------------------------- entities


def _entities_page(request: Request, session: Session, user: CurrentUser, form: FormResult[Any] | None = None,
                   status_code: int = 200):
    kind = request.query_params.get("kind") or None
    entities = queries.list_entities(session, user.scope, entity_id=_only(user), kind=kind if kind in rules.ENTITY_KINDS
                                     else None)
    return render(request, "industry/entities.html", _ctx(
        request, entities=entities, kind=kind, form=form, default_area=current_area_code(request) or "",
        area_names=names_of(session, [e.area_code for e in entities])),
        status_code=status_code)


add_page(router, "/industry", _entities_page, [
    RecordForm("entities", schemas.EntityCreate, "form", "已登记经营主体", service.create_entity,
               to=lambda entity: f"/industry/entities/{entity.id}")], keep=keep_fixable)


def _chain(session: Session, user: CurrentUser, entity: Any, members: list[Any]) -> list[dict[str, str]]:
    """The chain 党组织 → 合作社/公司 → 基地 → 农户 as boxes for the diagram (top to bottom)."""
    boxes: list[dict[str, str]] = []
    if entity.led_by_org_id:
        from fupin.orgs.queries import get_org

        try:
            org = get_org(session, entity.led_by_org_id, user.scope)
            boxes.append({"label": "党组织", "name": org.name})
        except FupinError:
            boxes.append({"label": "党组织", "name": f"#{entity.led_by_org_id}"})
    if entity.upstream_id:
        upstream = session.get(type(entity), entity.upstream_id)
        if upstream is not None:
            boxes.append({"label": rules.ENTITY_KINDS.get(upstream.kind, ""), "name": upstream.name})
    boxes.append({"label": rules.ENTITY_KINDS.get(entity.kind, ""), "name": entity.name, "self": "1"})
    downstream = [e for e in queries.list_entities(session, user.scope) if e.upstream_id == entity.id][:3]
    boxes.extend({"label": rules.ENTITY_KINDS.get(e.kind, ""), "name": e.name} for e in downstream)
    households = len({m.household_id for m in members if m.household_id and m.left_on is None})
    collectives = len({m.area_code for m in members if m.household_id is None and m.left_on is None})
    boxes.append({"label": "农户", "name": f"{households}户" + (f" · 村集体{collectives}个" if collectives else "")})
    return boxes


def _jobs(session: Session, user: CurrentUser, entity: Any) -> list[tuple[Any, int]]:
    """The employment openings the entity offers (by employer name) with how many are placed."""
    from fupin.employment import queries as employment_queries

    try:
        scope = user.scope.narrowed_to(entity.county_code + "000000")
    except FupinError:
        scope = user.scope
    return [(o, employment_queries.filled_positions(session, o.id))
            for o in employment_queries.list_openings(session, scope) if o.employer_name == entity.name]


def _entity_page(request: Request, session: Session, user: CurrentUser, entity_id: int, *,
                 member_form: FormResult[Any] | None = None, land_form: FormResult[Any] | None = None,
                 run_form: FormResult[Any] | None = None, job_form: FormResult[Any] | None = None,
                 status_code: int = 200):
    entity = queries.visible_entity(session, user.scope, entity_id, _only(user))
    year = _year(request)
    members = queries.members_of(session, entity.id)
    contracts = queries.contracts_of(session, entity.id)
    names = queries.household_names(session, [m.household_id for m in members if m.household_id] +
                                    [c.household_id for c in contracts])
    return render(request, "industry/entity.html", _ctx(
        request, entity=entity, year=year, members=members, contracts=contracts, names=names,
        area_names=names_of(session, [entity.area_code] + [m.area_code for m in members if m.household_id is None]),
        totals=queries.land_totals(session, contracts, year),
        paid=queries.rent_paid_by_contract(session, [c.id for c in contracts], year),
        runs=queries.runs_of(session, entity.id), chain=_chain(session, user, entity, members),
        jobs=_jobs(session, user, entity), member_form=member_form, land_form=land_form, run_form=run_form,
        job_form=job_form), status_code=status_code)


add_page(router, "/industry/entities/{entity_id}", _entity_page, (
    RecordForm("members", schemas.MembershipCreate, "member_form", "已登记成员", service.add_membership),
    RecordForm("jobs", schemas.JobOffer, "job_form", "已发布岗位(就业扶贫·岗位与匹配)", service.offer_job),
    RecordForm("land", schemas.LandContractCreate, "land_form", "已登记土地流转合同", service.add_land_contract),
    RecordForm("runs", schemas.RunCreate, "run_form", "已试算,请核对后确认",
               lambda uow, entity_id, d: service.preview_run(uow, entity_id, d)[0],
               to=lambda run: f"/industry/runs/{run.id}"),
), back=lambda entity_id, form: f"/industry/entities/{entity_id}#{form.path}", keep=keep_fixable)


# ---------------------------------------------------------------- runs


@router.get("/industry/runs/{run_id}")
def run_page(run_id: Id, request: Request, session: SessionDep, user: PageUser):
    run = queries.visible_run(session, user.scope, run_id, _only(user))
    entity = queries.get_entity(session, run.entity_id, user.scope)
    shown = queries.run_as_dict(session, run)
    from fupin.areas.queries import path_names

    villages = {v["area_code"]: path_names(session, v["area_code"])[-1].name for v in shown["villages"]}
    households = sum(len(v["households"]) for v in shown["villages"])
    return render(request, "industry/run.html", _ctx(
        request, run=run, entity=entity, shown=shown, villages=villages, households=households,
        unit=rules.UNITS.get(run.unit, run.unit), may_confirm=user.role in ("admin", "county", "township")))


@router.post("/industry/runs/{run_id}/confirm")
def confirm_run(run_id: Id, uow: PageUow):
    try:
        service.confirm_run(uow, run_id)
    except Conflict as error:
        return redirect_back(f"/industry/runs/{run_id}", error=error.message)
    return redirect_back(f"/industry/runs/{run_id}", ok="已确认:分红已计入农户收入,余额已计入村集体收入")


@router.post("/industry/runs/{run_id}/discard")
def discard_run(run_id: Id, uow: PageUow):
    try:
        run = service.discard_run(uow, run_id)
    except Conflict as error:
        return redirect_back(f"/industry/runs/{run_id}", error=error.message)
    return redirect_back(f"/industry/entities/{run.entity_id}", ok="已作废该试算")


# ---------------------------------------------------------------- collective economy


def _collective_page(request: Request, session: Session, user: CurrentUser, form: FormResult[Any] | None = None,
                     status_code: int = 200):
    year = _year(request)
    area = current_area_code(request)
    scope = user.scope.narrowed_to(area) if area else user.scope
    raw = request.query_params.get("target", "")
    target = Decimal(raw) if raw.isdigit() and len(raw) <= 9 else rules.DEFAULT_COLLECTIVE_TARGET
    rows = queries.collective_incomes(session, scope, year)
    land = queries.land_by_village(session, scope, year)
    return render(request, "industry/collective.html", _ctx(
        request, year=year, rows=rows, area_names=names_of(session, [r.area_code for r in rows] +
                                                            [r.village for r in land]),
        under=queries.villages_under_target(session, scope, year, target), target=target,
        land=land, form=form, default_area=area or ""),
        status_code=status_code)


add_page(router, "/industry/collective", _collective_page, [
    RecordForm("", schemas.CollectiveIncomeCreate, "form", "已录入村集体经济收入", service.record_collective_income,
               to=lambda income: f"/industry/collective?year={income.year}")], keep=keep_fixable)


# ---------------------------------------------------------------- the household's industry (a partial)


@router.get("/industry/households/{household_id}")
def household_partial(household_id: Id, request: Request, session: SessionDep, user: PageUser):
    info = queries.household_industry(session, user.scope, household_id, _only(user))
    total = sum((p.amount for p, r, _n in info.dividends if r.unit == "yuan"), Decimal("0.00"))
    return render(request, "industry/_household.html", _ctx(request, info=info, total=total))


# ---------------------------------------------------------------- import (a job)


@router.post("/industry/import")
def start_import(uow: PageUow, file: Annotated[UploadFile, File()]):
    try:
        job_id = service.start_import(uow, file.filename or "upload.xlsx", file.file.read(service.MAX_IMPORT_BYTES + 1))
    except Invalid as error:
        return redirect_back("/industry", error=error.message)
    return to_job(job_id)
