from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.audit import BigId
from fupin.core.db import Base, UTCDateTime, utcnow

Area = Numeric(12, 2)  # mu, km and m², exact to two places


class Household(Base):
    """A registered household (建档立卡户). county_code is carried for sharding by county."""

    __tablename__ = "households"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), ForeignKey("areas.code"), nullable=False)
    household_no: Mapped[str] = mapped_column(String(32), nullable=False)
    head_name: Mapped[str] = mapped_column(String(60), nullable=False)
    address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    poverty_attribute: Mapped[str] = mapped_column(String(16), nullable=False)
    main_cause: Mapped[str] = mapped_column(String(20), nullable=False)
    other_causes: Mapped[str | None] = mapped_column(String(200))
    registration_year: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="identified")
    exit_year: Mapped[int | None] = mapped_column(SmallInteger)
    member_count: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    # Exclusion signals of 精准识别 (None: not recorded).
    has_vehicle: Mapped[bool | None] = mapped_column(Boolean)
    has_commercial_flat: Mapped[bool | None] = mapped_column(Boolean)
    runs_business: Mapped[bool | None] = mapped_column(Boolean)
    # The national 贫困户登记表's household fields (registry.fields.NATIONAL_HOUSEHOLD_KEYS; None: not recorded).
    identification_standard: Mapped[str | None] = mapped_column(String(16))
    military_martyr_family: Mapped[bool | None] = mapped_column(Boolean)
    only_child_family: Mapped[bool | None] = mapped_column(Boolean)
    two_daughters_family: Mapped[bool | None] = mapped_column(Boolean)
    arable_land_mu: Mapped[Decimal | None] = mapped_column(Area)
    irrigated_land_mu: Mapped[Decimal | None] = mapped_column(Area)
    forest_land_mu: Mapped[Decimal | None] = mapped_column(Area)
    returned_farmland_mu: Mapped[Decimal | None] = mapped_column(Area)
    fruit_forest_mu: Mapped[Decimal | None] = mapped_column(Area)
    grassland_mu: Mapped[Decimal | None] = mapped_column(Area)
    water_surface_mu: Mapped[Decimal | None] = mapped_column(Area)
    domestic_power: Mapped[bool | None] = mapped_column(Boolean)
    production_power: Mapped[bool | None] = mapped_column(Boolean)
    road_distance_km: Mapped[Decimal | None] = mapped_column(Area)
    access_road_type: Mapped[str | None] = mapped_column(String(16))
    housing_area_m2: Mapped[Decimal | None] = mapped_column(Area)
    dilapidation_grade: Mapped[str | None] = mapped_column(String(4))
    house_built_year: Mapped[int | None] = mapped_column(SmallInteger)
    main_fuel: Mapped[str | None] = mapped_column(String(16))
    sanitary_toilet: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("uq_households_household_no", "household_no", unique=True),
        Index("ix_households_area_code", "area_code", "id"),
        Index("ix_households_status", "county_code", "status"),
        Index("ix_households_head_name", "head_name"),
    )


class Person(Base):
    """A member of a registered household. The ID number is looked up through a keyed hash."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    id_number: Mapped[str] = mapped_column(String(18), nullable=False)
    id_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    sex: Mapped[str] = mapped_column(String(1), nullable=False)
    birth_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    relation: Mapped[str] = mapped_column(String(20), nullable=False)
    ethnicity: Mapped[str | None] = mapped_column(String(20))
    education: Mapped[str | None] = mapped_column(String(20))
    schooling: Mapped[str | None] = mapped_column(String(20))
    health: Mapped[str] = mapped_column(String(16), nullable=False, default="healthy")
    disability_grade: Mapped[int | None] = mapped_column(SmallInteger)
    labour_capacity: Mapped[str] = mapped_column(String(16), nullable=False, default="normal")
    work_place: Mapped[str] = mapped_column(String(16), nullable=False, default="none")
    months_worked: Mapped[int | None] = mapped_column(SmallInteger)
    medical_insurance: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    pension_insurance: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    minimum_allowance: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    public_funded: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # A 15-digit first-generation number as typed, kept when it was converted to `id_number` (18 digits).
    id_number_original: Mapped[str | None] = mapped_column(String(15))
    # Pinyin initials of the name (姓名首字母, "wfg" for 王富贵), kept on every write for the indexed search.
    name_initials: Mapped[str | None] = mapped_column(String(60))
    # The national forms' member fields (registry.fields.NATIONAL_PERSON_KEYS; None: not recorded).
    political_status: Mapped[str | None] = mapped_column(String(20))
    disability_category: Mapped[str | None] = mapped_column(String(16))
    disability_certificate_no: Mapped[str | None] = mapped_column(String(24))
    serious_illness_insurance: Mapped[bool | None] = mapped_column(Boolean)
    commercial_medical_insurance: Mapped[bool | None] = mapped_column(Boolean)
    medical_assistance: Mapped[bool | None] = mapped_column(Boolean)
    active_serviceman: Mapped[bool | None] = mapped_column(Boolean)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Membership by date (figures of a past year count that year's members): None joined_on = a member since
    # the household was registered; an inactive member with no left_on left before dates were kept.
    joined_on: Mapped[dt.date | None] = mapped_column(Date)
    join_reason: Mapped[str | None] = mapped_column(String(16))
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    leave_reason: Mapped[str | None] = mapped_column(String(16))
    leave_note: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_persons_household_id", "household_id"),
        Index(
            "uq_persons_active_id_hash",
            "id_hash",
            unique=True,
            postgresql_where=text("active"),
            sqlite_where=text("active = 1"),
        ),
        Index("ix_persons_area_code", "area_code"),
        Index("ix_persons_name", "name"),
        Index("ix_persons_name_initials", "name_initials"),
    )


Money = Numeric(14, 2)


class HouseholdIncome(Base):
    """A household's income for one year (yuan, exact decimals); net and per-capita are derived by rules."""

    __tablename__ = "household_incomes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    year: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    members: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    wages: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal("0"))
    production_income: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal("0"))
    property_income: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal("0"))
    transfer_income: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal("0"))
    # 转移性收入 in its parts (rules.TRANSFER_PARTS); they sum to transfer_income, an unsplit total is "other".
    transfer_dibao: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal("0"))
    transfer_tekun: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal("0"))
    transfer_pension: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal("0"))
    transfer_ecological: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal("0"))
    transfer_other: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal("0"))
    production_costs: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal("0"))
    net_income: Mapped[Decimal] = mapped_column(Money, nullable=False)
    per_capita_net: Mapped[Decimal] = mapped_column(Money, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("uq_household_incomes_household_year", "household_id", "year", unique=True),
        Index("ix_household_incomes_area_year", "area_code", "year"),
    )


class HouseholdCheck(Base):
    """The yearly 两不愁三保障 and safe-drinking-water check of a household."""

    __tablename__ = "household_checks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    year: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    checked_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    food_ok: Mapped[bool] = mapped_column(Boolean, nullable=False)
    clothing_ok: Mapped[bool] = mapped_column(Boolean, nullable=False)
    education_ok: Mapped[bool] = mapped_column(Boolean, nullable=False)
    medical_ok: Mapped[bool] = mapped_column(Boolean, nullable=False)
    housing_ok: Mapped[bool] = mapped_column(Boolean, nullable=False)
    water_litres_per_person_day: Mapped[int | None] = mapped_column(SmallInteger)
    water_trip_minutes: Mapped[int | None] = mapped_column(SmallInteger)
    water_outage_days: Mapped[int | None] = mapped_column(SmallInteger)
    water_quality_ok: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    water_short_area: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    checked_by: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("uq_household_checks_household_year", "household_id", "year", unique=True),
        Index("ix_household_checks_area_year", "area_code", "year"),
    )


class HelpMeasure(Base):
    """A help measure (帮扶措施) delivered to a household."""

    __tablename__ = "help_measures"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    measure_type: Mapped[str] = mapped_column(String(24), nullable=False)
    description: Mapped[str | None] = mapped_column(String(500))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    delivered_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    helper_name: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_help_measures_household_id", "household_id", "delivered_on"),
        Index("ix_help_measures_area_code", "area_code", "delivered_on"),
    )


class Visit(Base):
    """A visit (走访) by a cadre: what was found and what was done. cadre_id refers to orgs' cadres."""

    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    cadre_id: Mapped[int | None] = mapped_column(Integer)
    visitor_name: Mapped[str] = mapped_column(String(60), nullable=False)
    visited_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    found: Mapped[str | None] = mapped_column(String(1000))
    done: Mapped[str | None] = mapped_column(String(1000))
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_visits_household_id", "household_id", "visited_on"),
        Index("ix_visits_area_code", "area_code", "visited_on"),
        Index("ix_visits_cadre_id", "cadre_id", "visited_on"),
    )


class HouseholdEvent(Base):
    """The household's history: status changes and the steps of the exit procedure, each dated, with who."""

    __tablename__ = "household_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # "status" or "exit_step"
    step: Mapped[str | None] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    happened_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    actor_name: Mapped[str] = mapped_column(String(120), nullable=False)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (Index("ix_household_events_household_id", "household_id", "id"),)


class PovertyLine(Base):
    """The poverty line of a year: national (province_code '00') or a province's higher line."""

    __tablename__ = "poverty_lines"

    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    note: Mapped[str | None] = mapped_column(String(200))
