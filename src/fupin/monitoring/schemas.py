from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class MonitoredCreate(BaseModel):
    household_id: int
    monitor_type: str = Field(max_length=16)
    risk_types: list[str] = Field(max_length=11)
    channel: str = Field(max_length=20)
    clue_on: dt.date
    note: str | None = Field(default=None, max_length=500)


class MonitoredPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    area_code: str
    monitor_type: str
    risk_types: str
    channel: str
    clue_on: dt.date
    status: str
    identified_on: dt.date | None
    cleared_on: dt.date | None
    note: str | None
    version: int


class StepCreate(BaseModel):
    step: str = Field(max_length=24)
    happened_on: dt.date
    note: str | None = Field(default=None, max_length=500)


class StepPublic(StepCreate):
    model_config = ConfigDict(from_attributes=True)

    id: int
    actor_name: str


class ClearBody(BaseModel):
    cleared_on: dt.date
    version: int | None = None
    note: str | None = Field(default=None, max_length=200)


class ProposalPublic(BaseModel):
    household_id: int
    household_no: str
    head_name: str
    area_code: str
    status: str
    reasons: dict[str, str]


class ThresholdPublic(BaseModel):
    year: int
    province_code: str
    amount: Decimal


class ThresholdSet(BaseModel):
    amount: Decimal = Field(gt=0, max_digits=10, decimal_places=2)
    province_code: str = Field(default="00", min_length=2, max_length=2)
    note: str | None = Field(default=None, max_length=200)
