"""Pydantic schemas of services: the API bodies and the page forms parse with the same ones."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field
from pydantic.dataclasses import dataclass

from fupin.core.schema_types import Public
from fupin.core.sql import MAX_ID
from fupin.services.queries import GridHousehold
from fupin.services.rules import RequestFigures

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
SmallId = Annotated[int, Field(ge=1, le=2**31 - 1)]


def _title(zh: str, en: str) -> dict:
    return {"title": zh, "json_schema_extra": {"title_en": en}}


# ---------------------------------------------------------------- requests


class RequestCreate(BaseModel):
    household_id: Id = Field(**_title("户ID", "household id"))
    category: str = Field(min_length=1, max_length=24, **_title("诉求类别", "category"))
    description: str = Field(min_length=2, max_length=1000, **_title("诉求内容", "what is asked"))
    filed_via: str | None = Field(default=None, max_length=16, **_title("诉求来源", "filed by"))
    attachments: str | None = Field(default=None, max_length=1000, **_title("附件(编号或链接)", "attachments"))


class RequestPublic(Public):
    id: int
    household_id: int
    area_code: str
    category_code: str
    description: str
    attachments: str | None
    filed_via: str
    filed_by: str
    filed_on: dt.date
    deadline_days: int
    due_on: dt.date
    status: str
    handler: str | None
    assigned_on: dt.date | None
    done_on: dt.date | None
    one_visit: bool | None
    result: str | None
    confirmed_on: dt.date | None
    satisfaction: str | None
    reopened: int
    escalation_level: int
    escalated_to: str | None
    version: int


class AssignForm(BaseModel):
    handler: str = Field(min_length=1, max_length=120, **_title("承办人或承办单位", "handled by"))
    note: str | None = Field(default=None, max_length=300, **_title("交办说明", "note"))
    version: int | None = Field(default=None, ge=1, le=2**31 - 1, **_title("版本", "version"))


class CompleteForm(BaseModel):
    result: str = Field(min_length=1, max_length=500, **_title("办理结果", "what was done"))
    one_visit: bool = Field(default=False, **_title("最多跑一次(群众至多跑一趟)", "done in at most one visit"))
    done_on: dt.date | None = Field(default=None, **_title("办结日期", "date done"))
    version: int | None = Field(default=None, ge=1, le=2**31 - 1, **_title("版本", "version"))


class ConfirmForm(BaseModel):
    satisfaction: str = Field(min_length=1, max_length=16, **_title("满意度", "satisfaction"))
    note: str | None = Field(default=None, max_length=300, **_title("群众意见", "the household's words"))
    version: int | None = Field(default=None, ge=1, le=2**31 - 1, **_title("版本", "version"))


class ReopenForm(BaseModel):
    reason: str = Field(min_length=1, max_length=300, **_title("重新办理原因", "why it is reopened"))
    version: int | None = Field(default=None, ge=1, le=2**31 - 1, **_title("版本", "version"))


class EventPublic(Public):
    move: str
    from_status: str | None
    to_status: str
    happened_at: dt.datetime
    actor_name: str
    note: str | None


class EscalationPublic(BaseModel):
    request_id: int
    level: int
    escalated_to: str


@dataclass(frozen=True)
class _Period:
    start: dt.date
    end: dt.date


# The period, then the figures the rules count: a figure the rules add is answered too.
@dataclass(frozen=True)
class FiguresPublic(RequestFigures, _Period):
    pass


class CategoryPublic(Public):
    code: str
    name: str
    deadline_days: int
    active: bool


class CategorySet(BaseModel):
    name: str = Field(min_length=1, max_length=40, **_title("类别名称", "name"))
    deadline_days: int = Field(ge=1, le=90, **_title("办理时限(天)", "deadline (days)"))
    active: bool = Field(default=True, **_title("启用", "in use"))


class ClaimLimitSet(BaseModel):
    limit: int = Field(ge=1, le=20, **_title("每名党员同时认领心愿数上限", "open claims per member"))


# ---------------------------------------------------------------- wishes


class WishCreate(BaseModel):
    household_id: Id = Field(**_title("户ID", "household id"))
    title: str = Field(min_length=2, max_length=100, **_title("心愿", "wish"))
    description: str | None = Field(default=None, max_length=500, **_title("说明", "description"))


class WishPublic(Public):
    id: int
    household_id: int
    area_code: str
    title: str
    description: str | None
    posted_on: dt.date
    status: str
    member_id: int | None
    claimer_name: str | None
    claimed_on: dt.date | None
    fulfilled_on: dt.date | None
    evidence: str | None
    version: int


class ClaimForm(BaseModel):
    member_id: Id | None = Field(default=None, **_title("认领党员", "claiming Party member"))
    unit_name: str | None = Field(default=None, max_length=120, **_title("结对单位", "paired unit"))


class FulfilForm(BaseModel):
    fulfilled_on: dt.date | None = Field(default=None, **_title("实现日期", "date fulfilled"))
    evidence: str = Field(min_length=1, max_length=500, **_title("实现情况(照片编号、收据或说明)", "evidence"))


# ---------------------------------------------------------------- mutual aid


class TeamCreate(BaseModel):
    household_id: Id = Field(**_title("务工人员家庭户ID", "the worker's household id"))
    name: str = Field(min_length=2, max_length=100, **_title("互助组名称", "team name"))
    worker_name: str | None = Field(default=None, max_length=60, **_title("外出务工人员", "migrant worker"))
    migrant_org_id: Id | None = Field(default=None, **_title("流动党员党支部", "migrant Party branch"))
    members: list[Annotated[str, Field(max_length=60)]] = Field(default_factory=list, max_length=30,
                                                                **_title("互助组成员", "members"))


class TeamMemberCreate(BaseModel):
    name: str = Field(min_length=1, max_length=60, **_title("成员姓名", "name"))
    member_id: Id | None = Field(default=None, **_title("党员编号", "Party member id"))


class DutyCreate(BaseModel):
    kind: str = Field(min_length=1, max_length=20, **_title("互助事项", "duty"))
    helper_id: Id = Field(**_title("承担人", "helper"))
    due_on: dt.date = Field(**_title("完成期限", "due"))
    description: str | None = Field(default=None, max_length=300, **_title("说明", "description"))


class DutyClose(BaseModel):
    outcome: str = Field(min_length=1, max_length=12, **_title("结果", "outcome"))
    on: dt.date | None = Field(default=None, **_title("日期", "date"))
    note: str | None = Field(default=None, max_length=300, **_title("说明", "note"))


class TeamPublic(Public):
    id: int
    area_code: str
    name: str
    household_id: int
    worker_name: str | None
    migrant_org_id: int | None
    formed_on: dt.date


class TeamMemberPublic(Public):
    id: int
    team_id: int
    name: str
    member_id: int | None


class DutyPublic(Public):
    id: int
    team_id: int
    kind: str
    description: str | None
    helper_id: int
    due_on: dt.date
    status: str
    closed_on: dt.date | None
    note: str | None


# ---------------------------------------------------------------- the grid leader


class GridLeaderBind(BaseModel):
    grid_id: SmallId = Field(**_title("网格编号", "grid id"))


class GridLeaderPublic(Public):
    user_id: int
    grid_id: int
    area_code: str


# A household of the grid leader's day, field for field as the query reads it.
@dataclass
class GridHouseholdPublic(GridHousehold):
    pass
