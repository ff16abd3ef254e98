"""Schemas of relocation: the API and the page forms parse with the same models (titles name the fields)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field

from fupin.core.schema_types import Input, Public
from fupin.core.sql import MAX_ID

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2100, 12, 31))]
Code = Annotated[str, Field(max_length=16)]
UnitArea = Annotated[Decimal, Field(ge=10, le=500, max_digits=5, decimal_places=2)]
_SEPARATORS = re.compile(r"[,\uff0c\u3001;\uff1b\s]+")  # , ， 、 ; ； and spaces


def _title(zh: str, en: str) -> dict[str, object]:
    return {"title": zh, "json_schema_extra": {"title_en": en}}


def _split(value: Any) -> Any:
    """A page sends a list as one text box ("75,100,125"); the API as a JSON list. Both become a list."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        parts: list[Any] = []
        for item in value:
            if isinstance(item, str):
                parts.extend(p for p in _SEPARATORS.split(item) if p)
            else:
                parts.append(item)
        return parts
    return value


UnitAreas = Annotated[list[UnitArea], BeforeValidator(_split)]
WaitingIds = Annotated[list[Id], BeforeValidator(_split)]


class SiteCreate(Input):
    name: str = Field(min_length=1, max_length=100, **_title("安置点名称", "site name"))
    area_code: str = Field(min_length=6, max_length=15, **_title("所在社区/村区划代码", "area code"))
    kind: Code = Field("concentrated", **_title("安置方式", "kind of site"))
    location: Code = Field("county_town", **_title("安置区位", "location"))
    planned_households: int = Field(0, ge=0, le=1_000_000, **_title("计划搬迁户数", "planned households"))
    planned_people: int = Field(0, ge=0, le=10_000_000, **_title("计划搬迁人数", "planned people"))
    phase: str | None = Field(None, max_length=40, **_title("建设批次", "phase"))
    completed_on: Day | None = Field(None, **_title("竣工日期", "completed on"))
    grid_size: int = Field(10, ge=2, le=100, **_title("每个网格约多少户", "households per grid"))


class SitePublic(Public):
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


class BuildingCreate(Input):
    name: str = Field(min_length=1, max_length=40, **_title("楼栋名称", "building name"))
    floors: int = Field(ge=1, le=60, **_title("层数", "floors"))
    unit_areas: UnitAreas = Field(min_length=1, max_length=20, **_title("每层各套面积", "flat areas per floor"))


class BuildingPublic(Public):
    id: int
    site_id: int
    name: str
    floors: int
    leader_person_id: int | None
    leader_name: str | None
    leader_is_party_member: bool


class RelocatedCreate(Input):
    household_id: Id = Field(**_title("建档立卡户编号", "household id"))
    priority_group: int = Field(0, ge=0, le=1, **_title("优先组", "priority group"))


class RelocatedPublic(Public):
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


class RelocatedDetail(RelocatedPublic):
    """A relocated household with its contact as the caller may see it (the phone masked per role)."""

    household_no: str | None = None
    head_name: str | None = None
    phone: str | None = None
    unit: str | None = None


class LotteryRequest(Input):
    seed: str = Field(min_length=1, max_length=64, **_title("摇号种子", "seed"))
    waiting: WaitingIds = Field(default_factory=list, max_length=100_000, **_title("本轮轮候户", "households that wait"))
    dry_run: bool = Field(False, **_title("演示摇号", "dry run"))


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


class GridsRequest(Input):
    grid_size: int | None = Field(None, ge=2, le=100, **_title("每格户数", "households per grid"))
    replace: bool = Field(False, **_title("替换现有网格", "replace the grids"))


class GridPublic(Public):
    id: int
    site_id: int
    number: int
    name: str
    leader_person_id: int | None
    leader_name: str | None
    leader_is_party_member: bool
    households: int = 0


class GridUpdate(Input):
    name: str | None = Field(None, max_length=60, **_title("网格名称", "grid name"))
    leader_person_id: Id | None = Field(None, **_title("网格长", "grid leader"))


class DateBody(Input):
    on: Day = Field(default_factory=dt.date.today, **_title("日期", "date"))


class UnitBody(Input):
    unit_id: Id = Field(**_title("房屋编号", "flat id"))


class GridMove(Input):
    grid_id: Id = Field(**_title("网格", "grid"))


class GridMoveForm(GridMove):
    """The page also says where to go back to (a page of relocation)."""

    back: str | None = Field(None, max_length=200)


class ChecklistBody(Input):
    items: dict[Annotated[str, Field(max_length=32)], Annotated[str, Field(max_length=8)]] = Field(
        max_length=20, **_title("三地三保三就清单", "checklist"))


class ChecklistForm(Input):
    """The page's checklist: one select per item (the API sends the same as `items`)."""

    contracted_land: Code | None = Field(None, **_title("承包地", "contracted land"))
    forest_land: Code | None = Field(None, **_title("林地", "forest land"))
    homestead: Code | None = Field(None, **_title("宅基地", "homestead"))
    medical_insurance: Code | None = Field(None, **_title("医疗保险", "medical insurance"))
    minimum_allowance: Code | None = Field(None, **_title("低保", "minimum allowance"))
    pension: Code | None = Field(None, **_title("养老保险", "pension"))
    schooling: Code | None = Field(None, **_title("就学", "schooling"))
    medical_care: Code | None = Field(None, **_title("就医", "medical care"))
    job: Code | None = Field(None, **_title("就业", "job"))

    def items(self) -> dict[str, str]:
        return {name: value for name, value in self.model_dump().items() if value is not None}


class ExportRequest(Input):
    area_code: str | None = Field(None, min_length=6, max_length=15, **_title("区划代码", "area code"))
    site_id: Id | None = Field(None, **_title("安置点", "site"))


class JobStarted(BaseModel):
    job_id: str
    url: str
