from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class SiteCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    area_code: str = Field(min_length=12, max_length=15)
    kind: str = "concentrated"
    location: str = "county_town"
    planned_households: int = Field(0, ge=0, le=1_000_000)
    planned_people: int = Field(0, ge=0, le=10_000_000)
    phase: str | None = Field(None, max_length=40)
    completed_on: dt.date | None = None
    grid_size: int = Field(10, ge=2, le=100)


class SitePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    area_code: str
    kind: str
    location: str
    planned_households: int
    planned_people: int
    phase: str | None
    completed_on: dt.date | None
    grid_size: int


class SiteSummaryPublic(BaseModel):
    site: SitePublic
    households: int
    people: int
    by_status: dict[str, int]
    demolished: int
    units: int
    free_units: int
    buildings: int
    grids: int


class BuildingCreate(BaseModel):
    name: str = Field(min_length=1, max_length=40)
    floors: int = Field(ge=1, le=60)
    unit_areas: list[Decimal] = Field(min_length=1, max_length=20)


class BuildingPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    site_id: int
    name: str
    floors: int
    leader_person_id: int | None
    leader_name: str | None
    leader_is_party_member: bool


class RelocatedCreate(BaseModel):
    household_id: int
    priority_group: int = Field(0, ge=0, le=1)


class RelocatedPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    site_id: int
    origin_area_code: str
    members: int
    priority_group: int
    status: str
    unit_id: int | None
    draw_id: int | None
    allocated_on: dt.date | None
    moved_in_on: dt.date | None
    old_house_demolished: bool
    demolished_on: dt.date | None
    grid_id: int | None


class LotteryRequest(BaseModel):
    seed: str = Field(min_length=1, max_length=64)
    waiting: list[int] = Field(default_factory=list, max_length=100_000)
    dry_run: bool = False


class DrawLinePublic(BaseModel):
    order: int
    household_id: int
    draw_number: str
    unit_id: int | None


class LotteryPublic(BaseModel):
    draw_id: int | None
    seed: str
    dry_run: bool
    households: int
    allocated: int
    unplaced: list[int]
    waiting: list[int]
    result_digest: str
    lines: list[DrawLinePublic]


class DrawPublic(BaseModel):
    id: int
    site_id: int
    seed: str
    rules: dict
    households: int
    allocated: int
    result_digest: str
    drawn_by: str
    drawn_at: dt.datetime
    method: str
    lines: list[DrawLinePublic]
    applicants: list[list[int]]
    units: list[list[str | int]]
    waiting: list[int]


class GridsRequest(BaseModel):
    grid_size: int | None = Field(None, ge=2, le=100)
    replace: bool = False


class GridPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    site_id: int
    number: int
    name: str
    leader_person_id: int | None
    leader_name: str | None
    leader_is_party_member: bool
    households: int = 0


class GridUpdate(BaseModel):
    name: str | None = Field(None, max_length=60)
    leader_person_id: int | None = None


class DateBody(BaseModel):
    on: dt.date


class UnitBody(BaseModel):
    unit_id: int


class GridMove(BaseModel):
    grid_id: int


class ChecklistBody(BaseModel):
    items: dict[str, str]
