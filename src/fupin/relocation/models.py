"""Tables of relocation: sites, buildings, units, relocated households, lottery draws, grids, checklists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.columns import (
    ActorName,
    AreaCode,
    AreaRef,
    BigPk,
    Code,
    CountyCode,
    HouseholdRef,
    PersonName,
    SmallInt,
    Stamp,
    Title,
    Versioned,
)
from fupin.core.db import Base

# The site a row belongs to; it goes with the site.
SiteRef = Annotated[int, mapped_column(ForeignKey("resettlement_sites.id", ondelete="CASCADE"))]


class HasLeader:
    """A building or grid with its leader (楼栋长, 网格长): a person of a household living in it, named as written
    then, and whether the leader is a Party member. These columns come last."""

    leader_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    leader_name: Mapped[PersonName | None]
    leader_is_party_member: Mapped[bool] = mapped_column(default=False)


class ResettlementSite(Versioned, Base):
    """An 易地扶贫搬迁安置点. area_code is the receiving community (or township/village for dispersed sites)."""

    __tablename__ = "resettlement_sites"

    id: Mapped[BigPk]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaRef]
    name: Mapped[Title]
    kind: Mapped[Code] = mapped_column(default="concentrated")
    location: Mapped[Code] = mapped_column(default="county_town")
    planned_households: Mapped[int] = mapped_column(default=0)
    planned_people: Mapped[int] = mapped_column(default=0)
    phase: Mapped[str | None] = mapped_column(String(40))
    completed_on: Mapped[dt.date | None]
    grid_size: Mapped[SmallInt] = mapped_column(default=10)
    created_at: Mapped[Stamp]

    __table_args__ = (Index("ix_resettlement_sites_area_code", "area_code"),)


class SiteBuilding(HasLeader, Base):
    """A building (幢) of a site; its leader (楼栋长) is a person of a household living in it."""

    __tablename__ = "site_buildings"

    id: Mapped[BigPk]
    site_id: Mapped[SiteRef]
    name: Mapped[str] = mapped_column(String(40))
    floors: Mapped[SmallInt]

    __table_args__ = (Index("uq_site_buildings_site_name", "site_id", "name", unique=True),)


class HousingUnit(Base):
    """A flat (套): area in m² (exact decimal) and layout."""

    __tablename__ = "housing_units"

    id: Mapped[BigPk]
    site_id: Mapped[SiteRef]
    building_id: Mapped[int] = mapped_column(ForeignKey("site_buildings.id", ondelete="CASCADE"))
    floor: Mapped[SmallInt]
    number: Mapped[str] = mapped_column(String(20))
    area_m2: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    layout: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (
        Index("uq_housing_units_building_number", "building_id", "number", unique=True),
        Index("ix_housing_units_site_id", "site_id"),
    )


class LotteryDraw(Base):
    """A 摇号分房 draw: seed, rules and the exact inputs, so anyone can re-run it and get the same result."""

    __tablename__ = "lottery_draws"

    id: Mapped[BigPk]
    site_id: Mapped[SiteRef]
    area_code: Mapped[AreaCode]
    seed: Mapped[str] = mapped_column(String(64))
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    households: Mapped[int]
    allocated: Mapped[int]
    result_digest: Mapped[str] = mapped_column(String(64))
    drawn_by: Mapped[ActorName]
    drawn_at: Mapped[Stamp]

    __table_args__ = (Index("ix_lottery_draws_site_id", "site_id"),)


class SiteGrid(HasLeader, Base):
    """A grid (网格) of about ten households, with its leader (网格长)."""

    __tablename__ = "site_grids"

    id: Mapped[BigPk]
    site_id: Mapped[SiteRef]
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(60))

    __table_args__ = (Index("uq_site_grids_site_number", "site_id", "number", unique=True),)


class RelocatedHousehold(Versioned, Base):
    """A registered household moving to a site: planned → allocated (a unit) → moved_in; 拆旧 tracked."""

    __tablename__ = "relocated_households"

    id: Mapped[BigPk]
    household_id: Mapped[HouseholdRef]
    site_id: Mapped[SiteRef]
    county_code: Mapped[CountyCode]
    origin_area_code: Mapped[AreaCode]
    site_area_code: Mapped[AreaCode]
    members: Mapped[SmallInt]
    priority_group: Mapped[SmallInt] = mapped_column(default=0)
    status: Mapped[Code] = mapped_column(default="planned")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("housing_units.id", ondelete="RESTRICT"))
    draw_id: Mapped[int | None] = mapped_column(ForeignKey("lottery_draws.id", ondelete="SET NULL"))
    allocated_on: Mapped[dt.date | None]
    moved_in_on: Mapped[dt.date | None]
    old_house_demolished: Mapped[bool] = mapped_column(default=False)
    demolished_on: Mapped[dt.date | None]
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("site_grids.id", ondelete="SET NULL"))

    __table_args__ = (
        Index("uq_relocated_households_household_id", "household_id", unique=True),
        # One unit holds one household; together with one row per household, a household holds one unit.
        Index("uq_relocated_households_unit_id", "unit_id", unique=True,
              postgresql_where=text("unit_id IS NOT NULL"), sqlite_where=text("unit_id IS NOT NULL")),
        Index("ix_relocated_households_site", "site_id", "status"),
        Index("ix_relocated_households_site_area", "site_area_code"),
        Index("ix_relocated_households_grid_id", "grid_id"),
    )


class HouseholdChecklist(Base):
    """三地 / 三保 / 三就 of a relocated household: each item 'done', 'open' or 'na' (not applicable)."""

    __tablename__ = "relocation_checklists"

    relocated_id: Mapped[int] = mapped_column(
        ForeignKey("relocated_households.id", ondelete="CASCADE"), primary_key=True)
    site_id: Mapped[SiteRef]
    contracted_land: Mapped[str] = mapped_column(String(4), default="open")
    forest_land: Mapped[str] = mapped_column(String(4), default="open")
    homestead: Mapped[str] = mapped_column(String(4), default="open")
    medical_insurance: Mapped[str] = mapped_column(String(4), default="open")
    minimum_allowance: Mapped[str] = mapped_column(String(4), default="open")
    pension: Mapped[str] = mapped_column(String(4), default="open")
    schooling: Mapped[str] = mapped_column(String(4), default="open")
    medical_care: Mapped[str] = mapped_column(String(4), default="open")
    job: Mapped[str] = mapped_column(String(4), default="open")
    updated_on: Mapped[dt.date | None]

    __table_args__ = (Index("ix_relocation_checklists_site_id", "site_id"),)
