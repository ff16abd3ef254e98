"""Schemas of industry: the API and the page forms parse with the same models (titles name the fields)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from fupin.core.schema_types import CleanStr, Public
from fupin.core.sql import MAX_ID

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2100, 12, 31))]
Amount = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]
Code = Annotated[CleanStr, Field(max_length=24)]
AreaCode = Annotated[CleanStr, Field(max_length=15)]
Year = Annotated[int, Field(ge=2000, le=2100)]


def _title(zh: str, en: str) -> dict[str, object]:
    return {"title": zh, "json_schema_extra": {"title_en": en}}


class EntityCreate(BaseModel):
    name: Annotated[CleanStr, Field(min_length=1, max_length=100)] = Field(**_title("名称", "name"))
    kind: Code = Field("cooperative", **_title("主体类型", "kind"))
    industry: Code = Field("other", **_title("产业", "industry"))
    area_code: AreaCode = Field(**_title("所在区划", "area"))
    credit_code: Annotated[CleanStr, Field(max_length=40)] | None = Field(
        None, **_title("统一社会信用代码", "unified social credit code"))
    led_by_org_id: Id | None = Field(None, **_title("领办党组织编号", "leading Party organisation"))
    upstream_id: Id | None = Field(None, **_title("上游主体编号", "upstream entity"))
    founded_on: Day | None = Field(None, **_title("成立日期", "founded on"))
    note: Annotated[CleanStr, Field(max_length=500)] | None = Field(None, **_title("备注", "note"))


class EntityUpdate(BaseModel):
    """Fields left out (None) stay as they are."""

    name: Annotated[CleanStr, Field(min_length=1, max_length=100)] | None = Field(None, **_title("名称", "name"))
    industry: Code | None = Field(None, **_title("产业", "industry"))
    credit_code: Annotated[CleanStr, Field(max_length=40)] | None = Field(
        None, **_title("统一社会信用代码", "unified social credit code"))
    led_by_org_id: Id | None = Field(None, **_title("领办党组织编号", "leading Party organisation"))
    upstream_id: Id | None = Field(None, **_title("上游主体编号", "upstream entity"))
    note: Annotated[CleanStr, Field(max_length=500)] | None = Field(None, **_title("备注", "note"))


class EntityPublic(Public):
    id: int
    name: str
    kind: str
    industry: str
    area_code: str
    credit_code: str | None
    led_by_org_id: int | None
    upstream_id: int | None
    founded_on: dt.date | None
    note: str | None


class JobOffer(BaseModel):
    title: Annotated[CleanStr, Field(min_length=1, max_length=100)] = Field(**_title("岗位名称", "job title"))
    positions: int = Field(1, ge=1, le=100_000, **_title("招聘人数", "positions"))
    monthly_wage: Amount | None = Field(None, ge=0, **_title("月工资(元)", "monthly wage"))
    skill: Annotated[CleanStr, Field(max_length=40)] | None = Field(None, **_title("技能要求", "skill"))


class MembershipCreate(BaseModel):
    household_id: Id | None = Field(None, **_title("户编号(系统)", "household id"))
    collective_area_code: AreaCode | None = Field(None, **_title("村集体(村代码)", "village collective"))
    link_kind: Code = Field("share", **_title("联结方式", "kind of link"))
    shares: Amount = Field(Decimal("0"), ge=0, **_title("股份", "shares"))
    joined_on: Day = Field(**_title("加入日期", "joined on"))


class MembershipEnd(BaseModel):
    left_on: Day = Field(**_title("退出日期", "left on"))


class MembershipPublic(Public):
    id: int
    entity_id: int
    household_id: int | None
    area_code: str
    link_kind: str
    shares: Decimal
    joined_on: dt.date
    left_on: dt.date | None


class LandContractCreate(BaseModel):
    household_id: Id = Field(**_title("户编号(系统)", "household id"))
    plots: Annotated[CleanStr, Field(max_length=200)] | None = Field(None, **_title("地块", "plots"))
    area_mu: Annotated[Decimal, Field(max_digits=12, decimal_places=2)] = Field(**_title("面积(亩)", "area (mu)"))
    rent_per_mu: Amount = Field(ge=0, **_title("每亩年租金(元)", "rent per mu and year"))
    starts_on: Day = Field(**_title("开始日期", "starts on"))
    ends_on: Day = Field(**_title("结束日期", "ends on"))


class LandContractPublic(Public):
    id: int
    entity_id: int
    household_id: int
    area_code: str
    plots: str | None
    area_mu: Decimal
    rent_per_mu: Decimal
    starts_on: dt.date
    ends_on: dt.date


class RentPaymentCreate(BaseModel):
    year: Year = Field(**_title("年度", "year"))
    paid: Amount = Field(ge=0, **_title("实付租金(元)", "rent paid"))
    paid_on: Day = Field(**_title("支付日期", "paid on"))


class RunCreate(BaseModel):
    period: Annotated[CleanStr, Field(min_length=4, max_length=20)] = Field(**_title("分配期间", "period"))
    total: Amount = Field(**_title("分配总额", "total"))
    unit: Code = Field("yuan", **_title("分配单位", "unit"))
    enterprise_percent: Annotated[Decimal, Field(max_digits=5, decimal_places=2)] = Field(
        Decimal("40"), **_title("企业分成比例(%)", "enterprise's percentage"))
    village_basis: Code = Field("registered_households", **_title("各村分配依据", "basis among villages"))
    inside_village: Code = Field("below_first", **_title("村内分配方式", "split inside a village"))
    household_cap: Amount | None = Field(None, ge=0, **_title("每户补助上限", "cap per household"))
    income_field: Code = Field("property_income", **_title("计入收入项", "income field"))
    area_code: AreaCode | None = Field(None, **_title("参与分配的区域(乡镇)", "area of the villages"))
    corrects_id: Id | None = Field(None, **_title("更正的分配编号", "corrected run"))


class RunPublic(Public):
    id: int
    entity_id: int
    period: str
    year: int
    unit: str
    total: Decimal
    enterprise_percent: Decimal
    village_basis: str
    inside_village: str
    household_cap: Decimal | None
    income_field: str
    status: str
    corrects_id: int | None


class CollectiveIncomeCreate(BaseModel):
    area_code: AreaCode = Field(**_title("村", "village"))
    year: Year = Field(**_title("年度", "year"))
    source: Code = Field("operation", **_title("收入来源", "source"))
    amount: Amount = Field(ge=0, **_title("金额(元)", "amount"))
    note: Annotated[CleanStr, Field(max_length=200)] | None = Field(None, **_title("备注", "note"))
