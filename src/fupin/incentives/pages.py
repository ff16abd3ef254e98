"""Incentives pages (phone width first): the overview, a household's points, a shop with its goods and donations,
the clerk's redemption screen (find the household → pick goods → confirm → receipt), scorecards with their live
and published ranking. Handlers read on the request's session and write through one use case; every form parses
with a schema, and a rejected form comes back (422) with what was typed and each message beside its field."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from fupin.core.errors import FupinError
from fupin.core.identity import CurrentUser
from fupin.core.scoping import Scope
from fupin.incentives import queries, rules, schemas, service
from fupin.web.deps import PageUow, PageUser, SessionDep, verify_csrf
from fupin.web.forms import FormResult, PageForm, keep_fixable, redirect_back, submit
from fupin.web.record_forms import RecordForm, add_page, rendered
from fupin.web.templating import render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=schemas.MAX_ID)]


def _vocab() -> dict[str, Any]:
    return {"kinds": rules.ENTRY_KINDS, "triggers": rules.TRIGGERS, "levels": rules.AWARD_LEVELS,
            "subject_kinds": rules.SUBJECT_KINDS, "veto_effects": rules.VETO_EFFECTS, "titles": rules.TITLES,
            "donation_kinds": service.DONATION_KINDS, "stars": rules.STAR_CRITERIA}


def _ctx(request: Request, **values: Any) -> dict[str, Any]:
    return {"vocab": _vocab(), "ok": request.query_params.get("ok"), "today": dt.date.today().isoformat(),
            **values}


# ---------------------------------------------------------------- overview


def _overview(request: Request, session: Any, user: CurrentUser, **forms: Any) -> dict[str, Any]:
    return _ctx(request, rules_=queries.list_rules(session, user.scope),
                shops=queries.list_shops(session, user.scope, queries.shop_only(user)),
                scorecards=queries.list_scorecards(session, user.scope), q=request.query_params.get("q", "")[:30],
                rule_form=forms.get("rule_form"), shop_form=forms.get("shop_form"))


@router.get("/incentives")
def overview(request: Request, session: SessionDep, user: PageUser):
    return render(request, "incentives/overview.html", _overview(request, session, user))


def _overview_again(request: Request, session: Any, user: CurrentUser, **forms: FormResult[Any]):
    return lambda status: render(request, "incentives/overview.html", _overview(request, session, user, **forms),
                                 status_code=status)


@router.post("/incentives/rules")
def create_rule(request: Request, session: SessionDep, user: PageUser, uow: PageUow,
                form: PageForm[schemas.RuleCreate]):
    return submit(form, lambda data: service.create_rule(uow, data),
                  lambda _: redirect_back("/incentives", ok="已新增积分规则"),
                  _overview_again(request, session, user, rule_form=form), keep_fixable)


@router.post("/incentives/shops")
def create_shop(request: Request, session: SessionDep, user: PageUser, uow: PageUow,
                form: PageForm[schemas.ShopCreate]):
    return submit(form, lambda data: service.create_shop(uow, data),
                  lambda shop: redirect_back(f"/incentives/shops/{shop.id}", ok="已设立爱心超市"),
                  _overview_again(request, session, user, shop_form=form), keep_fixable)


# ---------------------------------------------------------------- households


@router.get("/incentives/households")
def search(request: Request, session: SessionDep, user: PageUser):
    q = request.query_params.get("q", "")[:30]
    return render(request, "incentives/search.html",
                  _ctx(request, q=q, found=queries.find_households(session, user.scope, q)))


def _household(request: Request, session: Any, user: CurrentUser, household_id: int, **forms: Any
               ) -> dict[str, Any]:
    account = queries.account(session, household_id, user.scope)
    return _ctx(request, account=account, entries=queries.entries(session, household_id),
                rules_=[r for r in queries.list_rules(session, user.scope, active_only=True)
                        if Scope.of_area(r.area_code).contains(account.area_code)],
                shops=queries.list_shops(session, user.scope, queries.shop_only(user)),
                award_form=forms.get("award_form"), correct_form=forms.get("correct_form"))


add_page(router, "/incentives/households/{household_id}", rendered("incentives/household.html", _household), (
    RecordForm("award", schemas.AwardForm, "award_form", lambda entry: f"已奖励{entry.points}分",
               lambda uow, household_id, d: service.award_points(
                   uow, schemas.AwardCreate(household_id=household_id, **d.model_dump()))),
    RecordForm("correct", schemas.CorrectionForm, "correct_form", "已更正",
               lambda uow, household_id, d: service.correct_points(
                   uow, schemas.CorrectionCreate(household_id=household_id, **d.model_dump()))),
), keep=keep_fixable)


# ---------------------------------------------------------------- shops


def _shop(request: Request, session: Any, user: CurrentUser, shop_id: int, **forms: Any) -> dict[str, Any]:
    shop = queries.get_shop(session, shop_id, user.scope, queries.shop_only(user))
    goods = queries.goods_of(session, shop.id)
    return _ctx(request, shop=shop, goods=goods, goods_choices={str(g.id): g.name for g in goods},
                donations=queries.donations_of(session, shop.id), redemptions=queries.redemptions_of(session, shop.id),
                goods_form=forms.get("goods_form"), stock_form=forms.get("stock_form"),
                donation_form=forms.get("donation_form"))


add_page(router, "/incentives/shops/{shop_id}", rendered("incentives/shop.html", _shop), (
    RecordForm("goods", schemas.GoodsCreate, "goods_form", "已上架", service.add_goods),
    RecordForm("donations", schemas.DonationCreate, "donation_form", "已登记捐赠", service.record_donation),
), keep=keep_fixable)


@router.post("/incentives/goods/{goods_id}/stock")
def add_stock(goods_id: Id, request: Request, session: SessionDep, user: PageUser, uow: PageUow,
              form: PageForm[schemas.StockAdd]):
    if form.ok:
        assert form.data is not None
        goods = service.add_stock(uow, goods_id, form.data.quantity)  # errors: the goods or the shop is wrong
        return redirect_back(f"/incentives/shops/{goods.shop_id}", ok=f"{goods.name}库存{goods.stock}")
    return redirect_back("/incentives", ok=None, error="；".join(form.errors.values()))


# ---------------------------------------------------------------- the clerk's redemption screen


def _redeem(request: Request, session: Any, user: CurrentUser, shop_id: int, household_id: int | None,
            form: FormResult[Any] | None = None, confirm: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    shop = queries.get_shop(session, shop_id, user.scope, queries.shop_only(user))
    q = request.query_params.get("q", "")[:30]
    account = queries.account(session, household_id, user.scope) if household_id else None
    return _ctx(request, shop=shop, q=q, found=queries.find_households(session, user.scope, q) if q else [],
                account=account, goods=queries.goods_of(session, shop.id, in_stock_only=True) if account else [],
                form=form, confirm=confirm, total=sum(line["points"] for line in confirm or []))


@router.get("/incentives/shops/{shop_id}/redeem")
def redeem_page(shop_id: Id, request: Request, session: SessionDep, user: PageUser):
    raw = request.query_params.get("household_id", "")
    household_id = int(raw) if raw.isdigit() and 0 < len(raw) < 19 else None
    return render(request, "incentives/redeem.html", _redeem(request, session, user, shop_id, household_id))


@router.post("/incentives/shops/{shop_id}/redeem")
def redeem(shop_id: Id, request: Request, session: SessionDep, user: PageUser, uow: PageUow,
           form: PageForm[schemas.RedeemForm]):
    household_id = None
    if form.ok:
        assert form.data is not None
        household_id = form.data.household_id
        data = schemas.RedemptionCreate(household_id=household_id, lines=[
            schemas.LineIn(goods_id=line.goods_id, quantity=line.quantity)
            for line in form.data.lines if line.quantity > 0])
        if form.data.confirmed and data.lines:
            try:
                redemption = service.redeem(uow, shop_id, data)
            except FupinError as error:
                keep_fixable(form, error)
            else:
                return redirect_back(f"/incentives/redemptions/{redemption.id}", ok="兑换成功")
        else:
            goods = {g.id: g for g in queries.goods_of(session, queries.get_shop(
                session, shop_id, user.scope, queries.shop_only(user)).id)}
            confirm = [{"goods_id": line.goods_id, "name": goods[line.goods_id].name, "quantity": line.quantity,
                        "unit": goods[line.goods_id].unit,
                        "points": goods[line.goods_id].price_points * line.quantity}
                       for line in data.lines if line.quantity > 0 and line.goods_id in goods]
            if confirm:
                return render(request, "incentives/redeem.html",
                              _redeem(request, session, user, shop_id, household_id, form, confirm))
            form.errors["lines"] = "请至少选择一件商品"
    else:
        raw = str(form.values.get("household_id", ""))
        household_id = int(raw) if raw.isdigit() and 0 < len(raw) < 19 else None
    return render(request, "incentives/redeem.html", _redeem(request, session, user, shop_id, household_id, form),
                  status_code=422)


@router.get("/incentives/redemptions/{redemption_id}")
def receipt(redemption_id: Id, request: Request, session: SessionDep, user: PageUser):
    redemption, lines = queries.get_redemption(session, redemption_id, user.scope, queries.shop_only(user))
    return render(request, "incentives/receipt.html", _ctx(
        request, redemption=redemption, lines=lines,
        shop=queries.get_shop(session, redemption.shop_id, user.scope),
        account=queries.account(session, redemption.household_id, user.scope)))


# ---------------------------------------------------------------- scorecards


def _scorecard(request: Request, session: Any, user: CurrentUser, scorecard_id: int, **forms: Any
               ) -> dict[str, Any]:
    card = queries.get_scorecard(session, scorecard_id, user.scope)
    computed = queries.compute_scores(session, card, user.scope)
    order = rules.ranks([c.score for c in computed])
    live = sorted(({"c": c, "rank": r, "shown": rules.shown(c.score)} for c, r in zip(computed, order, strict=True)),
                  key=lambda row: (row["rank"], row["c"].subject_id))
    items = queries.items_of(session, card.id)
    subjects = queries.subjects_of(session, card.id, user.scope)
    return _ctx(request, card=card, items=items, subjects=subjects, live=live,
                item_choices={str(i.id): i.name + ("(一票否决)" if i.is_veto else f"(权重{i.weight})") for i in items},
                subject_choices={str(s.id): s.name for s in subjects},
                results=queries.results_of(session, card.id, user.scope) if card.status == "closed" else [],
                score_form=forms.get("score_form"), subject_form=forms.get("subject_form"),
                close_form=forms.get("close_form"))


add_page(router, "/incentives/scorecards/{scorecard_id}", rendered("incentives/scorecard.html", _scorecard), (
    RecordForm("subjects", schemas.SubjectCreate, "subject_form", "已添加考核对象", service.add_subject),
    RecordForm("scores", schemas.ScoreSet, "score_form", "已记录", service.record_score),
    RecordForm("close", schemas.CloseBody, "close_form", "已结账并公布排名",
               lambda uow, scorecard_id, d: service.close_period(uow, scorecard_id, d.closed_on,
                                                                 expire=d.expire_points)),
), keep=keep_fixable)


@router.get("/incentives/results")
def results_page(request: Request, session: SessionDep, user: PageUser):
    return render(request, "incentives/results.html", _ctx(request, history=queries.history(session, user.scope)))
