from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class TokenRequest(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=256)


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: dt.datetime


class MePublic(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    area_code: str | None
    can_view_pii: bool


class UserCreate(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(min_length=1, max_length=256)
    role: str
    area_code: str | None = None
    display_name: str | None = Field(default=None, max_length=120)


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: str
    area_code: str | None
    is_active: bool


class AuditPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: dt.datetime
    actor_id: int | None
    actor_name: str
    actor_role: str
    action: str
    entity: str
    entity_id: str | None
    area_code: str | None
    changes: dict[str, Any] | None
