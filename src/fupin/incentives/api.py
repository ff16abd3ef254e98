"""积分激励 (Incentives) API: thin routes — reads on the request's session within the caller's scope (a shop clerk
sees her own shop only), writes through one use case each."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from fupin.incentives import exporting, queries, schemas, service
from fupin.web.deps import ApiUow, ApiUser, SessionDep
from fupin.web.params import Id

router = APIRouter(prefix="/incentives", tags=["incentives 积分激励"])


@router.get("/rules", response_model=list[schemas.RulePublic])
def list_rules(session: SessionDep, user: ApiUser) -> list[schemas.RulePublic]:
    return [schemas.RulePublic.model_validate(r) for r in queries.list_rules(session, user.scope)]


@router.post("/rules", response_model=schemas.RulePublic, status_code=201)
def create_rule(body: schemas.RuleCreate, uow: ApiUow) -> schemas.RulePublic:
    return schemas.RulePublic.model_validate(service.create_rule(uow, body))


@router.post("/awards", response_model=schemas.EntryPublic, status_code=201)
def award(body: schemas.AwardCreate, uow: ApiUow) -> schemas.EntryPublic:
    """奖励积分(按积分规则,附佐证);同一规则每户每年次数有上限。"""
    return schemas.EntryPublic.model_validate(service.award_points(uow, body))


@router.post("/corrections", response_model=schemas.EntryPublic, status_code=201)
def correct(body: schemas.CorrectionCreate, uow: ApiUow) -> schemas.EntryPublic:
    """更正积分:新增一笔更正记录(不修改原记录),余额不能为负。"""
    return schemas.EntryPublic.model_validate(service.correct_points(uow, body))


@router.post("/expiry")
def expire(body: schemas.ExpireBody, uow: ApiUow) -> dict[str, int]:
    """到期积分清零(先用先到期的积分)。"""
    return service.expire_points(uow, body.area_code, body.as_of)


@router.get("/households", response_model=list[schemas.AccountPublic])
def find_households(session: SessionDep, user: ApiUser, q: Annotated[str, Query(max_length=30)] = ""
                    ) -> list[schemas.AccountPublic]:
    found = queries.find_households(session, user.scope, q)
    return [queries.account(session, row["id"], user.scope) for row in found]


@router.get("/households/{household_id}", response_model=schemas.AccountPublic)
def get_account(household_id: Id, session: SessionDep, user: ApiUser) -> schemas.AccountPublic:
    return queries.account(session, household_id, user.scope)


@router.get("/households/{household_id}/entries", response_model=list[schemas.EntryPublic])
def get_entries(household_id: Id, session: SessionDep, user: ApiUser) -> list[schemas.EntryPublic]:
    queries.account(session, household_id, user.scope)
    return [schemas.EntryPublic.model_validate(e) for e in queries.entries(session, household_id)]


@router.get("/shops", response_model=list[schemas.ShopPublic])
def list_shops(session: SessionDep, user: ApiUser) -> list[schemas.ShopPublic]:
    shops = queries.list_shops(session, user.scope, queries.shop_only(user))
    return [schemas.ShopPublic.model_validate(s) for s in shops]


@router.post("/shops", response_model=schemas.ShopPublic, status_code=201)
def create_shop(body: schemas.ShopCreate, uow: ApiUow) -> schemas.ShopPublic:
    return schemas.ShopPublic.model_validate(service.create_shop(uow, body))


@router.get("/shops/{shop_id}/goods", response_model=list[schemas.GoodsPublic])
def list_goods(shop_id: Id, session: SessionDep, user: ApiUser) -> list[schemas.GoodsPublic]:
    queries.get_shop(session, shop_id, user.scope, queries.shop_only(user))
    return [schemas.GoodsPublic.model_validate(g) for g in queries.goods_of(session, shop_id)]


@router.post("/shops/{shop_id}/goods", response_model=schemas.GoodsPublic, status_code=201)
def add_goods(shop_id: Id, body: schemas.GoodsCreate, uow: ApiUow) -> schemas.GoodsPublic:
    return schemas.GoodsPublic.model_validate(service.add_goods(uow, shop_id, body))


@router.post("/goods/{goods_id}/stock", response_model=schemas.GoodsPublic)
def add_stock(goods_id: Id, body: schemas.StockAdd, uow: ApiUow) -> schemas.GoodsPublic:
    return schemas.GoodsPublic.model_validate(service.add_stock(uow, goods_id, body.quantity))


@router.get("/shops/{shop_id}/donations", response_model=list[schemas.DonationPublic])
def list_donations(shop_id: Id, session: SessionDep, user: ApiUser) -> list[schemas.DonationPublic]:
    queries.get_shop(session, shop_id, user.scope, queries.shop_only(user))
    return [schemas.DonationPublic.model_validate(d) for d in queries.donations_of(session, shop_id)]


@router.post("/shops/{shop_id}/donations", response_model=schemas.DonationPublic, status_code=201)
def record_donation(shop_id: Id, body: schemas.DonationCreate, uow: ApiUow) -> schemas.DonationPublic:
    return schemas.DonationPublic.model_validate(service.record_donation(uow, shop_id, body))


def _receipt(redemption, lines) -> schemas.RedemptionPublic:  # type: ignore[no-untyped-def]
    return schemas.RedemptionPublic(id=redemption.id, shop_id=redemption.shop_id,
                                    household_id=redemption.household_id, total_points=redemption.total_points,
                                    balance_after=redemption.balance_after, redeemed_on=redemption.redeemed_on,
                                    clerk_name=redemption.clerk_name,
                                    lines=[schemas.LinePublic.model_validate(line) for line in lines])


@router.post("/shops/{shop_id}/redemptions", response_model=schemas.RedemptionPublic, status_code=201)
def redeem(shop_id: Id, body: schemas.RedemptionCreate, uow: ApiUow,
           session: SessionDep) -> schemas.RedemptionPublic:
    """积分兑换:余额和库存在同一事务中核对并扣减;积分不足或库存不足答复409,什么也不改。"""
    redemption = service.redeem(uow, shop_id, body)
    return _receipt(*queries.get_redemption(session, redemption.id, uow.scope))


@router.get("/redemptions/{redemption_id}", response_model=schemas.RedemptionPublic)
def get_redemption(redemption_id: Id, session: SessionDep, user: ApiUser) -> schemas.RedemptionPublic:
    return _receipt(*queries.get_redemption(session, redemption_id, user.scope, queries.shop_only(user)))


@router.get("/scorecards", response_model=list[schemas.ScorecardPublic])
def list_scorecards(session: SessionDep, user: ApiUser) -> list[schemas.ScorecardPublic]:
    return [schemas.ScorecardPublic.model_validate(c) for c in queries.list_scorecards(session, user.scope)]


@router.post("/scorecards", response_model=schemas.ScorecardPublic, status_code=201)
def create_scorecard(body: schemas.ScorecardCreate, uow: ApiUow) -> schemas.ScorecardPublic:
    return schemas.ScorecardPublic.model_validate(service.create_scorecard(uow, body))


@router.post("/scorecards/{scorecard_id}/subjects", response_model=schemas.SubjectPublic, status_code=201)
def add_subject(scorecard_id: Id, body: schemas.SubjectCreate, uow: ApiUow) -> schemas.SubjectPublic:
    return schemas.SubjectPublic.model_validate(service.add_subject(uow, scorecard_id, body))


@router.put("/scorecards/{scorecard_id}/scores")
def record_score(scorecard_id: Id, body: schemas.ScoreSet, uow: ApiUow) -> dict[str, object]:
    row = service.record_score(uow, scorecard_id, body)
    return {"subject_id": row.subject_id, "item_id": row.item_id, "score": row.score, "vetoed": row.vetoed}


@router.post("/scorecards/{scorecard_id}/close", response_model=list[schemas.ResultPublic])
def close(scorecard_id: Id, body: schemas.CloseBody, uow: ApiUow,
          session: SessionDep) -> list[schemas.ResultPublic]:
    """考核期结账:计算得分(一票否决清零或减半)、排名、星级、称号和奖金分配;结账后不能再改。"""
    service.close_period(uow, scorecard_id, body.closed_on, expire=body.expire_points)
    return [schemas.ResultPublic(**r) for r in queries.results_of(session, scorecard_id, uow.scope)]


@router.get("/scorecards/{scorecard_id}/results", response_model=list[schemas.ResultPublic])
def results(scorecard_id: Id, session: SessionDep, user: ApiUser) -> list[schemas.ResultPublic]:
    queries.get_scorecard(session, scorecard_id, user.scope)
    return [schemas.ResultPublic(**r) for r in queries.results_of(session, scorecard_id, user.scope)]


@router.get("/results.xlsx")
def results_xlsx(session: SessionDep, user: ApiUser,
                 kind: Annotated[str | None, Query(max_length=8)] = None) -> Response:
    """各考核期排名结果(含历史)导出为 .xlsx。"""
    data = exporting.results_workbook(queries.history(session, user.scope, kind))
    name = f"incentives-results-{dt.date.today().isoformat()}.xlsx"
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
