"""产业扶贫 (Industry) JSON routes: reads on the request's session within the caller's scope (an entity clerk sees
only their entity), writes through one use case each."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile

from fupin.industry import queries, service
from fupin.industry.rules import DEFAULT_COLLECTIVE_TARGET as DEFAULT_TARGET
from fupin.industry.schemas import (
    CollectiveIncomeCreate,
    EntityCreate,
    EntityPublic,
    EntityUpdate,
    JobOffer,
    LandContractCreate,
    LandContractPublic,
    MembershipCreate,
    MembershipEnd,
    MembershipPublic,
    RentPaymentCreate,
    RunCreate,
)
from fupin.web.deps import ApiUow, ApiUser, SessionDep
from fupin.web.params import Id, Year

router = APIRouter(prefix="/industry", tags=["industry 产业扶贫"])


def _only(user: Any) -> int | None:
    return queries.entity_scope_id(user.role, user.entity_id)


@router.get("/entities", response_model=list[EntityPublic])
def list_entities(session: SessionDep, user: ApiUser, kind: Annotated[str | None, Query(max_length=16)] = None
                  ) -> list[EntityPublic]:
    return [EntityPublic.model_validate(e) for e in queries.list_entities(session, user.scope, entity_id=_only(user),
                                                                          kind=kind)]


@router.post("/entities", response_model=EntityPublic, status_code=201)
def create_entity(body: EntityCreate, uow: ApiUow) -> EntityPublic:
    return EntityPublic.model_validate(service.create_entity(uow, body))


@router.get("/entities/{entity_id}")
def get_entity(entity_id: Id, session: SessionDep, user: ApiUser, year: Year | None = None) -> dict[str, Any]:
    entity = queries.visible_entity(session, user.scope, entity_id, _only(user))
    contracts = queries.contracts_of(session, entity.id)
    totals = queries.land_totals(session, contracts, year or dt.date.today().year)
    return {"entity": EntityPublic.model_validate(entity).model_dump(mode="json"),
            "members": [MembershipPublic.model_validate(m).model_dump(mode="json")
                        for m in queries.members_of(session, entity.id)],
            "land": [LandContractPublic.model_validate(c).model_dump(mode="json") for c in contracts],
            "land_totals": {"contracts": totals.contracts, "area_mu": str(totals.area_mu),
                            "rent_due": str(totals.rent_due), "rent_paid": str(totals.rent_paid)},
            "runs": [{"id": r.id, "period": r.period, "status": r.status, "total": str(r.total), "unit": r.unit}
                     for r in queries.runs_of(session, entity.id)]}


@router.patch("/entities/{entity_id}", response_model=EntityPublic)
def update_entity(entity_id: Id, body: EntityUpdate, uow: ApiUow) -> EntityPublic:
    return EntityPublic.model_validate(service.update_entity(uow, entity_id, body))


@router.post("/entities/{entity_id}/jobs", status_code=201)
def offer_job(entity_id: Id, body: JobOffer, uow: ApiUow) -> dict[str, Any]:
    """主体的用工岗位登记为就业模块的招聘岗位(推荐就业后即为就业记录)。"""
    opening = service.offer_job(uow, entity_id, body)
    return {"opening_id": opening.id, "title": opening.title, "positions": opening.positions,
            "url": f"/employment/openings/{opening.id}"}


@router.post("/entities/{entity_id}/members", response_model=MembershipPublic, status_code=201)
def add_member(entity_id: Id, body: MembershipCreate, uow: ApiUow) -> MembershipPublic:
    return MembershipPublic.model_validate(service.add_membership(uow, entity_id, body))


@router.post("/members/{membership_id}/end", response_model=MembershipPublic)
def end_member(membership_id: Id, body: MembershipEnd, uow: ApiUow) -> MembershipPublic:
    return MembershipPublic.model_validate(service.end_membership(uow, membership_id, body.left_on))


@router.post("/entities/{entity_id}/land", response_model=LandContractPublic, status_code=201)
def add_land(entity_id: Id, body: LandContractCreate, uow: ApiUow) -> LandContractPublic:
    return LandContractPublic.model_validate(service.add_land_contract(uow, entity_id, body))


@router.post("/land/{contract_id}/rent")
def record_rent(contract_id: Id, body: RentPaymentCreate, uow: ApiUow) -> dict[str, Any]:
    row = service.record_rent(uow, contract_id, body)
    return {"contract_id": row.contract_id, "year": row.year, "paid": str(row.paid)}


@router.post("/entities/{entity_id}/runs", status_code=201)
def preview_run(entity_id: Id, body: RunCreate, uow: ApiUow) -> dict[str, Any]:
    """试算一次收益分配(保存为试算,不入账);返回每一部分、每个村和每户的金额。"""
    run, _dist = service.preview_run(uow, entity_id, body)
    return queries.run_as_dict(uow.session, run)


@router.get("/runs/{run_id}")
def get_run(run_id: Id, session: SessionDep, user: ApiUser) -> dict[str, Any]:
    return queries.run_as_dict(session, queries.visible_run(session, user.scope, run_id, _only(user)))


@router.post("/runs/{run_id}/confirm")
def confirm_run(run_id: Id, uow: ApiUow) -> dict[str, Any]:
    """确认分配:此后不可更改,分红计入农户收入、余额计入村集体收入。"""
    run = service.confirm_run(uow, run_id)
    return {"id": run.id, "status": run.status, "confirmed_by": run.confirmed_by}


@router.post("/runs/{run_id}/discard")
def discard_run(run_id: Id, uow: ApiUow) -> dict[str, Any]:
    run = service.discard_run(uow, run_id)
    return {"id": run.id, "status": run.status}


@router.post("/collective-income", status_code=201)
def record_collective_income(body: CollectiveIncomeCreate, uow: ApiUow) -> dict[str, Any]:
    row = service.record_collective_income(uow, body)
    return {"id": row.id, "area_code": row.area_code, "year": row.year, "amount": str(row.amount)}


@router.get("/collective-income/under-target")
def under_target(session: SessionDep, user: ApiUser, year: Year,
                 target: Annotated[Decimal, Query(ge=0, le=10**9, max_digits=14, decimal_places=2)] = DEFAULT_TARGET
                 ) -> list[dict[str, Any]]:
    """未达到村集体经济收入目标的村(默认5万元,可用 target 指定)。"""
    return [{"area_code": code, "name": name, "income": str(income)}
            for code, name, income in queries.villages_under_target(session, user.scope, year, target)]


@router.post("/imports", status_code=202)
def start_import(uow: ApiUow, file: Annotated[UploadFile, File()]) -> dict[str, Any]:
    """导入经营主体、成员、土地流转合同(.xlsx,后台任务,逐行报告)。"""
    data = file.file.read(service.MAX_IMPORT_BYTES + 1)
    job_id = service.start_import(uow, file.filename or "upload.xlsx", data)
    return {"job_id": job_id, "url": f"/api/v1/jobs/{job_id}"}
