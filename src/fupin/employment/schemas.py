from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class WorkerCreate(BaseModel):
    person_id: int
    classification: str | None = None
    skills: str | None = Field(None, max_length=200)
    wish: str = "local"
    note: str | None = Field(None, max_length=500)


class WorkerUpdate(BaseModel):
    classification: str | None = None
    skills: str | None = Field(None, max_length=200)
    wish: str | None = None
    note: str | None = Field(None, max_length=500)


class WorkerPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    household_id: int
    area_code: str
    name: str
    classification: str
    skills: str | None
    wish: str
    note: str | None


class PlacementCreate(BaseModel):
    source: str
    work_place: str = "in_county"
    destination: str | None = Field(None, max_length=100)
    employer_name: str | None = Field(None, max_length=100)
    employer_kind: str | None = None
    started_on: dt.date
    monthly_wage: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)


class PlacementPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    worker_id: int
    person_id: int
    household_id: int
    area_code: str
    source: str
    work_place: str
    destination: str | None
    employer_name: str | None
    employer_kind: str | None
    opening_id: int | None
    started_on: dt.date
    ended_on: dt.date | None
    monthly_wage: Decimal | None


class EndBody(BaseModel):
    ended_on: dt.date


class StationCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    area_code: str = Field(min_length=12, max_length=15)
    site_id: int | None = None
    serves: str | None = Field(None, max_length=500)
    phone: str | None = Field(None, max_length=20)


class StationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    area_code: str
    site_id: int | None
    serves: str | None
    phone: str | None


class OpeningCreate(BaseModel):
    title: str = Field(min_length=1, max_length=100)
    area_code: str = Field(min_length=12, max_length=15)
    source: str
    employer_name: str = Field(min_length=1, max_length=100)
    employer_kind: str = "enterprise"
    work_place: str = "in_county"
    destination: str | None = Field(None, max_length=100)
    skill: str | None = Field(None, max_length=40)
    positions: int = Field(1, ge=1, le=100_000)
    monthly_wage: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    station_id: int | None = None
    posted_on: dt.date | None = None


class OpeningPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    area_code: str
    source: str
    employer_name: str
    employer_kind: str
    work_place: str
    destination: str | None
    skill: str | None
    positions: int
    monthly_wage: Decimal | None
    station_id: int | None
    posted_on: dt.date
    status: str


class MatchPublic(BaseModel):
    score: int
    worker: WorkerPublic
    household_employed_members: int


class AcceptBody(BaseModel):
    started_on: dt.date


class CourseCreate(BaseModel):
    title: str = Field(min_length=1, max_length=100)
    course_type: str
    area_code: str = Field(min_length=12, max_length=15)
    hours: int = Field(ge=1, le=2000)
    provider: str = Field(min_length=1, max_length=100)
    starts_on: dt.date
    ends_on: dt.date
    station_id: int | None = None


class CoursePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    course_type: str
    area_code: str
    hours: int
    provider: str
    starts_on: dt.date
    ends_on: dt.date
    station_id: int | None


class EnrolBody(BaseModel):
    worker_id: int


class CompleteBody(BaseModel):
    certified: bool = False


class AttendancePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    course_id: int
    worker_id: int
    completed: bool
    certified: bool
