"""Tables of industry: entities (cooperatives, enterprises …), memberships, land contracts and rent, distribution
runs with their parts, and village collective income."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.audit import BigId
from fupin.core.db import Base, UTCDateTime, utcnow

Amount = Numeric(14, 2)


class IndustryEntity(Base):
    """A cooperative (农民专业合作社), leading enterprise (龙头企业), family farm, base or workshop (扶贫车间)."""

    __tablename__ = "industry_entities"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), ForeignKey("areas.code"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    credit_code: Mapped[str | None] = mapped_column(String(18))
    industry: Mapped[str] = mapped_column(String(16), nullable=False)
    # The Party organisation leading it (orgs' id; no foreign key across capabilities).
    led_by_org_id: Mapped[int | None] = mapped_column(Integer)
    # Its place in the chain 党支部 + 合作社 + 公司 + 基地 + 农户: the entity it supplies or works for.
    upstream_id: Mapped[int | None] = mapped_column(ForeignKey("industry_entities.id", ondelete="SET NULL"))
    founded_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("uq_industry_entities_credit_code", "credit_code", unique=True),
        Index("ix_industry_entities_area_code", "area_code", "kind"),
        Index("ix_industry_entities_led_by_org_id", "led_by_org_id"),
    )


class Membership(Base):
    """A household (or a village collective, household_id empty) linked to an entity from joined_on to left_on."""

    __tablename__ = "industry_memberships"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("industry_entities.id", ondelete="CASCADE"), nullable=False)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    link_kind: Mapped[str] = mapped_column(String(16), nullable=False)
    shares: Mapped[Decimal] = mapped_column(Amount, nullable=False, default=Decimal("0"))
    joined_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_industry_memberships_entity_id", "entity_id", "left_on"),
        Index("ix_industry_memberships_household_id", "household_id"),
        Index("ix_industry_memberships_area_code", "area_code"),
    )


class LandContract(Base):
    """A land transfer contract (土地流转): a household's plots to an entity, area in mu, rent per mu and year."""

    __tablename__ = "industry_land_contracts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("industry_entities.id", ondelete="CASCADE"), nullable=False)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    plots: Mapped[str | None] = mapped_column(String(200))
    area_mu: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    rent_per_mu: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=False)
    starts_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (
        Index("ix_industry_land_contracts_entity_id", "entity_id"),
        Index("ix_industry_land_contracts_household_id", "household_id"),
        Index("ix_industry_land_contracts_area_code", "area_code"),
    )


class RentPayment(Base):
    """Rent paid on a contract for a year (one row per contract and year, added to as payments come in)."""

    __tablename__ = "industry_rent_payments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("industry_land_contracts.id", ondelete="CASCADE"),
                                             nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    paid: Mapped[Decimal] = mapped_column(Amount, nullable=False)
    paid_on: Mapped[dt.date] = mapped_column(Date, nullable=False)

    __table_args__ = (Index("uq_industry_rent_payments_contract_year", "contract_id", "year", unique=True),)


class DistributionRun(Base):
    """A profit (yuan) or an in-kind allocation (whole units) of an entity for a period, split by its rules.

    `status`: preview (parts computed, nothing paid), confirmed (immutable; dividends posted), discarded."""

    __tablename__ = "industry_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("industry_entities.id", ondelete="CASCADE"), nullable=False)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    period: Mapped[str] = mapped_column(String(20), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    unit: Mapped[str] = mapped_column(String(8), nullable=False)  # yuan | piece
    total: Mapped[Decimal] = mapped_column(Amount, nullable=False)
    enterprise_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    village_basis: Mapped[str] = mapped_column(String(24), nullable=False)
    inside_village: Mapped[str] = mapped_column(String(16), nullable=False)
    household_cap: Mapped[Decimal | None] = mapped_column(Amount)
    income_field: Mapped[str] = mapped_column(String(20), nullable=False)
    villages: Mapped[str] = mapped_column(String(4000), nullable=False)  # the village codes it covers, comma-separated
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="preview")
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("industry_runs.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(String(60), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    confirmed_by: Mapped[str | None] = mapped_column(String(60))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_industry_runs_entity_id", "entity_id", "period"),
                      Index("ix_industry_runs_area_code", "area_code", "status"))


class RunPart(Base):
    """One part of a run: the enterprise's, a village's, a household's (first round) or a collective's (the rest)."""

    __tablename__ = "industry_run_parts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("industry_runs.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)  # enterprise | village | household | collective
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    weight: Mapped[Decimal] = mapped_column(Amount, nullable=False, default=Decimal("0"))
    amount: Mapped[Decimal] = mapped_column(Amount, nullable=False)

    __table_args__ = (Index("ix_industry_run_parts_run_id", "run_id", "kind"),
                      Index("ix_industry_run_parts_household_id", "household_id"),
                      Index("ix_industry_run_parts_area_code", "area_code", "kind"))


class CollectiveIncome(Base):
    """Income of a village collective (村集体经济) in a year from one source."""

    __tablename__ = "industry_collective_incomes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), ForeignKey("areas.code"), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    amount: Mapped[Decimal] = mapped_column(Amount, nullable=False)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("industry_runs.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(String(200))
    recorded_on: Mapped[dt.date] = mapped_column(Date, nullable=False)

    __table_args__ = (Index("ix_industry_collective_incomes_area_code", "area_code", "year"),)
