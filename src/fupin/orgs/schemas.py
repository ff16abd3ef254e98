from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class OrgCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    org_type: str
    area_code: str = Field(min_length=12, max_length=15)
    base_kind: str
    founded_on: dt.date
    parent_id: int | None = None
    base_name: str | None = Field(default=None, max_length=120)
    site_id: int | None = None
    destination: str | None = Field(default=None, max_length=120)
    origin_county_code: str | None = Field(default=None, max_length=6)
    secretary_name: str | None = Field(default=None, max_length=60)


class OrgMove(BaseModel):
    parent_id: int | None
    area_code: str | None = None
    day: dt.date | None = None
    note: str | None = Field(default=None, max_length=500)


class OrgDissolve(BaseModel):
    day: dt.date
    note: str | None = Field(default=None, max_length=500)


class OrgPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    org_type: str
    parent_id: int | None
    area_code: str
    base_kind: str
    base_name: str | None
    site_id: int | None
    destination: str | None
    origin_county_code: str | None
    founded_on: dt.date
    dissolved_on: dt.date | None
    secretary_name: str | None


class OrgNode(OrgPublic):
    children: list[OrgNode] = []


class OrgEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    happened_on: dt.date
    from_parent_id: int | None
    to_parent_id: int | None
    from_area_code: str | None
    to_area_code: str | None
    note: str | None
    actor_name: str


class MemberCreate(BaseModel):
    name: str = Field(min_length=1, max_length=60)
    org_id: int
    area_code: str | None = None
    person_id: int | None = None
    is_floating: bool = False
    current_location: str | None = Field(default=None, max_length=120)
    managing_org_id: int | None = None
    is_central_household: bool = False
    joined_on: dt.date | None = None


class MemberPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int | None
    name: str
    org_id: int
    area_code: str
    is_floating: bool
    current_location: str | None
    managing_org_id: int | None
    is_central_household: bool


class CadreCreate(BaseModel):
    name: str = Field(min_length=1, max_length=60)
    work_unit: str = Field(min_length=1, max_length=120)
    rank: str
    post: str
    area_code: str
    active_from: dt.date
    active_to: dt.date | None = None
    is_party_member: bool = True
    phone: str | None = Field(default=None, max_length=20)


class CadrePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    work_unit: str
    rank: str
    post: str
    area_code: str
    is_party_member: bool
    active_from: dt.date
    active_to: dt.date | None
