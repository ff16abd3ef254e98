"""Read side of incentives, always scoped to the caller's area. A shop clerk sees only her own shop (`only_shop`).

Rules and scorecards are usually set at the county: a caller sees those inside her area and those whose area
covers hers (a village cadre sees the county's rules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from fupin.core.scoping import Scope
from fupin.incentives import errors, rules
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
from fupin.incentives.schemas import MAX_ID, AccountPublic
from fupin.registry.queries import households_select

SEARCH_LIMIT = 20


def _valid(key: Any) -> bool:
    return isinstance(key, int) and not isinstance(key, bool) and 0 < key <= MAX_ID


def _covering_or_inside(column: Any, county_column: Any, scope: Scope) -> Any:
    """Rows whose area lies in the scope, or covers it (same county, area a prefix of the caller's)."""
    if not scope.prefix:
        return scope.condition(column)
    covering = [column == scope.prefix.ljust(12, "0")[:n].ljust(12, "0") for n in (2, 4, 6, 9)
                if n < len(scope.prefix)]
    return or_(scope.condition(column), *covering)


def shop_only(user: Any) -> int | None:
    """The one shop a shop clerk may see (None: no restriction beyond the area). A clerk without a shop sees
    none (0 matches no shop)."""
    return (user.shop_id or 0) if user.role == "shop_clerk" else None


# ---------------------------------------------------------------- points


def list_rules(session: Session, scope: Scope, active_only: bool = False) -> list[PointRule]:
    stmt = select(PointRule).where(_covering_or_inside(PointRule.area_code, PointRule.county_code, scope))
    if active_only:
        stmt = stmt.where(PointRule.active)
    return list(session.scalars(stmt.order_by(PointRule.area_code, PointRule.id)))


def find_households(session: Session, scope: Scope, q: str, limit: int = SEARCH_LIMIT) -> list[dict[str, Any]]:
    """Households by number (its start) or head's name (any part), with their balance; nothing for an empty q."""
    q = (q or "").strip()[:30]
    if not q:
        return []
    h = households_select(scope).subquery("h")
    pattern = q.replace("\\", "").replace("%", "").replace("_", "")
    if not pattern:
        return []
    stmt = (select(h.c.id, h.c.household_no, h.c.head_name, h.c.area_code,
                   func.coalesce(PointAccount.balance, 0).label("balance"))
            .outerjoin(PointAccount, PointAccount.household_id == h.c.id)
            .where(or_(h.c.household_no.startswith(pattern), h.c.head_name.contains(pattern)))
            .order_by(h.c.household_no).limit(limit))
    return [dict(row._mapping) for row in session.execute(stmt)]


def account(session: Session, household_id: int, scope: Scope) -> AccountPublic:
    h = households_select(scope).subquery("h")
    row = session.execute(
        select(h.c.id, h.c.household_no, h.c.head_name, h.c.area_code, PointAccount.balance, PointAccount.earned,
               PointAccount.spent, PointAccount.expired, PointAccount.corrected)
        .outerjoin(PointAccount, PointAccount.household_id == h.c.id)
        .where(h.c.id == household_id)).one_or_none() if _valid(household_id) else None
    if row is None:
        raise errors.HOUSEHOLD_NOT_FOUND(key=household_id)
    return AccountPublic(household_id=row.id, household_no=row.household_no, head_name=row.head_name,
                         area_code=row.area_code, balance=row.balance or 0, earned=row.earned or 0,
                         spent=row.spent or 0, expired=row.expired or 0, corrected=row.corrected or 0)


def entries(session: Session, household_id: int, limit: int = 200) -> list[PointTransaction]:
    return list(session.scalars(select(PointTransaction).where(PointTransaction.household_id == household_id)
                                .order_by(PointTransaction.id.desc()).limit(limit)))


def ledger_check(session: Session, scope: Scope) -> list[dict[str, Any]]:
    """Households whose balance row differs from the sum of their postings (an empty list when the books hold),
    and journal entries whose postings do not sum to zero."""
    sums = (select(PointTransaction.household_id, func.sum(PointPosting.points).label("total"))
            .join(PointPosting, PointPosting.transaction_id == PointTransaction.id)
            .where(PointPosting.account.startswith("household:"), scope.condition(PointTransaction.area_code))
            .group_by(PointTransaction.household_id).subquery())
    wrong = session.execute(
        select(PointAccount.household_id, PointAccount.balance, sums.c.total)
        .outerjoin(sums, sums.c.household_id == PointAccount.household_id)
        .where(scope.condition(PointAccount.area_code),
               PointAccount.balance != func.coalesce(sums.c.total, 0))).all()
    unbalanced = session.execute(select(PointPosting.transaction_id).group_by(PointPosting.transaction_id)
                                 .having(func.sum(PointPosting.points) != 0)).all()
    return [{"household_id": r.household_id, "balance": r.balance, "sum": r.total} for r in wrong] + \
        [{"transaction_id": r.transaction_id} for r in unbalanced]


# ---------------------------------------------------------------- shops


def shop_visible(area_code: str, scope: Scope) -> bool:
    """A shop inside the caller's area, or one serving it from above (a village cadre uses her township's shop
    for her own households)."""
    return scope.contains(area_code) or Scope.of_area(area_code).covers_scope(scope)


def list_shops(session: Session, scope: Scope, only_shop: int | None = None) -> list[LoveShop]:
    stmt = select(LoveShop).where(_covering_or_inside(LoveShop.area_code, LoveShop.county_code, scope))
    if only_shop is not None:
        stmt = stmt.where(LoveShop.id == only_shop)
    return list(session.scalars(stmt.order_by(LoveShop.area_code, LoveShop.id)))


def get_shop(session: Session, shop_id: int, scope: Scope, only_shop: int | None = None) -> LoveShop:
    shop = session.get(LoveShop, shop_id) if _valid(shop_id) else None
    if shop is None or not shop_visible(shop.area_code, scope) or (only_shop is not None and shop.id != only_shop):
        raise errors.SHOP_NOT_FOUND(key=shop_id)
    return shop


def goods_of(session: Session, shop_id: int, in_stock_only: bool = False) -> list[ShopGoods]:
    stmt = select(ShopGoods).where(ShopGoods.shop_id == shop_id)
    if in_stock_only:
        stmt = stmt.where(ShopGoods.active, ShopGoods.stock > 0)
    return list(session.scalars(stmt.order_by(ShopGoods.id)))


def donations_of(session: Session, shop_id: int, limit: int = 100) -> list[ShopDonation]:
    return list(session.scalars(select(ShopDonation).where(ShopDonation.shop_id == shop_id)
                                .order_by(ShopDonation.received_on.desc(), ShopDonation.id.desc()).limit(limit)))


def redemptions_of(session: Session, shop_id: int, limit: int = 100) -> list[dict[str, Any]]:
    h = households_select(Scope.everything()).subquery("h")
    stmt = (select(Redemption.id, Redemption.redeemed_on, Redemption.total_points, Redemption.clerk_name,
                   h.c.household_no, h.c.head_name)
            .join(h, h.c.id == Redemption.household_id).where(Redemption.shop_id == shop_id)
            .order_by(Redemption.id.desc()).limit(limit))
    return [dict(row._mapping) for row in session.execute(stmt)]


def get_redemption(session: Session, redemption_id: int, scope: Scope, only_shop: int | None = None
                   ) -> tuple[Redemption, list[RedemptionLine]]:
    row = session.get(Redemption, redemption_id) if _valid(redemption_id) else None
    if row is None or not scope.contains(row.area_code) or (only_shop is not None and row.shop_id != only_shop):
        raise errors.REDEMPTION_NOT_FOUND(key=redemption_id)
    lines = list(session.scalars(select(RedemptionLine).where(RedemptionLine.redemption_id == row.id)
                                 .order_by(RedemptionLine.id)))
    return row, lines


# ---------------------------------------------------------------- scorecards


def list_scorecards(session: Session, scope: Scope) -> list[Scorecard]:
    stmt = select(Scorecard).where(_covering_or_inside(Scorecard.area_code, Scorecard.county_code, scope))
    return list(session.scalars(stmt.order_by(Scorecard.period.desc(), Scorecard.id.desc())))


def get_scorecard(session: Session, scorecard_id: int, scope: Scope) -> Scorecard:
    card = session.get(Scorecard, scorecard_id) if _valid(scorecard_id) else None
    if card is None or not (scope.contains(card.area_code)
                            or Scope.of_area(card.area_code).covers_scope(scope)):
        raise errors.SCORECARD_NOT_FOUND(key=scorecard_id)
    return card


def items_of(session: Session, scorecard_id: int) -> list[ScorecardItem]:
    return list(session.scalars(select(ScorecardItem).where(ScorecardItem.scorecard_id == scorecard_id)
                                .order_by(ScorecardItem.is_veto, ScorecardItem.id)))


def subjects_of(session: Session, scorecard_id: int, scope: Scope | None = None) -> list[ScorecardSubject]:
    stmt = select(ScorecardSubject).where(ScorecardSubject.scorecard_id == scorecard_id)
    if scope is not None:
        stmt = stmt.where(scope.condition(ScorecardSubject.area_code))
    return list(session.scalars(stmt.order_by(ScorecardSubject.id)))


def scores_of(session: Session, scorecard_id: int) -> dict[tuple[int, int], ScorecardScore]:
    stmt = (select(ScorecardScore).join(ScorecardSubject, ScorecardSubject.id == ScorecardScore.subject_id)
            .where(ScorecardSubject.scorecard_id == scorecard_id))
    return {(s.subject_id, s.item_id): s for s in session.scalars(stmt)}


@dataclass(frozen=True)
class Computed:
    subject_id: int
    name: str
    area_code: str
    score: Decimal
    vetoed: bool


def compute_scores(session: Session, card: Scorecard, scope: Scope | None = None) -> list[Computed]:
    """Every subject's exact weighted score with the veto applied (the live table before the close)."""
    items = items_of(session, card.id)
    scores = scores_of(session, card.id)
    out = []
    for subject in subjects_of(session, card.id, scope):
        vetoed = any(scores.get((subject.id, i.id)) is not None and scores[(subject.id, i.id)].vetoed
                     for i in items if i.is_veto)
        parts = [rules.ItemScore(Decimal(i.weight), Decimal(scores[(subject.id, i.id)].score)
                                 if (subject.id, i.id) in scores and scores[(subject.id, i.id)].score is not None
                                 else None) for i in items if not i.is_veto]
        out.append(Computed(subject.id, subject.name, subject.area_code,
                            rules.weighted_score(parts, vetoed, card.veto_effect), vetoed))
    return out


def results_of(session: Session, scorecard_id: int, scope: Scope | None = None) -> list[dict[str, Any]]:
    stmt = (select(ScorecardResult, ScorecardSubject.name, ScorecardSubject.area_code)
            .join(ScorecardSubject, ScorecardSubject.id == ScorecardResult.subject_id)
            .where(ScorecardResult.scorecard_id == scorecard_id)
            .order_by(ScorecardResult.rank, ScorecardSubject.id))
    if scope is not None:
        stmt = stmt.where(scope.condition(ScorecardSubject.area_code))
    return [{"subject_id": r.subject_id, "name": name, "area_code": area, "score": rules.shown(Decimal(r.score)),
             "rank": r.rank, "vetoed": r.vetoed, "stars": r.stars, "titled": r.titled, "bonus": r.bonus}
            for r, name, area in session.execute(stmt)]


def history(session: Session, scope: Scope, subject_kind: str | None = None) -> list[dict[str, Any]]:
    """Closed periods with their results, newest first: the ranked tables by period."""
    cards = [c for c in list_scorecards(session, scope) if c.status == "closed"
             and (subject_kind is None or c.subject_kind == subject_kind)]
    return [{"card": c, "results": results_of(session, c.id, scope)} for c in cards]


# ---------------------------------------------------------------- figures


def points_by_village(session: Session, scope: Scope, start: dt.date, end: dt.date) -> list[Any]:
    """(village key, points issued, points redeemed) of the period, grouped by the 12-digit village prefix."""
    from fupin.core.rollup import area_key

    issued = func.sum(case((PointTransaction.kind == "earned", PointTransaction.points), else_=0))
    redeemed = -func.sum(case((PointTransaction.kind == "spent", PointTransaction.points), else_=0))
    stmt = (select(area_key(PointTransaction.area_code), issued, redeemed)
            .where(scope.condition(PointTransaction.area_code), PointTransaction.kind.in_(("earned", "spent")),
                   PointTransaction.occurred_on.between(start, end))
            .group_by(area_key(PointTransaction.area_code)))
    return list(session.execute(stmt))


def households_with_points(session: Session, scope: Scope, kind: str, start: dt.date, end: dt.date,
                           limit: int) -> list[dict[str, Any]]:
    h = households_select(Scope.everything()).subquery("h")
    points = func.sum(func.abs(PointTransaction.points)).label("points")
    stmt = (select(h.c.id.label("household_id"), h.c.household_no, h.c.head_name, h.c.area_code, h.c.status,
                   h.c.member_count, points)
            .join(PointTransaction, PointTransaction.household_id == h.c.id)
            .where(scope.condition(PointTransaction.area_code), PointTransaction.kind == kind,
                   PointTransaction.occurred_on.between(start, end))
            .group_by(h.c.id, h.c.household_no, h.c.head_name, h.c.area_code, h.c.status, h.c.member_count)
            .order_by(h.c.area_code, h.c.id).limit(limit))
    return [dict(row._mapping) for row in session.execute(stmt)]


def balances(session: Session, household_ids: Sequence[int]) -> dict[int, int]:
    if not household_ids:
        return {}
    return dict(session.execute(select(PointAccount.household_id, PointAccount.balance)
                                .where(PointAccount.household_id.in_(list(household_ids)))).all())
