from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from fupin.core.schema_types import CleanStr, Public


class TokenRequest(BaseModel):
    username: str = Field(max_length=64, title="用户名")
    password: str = Field(max_length=256, title="密码")
    label: CleanStr | None = Field(default=None, max_length=120, title="令牌用途")


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: dt.datetime


class TokenInfo(Public):
    id: int
    kind: str
    label: str | None
    created_at: dt.datetime
    expires_at: dt.datetime


class MePublic(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    area_code: str | None
    can_view_pii: bool
    entity_id: int | None = None
    shop_id: int | None = None


class UserCreate(BaseModel):
    username: str = Field(min_length=3, max_length=64, title="用户名")
    password: str = Field(min_length=1, max_length=256, title="密码")
    role: str = Field(max_length=32, title="角色")
    area_code: str | None = Field(default=None, max_length=15, title="管辖区划")
    display_name: CleanStr | None = Field(default=None, max_length=120, title="姓名")
    entity_id: int | None = Field(default=None, ge=1, le=2**31 - 1, title="所属经营主体编号")
    shop_id: int | None = Field(default=None, ge=1, le=2**31 - 1, title="所属爱心超市编号")


class UserUpdate(BaseModel):
    display_name: CleanStr | None = Field(default=None, max_length=120, title="姓名")
    role: str | None = Field(default=None, max_length=32, title="角色")
    area_code: str | None = Field(default=None, max_length=15, title="管辖区划")
    entity_id: int | None = Field(default=None, ge=1, le=2**31 - 1, title="所属经营主体编号")
    shop_id: int | None = Field(default=None, ge=1, le=2**31 - 1, title="所属爱心超市编号")


class PasswordReset(BaseModel):
    password: str | None = Field(default=None, max_length=256, title="新密码")


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=256, title="当前密码")
    new_password: str = Field(min_length=1, max_length=256, title="新密码")


class UserPublic(Public):
    id: int
    username: str
    display_name: str
    role: str
    area_code: str | None
    is_active: bool
    entity_id: int | None = None
    shop_id: int | None = None
    locked_until: dt.datetime | None = None


class PasswordPublic(BaseModel):
    password: str = Field(description="新密码,只显示这一次 / the new password, shown once")


class AuditPublic(Public):
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
