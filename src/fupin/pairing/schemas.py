from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, Field


class PairCreate(BaseModel):
    household_id: int
    cadre_id: int
    started_on: dt.date | None = None


class PairEnd(BaseModel):
    reason: str = Field(min_length=1, max_length=200)
    day: dt.date | None = None


class PlanRequest(BaseModel):
    area: str | None = None


class OrgPairCreate(BaseModel):
    helper_org_id: int
    helped_org_id: int
    form: str = "1+1"
    started_on: dt.date


class OrgHelpCreate(BaseModel):
    delivered_on: dt.date
    funds: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    project: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=500)
