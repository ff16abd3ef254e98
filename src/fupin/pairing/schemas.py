from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from fupin.orgs.schemas import AreaCode, Id, Text


class PairCreate(BaseModel):
    household_id: Annotated[Id, Field(title="贫困户")]
    cadre_id: Annotated[Id, Field(title="帮扶干部")]
    started_on: Annotated[dt.date | None, Field(title="开始日期")] = None


class PairEnd(BaseModel):
    reason: Annotated[Text, Field(min_length=1, max_length=200, title="结束原因")]
    day: Annotated[dt.date | None, Field(title="结束日期")] = None


class PlanRequest(BaseModel):
    area: Annotated[AreaCode | None, Field(title="区划")] = None


class OrgPairCreate(BaseModel):
    helper_org_id: Annotated[Id, Field(title="帮扶党组织")]
    helped_org_id: Annotated[Id, Field(title="受援党组织")]
    form: Annotated[str, Field(max_length=8, title="共建形式")] = "1+1"
    started_on: Annotated[dt.date, Field(title="开始日期")]


class OrgHelpCreate(BaseModel):
    delivered_on: Annotated[dt.date, Field(title="落实日期")]
    funds: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2, allow_inf_nan=False, title="资金(元)")]
    project: Annotated[Text | None, Field(max_length=200, title="项目")] = None
    note: Annotated[Text | None, Field(max_length=500, title="备注")] = None
