from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class AreaPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    level: str
    parent_code: str | None
    region: str | None


class AreaNode(AreaPublic):
    children: list[AreaNode] = []
