"""API shapes (XCreate / XUpdate / XPublic). Coded fields accept the code or the Chinese label."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class _PersonDetails(BaseModel):
    """The member fields that may be entered at registration and changed later."""

    ethnicity: str | None = None
    education: str | None = None
    schooling: str | None = None
    health: str | None = None
    disability_grade: int | None = None
    labour_capacity: str | None = None
    work_place: str | None = None
    months_worked: int | None = None
    medical_insurance: bool | None = None
    pension_insurance: bool | None = None
    minimum_allowance: bool | None = None
    public_funded: bool | None = None


class PersonCreate(_PersonDetails):
    id_number: str = Field(max_length=20)
    name: str = Field(max_length=60)
    relation: str
    sex: str | None = None
    birth_date: dt.date | None = None


class PersonUpdate(_PersonDetails):
    version: int
    name: str | None = Field(default=None, max_length=60)
    relation: str | None = None


class PersonPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    id_number: str
    name: str
    sex: str
    birth_date: dt.date
    relation: str
    ethnicity: str | None
    education: str | None
    schooling: str | None
    health: str
    disability_grade: int | None
    labour_capacity: str
    work_place: str
    months_worked: int | None
    medical_insurance: bool
    pension_insurance: bool
    minimum_allowance: bool
    public_funded: bool
    active: bool
    version: int


class HouseholdCreate(BaseModel):
    area_code: str
    household_no: str | None = Field(default=None, max_length=32)
    address: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=20)
    poverty_attribute: str
    main_cause: str
    other_causes: list[str] = []
    registration_year: int
    members: list[PersonCreate] = Field(min_length=1, max_length=30)


class HouseholdUpdate(BaseModel):
    version: int
    address: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=20)
    poverty_attribute: str | None = None
    main_cause: str | None = None
    other_causes: list[str] | None = None
    has_vehicle: bool | None = None
    has_commercial_flat: bool | None = None
    runs_business: bool | None = None


class HouseholdPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_no: str
    area_code: str
    head_name: str
    address: str | None
    phone: str | None
    poverty_attribute: str
    main_cause: str
    other_causes: str | None
    registration_year: int
    status: str
    exit_year: int | None
    member_count: int
    has_vehicle: bool | None
    has_commercial_flat: bool | None
    runs_business: bool | None
    version: int


class HouseholdDetail(HouseholdPublic):
    members: list[PersonPublic]


class HouseholdPage(BaseModel):
    items: list[HouseholdPublic]
    next_cursor: str | None


class IncomeCreate(BaseModel):
    year: int
    wages: Decimal = Decimal("0")
    production_income: Decimal = Decimal("0")
    property_income: Decimal = Decimal("0")
    transfer_income: Decimal = Decimal("0")
    production_costs: Decimal = Decimal("0")
    version: int | None = None


class IncomePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    year: int
    members: int
    wages: Decimal
    production_income: Decimal
    property_income: Decimal
    transfer_income: Decimal
    production_costs: Decimal
    net_income: Decimal
    per_capita_net: Decimal
    version: int


class CheckCreate(BaseModel):
    year: int
    checked_on: dt.date
    food_ok: bool = True
    clothing_ok: bool = True
    education_ok: bool = True
    medical_ok: bool = True
    housing_ok: bool = True
    water_litres_per_person_day: int | None = Field(default=None, ge=0, le=1000)
    water_trip_minutes: int | None = Field(default=None, ge=0, le=600)
    water_outage_days: int | None = Field(default=None, ge=0, le=366)
    water_quality_ok: bool = True
    water_short_area: bool = False
    checked_by: str | None = Field(default=None, max_length=60)
    note: str | None = Field(default=None, max_length=500)
    version: int | None = None


class CheckPublic(CheckCreate):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    version: int  # type: ignore[assignment]


class MeasureCreate(BaseModel):
    measure_type: str
    delivered_on: dt.date
    description: str | None = Field(default=None, max_length=500)
    amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    helper_name: str | None = Field(default=None, max_length=60)


class MeasurePublic(MeasureCreate):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int


class VisitCreate(BaseModel):
    visited_on: dt.date
    visitor_name: str | None = Field(default=None, max_length=60)
    cadre_id: int | None = None
    found: str | None = Field(default=None, max_length=1000)
    done: str | None = Field(default=None, max_length=1000)


class VisitPublic(VisitCreate):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    visitor_name: str  # type: ignore[assignment]


class ExitStepCreate(BaseModel):
    step: str
    happened_on: dt.date
    note: str | None = Field(default=None, max_length=500)


class ExitEvaluationPublic(BaseModel):
    year: int
    eligible: bool
    reasons: list[str]
    per_capita_net: Decimal | None
    poverty_line: Decimal | None
    next_step: str | None
    steps_done: list[dict[str, str]]
