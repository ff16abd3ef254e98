"""Tables of relocation: sites, buildings, units, relocated households, lottery draws, grids, checklists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.audit import BigId
from fupin.core.db import Base, UTCDateTime, utcnow


class ResettlementSite(Base):
    """An 易地扶贫搬迁安置点. area_code is the receiving community (or township/village for dispersed sites)."""

    __tablename__ = "resettlement_sites"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), ForeignKey("areas.code"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="concentrated")
    location: Mapped[str] = mapped_column(String(16), nullable=False, default="county_town")
    planned_households: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    planned_people: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    phase: Mapped[str | None] = mapped_column(String(40))
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    grid_size: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=10)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_resettlement_sites_area_code", "area_code"),)


class SiteBuilding(Base):
    """A building (幢) of a site; its leader (楼栋长) is a person of a household living in it."""

    __tablename__ = "site_buildings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("resettlement_sites.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(40), nullable=False)
    floors: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    leader_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    leader_name: Mapped[str | None] = mapped_column(String(60))
    leader_is_party_member: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    __table_args__ = (Index("uq_site_buildings_site_name", "site_id", "name", unique=True),)


class HousingUnit(Base):
    """A flat (套): area in m² (exact decimal) and layout."""

    __tablename__ = "housing_units"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("resettlement_sites.id", ondelete="CASCADE"), nullable=False)
    building_id: Mapped[int] = mapped_column(ForeignKey("site_buildings.id", ondelete="CASCADE"), nullable=False)
    floor: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    number: Mapped[str] = mapped_column(String(20), nullable=False)
    area_m2: Mapped[Decimal] = mapped_column(Numeric(7, 2), nullable=False)
    layout: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (
        Index("uq_housing_units_building_number", "building_id", "number", unique=True),
        Index("ix_housing_units_site_id", "site_id"),
    )


class LotteryDraw(Base):
    """A 摇号分房 draw: seed, rules and the exact inputs, so anyone can re-run it and get the same result."""

    __tablename__ = "lottery_draws"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("resettlement_sites.id", ondelete="CASCADE"), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    seed: Mapped[str] = mapped_column(String(64), nullable=False)
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    households: Mapped[int] = mapped_column(Integer, nullable=False)
    allocated: Mapped[int] = mapped_column(Integer, nullable=False)
    result_digest: Mapped[str] = mapped_column(String(64), nullable=False)
    drawn_by: Mapped[str] = mapped_column(String(120), nullable=False)
    drawn_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (Index("ix_lottery_draws_site_id", "site_id"),)


class SiteGrid(Base):
    """A grid (网格) of about ten households, with its leader (网格长)."""

    __tablename__ = "site_grids"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("resettlement_sites.id", ondelete="CASCADE"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    leader_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    leader_name: Mapped[str | None] = mapped_column(String(60))
    leader_is_party_member: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    __table_args__ = (Index("uq_site_grids_site_number", "site_id", "number", unique=True),)


class RelocatedHousehold(Base):
    """A registered household moving to a site: planned → allocated (a unit) → moved_in; 拆旧 tracked."""

    __tablename__ = "relocated_households"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    site_id: Mapped[int] = mapped_column(ForeignKey("resettlement_sites.id", ondelete="CASCADE"), nullable=False)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    origin_area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    site_area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    members: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    priority_group: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="planned")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("housing_units.id", ondelete="RESTRICT"))
    draw_id: Mapped[int | None] = mapped_column(ForeignKey("lottery_draws.id", ondelete="SET NULL"))
    allocated_on: Mapped[dt.date | None] = mapped_column(Date)
    moved_in_on: Mapped[dt.date | None] = mapped_column(Date)
    old_house_demolished: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    demolished_on: Mapped[dt.date | None] = mapped_column(Date)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("site_grids.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
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
    site_id: Mapped[int] = mapped_column(ForeignKey("resettlement_sites.id", ondelete="CASCADE"), nullable=False)
    contracted_land: Mapped[str] = mapped_column(String(4), nullable=False, default="open")
    forest_land: Mapped[str] = mapped_column(String(4), nullable=False, default="open")
    homestead: Mapped[str] = mapped_column(String(4), nullable=False, default="open")
    medical_insurance: Mapped[str] = mapped_column(String(4), nullable=False, default="open")
    minimum_allowance: Mapped[str] = mapped_column(String(4), nullable=False, default="open")
    pension: Mapped[str] = mapped_column(String(4), nullable=False, default="open")
    schooling: Mapped[str] = mapped_column(String(4), nullable=False, default="open")
    medical_care: Mapped[str] = mapped_column(String(4), nullable=False, default="open")
    job: Mapped[str] = mapped_column(String(4), nullable=False, default="open")
    updated_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_relocation_checklists_site_id", "site_id"),)
