from __future__ import annotations

from pydantic import BaseModel, Field

from fupin.core.schema_types import CleanStr, Public


class AreaPublic(Public):
    code: str
    name: str
    level: str
    parent_code: str | None
    region: str | None


class AreaNode(AreaPublic):
    children: list[AreaNode] = []


class GroupCreate(BaseModel):
    name: CleanStr = Field(min_length=1, max_length=60, title="村民小组名称")
