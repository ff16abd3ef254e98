"""Tables of industry: entities (cooperatives, enterprises …), memberships, land contracts and rent, distribution
runs with their parts, and village collective income."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from sqlalchemy import ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.columns import (
    AreaCode,
    AreaRef,
    BigPk,
    Code,
    CountyCode,
    HouseholdRef,
    Note,
    PersonName,
    Stamp,
    Title,
    Versioned,
)
from fupin.core.db import Base

Amount = Numeric(14, 2)

# The entity a row belongs to; it goes with the entity.
EntityRef = Annotated[int, mapped_column(ForeignKey("industry_entities.id", ondelete="CASCADE"))]


class IndustryEntity(Versioned, Base):
    """A cooperative (农民专业合作社), leading enterprise (龙头企业), family farm, base or workshop (扶贫车间)."""

    __tablename__ = "industry_entities"

    id: Mapped[BigPk]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaRef]
    name: Mapped[Title]
    kind: Mapped[Code]
    credit_code: Mapped[str | None] = mapped_column(String(18))
    industry: Mapped[Code]
    # The Party organisation leading it (orgs' id; no foreign key across capabilities).
    led_by_org_id: Mapped[int | None]
    # Its place in the chain 党支部 + 合作社 + 公司 + 基地 + 农户: the entity it supplies or works for.
    upstream_id: Mapped[int | None] = mapped_column(ForeignKey("industry_entities.id", ondelete="SET NULL"))
    founded_on: Mapped[dt.date | None]
    note: Mapped[Note | None]
    created_at: Mapped[Stamp]

    __table_args__ = (
        Index("uq_industry_entities_credit_code", "credit_code", unique=True),
        Index("ix_industry_entities_area_code", "area_code", "kind"),
        Index("ix_industry_entities_led_by_org_id", "led_by_org_id"),
    )


class Membership(Versioned, Base):
    """A household (or a village collective, household_id empty) linked to an entity from joined_on to left_on."""

    __tablename__ = "industry_memberships"

    id: Mapped[BigPk]
    entity_id: Mapped[EntityRef]
    household_id: Mapped[HouseholdRef | None]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaCode]
    link_kind: Mapped[Code]
    shares: Mapped[Decimal] = mapped_column(Amount, default=Decimal("0"))
    joined_on: Mapped[dt.date]
    left_on: Mapped[dt.date | None]

    __table_args__ = (
        Index("ix_industry_memberships_entity_id", "entity_id", "left_on"),
        Index("ix_industry_memberships_household_id", "household_id"),
        Index("ix_industry_memberships_area_code", "area_code"),
    )


class LandContract(Base):
    """A land transfer contract (土地流转): a household's plots to an entity, area in mu, rent per mu and year."""

    __tablename__ = "industry_land_contracts"

    id: Mapped[BigPk]
    entity_id: Mapped[EntityRef]
    household_id: Mapped[HouseholdRef]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaCode]
    plots: Mapped[str | None] = mapped_column(String(200))
    area_mu: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    rent_per_mu: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    created_at: Mapped[Stamp]

    __table_args__ = (
        Index("ix_industry_land_contracts_entity_id", "entity_id"),
        Index("ix_industry_land_contracts_household_id", "household_id"),
        Index("ix_industry_land_contracts_area_code", "area_code"),
    )


class RentPayment(Base):
    """Rent paid on a contract for a year (one row per contract and year, added to as payments come in)."""

    __tablename__ = "industry_rent_payments"

    id: Mapped[BigPk]
    contract_id: Mapped[int] = mapped_column(ForeignKey("industry_land_contracts.id", ondelete="CASCADE"))
    area_code: Mapped[AreaCode]
    year: Mapped[int]
    paid: Mapped[Decimal] = mapped_column(Amount)
    paid_on: Mapped[dt.date]

    __table_args__ = (Index("uq_industry_rent_payments_contract_year", "contract_id", "year", unique=True),)


class DistributionRun(Versioned, Base):
    """A profit (yuan) or an in-kind allocation (whole units) of an entity for a period, split by its rules.

    `status`: preview (parts computed, nothing paid), confirmed (immutable; dividends posted), discarded."""

    __tablename__ = "industry_runs"

    id: Mapped[BigPk]
    entity_id: Mapped[EntityRef]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaCode]
    period: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    unit: Mapped[str] = mapped_column(String(8))  # yuan | piece
    total: Mapped[Decimal] = mapped_column(Amount)
    enterprise_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    village_basis: Mapped[str] = mapped_column(String(24))
    inside_village: Mapped[Code]
    household_cap: Mapped[Decimal | None] = mapped_column(Amount)
    income_field: Mapped[str] = mapped_column(String(20))
    villages: Mapped[str] = mapped_column(String(4000))  # the village codes it covers, comma-separated
    status: Mapped[str] = mapped_column(String(12), default="preview")
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("industry_runs.id", ondelete="SET NULL"))
    created_by: Mapped[PersonName]
    created_at: Mapped[Stamp]
    confirmed_by: Mapped[PersonName | None]
    confirmed_at: Mapped[dt.datetime | None]

    __table_args__ = (Index("ix_industry_runs_entity_id", "entity_id", "period"),
                      Index("ix_industry_runs_area_code", "area_code", "status"))


class RunPart(Base):
    """One part of a run: the enterprise's, a village's, a household's (first round) or a collective's (the rest)."""

    __tablename__ = "industry_run_parts"

    id: Mapped[BigPk]
    run_id: Mapped[int] = mapped_column(ForeignKey("industry_runs.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))  # enterprise | village | household | collective
    area_code: Mapped[AreaCode]
    household_id: Mapped[HouseholdRef | None]
    weight: Mapped[Decimal] = mapped_column(Amount, default=Decimal("0"))
    amount: Mapped[Decimal] = mapped_column(Amount)

    __table_args__ = (Index("ix_industry_run_parts_run_id", "run_id", "kind"),
                      Index("ix_industry_run_parts_household_id", "household_id"),
                      Index("ix_industry_run_parts_area_code", "area_code", "kind"))


class CollectiveIncome(Base):
    """Income of a village collective (村集体经济) in a year from one source."""

    __tablename__ = "industry_collective_incomes"

    id: Mapped[BigPk]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaRef]
    year: Mapped[int]
    source: Mapped[Code]
    amount: Mapped[Decimal] = mapped_column(Amount)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("industry_runs.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(String(200))
    recorded_on: Mapped[dt.date]

    __table_args__ = (Index("ix_industry_collective_incomes_area_code", "area_code", "year"),)
