from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Index, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.columns import (
    AreaCode,
    AreaRef,
    BigPk,
    Code,
    CountyCode,
    HouseholdRecord,
    HouseholdRef,
    Note,
    PersonName,
    ProcedureStep,
    ProvincialYearlyAmount,
    SmallInt,
    Stamp,
    Versioned,
    Yuan,
)
from fupin.core.db import Base

Area = Numeric(12, 2)  # mu, km and m², exact to two places


class Household(Versioned, Base):
    """A registered household (建档立卡户). county_code is carried for sharding by county."""

    __tablename__ = "households"

    id: Mapped[BigPk]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaRef]
    household_no: Mapped[str] = mapped_column(String(32))
    head_name: Mapped[PersonName]
    address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    poverty_attribute: Mapped[Code]
    main_cause: Mapped[str] = mapped_column(String(20))
    other_causes: Mapped[str | None] = mapped_column(String(200))
    registration_year: Mapped[SmallInt]
    status: Mapped[Code] = mapped_column(default="identified")
    exit_year: Mapped[SmallInt | None]
    member_count: Mapped[SmallInt] = mapped_column(default=0)
    # Exclusion signals of 精准识别 (None: not recorded).
    has_vehicle: Mapped[bool | None]
    has_commercial_flat: Mapped[bool | None]
    runs_business: Mapped[bool | None]
    # The national 贫困户登记表's household fields (registry.fields.NATIONAL_HOUSEHOLD_KEYS; None: not recorded).
    identification_standard: Mapped[Code | None]
    military_martyr_family: Mapped[bool | None]
    only_child_family: Mapped[bool | None]
    two_daughters_family: Mapped[bool | None]
    arable_land_mu: Mapped[Decimal | None] = mapped_column(Area)
    irrigated_land_mu: Mapped[Decimal | None] = mapped_column(Area)
    forest_land_mu: Mapped[Decimal | None] = mapped_column(Area)
    returned_farmland_mu: Mapped[Decimal | None] = mapped_column(Area)
    fruit_forest_mu: Mapped[Decimal | None] = mapped_column(Area)
    grassland_mu: Mapped[Decimal | None] = mapped_column(Area)
    water_surface_mu: Mapped[Decimal | None] = mapped_column(Area)
    domestic_power: Mapped[bool | None]
    production_power: Mapped[bool | None]
    road_distance_km: Mapped[Decimal | None] = mapped_column(Area)
    access_road_type: Mapped[Code | None]
    housing_area_m2: Mapped[Decimal | None] = mapped_column(Area)
    dilapidation_grade: Mapped[str | None] = mapped_column(String(4))
    house_built_year: Mapped[SmallInt | None]
    main_fuel: Mapped[Code | None]
    sanitary_toilet: Mapped[bool | None]
    created_at: Mapped[Stamp]
    updated_at: Mapped[Stamp]

    __table_args__ = (
        Index("uq_households_household_no", "household_no", unique=True),
        Index("ix_households_area_code", "area_code", "id"),
        Index("ix_households_status", "county_code", "status"),
        Index("ix_households_head_name", "head_name"),
    )


class Person(HouseholdRecord, Versioned, Base):
    """A member of a registered household. The ID number is looked up through a keyed hash."""

    __tablename__ = "persons"

    id_number: Mapped[str] = mapped_column(String(18))
    id_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[PersonName]
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[dt.date]
    relation: Mapped[str] = mapped_column(String(20))
    ethnicity: Mapped[str | None] = mapped_column(String(20))
    education: Mapped[str | None] = mapped_column(String(20))
    schooling: Mapped[str | None] = mapped_column(String(20))
    health: Mapped[Code] = mapped_column(default="healthy")
    disability_grade: Mapped[SmallInt | None]
    labour_capacity: Mapped[Code] = mapped_column(default="normal")
    work_place: Mapped[Code] = mapped_column(default="none")
    months_worked: Mapped[SmallInt | None]
    medical_insurance: Mapped[bool] = mapped_column(default=True)
    pension_insurance: Mapped[bool] = mapped_column(default=False)
    minimum_allowance: Mapped[bool] = mapped_column(default=False)
    public_funded: Mapped[bool] = mapped_column(default=False)
    # A 15-digit first-generation number as typed, kept when it was converted to `id_number` (18 digits).
    id_number_original: Mapped[str | None] = mapped_column(String(15))
    # Pinyin initials of the name (姓名首字母, "wfg" for 王富贵), kept on every write for the indexed search.
    name_initials: Mapped[str | None] = mapped_column(String(60))
    # The national forms' member fields (registry.fields.NATIONAL_PERSON_KEYS; None: not recorded).
    political_status: Mapped[str | None] = mapped_column(String(20))
    disability_category: Mapped[Code | None]
    disability_certificate_no: Mapped[str | None] = mapped_column(String(24))
    serious_illness_insurance: Mapped[bool | None]
    commercial_medical_insurance: Mapped[bool | None]
    medical_assistance: Mapped[bool | None]
    active_serviceman: Mapped[bool | None]
    active: Mapped[bool] = mapped_column(default=True)
    # Membership by date (figures of a past year count that year's members): None joined_on = a member since
    # the household was registered; an inactive member with no left_on left before dates were kept.
    joined_on: Mapped[dt.date | None]
    join_reason: Mapped[Code | None]
    left_on: Mapped[dt.date | None]
    leave_reason: Mapped[Code | None]
    leave_note: Mapped[str | None] = mapped_column(String(200))

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


class HouseholdIncome(HouseholdRecord, Versioned, Base):
    """A household's income for one year (yuan, exact decimals); net and per-capita are derived by rules."""

    __tablename__ = "household_incomes"

    year: Mapped[SmallInt]
    members: Mapped[SmallInt]
    wages: Mapped[Yuan] = mapped_column(default=Decimal("0"))
    production_income: Mapped[Yuan] = mapped_column(default=Decimal("0"))
    property_income: Mapped[Yuan] = mapped_column(default=Decimal("0"))
    transfer_income: Mapped[Yuan] = mapped_column(default=Decimal("0"))
    # 转移性收入 in its parts (rules.TRANSFER_PARTS); they sum to transfer_income, an unsplit total is "other".
    transfer_dibao: Mapped[Yuan] = mapped_column(default=Decimal("0"))
    transfer_tekun: Mapped[Yuan] = mapped_column(default=Decimal("0"))
    transfer_pension: Mapped[Yuan] = mapped_column(default=Decimal("0"))
    transfer_ecological: Mapped[Yuan] = mapped_column(default=Decimal("0"))
    transfer_other: Mapped[Yuan] = mapped_column(default=Decimal("0"))
    production_costs: Mapped[Yuan] = mapped_column(default=Decimal("0"))
    net_income: Mapped[Yuan]
    per_capita_net: Mapped[Yuan]

    __table_args__ = (
        Index("uq_household_incomes_household_year", "household_id", "year", unique=True),
        Index("ix_household_incomes_area_year", "area_code", "year"),
    )


class HouseholdCheck(HouseholdRecord, Versioned, Base):
    """The yearly 两不愁三保障 and safe-drinking-water check of a household."""

    __tablename__ = "household_checks"

    year: Mapped[SmallInt]
    checked_on: Mapped[dt.date]
    food_ok: Mapped[bool]
    clothing_ok: Mapped[bool]
    education_ok: Mapped[bool]
    medical_ok: Mapped[bool]
    housing_ok: Mapped[bool]
    water_litres_per_person_day: Mapped[SmallInt | None]
    water_trip_minutes: Mapped[SmallInt | None]
    water_outage_days: Mapped[SmallInt | None]
    water_quality_ok: Mapped[bool] = mapped_column(default=True)
    water_short_area: Mapped[bool] = mapped_column(default=False)
    checked_by: Mapped[PersonName | None]
    note: Mapped[Note | None]

    __table_args__ = (
        Index("uq_household_checks_household_year", "household_id", "year", unique=True),
        Index("ix_household_checks_area_year", "area_code", "year"),
    )


class HelpMeasure(HouseholdRecord, Versioned, Base):
    """A help measure (帮扶措施) delivered to a household."""

    __tablename__ = "help_measures"

    measure_type: Mapped[str] = mapped_column(String(24))
    description: Mapped[Note | None]
    amount: Mapped[Yuan | None]
    delivered_on: Mapped[dt.date]
    helper_name: Mapped[PersonName | None]
    created_at: Mapped[Stamp]

    __table_args__ = (
        Index("ix_help_measures_household_id", "household_id", "delivered_on"),
        Index("ix_help_measures_area_code", "area_code", "delivered_on"),
    )


class Visit(HouseholdRecord, Versioned, Base):
    """A visit (走访) by a cadre: what was found and what was done. cadre_id refers to orgs' cadres."""

    __tablename__ = "visits"

    cadre_id: Mapped[int | None]
    visitor_name: Mapped[PersonName]
    visited_on: Mapped[dt.date]
    found: Mapped[str | None] = mapped_column(String(1000))
    done: Mapped[str | None] = mapped_column(String(1000))
    created_by: Mapped[int | None]
    created_at: Mapped[Stamp]

    __table_args__ = (
        Index("ix_visits_household_id", "household_id", "visited_on"),
        Index("ix_visits_area_code", "area_code", "visited_on"),
        Index("ix_visits_cadre_id", "cadre_id", "visited_on"),
    )


class HouseholdEvent(ProcedureStep, Base):
    """The household's history: status changes and the steps of the exit procedure, each dated, with who."""

    __tablename__ = "household_events"

    id: Mapped[BigPk]
    household_id: Mapped[HouseholdRef]
    area_code: Mapped[AreaCode]
    kind: Mapped[Code]  # "status" or "exit_step"
    step: Mapped[str | None] = mapped_column(String(32))
    from_status: Mapped[Code | None]
    to_status: Mapped[Code | None]

    __table_args__ = (Index("ix_household_events_household_id", "household_id", "id"),)


class PovertyLine(ProvincialYearlyAmount, Base):
    """The poverty line of a year: national (province_code '00') or a province's higher line."""

    __tablename__ = "poverty_lines"

