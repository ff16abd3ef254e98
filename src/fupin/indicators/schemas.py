"""Pydantic schemas of the indicators capability: the API bodies and the page forms parse with the same ones."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

YEAR_MIN, YEAR_MAX = 2000, 2100
COUNT_MAX = 10_000_000  # a sample of households: far above any county, far below an integer overflow

AreaCode = str
ReportFormat = Literal["md", "docx", "xlsx"]


class ReportRequest(BaseModel):
    """A report of an area for a year: the narrative work summary (.md/.docx) or the indicator workbook (.xlsx)."""

    area: AreaCode | None = Field(default=None, max_length=15, title="区划代码",
                                  json_schema_extra={"title_en": "area code"})
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX, title="年度", json_schema_extra={"title_en": "year"})
    format: ReportFormat = Field(default="docx", title="报表格式", json_schema_extra={"title_en": "format"})


class JobAccepted(BaseModel):
    job_id: str
    status_url: str


class ExitStepCreate(BaseModel):
    area: AreaCode = Field(min_length=1, max_length=15, title="区划代码", json_schema_extra={"title_en": "area code"})
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX, title="评估年度", json_schema_extra={"title_en": "year"})
    step: str = Field(min_length=1, max_length=16, title="步骤", json_schema_extra={"title_en": "step"})
    happened_on: dt.date = Field(title="步骤日期", json_schema_extra={"title_en": "date of the step"})
    note: str | None = Field(default=None, max_length=500, title="步骤说明", json_schema_extra={"title_en": "note"})


class ExitStepPublic(BaseModel):
    id: int
    area: str
    year: int
    status: str
    passed: bool
    reasons: list[str]


def _household_count(zh: str, en: str) -> Any:
    """A number of households in the exit survey's sample (the Field, titled for error messages)."""
    return Field(ge=0, le=COUNT_MAX, title=zh, json_schema_extra={"title_en": en})


class ExitSurveyCreate(BaseModel):
    area: AreaCode = Field(min_length=1, max_length=15, title="区划代码", json_schema_extra={"title_en": "area code"})
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX, title="评估年度", json_schema_extra={"title_en": "year"})
    sampled_exited: int = _household_count("抽查已脱贫户数", "exited households sampled")
    wrong_exits: int = _household_count("其中错退户数", "of them wrongly exited")
    sampled_households: int = _household_count("抽查农户数", "households sampled")
    missed_registrations: int = _household_count("其中漏评户数", "of them missed")
    approval_asked: int = _household_count("认可度调查户数", "households asked")
    approval_yes: int = _household_count("其中认可户数", "of them approving")
    surveyed_on: dt.date = Field(title="调查日期", json_schema_extra={"title_en": "survey date"})
    surveyor: str = Field(min_length=1, max_length=120, title="调查单位", json_schema_extra={"title_en": "surveyor"})


class SurveyPublic(BaseModel):
    id: int


SURVEY_COUNTS = ("sampled_exited", "wrong_exits", "sampled_households", "missed_registrations", "approval_asked",
                 "approval_yes")
