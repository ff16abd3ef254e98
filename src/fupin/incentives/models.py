"""Tables of incentives: point rules, the double-entry points journal with a balance row per household, love
supermarkets (goods, donations, redemptions) and scorecards (items, subjects, scores, published results)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.audit import BigId
from fupin.core.db import Base, UTCDateTime, utcnow

Yuan = Numeric(14, 2)
Score = Numeric(14, 7)  # exact: weight (2 places) × score (2 places) ÷ 100, halved by a veto


class PointRule(Base):
    """A task or behaviour that earns points (学习政策, 户容户貌, 参加培训, 志愿服务 …)."""

    __tablename__ = "point_rules"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    points: Mapped[int] = mapped_column(Integer, nullable=False)
    trigger: Mapped[str] = mapped_column(String(24), nullable=False, default="")
    award_level: Mapped[str] = mapped_column(String(12), nullable=False, default="village")
    limit_per_year: Mapped[int | None] = mapped_column(SmallInteger)
    valid_months: Mapped[int | None] = mapped_column(SmallInteger)  # None: the points never expire
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    __table_args__ = (Index("ix_point_rules_area_code", "area_code"),
                      CheckConstraint("points > 0", name="points_positive"))


class PointAccount(Base):
    """A household's balance: held (FOR UPDATE) by every posting, always the sum of its postings."""

    __tablename__ = "point_accounts"

    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    balance: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    earned: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    spent: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    expired: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    corrected: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    __table_args__ = (Index("ix_point_accounts_area_code", "area_code"),
                      CheckConstraint("balance >= 0", name="balance_not_negative"))


class PointTransaction(Base):
    """One journal entry (earned, spent, expired, corrected); never edited. Its two postings sum to zero."""

    __tablename__ = "point_transactions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    points: Mapped[int] = mapped_column(Integer, nullable=False)  # signed, as it moves the household's balance
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("point_rules.id", ondelete="SET NULL"))
    shop_id: Mapped[int | None] = mapped_column(Integer)
    redemption_id: Mapped[int | None] = mapped_column(Integer)
    occurred_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))
    evidence: Mapped[str | None] = mapped_column(String(300))  # a photo's reference, a register's number …
    source_ref: Mapped[str | None] = mapped_column(String(80))  # e.g. "employment.attendance:12": awarded once
    actor_name: Mapped[str] = mapped_column(String(60), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (
        Index("ix_point_transactions_household", "household_id", "id"),
        Index("ix_point_transactions_area", "area_code", "kind", "occurred_on"),
        Index("uq_point_transactions_source_ref", "source_ref", unique=True),
    )


class PointPosting(Base):
    """One leg of a journal entry: an account ("household:<id>", "issued", "shop:<id>", "expired",
    "corrections") and the signed points it moves."""

    __tablename__ = "point_postings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("point_transactions.id", ondelete="CASCADE"),
                                                nullable=False)
    account: Mapped[str] = mapped_column(String(40), nullable=False)
    points: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (Index("ix_point_postings_account", "account"),
                      Index("ix_point_postings_transaction", "transaction_id"))


class LoveShop(Base):
    """A love supermarket (爱心超市 / 绿币超市)."""

    __tablename__ = "love_shops"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    address: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    __table_args__ = (Index("ix_love_shops_area_code", "area_code"),)


class ShopGoods(Base):
    """Goods on a shop's shelf: price in points and stock (never below zero)."""

    __tablename__ = "shop_goods"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("love_shops.id", ondelete="CASCADE"), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    unit: Mapped[str] = mapped_column(String(10), nullable=False, default="件")
    price_points: Mapped[int] = mapped_column(Integer, nullable=False)
    stock: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    __table_args__ = (Index("ix_shop_goods_shop_id", "shop_id"),
                      CheckConstraint("stock >= 0", name="stock_not_negative"),
                      CheckConstraint("price_points > 0", name="price_positive"))


class ShopDonation(Base):
    """Money or goods given to a shop, with the donor."""

    __tablename__ = "shop_donations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("love_shops.id", ondelete="CASCADE"), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    donor: Mapped[str] = mapped_column(String(100), nullable=False)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)  # money / goods
    amount: Mapped[Decimal | None] = mapped_column(Yuan)
    goods_id: Mapped[int | None] = mapped_column(ForeignKey("shop_goods.id", ondelete="SET NULL"))
    quantity: Mapped[int | None] = mapped_column(Integer)
    received_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    note: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (Index("ix_shop_donations_shop_id", "shop_id", "received_on"),)


class Redemption(Base):
    """Goods taken by a household at a shop for points (the receipt)."""

    __tablename__ = "redemptions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("love_shops.id", ondelete="CASCADE"), nullable=False)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    total_points: Mapped[int] = mapped_column(Integer, nullable=False)
    balance_after: Mapped[int] = mapped_column(Integer, nullable=False)
    redeemed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    clerk_name: Mapped[str] = mapped_column(String(60), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (Index("ix_redemptions_shop_id", "shop_id", "id"),
                      Index("ix_redemptions_household_id", "household_id"))


class RedemptionLine(Base):
    __tablename__ = "redemption_lines"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    redemption_id: Mapped[int] = mapped_column(ForeignKey("redemptions.id", ondelete="CASCADE"), nullable=False)
    goods_id: Mapped[int] = mapped_column(ForeignKey("shop_goods.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    price_points: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (Index("ix_redemption_lines_redemption", "redemption_id"),)


class Scorecard(Base):
    """An assessment of branches, villages or cadres for one period, with its title rule, veto effect and
    bonus pool; closed (ranked and published) once."""

    __tablename__ = "scorecards"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    subject_kind: Mapped[str] = mapped_column(String(8), nullable=False)
    period: Mapped[str] = mapped_column(String(20), nullable=False)
    veto_effect: Mapped[str] = mapped_column(String(8), nullable=False, default="zero")
    title: Mapped[str] = mapped_column(String(12), nullable=False, default="")
    title_top_n: Mapped[int | None] = mapped_column(SmallInteger)
    title_min_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    bonus_pool: Mapped[Decimal] = mapped_column(Yuan, nullable=False, default=Decimal("0.00"))
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="open")
    closed_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_scorecards_area_code", "area_code", "period"),)


class ScorecardItem(Base):
    __tablename__ = "scorecard_items"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    weight: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)  # 0 for the veto item
    is_veto: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    __table_args__ = (Index("ix_scorecard_items_scorecard", "scorecard_id"),)


class ScorecardSubject(Base):
    """Who is assessed: a branch, a village or a cadre, named and placed (its area code)."""

    __tablename__ = "scorecard_subjects"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id", ondelete="CASCADE"), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)

    __table_args__ = (Index("uq_scorecard_subjects_name", "scorecard_id", "name", unique=True),)


class ScorecardScore(Base):
    """A subject's score on an item (0–100), or the veto, with its evidence; one row per subject and item."""

    __tablename__ = "scorecard_scores"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("scorecard_subjects.id", ondelete="CASCADE"),
                                            nullable=False)
    item_id: Mapped[int] = mapped_column(ForeignKey("scorecard_items.id", ondelete="CASCADE"), nullable=False)
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    vetoed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    evidence: Mapped[str | None] = mapped_column(String(500))
    actor_name: Mapped[str] = mapped_column(String(60), nullable=False)

    __table_args__ = (Index("uq_scorecard_scores_subject_item", "subject_id", "item_id", unique=True),)


class ScorecardResult(Base):
    """The published result of a closed period: exact score, rank, veto, stars, title and bonus."""

    __tablename__ = "scorecard_results"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id", ondelete="CASCADE"), nullable=False)
    subject_id: Mapped[int] = mapped_column(ForeignKey("scorecard_subjects.id", ondelete="CASCADE"),
                                            nullable=False)
    score: Mapped[Decimal] = mapped_column(Score, nullable=False)
    rank: Mapped[int] = mapped_column(Integer, nullable=False)
    vetoed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    stars: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    titled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    bonus: Mapped[Decimal] = mapped_column(Yuan, nullable=False)

    __table_args__ = (Index("uq_scorecard_results_subject", "scorecard_id", "subject_id", unique=True),)
