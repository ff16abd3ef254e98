"""Tables of incentives: point rules, the double-entry points journal with a balance row per household, love
supermarkets (goods, donations, redemptions) and scorecards (items, subjects, scores, published results)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.columns import (
    AreaCode,
    BigPk,
    CountyCode,
    HouseholdRef,
    Note,
    PersonName,
    SmallInt,
    Stamp,
    Title,
    Yuan,
)
from fupin.core.db import Base

Score = Numeric(14, 7)  # exact: weight (2 places) × score (2 places) ÷ 100, halved by a veto

# The love supermarket a row belongs to; it goes with the shop.
ShopRef = Annotated[int, mapped_column(ForeignKey("love_shops.id", ondelete="CASCADE"))]
# The scorecard a row belongs to; it goes with the scorecard.
ScorecardRef = Annotated[int, mapped_column(ForeignKey("scorecards.id", ondelete="CASCADE"))]
# The assessed subject a row belongs to; it goes with the subject.
SubjectRef = Annotated[int, mapped_column(ForeignKey("scorecard_subjects.id", ondelete="CASCADE"))]


class PointRule(Base):
    """A task or behaviour that earns points (学习政策, 户容户貌, 参加培训, 志愿服务 …)."""

    __tablename__ = "point_rules"

    id: Mapped[BigPk]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaCode]
    name: Mapped[Title]
    points: Mapped[int]
    trigger: Mapped[str] = mapped_column(String(24), default="")
    award_level: Mapped[str] = mapped_column(String(12), default="village")
    limit_per_year: Mapped[SmallInt | None]
    valid_months: Mapped[SmallInt | None]  # None: the points never expire
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (Index("ix_point_rules_area_code", "area_code"),
                      CheckConstraint("points > 0", name="points_positive"))


class PointAccount(Base):
    """A household's balance: held (FOR UPDATE) by every posting, always the sum of its postings."""

    __tablename__ = "point_accounts"

    household_id: Mapped[HouseholdRef] = mapped_column(primary_key=True)
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaCode]
    balance: Mapped[int] = mapped_column(default=0)
    earned: Mapped[int] = mapped_column(default=0)
    spent: Mapped[int] = mapped_column(default=0)
    expired: Mapped[int] = mapped_column(default=0)
    corrected: Mapped[int] = mapped_column(default=0)

    __table_args__ = (Index("ix_point_accounts_area_code", "area_code"),
                      CheckConstraint("balance >= 0", name="balance_not_negative"))


class PointTransaction(Base):
    """One journal entry (earned, spent, expired, corrected); never edited. Its two postings sum to zero."""

    __tablename__ = "point_transactions"

    id: Mapped[BigPk]
    kind: Mapped[str] = mapped_column(String(12))
    household_id: Mapped[HouseholdRef]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaCode]
    points: Mapped[int]  # signed, as it moves the household's balance
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("point_rules.id", ondelete="SET NULL"))
    shop_id: Mapped[int | None]
    redemption_id: Mapped[int | None]
    occurred_on: Mapped[dt.date]
    expires_on: Mapped[dt.date | None]
    note: Mapped[Note | None]
    evidence: Mapped[str | None] = mapped_column(String(300))  # a photo's reference, a register's number …
    source_ref: Mapped[str | None] = mapped_column(String(80))  # e.g. "employment.attendance:12": awarded once
    actor_name: Mapped[PersonName]
    created_at: Mapped[Stamp]

    __table_args__ = (
        Index("ix_point_transactions_household", "household_id", "id"),
        Index("ix_point_transactions_area", "area_code", "kind", "occurred_on"),
        Index("uq_point_transactions_source_ref", "source_ref", unique=True),
    )


class PointPosting(Base):
    """One leg of a journal entry: an account ("household:<id>", "issued", "shop:<id>", "expired",
    "corrections") and the signed points it moves."""

    __tablename__ = "point_postings"

    id: Mapped[BigPk]
    transaction_id: Mapped[int] = mapped_column(ForeignKey("point_transactions.id", ondelete="CASCADE"))
    account: Mapped[str] = mapped_column(String(40))
    points: Mapped[int]

    __table_args__ = (Index("ix_point_postings_account", "account"),
                      Index("ix_point_postings_transaction", "transaction_id"))


class LoveShop(Base):
    """A love supermarket (爱心超市 / 绿币超市)."""

    __tablename__ = "love_shops"

    id: Mapped[BigPk]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaCode]
    name: Mapped[Title]
    address: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (Index("ix_love_shops_area_code", "area_code"),)


class ShopGoods(Base):
    """Goods on a shop's shelf: price in points and stock (never below zero)."""

    __tablename__ = "shop_goods"

    id: Mapped[BigPk]
    shop_id: Mapped[ShopRef]
    area_code: Mapped[AreaCode]
    name: Mapped[Title]
    unit: Mapped[str] = mapped_column(String(10), default="件")
    price_points: Mapped[int]
    stock: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (Index("ix_shop_goods_shop_id", "shop_id"),
                      CheckConstraint("stock >= 0", name="stock_not_negative"),
                      CheckConstraint("price_points > 0", name="price_positive"))


class ShopDonation(Base):
    """Money or goods given to a shop, with the donor."""

    __tablename__ = "shop_donations"

    id: Mapped[BigPk]
    shop_id: Mapped[ShopRef]
    area_code: Mapped[AreaCode]
    donor: Mapped[Title]
    kind: Mapped[str] = mapped_column(String(8))  # money / goods
    amount: Mapped[Yuan | None]
    goods_id: Mapped[int | None] = mapped_column(ForeignKey("shop_goods.id", ondelete="SET NULL"))
    quantity: Mapped[int | None]
    received_on: Mapped[dt.date]
    note: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (Index("ix_shop_donations_shop_id", "shop_id", "received_on"),)


class Redemption(Base):
    """Goods taken by a household at a shop for points (the receipt)."""

    __tablename__ = "redemptions"

    id: Mapped[BigPk]
    shop_id: Mapped[ShopRef]
    household_id: Mapped[HouseholdRef]
    area_code: Mapped[AreaCode]
    total_points: Mapped[int]
    balance_after: Mapped[int]
    redeemed_on: Mapped[dt.date]
    clerk_name: Mapped[PersonName]
    created_at: Mapped[Stamp]

    __table_args__ = (Index("ix_redemptions_shop_id", "shop_id", "id"),
                      Index("ix_redemptions_household_id", "household_id"))


class RedemptionLine(Base):
    __tablename__ = "redemption_lines"

    id: Mapped[BigPk]
    redemption_id: Mapped[int] = mapped_column(ForeignKey("redemptions.id", ondelete="CASCADE"))
    goods_id: Mapped[int] = mapped_column(ForeignKey("shop_goods.id", ondelete="CASCADE"))
    name: Mapped[Title]
    quantity: Mapped[int]
    price_points: Mapped[int]

    __table_args__ = (Index("ix_redemption_lines_redemption", "redemption_id"),)


class Scorecard(Base):
    """An assessment of branches, villages or cadres for one period, with its title rule, veto effect and
    bonus pool; closed (ranked and published) once."""

    __tablename__ = "scorecards"

    id: Mapped[BigPk]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaCode]
    name: Mapped[Title]
    subject_kind: Mapped[str] = mapped_column(String(8))
    period: Mapped[str] = mapped_column(String(20))
    veto_effect: Mapped[str] = mapped_column(String(8), default="zero")
    title: Mapped[str] = mapped_column(String(12), default="")
    title_top_n: Mapped[SmallInt | None]
    title_min_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    bonus_pool: Mapped[Yuan] = mapped_column(default=Decimal("0.00"))
    status: Mapped[str] = mapped_column(String(8), default="open")
    closed_on: Mapped[dt.date | None]

    __table_args__ = (Index("ix_scorecards_area_code", "area_code", "period"),)


class ScorecardItem(Base):
    __tablename__ = "scorecard_items"

    id: Mapped[BigPk]
    scorecard_id: Mapped[ScorecardRef]
    name: Mapped[Title]
    weight: Mapped[Decimal] = mapped_column(Numeric(5, 2))  # 0 for the veto item
    is_veto: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (Index("ix_scorecard_items_scorecard", "scorecard_id"),)


class ScorecardSubject(Base):
    """Who is assessed: a branch, a village or a cadre, named and placed (its area code)."""

    __tablename__ = "scorecard_subjects"

    id: Mapped[BigPk]
    scorecard_id: Mapped[ScorecardRef]
    area_code: Mapped[AreaCode]
    name: Mapped[Title]

    __table_args__ = (Index("uq_scorecard_subjects_name", "scorecard_id", "name", unique=True),)


class ScorecardScore(Base):
    """A subject's score on an item (0–100), or the veto, with its evidence; one row per subject and item."""

    __tablename__ = "scorecard_scores"

    id: Mapped[BigPk]
    subject_id: Mapped[SubjectRef]
    item_id: Mapped[int] = mapped_column(ForeignKey("scorecard_items.id", ondelete="CASCADE"))
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    vetoed: Mapped[bool] = mapped_column(default=False)
    evidence: Mapped[Note | None]
    actor_name: Mapped[PersonName]

    __table_args__ = (Index("uq_scorecard_scores_subject_item", "subject_id", "item_id", unique=True),)


class ScorecardResult(Base):
    """The published result of a closed period: exact score, rank, veto, stars, title and bonus."""

    __tablename__ = "scorecard_results"

    id: Mapped[BigPk]
    scorecard_id: Mapped[ScorecardRef]
    subject_id: Mapped[SubjectRef]
    score: Mapped[Decimal] = mapped_column(Score)
    rank: Mapped[int]
    vetoed: Mapped[bool] = mapped_column(default=False)
    stars: Mapped[SmallInt]
    titled: Mapped[bool] = mapped_column(default=False)
    bonus: Mapped[Yuan]

    __table_args__ = (Index("uq_scorecard_results_subject", "scorecard_id", "subject_id", unique=True),)
