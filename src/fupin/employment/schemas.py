"""Schemas of employment: the API and the page forms parse with the same models (titles name the fields)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from fupin.core.schema_types import Input, Public
from fupin.core.sql import MAX_ID

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2100, 12, 31))]
Wage = Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2)]
Code = Annotated[str, Field(max_length=16)]


def _title(zh: str, en: str) -> dict[str, object]:
    return {"title": zh, "json_schema_extra": {"title_en": en}}


class WorkerCreate(Input):
    person_id: Id = Field(**_title("人员编号", "person id"))
    classification: Code | None = Field(None, **_title("劳动力分类", "classification"))
    skills: str | None = Field(None, max_length=200, **_title("技能", "skills"))
    wish: Code = Field("local", **_title("就业意愿", "wish"))
    note: str | None = Field(None, max_length=500, **_title("备注", "note"))


class WorkerUpdate(Input):
    """Fields left out (None) stay as they are."""

    classification: Code | None = Field(None, **_title("劳动力分类", "classification"))
    skills: str | None = Field(None, max_length=200, **_title("技能", "skills"))
    wish: Code | None = Field(None, **_title("就业意愿", "wish"))
    note: str | None = Field(None, max_length=500, **_title("备注", "note"))


class WorkerEditForm(WorkerUpdate):
    """The page's edit form always shows the skills box: left empty, it clears the skills."""

    skills: str | None = Field("", max_length=200, **_title("技能", "skills"))


class WorkerPublic(Public):
    id: int
    person_id: int
    household_id: int
    area_code: str
    name: str
    classification: str
    skills: str | None
    wish: str
    note: str | None


class WorkerDetail(WorkerPublic):
    """One worker with the person's data as the caller may see it (core.personal_data): the ID number masked
    to region and last two characters with the birth year only, the phone masked, health and disability absent
    (None) for clerks and the auditor."""

    sex: str | None = None
    id_number: str | None = None
    birth_date: dt.date | None = None
    birth_year: int | None = None
    phone: str | None = None
    health: str | None = None
    disability_grade: int | None = None


class PlacementCreate(Input):
    source: Code = Field(**_title("就业渠道", "source of the job"))
    work_place: Code = Field("in_county", **_title("务工地点", "place of work"))
    destination: str | None = Field(None, max_length=100, **_title("输出目的地", "destination"))
    employer_name: str | None = Field(None, max_length=100, **_title("用工单位", "employer"))
    employer_kind: Code | None = Field(None, **_title("用工单位类型", "kind of employer"))
    started_on: Day = Field(**_title("上岗日期", "start date"))
    monthly_wage: Wage | None = Field(None, **_title("月工资", "monthly wage"))


class PlacementPublic(Public):
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


class EndBody(Input):
    ended_on: Day = Field(default_factory=dt.date.today, **_title("离岗日期", "end date"))


class StationCreate(Input):
    name: str = Field(min_length=1, max_length=100, **_title("服务站名称", "station name"))
    area_code: str = Field(min_length=6, max_length=15, **_title("所在区划代码", "area code"))
    site_id: Id | None = Field(None, **_title("所在安置点编号", "resettlement site id"))
    serves: str | None = Field(None, max_length=500, **_title("服务范围", "serves"))
    phone: str | None = Field(None, max_length=20, **_title("电话", "phone"))


class StationPublic(Public):
    id: int
    name: str
    area_code: str
    site_id: int | None
    serves: str | None
    phone: str | None


class OpeningCreate(Input):
    title: str = Field(min_length=1, max_length=100, **_title("岗位名称", "title"))
    area_code: str = Field(min_length=6, max_length=15, **_title("岗位所在区划代码", "area code"))
    source: Code = Field(**_title("就业渠道", "source of the job"))
    employer_name: str = Field(min_length=1, max_length=100, **_title("用工单位", "employer"))
    employer_kind: Code = Field("enterprise", **_title("用工单位类型", "kind of employer"))
    work_place: Code = Field("in_county", **_title("务工地点", "place of work"))
    destination: str | None = Field(None, max_length=100, **_title("输出目的地", "destination"))
    skill: str | None = Field(None, max_length=40, **_title("所需技能", "skill"))
    positions: int = Field(1, ge=1, le=100_000, **_title("招聘人数", "positions"))
    monthly_wage: Wage | None = Field(None, **_title("月工资", "monthly wage"))
    station_id: Id | None = Field(None, **_title("发布服务站", "station"))
    posted_on: Day | None = Field(None, **_title("发布日期", "posted on"))


class OpeningPublic(Public):
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


class AcceptBody(Input):
    started_on: Day = Field(default_factory=dt.date.today, **_title("上岗日期", "start date"))


class AcceptForm(AcceptBody):
    """The page names the worker in the form (the API in the path)."""

    worker_id: Id = Field(**_title("劳动力编号", "worker id"))


class CourseCreate(Input):
    title: str = Field(min_length=1, max_length=100, **_title("培训班名称", "course title"))
    course_type: Code = Field(**_title("培训工种", "course type"))
    area_code: str = Field(min_length=6, max_length=15, **_title("举办地区划代码", "area code"))
    hours: int = Field(ge=1, le=2000, **_title("课时", "hours"))
    provider: str = Field(min_length=1, max_length=100, **_title("培训机构", "training provider"))
    starts_on: Day = Field(**_title("开始日期", "start date"))
    ends_on: Day = Field(**_title("结束日期", "end date"))
    station_id: Id | None = Field(None, **_title("服务站", "station"))


class CoursePublic(Public):
    id: int
    title: str
    course_type: str
    area_code: str
    hours: int
    provider: str
    starts_on: dt.date
    ends_on: dt.date
    station_id: int | None


class EnrolBody(Input):
    worker_id: Id = Field(**_title("劳动力编号", "worker id"))


class CompleteBody(Input):
    certified: bool = Field(False, **_title("取得证书", "certified"))


class AttendancePublic(Public):
    id: int
    course_id: int
    worker_id: int
    completed: bool
    certified: bool


class ExportRequest(Input):
    area_code: str | None = Field(None, min_length=6, max_length=15, **_title("区划代码", "area code"))


class JobStarted(BaseModel):
    job_id: str
    url: str
