"""Use cases of incentives; the only place that writes. Each opens its unit of work, asks the permission table
first, and holds the rows it checks: a household's balance row (`point_accounts`) for every posting, the goods rows
of a redemption (always after the balance row, goods in id order, so two redemptions never wait on each other in a
circle), the scorecard's row for every score and for the close. SQLite writers are serialised by BEGIN IMMEDIATE;
the CHECK constraints (balance ≥ 0, stock ≥ 0) and the unique keys stand behind both databases."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from fupin.core import errors as core_errors
from fupin.core.areacodes import AreaLevel, level_of, validate_code
from fupin.core.audit import AuditAction
from fupin.core.scoping import Scope, found_as
from fupin.core.uow import UnitOfWork
from fupin.incentives import errors, queries, rules
from fupin.incentives.models import (
    LoveShop,
    PointAccount,
    PointPosting,
    PointRule,
    PointTransaction,
    Redemption,
    RedemptionLine,
    Scorecard,
    ScorecardItem,
    ScorecardResult,
    ScorecardScore,
    ScorecardSubject,
    ShopDonation,
    ShopGoods,
)
from fupin.incentives.schemas import (
    MAX_ID,
    AwardCreate,
    CorrectionCreate,
    DonationCreate,
    GoodsCreate,
    RedemptionCreate,
    RuleCreate,
    ScorecardCreate,
    ScoreSet,
    ShopCreate,
    SubjectCreate,
)
from fupin.registry.queries import get_household

LABELS = {"name": ("名称", "name"), "trigger": ("自动奖励来源", "trigger"), "award_level": ("奖励权限", "award level"),
          "kind": ("捐赠类型", "kind"), "subject_kind": ("考核对象", "subject kind"),
          "veto_effect": ("一票否决的后果", "veto effect"), "title": ("评选称号", "title")}
DONATION_KINDS = {"money": "捐款", "goods": "捐物"}


def _valid_id(key: Any) -> bool:
    return isinstance(key, int) and not isinstance(key, bool) and 0 < key <= MAX_ID


def _one_of(field: str, value: Any, vocabulary: dict[str, str]) -> str:
    if value in vocabulary:
        return value
    label, label_en = LABELS.get(field, (field, field))
    raise errors.INVALID_CHOICE(field=field, label=label, label_en=label_en,
                                choices="、".join(v for v in vocabulary.values()),
                                choices_en=", ".join(k or "(none)" for k in vocabulary))


def _area(uow: UnitOfWork, area_code: str) -> str:
    """An area typed by the caller: a valid code (422), inside the caller's scope (403), existing (404)."""
    from fupin.areas.queries import get_area

    code = validate_code(area_code)
    if not uow.scope.contains(code):
        raise core_errors.OUT_OF_SCOPE(field="area_code")
    return get_area(uow.session, code, uow.scope).code


def _locked(uow: UnitOfWork, model: Any, key: Any, not_found: core_errors.ErrorCode, *,
            scope: Scope | None = None) -> Any:
    """The row by id, re-read and held until the unit of work ends; NotFound outside the caller's area."""
    row = None
    if _valid_id(key):
        statement = uow.locked(select(model).where(model.id == key)).execution_options(populate_existing=True)
        row = uow.session.execute(statement).scalar_one_or_none()
    if row is None or not (scope or uow.scope).contains(row.area_code):
        raise not_found(key=key)
    return row


def _household(uow: UnitOfWork, household_id: int) -> Any:
    return found_as(errors.HOUSEHOLD_NOT_FOUND, "household_id", household_id,
                    lambda key: get_household(uow.session, key, uow.scope))


# ---------------------------------------------------------------- the ledger


def _account(uow: UnitOfWork, household: Any) -> PointAccount:
    """The household's balance row, created if missing, then held (FOR UPDATE) until the unit of work ends."""
    table = PointAccount.__table__
    if uow.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    uow.session.execute(insert(table).values(household_id=household.id, county_code=household.county_code,
                                             area_code=household.area_code, balance=0, earned=0, spent=0,
                                             expired=0, corrected=0)
                        .on_conflict_do_nothing(index_elements=["household_id"]))
    return uow.session.execute(uow.locked(select(PointAccount).where(PointAccount.household_id == household.id))
                               .execution_options(populate_existing=True)).scalar_one()


COUNTERS = {"earned": "earned", "spent": "spent", "expired": "expired", "corrected": "corrected"}


def _post(uow: UnitOfWork, account: PointAccount, kind: str, points: int, contra: str, *, occurred_on: dt.date,
          **fields: Any) -> PointTransaction:
    """A journal entry of two postings (the household's account and `contra`, summing to zero), and the held
    balance row moved by the same points. Never below zero: the caller checked, the CHECK constraint backs it."""
    if account.balance + points < 0:
        raise errors.BALANCE_SHORT(balance=account.balance, needed=-points)
    transaction = PointTransaction(kind=kind, household_id=account.household_id, county_code=account.county_code,
                                   area_code=account.area_code, points=points, occurred_on=occurred_on,
                                   actor_name=uow.actor.name[:60], **fields)
    uow.session.add(transaction)
    uow.flush()
    uow.session.add_all([
        PointPosting(transaction_id=transaction.id, account=rules.household_account(account.household_id),
                     points=points),
        PointPosting(transaction_id=transaction.id, account=contra, points=-points),
    ])
    account.balance += points
    counter = COUNTERS[kind]
    setattr(account, counter, getattr(account, counter) + (points if kind in ("earned", "corrected") else -points))
    uow.flush()
    return transaction


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def create_rule(uow: UnitOfWork, data: RuleCreate) -> PointRule:
    with uow:
        uow.require("incentives.rule.manage")
        _one_of("trigger", data.trigger, rules.TRIGGERS)
        _one_of("award_level", data.award_level, rules.AWARD_LEVELS)
        code = _area(uow, data.area_code)
        rule = PointRule(county_code=code[:6], area_code=code, name=data.name, points=data.points,
                         trigger=data.trigger, award_level=data.award_level, limit_per_year=data.limit_per_year,
                         valid_months=data.valid_months, active=True)
        uow.session.add(rule)
        uow.flush()
        uow.audit(AuditAction.create, "point_rule", rule.id, area_code=code, after=data.model_dump())
        return rule


def _rule_for(uow: UnitOfWork, rule_id: int, household: Any) -> PointRule:
    rule = uow.session.get(PointRule, rule_id) if _valid_id(rule_id) else None
    if rule is None or not household.area_code.startswith(Scope.of_area(rule.area_code).prefix):
        raise errors.RULE_NOT_FOUND(field="rule_id", key=rule_id)
    return rule


def _award(uow: UnitOfWork, household: Any, rule: PointRule, occurred_on: dt.date, note: str | None,
           evidence: str | None, source_ref: str | None) -> PointTransaction:
    account = _account(uow, household)  # held: the limit count and the posting below cannot interleave
    if not rule.active:
        raise errors.RULE_INACTIVE(field="rule_id", rule=rule.name)
    if source_ref is not None and uow.session.scalar(
            select(PointTransaction.id).where(PointTransaction.source_ref == source_ref)) is not None:
        raise errors.ALREADY_AWARDED(ref=source_ref)
    if rule.limit_per_year is not None:
        done = int(uow.session.scalar(select(func.count()).select_from(PointTransaction).where(
            PointTransaction.household_id == household.id, PointTransaction.rule_id == rule.id,
            PointTransaction.kind == "earned",
            PointTransaction.occurred_on.between(dt.date(occurred_on.year, 1, 1),
                                                 dt.date(occurred_on.year, 12, 31)))) or 0)
        if done >= rule.limit_per_year:
            raise errors.RULE_LIMIT(field="rule_id", rule=rule.name, limit=rule.limit_per_year, done=done)
    expires_on = _add_months(occurred_on, rule.valid_months) if rule.valid_months else None
    transaction = _post(uow, account, "earned", rule.points, rules.ISSUED, occurred_on=occurred_on,
                        rule_id=rule.id, note=note, evidence=evidence, source_ref=source_ref, expires_on=expires_on)
    uow.audit(AuditAction.create, "point_award", transaction.id, area_code=household.area_code,
              after={"household_id": household.id, "rule_id": rule.id, "points": rule.points,
                     "occurred_on": occurred_on, "evidence": evidence, "source_ref": source_ref})
    return transaction


def award_points(uow: UnitOfWork, data: AwardCreate) -> PointTransaction:
    """Points for a task done, with evidence; within the rule's yearly limit and by the level the rule names."""
    with uow:
        uow.require("incentives.points.award")
        household = _household(uow, data.household_id)
        rule = _rule_for(uow, data.rule_id, household)
        if not rules.may_award_at(uow.actor.role, rule.award_level):
            raise errors.RULE_LEVEL(field="rule_id", rule=rule.name, level=rules.AWARD_LEVELS[rule.award_level])
        return _award(uow, household, rule, data.occurred_on, data.note, data.evidence, None)


def award_for_event(uow: UnitOfWork, trigger: str, household_id: int, source_ref: str, occurred_on: dt.date,
                    note: str | None = None) -> int:
    """The hook other capabilities call (`incentives.award_points`): training attended, volunteering … earns the
    points of the active rule with this trigger that covers the household. Once per `source_ref`; no rule, or
    awarded already: nothing happens. Returns the points awarded (0 when none)."""
    with uow:
        uow.require("incentives.points.award")
        if not trigger:
            raise errors.REQUIRED(field="trigger", label="自动奖励来源", label_en="trigger")
        _one_of("trigger", trigger, rules.TRIGGERS)
        household = _household(uow, household_id)
        candidates = uow.session.scalars(select(PointRule).where(PointRule.trigger == trigger, PointRule.active)
                                         .order_by(func.length(PointRule.area_code).desc(), PointRule.id)).all()
        rule = next((r for r in candidates
                     if household.area_code.startswith(Scope.of_area(r.area_code).prefix)), None)
        if rule is None:
            return 0
        if uow.session.scalar(select(PointTransaction.id).where(PointTransaction.source_ref == source_ref)):
            return 0
        try:
            _award(uow, household, rule, occurred_on, note, None, source_ref[:80])
        except core_errors.Conflict:
            return 0  # over the yearly limit: the attendance stands, without points
        return rule.points


def correct_points(uow: UnitOfWork, data: CorrectionCreate) -> PointTransaction:
    """A correction is a new entry (never an edit): plus or minus, with its reason; never below zero."""
    with uow:
        uow.require("incentives.points.correct")
        if data.points == 0:
            raise errors.CORRECTION_ZERO(field="points", most=rules.MAX_AWARD)
        household = _household(uow, data.household_id)
        account = _account(uow, household)
        transaction = _post(uow, account, "corrected", data.points, rules.CORRECTIONS,
                            occurred_on=data.occurred_on, note=data.note)
        uow.audit(AuditAction.create, "point_correction", transaction.id, area_code=household.area_code,
                  after={"household_id": household.id, "points": data.points, "note": data.note})
        return transaction


def expire_points(uow: UnitOfWork, area_code: str, as_of: dt.date) -> dict[str, int]:
    """Points whose validity ended by `as_of` and that were not used (oldest used first) expire, household by
    household in the area; each expiry is an entry of its own. Running it again expires nothing more."""
    with uow:
        uow.require("incentives.period.close")
        code = _area(uow, area_code)
        scope = Scope.of_area(code)
        session = uow.session
        due = select(PointTransaction.household_id).where(
            scope.condition(PointTransaction.area_code), PointTransaction.kind == "earned",
            PointTransaction.expires_on.is_not(None), PointTransaction.expires_on <= as_of).distinct()
        households = sorted(session.scalars(due).all())
        expired_households = expired_points = 0
        for household_id in households:
            household = get_household(session, household_id, Scope.everything())
            account = _account(uow, household)
            lots = [rules.Lot(expires_on, int(points)) for expires_on, points in session.execute(
                select(PointTransaction.expires_on, func.sum(PointTransaction.points))
                .where(PointTransaction.household_id == household_id, PointTransaction.points > 0)
                .group_by(PointTransaction.expires_on))]
            debited = -int(session.scalar(select(func.coalesce(func.sum(PointTransaction.points), 0)).where(
                PointTransaction.household_id == household_id, PointTransaction.points < 0)) or 0)
            amount = rules.expiring_points(lots, debited, account.balance, as_of)
            if amount > 0:
                _post(uow, account, "expired", -amount, rules.EXPIRED, occurred_on=as_of,
                      note=f"{as_of.isoformat()}到期清零")
                expired_households += 1
                expired_points += amount
        uow.audit(AuditAction.command, "point_expiry", code, area_code=code,
                  detail={"as_of": as_of, "households": expired_households, "points": expired_points})
        return {"households": expired_households, "points": expired_points}


# ---------------------------------------------------------------- love supermarkets


def create_shop(uow: UnitOfWork, data: ShopCreate) -> LoveShop:
    with uow:
        uow.require("incentives.shop.manage")
        code = _area(uow, data.area_code)
        shop = LoveShop(county_code=code[:6], area_code=code, name=data.name, address=data.address, active=True)
        uow.session.add(shop)
        uow.flush()
        uow.audit(AuditAction.create, "love_shop", shop.id, area_code=code, after=data.model_dump())
        return shop


def _shop(uow: UnitOfWork, shop_id: int) -> LoveShop:
    """The shop in the caller's area (the caller asked the permission table first, naming this shop: a shop clerk
    acts only for her own, 403 `core.not_your_shop`)."""
    shop = uow.session.get(LoveShop, shop_id) if _valid_id(shop_id) else None
    if shop is None or not queries.shop_visible(shop.area_code, uow.scope):
        raise errors.SHOP_NOT_FOUND(key=shop_id)
    return shop


def add_goods(uow: UnitOfWork, shop_id: int, data: GoodsCreate) -> ShopGoods:
    with uow:
        uow.require("incentives.goods.manage", shop_id=shop_id)
        shop = _shop(uow, shop_id)
        goods = ShopGoods(shop_id=shop.id, area_code=shop.area_code, name=data.name, unit=data.unit,
                          price_points=data.price_points, stock=data.stock, active=True)
        uow.session.add(goods)
        uow.flush()
        uow.audit(AuditAction.create, "shop_goods", goods.id, area_code=shop.area_code,
                  after={"shop_id": shop.id, **data.model_dump()})
        return goods


def _goods_of_shop(uow: UnitOfWork, goods_id: int, action: str) -> ShopGoods:
    """Goods (held), after the permission table has checked their shop."""
    row = uow.session.get(ShopGoods, goods_id) if _valid_id(goods_id) else None
    uow.require(action, shop_id=row.shop_id if row is not None else None)
    goods = _locked(uow, ShopGoods, goods_id, errors.GOODS_NOT_FOUND)
    return goods


def add_stock(uow: UnitOfWork, goods_id: int, quantity: int) -> ShopGoods:
    with uow:
        uow.require("incentives.goods.manage", shop_id=uow.actor.shop_id)
        goods = _goods_of_shop(uow, goods_id, "incentives.goods.manage")
        before = goods.stock
        goods.stock += quantity
        uow.flush()
        uow.audit(AuditAction.update, "shop_goods", goods.id, area_code=goods.area_code,
                  before={"stock": before}, after={"stock": goods.stock})
        return goods


def record_donation(uow: UnitOfWork, shop_id: int, data: DonationCreate) -> ShopDonation:
    """Money (an amount) or goods (which goods and how many: the stock grows by them) given to a shop."""
    with uow:
        uow.require("incentives.goods.manage", shop_id=shop_id)
        shop = _shop(uow, shop_id)
        _one_of("kind", data.kind, DONATION_KINDS)
        goods = None
        if data.kind == "money":
            if data.amount is None or data.amount <= 0:
                raise errors.DONATION_AMOUNT(field="amount")
        else:
            if data.goods_id is None or data.quantity is None:
                raise errors.DONATION_GOODS(field="goods_id" if data.goods_id is None else "quantity")
            goods = _locked(uow, ShopGoods, data.goods_id, errors.GOODS_NOT_FOUND)
            if goods.shop_id != shop.id:
                raise errors.GOODS_OTHER_SHOP(field="goods_id", name=goods.name)
            goods.stock += data.quantity
        donation = ShopDonation(shop_id=shop.id, area_code=shop.area_code, donor=data.donor, kind=data.kind,
                                amount=data.amount if data.kind == "money" else None,
                                goods_id=goods.id if goods else None,
                                quantity=data.quantity if goods else None, received_on=data.received_on,
                                note=data.note)
        uow.session.add(donation)
        uow.flush()
        uow.audit(AuditAction.create, "shop_donation", donation.id, area_code=shop.area_code,
                  after={"shop_id": shop.id, **data.model_dump()})
        return donation


def redeem(uow: UnitOfWork, shop_id: int, data: RedemptionCreate, redeemed_on: dt.date | None = None
           ) -> Redemption:
    """A household takes goods for points. The balance row, then the goods rows (in id order) are held while
    balance and stock are checked and changed, in one transaction: no negative balance, no negative stock, no
    double spend; the loser of a race gets 409 (`incentives.balance_short` / `incentives.stock_short`)."""
    with uow:
        uow.require("incentives.redeem", shop_id=shop_id)
        shop = _shop(uow, shop_id)
        if not shop.active:
            raise errors.SHOP_CLOSED()
        wanted: dict[int, int] = defaultdict(int)
        for line in data.lines:
            if line.quantity > 0:
                wanted[line.goods_id] += line.quantity
        if not wanted:
            raise errors.NO_LINES(field="lines")
        for quantity in wanted.values():
            if quantity > rules.MAX_QUANTITY:
                raise errors.QUANTITY_RANGE(field="lines", most=rules.MAX_QUANTITY)
        household = _household(uow, data.household_id)
        account = _account(uow, household)
        held = {g.id: g for g in uow.session.execute(
            uow.locked(select(ShopGoods).where(ShopGoods.id.in_(sorted(wanted))).order_by(ShopGoods.id))
            .execution_options(populate_existing=True)).scalars()}
        total = 0
        for goods_id in sorted(wanted):
            goods = held.get(goods_id)
            if goods is None:
                raise errors.GOODS_NOT_FOUND(field="lines", key=goods_id)
            if goods.shop_id != shop.id:
                raise errors.GOODS_OTHER_SHOP(field="lines", name=goods.name)
            if not goods.active:
                raise errors.GOODS_OFF(field="lines", name=goods.name)
            if goods.stock < wanted[goods_id]:
                raise errors.STOCK_SHORT(field="lines", name=goods.name, stock=goods.stock, needed=wanted[goods_id])
            total += goods.price_points * wanted[goods_id]
        if account.balance < total:
            raise errors.BALANCE_SHORT(field="lines", balance=account.balance, needed=total)
        day = redeemed_on or dt.date.today()
        redemption = Redemption(shop_id=shop.id, household_id=household.id, area_code=household.area_code,
                                total_points=total, balance_after=account.balance - total, redeemed_on=day,
                                clerk_name=uow.actor.name[:60])
        uow.session.add(redemption)
        uow.flush()
        for goods_id in sorted(wanted):
            goods = held[goods_id]
            goods.stock -= wanted[goods_id]
            uow.session.add(RedemptionLine(redemption_id=redemption.id, goods_id=goods.id, name=goods.name,
                                           quantity=wanted[goods_id], price_points=goods.price_points))
        _post(uow, account, "spent", -total, rules.shop_account(shop.id), occurred_on=day, shop_id=shop.id,
              redemption_id=redemption.id, note=f"{shop.name}兑换")
        uow.audit(AuditAction.create, "redemption", redemption.id, area_code=household.area_code,
                  after={"shop_id": shop.id, "household_id": household.id, "points": total,
                         "lines": {str(k): v for k, v in sorted(wanted.items())}})
        return redemption


# ---------------------------------------------------------------- scorecards


def create_scorecard(uow: UnitOfWork, data: ScorecardCreate) -> Scorecard:
    with uow:
        uow.require("incentives.scorecard.manage")
        _one_of("subject_kind", data.subject_kind, rules.SUBJECT_KINDS)
        _one_of("veto_effect", data.veto_effect, rules.VETO_EFFECTS)
        _one_of("title", data.title, rules.TITLES)
        weights = sum((item.weight for item in data.items if not item.is_veto), Decimal(0))
        if weights != 100:
            raise errors.WEIGHTS_SUM(field="items", total=rules.shown(weights))
        code = _area(uow, data.area_code)
        card = Scorecard(county_code=code[:6], area_code=code, name=data.name, subject_kind=data.subject_kind,
                         period=data.period, veto_effect=data.veto_effect, title=data.title,
                         title_top_n=data.title_top_n, title_min_score=data.title_min_score,
                         bonus_pool=data.bonus_pool, status="open")
        uow.session.add(card)
        uow.flush()
        for item in data.items:
            uow.session.add(ScorecardItem(scorecard_id=card.id, name=item.name,
                                          weight=Decimal(0) if item.is_veto else item.weight, is_veto=item.is_veto))
        uow.flush()
        uow.audit(AuditAction.create, "scorecard", card.id, area_code=code, after=data.model_dump())
        return card


def _open_card(uow: UnitOfWork, scorecard_id: int) -> Scorecard:
    card = _locked(uow, Scorecard, scorecard_id, errors.SCORECARD_NOT_FOUND)
    if card.status != "open":
        raise errors.SCORECARD_CLOSED(period=card.period)
    return card


def add_subject(uow: UnitOfWork, scorecard_id: int, data: SubjectCreate) -> ScorecardSubject:
    with uow:
        uow.require("incentives.scorecard.manage")
        card = _open_card(uow, scorecard_id)
        code = _area(uow, data.area_code)
        if not code.startswith(Scope.of_area(card.area_code).prefix):
            raise core_errors.OUT_OF_SCOPE(field="area_code")
        if card.subject_kind == "village" and level_of(code) != AreaLevel.village:
            raise errors.AREA_NOT_VILLAGE(field="area_code")
        if uow.session.scalar(select(ScorecardSubject.id).where(ScorecardSubject.scorecard_id == card.id,
                                                                ScorecardSubject.name == data.name)):
            raise errors.SUBJECT_EXISTS(field="name", name=data.name)
        subject = ScorecardSubject(scorecard_id=card.id, area_code=code, name=data.name)
        uow.session.add(subject)
        uow.flush()
        uow.audit(AuditAction.create, "scorecard_subject", subject.id, area_code=code,
                  after={"scorecard_id": card.id, "name": data.name})
        return subject


def record_score(uow: UnitOfWork, scorecard_id: int, data: ScoreSet) -> ScorecardScore:
    """A subject's score on an item (or the veto) with its evidence; changed until the period is closed (the
    scorecard's row is held, so a score and the close never cross)."""
    with uow:
        uow.require("incentives.score.record")
        card = _open_card(uow, scorecard_id)
        subject = uow.session.get(ScorecardSubject, data.subject_id)
        if subject is None or subject.scorecard_id != card.id or not uow.scope.contains(subject.area_code):
            raise errors.SUBJECT_NOT_FOUND(field="subject_id", key=data.subject_id)
        item = uow.session.get(ScorecardItem, data.item_id)
        if item is None or item.scorecard_id != card.id:
            raise errors.ITEM_NOT_FOUND(field="item_id", key=data.item_id)
        if item.is_veto and data.score is not None:
            raise errors.ITEM_IS_VETO(field="score")
        if not item.is_veto and data.score is None:
            raise errors.SCORE_RANGE(field="score")
        row = uow.session.scalar(select(ScorecardScore).where(ScorecardScore.subject_id == subject.id,
                                                              ScorecardScore.item_id == item.id))
        before = None if row is None else {"score": row.score, "vetoed": row.vetoed, "evidence": row.evidence}
        if row is None:
            row = ScorecardScore(subject_id=subject.id, item_id=item.id, actor_name=uow.actor.name[:60])
            uow.session.add(row)
        row.score = None if item.is_veto else data.score
        row.vetoed = bool(item.is_veto and data.vetoed)
        row.evidence = data.evidence
        row.actor_name = uow.actor.name[:60]
        uow.flush()
        uow.audit(AuditAction.update if before else AuditAction.create, "scorecard_score", row.id,
                  area_code=subject.area_code, before=before,
                  after={"score": row.score, "vetoed": row.vetoed, "evidence": row.evidence})
        return row


def close_period(uow: UnitOfWork, scorecard_id: int, closed_on: dt.date, *, expire: bool = False
                 ) -> list[ScorecardResult]:
    """Closes the period once: exact scores (veto applied), ranks, stars, titles by the declared rule and the bonus
    pool split by score (summing exactly to the pool), published as results; nothing can change afterwards. With
    `expire`, the points of the scorecard's area that are due by the closing day expire in the same transaction."""
    with uow:
        uow.require("incentives.period.close")
        card = _open_card(uow, scorecard_id)
        computed = queries.compute_scores(uow.session, card)
        if not computed:
            raise errors.NO_SUBJECTS()
        scores = [row.score for row in computed]
        vetoed = [row.vetoed for row in computed]
        order = rules.ranks(scores)
        titled = rules.titled(scores, vetoed, card.title_top_n, card.title_min_score) if card.title \
            else [False] * len(scores)
        bonuses = rules.bonus_split(card.bonus_pool, scores)
        results = []
        for row, rank, title, bonus in zip(computed, order, titled, bonuses, strict=True):
            result = ScorecardResult(scorecard_id=card.id, subject_id=row.subject_id, score=row.score, rank=rank,
                                     vetoed=row.vetoed, stars=rules.stars(row.score, row.vetoed), titled=title,
                                     bonus=bonus)
            uow.session.add(result)
            results.append(result)
        card.status, card.closed_on = "closed", closed_on
        uow.flush()
        uow.audit(AuditAction.update, "scorecard", card.id, area_code=card.area_code,
                  before={"status": "open"}, after={"status": "closed", "closed_on": closed_on},
                  detail={"subjects": len(results), "titled": sum(titled), "bonus": card.bonus_pool})
        if expire:
            expire_points(uow, card.area_code, closed_on)
        return results


# ---------------------------------------------------------------- bulk awards (CLI)


class _Refused(Exception):
    """Leaves the unit of work so that it rolls back: a bulk award is all or nothing."""


def award_bulk(uow: UnitOfWork, rows: list[dict[str, str]]) -> tuple[int, list[tuple[int, str, str]]]:
    """Awards from a sheet (户编号, 规则编号, 日期, 佐证, 说明), all or nothing: every row is tried, each refusal is
    reported as (row, column, reason in Chinese), and when any row is refused nothing is written. Returns the
    number of awards written and the report."""
    from fupin.registry.queries import households_by_number

    report: list[tuple[int, str, str]] = []
    written = 0
    try:
        with uow:
            uow.require("incentives.points.award")
            known = households_by_number(uow.session, [r.get("household_no", "").strip() for r in rows])
            for number, row in enumerate(rows, start=2):  # row 1 is the header
                household_no = (row.get("household_no") or "").strip()
                if household_no not in known:
                    report.append((number, "户编号", f"未找到户:{household_no or '(空)'}"))
                    continue
                rule_text = (row.get("rule_id") or "").strip()
                if not rule_text.isdigit() or len(rule_text) > 18:
                    report.append((number, "规则编号", "应为积分规则的编号(整数)"))
                    continue
                try:
                    day = dt.date.fromisoformat((row.get("occurred_on") or "").strip())
                except ValueError:
                    report.append((number, "日期", "应为日期,如 2024-06-01"))
                    continue
                evidence = (row.get("evidence") or "").strip()[:300] or None
                note = (row.get("note") or "").strip()[:500] or None
                try:
                    award_points(uow, AwardCreate(household_id=known[household_no][0], rule_id=int(rule_text),
                                                  occurred_on=day, evidence=evidence, note=note))
                    written += 1
                except core_errors.FupinError as error:
                    column = {"rule_id": "规则编号", "household_id": "户编号"}.get(error.field or "", "")
                    report.append((number, column, error.message))
            if report:
                raise _Refused
    except _Refused:
        return 0, report
    return written, report
