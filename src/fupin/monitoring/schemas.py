"""Pydantic schemas of monitoring: the API bodies and the page forms parse with the same ones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from fupin.core.schema_types import Public
from fupin.core.sql import MAX_ID

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _title(zh: str, en: str) -> dict:
    return {"title": zh, "json_schema_extra": {"title_en": en}}


class MonitoredCreate(BaseModel):
    household_id: Id = Field(**_title("监测户", "household"))
    monitor_type: str = Field(min_length=1, max_length=16, **_title("监测对象类型", "monitoring type"))
    risk_types: list[Annotated[str, Field(max_length=20)]] = Field(max_length=11, **_title("风险类型", "risks"))
    channel: str = Field(min_length=1, max_length=20, **_title("发现途径", "how the clue was found"))
    clue_on: dt.date = Field(**_title("发现线索日期", "date of the first clue"))
    note: str | None = Field(default=None, max_length=500, **_title("备注", "note"))


class MonitoredPublic(Public):
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
    step: str = Field(min_length=1, max_length=24, **_title("认定步骤", "step"))
    happened_on: dt.date = Field(**_title("日期", "date"))
    note: str | None = Field(default=None, max_length=500, **_title("说明", "note"))


class StepPublic(Public):
    id: int
    step: str
    happened_on: dt.date
    note: str | None
    actor_name: str


class ClearBody(BaseModel):
    cleared_on: dt.date = Field(**_title("风险消除日期", "date the risk was cleared"))
    version: int | None = Field(default=None, ge=1, le=2**31 - 1, **_title("版本", "version"))
    note: str | None = Field(default=None, max_length=200, **_title("说明", "note"))


class MeasureForm(BaseModel):
    """A help measure for a monitored household (the registry records it; these are the fields its page asks)."""

    measure_type: str = Field(min_length=1, max_length=32, **_title("措施", "measure"))
    delivered_on: dt.date = Field(**_title("落实日期", "date delivered"))
    amount: Decimal | None = Field(default=None, ge=0, le=Decimal("1000000000"), max_digits=14, decimal_places=2,
                                   allow_inf_nan=False, **_title("金额(元)", "amount (yuan)"))
    description: str | None = Field(default=None, max_length=500, **_title("说明", "description"))
    helper_name: str | None = Field(default=None, max_length=60, **_title("帮扶人", "helper"))


class MeasurePublic(Public):
    id: int
    household_id: int
    measure_type: str
    delivered_on: dt.date
    amount: Decimal | None
    description: str | None
    helper_name: str | None


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
    amount: Decimal = Field(gt=0, le=Decimal("1000000"), max_digits=10, decimal_places=2, allow_inf_nan=False,
                            **_title("监测标准(元/人·年)", "threshold (yuan per person and year)"))
    province_code: str = Field(default="00", min_length=2, max_length=2, pattern=r"^\d{2}$",
                               **_title("省级代码", "province code"))
    note: str | None = Field(default=None, max_length=200, **_title("说明", "note"))


class ThresholdForm(ThresholdSet):
    """The thresholds page's form: a year's monitoring threshold, national ("00") or a province's."""

    year: int = Field(ge=2021, le=2100, **_title("年度", "year"))


class PovertyLineForm(BaseModel):
    """The thresholds page's form for a year's poverty line (扶贫标准, kept by the registry)."""

    year: int = Field(ge=2013, le=2100, **_title("年度", "year"))
    amount: Decimal = Field(gt=0, le=Decimal("1000000"), max_digits=10, decimal_places=2, allow_inf_nan=False,
                            **_title("扶贫标准(元/人·年)", "poverty line (yuan per person and year)"))
    province_code: str = Field(default="00", min_length=2, max_length=2, pattern=r"^\d{2}$",
                               **_title("省级代码", "province code"))
    note: str | None = Field(default=None, max_length=200, **_title("说明", "note"))
