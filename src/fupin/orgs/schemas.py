"""The shapes the API and the page forms parse (the same schemas for both), and what they answer."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from fupin.core.areacodes import validate_code
from fupin.core.errors import Invalid
from fupin.core.importing import ImportMode
from fupin.core.schema_types import Public
from fupin.core.sql import MAX_ID


def no_control_characters(value: str) -> str:
    """Control characters (NUL, escape …) are refused at input: they break exports and hide text on screen."""
    if any((ord(c) < 32 and c not in "\t\n\r") or 127 <= ord(c) < 160 for c in value):
        raise ValueError("不能含有控制字符(如从其他系统复制来的不可见字符),请删除后重新填写")
    return value


def _area_code(value: str) -> str:
    try:
        return validate_code(value)
    except Invalid as error:
        raise ValueError(error.message) from None


# A key the databases can hold (ids above it are refused here, never handed to the driver).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(no_control_characters)]
AreaCode = Annotated[str, StringConstraints(strip_whitespace=True, max_length=15), AfterValidator(_area_code)]


class OrgCreate(BaseModel):
    name: Annotated[Text, Field(min_length=1, max_length=120, title="党组织名称")]
    org_type: Annotated[str, Field(max_length=32, title="组织类型")]
    area_code: Annotated[AreaCode, Field(title="所在区划")]
    base_kind: Annotated[str, Field(max_length=20, title="组建依托")]
    founded_on: Annotated[dt.date, Field(title="成立日期")]
    parent_id: Annotated[Id | None, Field(title="上级党组织")] = None
    base_name: Annotated[Text | None, Field(max_length=120, title="依托名称")] = None
    site_id: Annotated[Id | None, Field(title="安置点编号")] = None
    destination: Annotated[Text | None, Field(max_length=120, title="务工地")] = None
    origin_county_code: Annotated[str | None, Field(max_length=6, title="党员来源县")] = None
    secretary_name: Annotated[Text | None, Field(max_length=60, title="书记")] = None


class OrgUpdate(BaseModel):
    """An organisation's description corrected or changed (its parent and area change through `move`, its end
    through `dissolve`); `version` is the one the form was read at."""

    version: Annotated[int, Field(ge=0, le=2**31 - 1, title="版本")]
    name: Annotated[Text, Field(min_length=1, max_length=120, title="党组织名称")]
    org_type: Annotated[str, Field(max_length=32, title="组织类型")]
    base_kind: Annotated[str, Field(max_length=20, title="组建依托")]
    founded_on: Annotated[dt.date, Field(title="成立日期")]
    base_name: Annotated[Text | None, Field(max_length=120, title="依托名称")] = None
    destination: Annotated[Text | None, Field(max_length=120, title="务工地")] = None
    origin_county_code: Annotated[str | None, Field(max_length=6, title="党员来源县")] = None
    secretary_name: Annotated[Text | None, Field(max_length=60, title="书记")] = None


class MemberManager(BaseModel):
    """The organisation that manages a floating member where he now lives (none: his own branch does)."""

    managing_org_id: Annotated[Id | None, Field(title="管理党组织")] = None


class OrgMove(BaseModel):
    parent_id: Annotated[Id | None, Field(title="新的上级组织")] = None
    area_code: Annotated[AreaCode | None, Field(title="新的所在区划")] = None
    day: Annotated[dt.date | None, Field(title="调整日期")] = None
    note: Annotated[Text | None, Field(max_length=500, title="说明")] = None


class OrgDissolve(BaseModel):
    day: Annotated[dt.date, Field(title="撤销日期")]
    note: Annotated[Text | None, Field(max_length=500, title="说明")] = None


class OrgPublic(Public):
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


class OrgEventPublic(Public):
    kind: str
    happened_on: dt.date
    from_parent_id: int | None
    to_parent_id: int | None
    from_area_code: str | None
    to_area_code: str | None
    note: str | None
    actor_name: str


class MemberCreate(BaseModel):
    name: Annotated[Text, Field(min_length=1, max_length=60, title="党员姓名")]
    org_id: Annotated[Id, Field(title="所属党组织")]
    area_code: Annotated[AreaCode | None, Field(title="所在区划")] = None
    person_id: Annotated[Id | None, Field(title="建档立卡人员编号")] = None
    is_floating: Annotated[bool, Field(title="流动党员")] = False
    current_location: Annotated[Text | None, Field(max_length=120, title="现所在地")] = None
    managing_org_id: Annotated[Id | None, Field(title="管理党组织")] = None
    is_central_household: Annotated[bool, Field(title="党员中心户")] = False
    joined_on: Annotated[dt.date | None, Field(title="入党日期")] = None


class MemberPublic(Public):
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
    name: Annotated[Text, Field(min_length=1, max_length=60, title="干部姓名")]
    work_unit: Annotated[Text, Field(min_length=1, max_length=120, title="帮扶单位")]
    rank: Annotated[str, Field(max_length=16, title="职级")]
    post: Annotated[str, Field(max_length=24, title="职务")]
    area_code: Annotated[AreaCode, Field(title="派驻区划")]
    active_from: Annotated[dt.date, Field(title="到岗日期")]
    active_to: Annotated[dt.date | None, Field(title="离岗日期")] = None
    is_party_member: Annotated[bool, Field(title="是否党员")] = True
    phone: Annotated[str | None, Field(max_length=20, pattern=r"^[0-9+\- ]*$", title="联系电话")] = None


class CadreUpdate(BaseModel):
    """A cadre's record corrected or changed (his dates change through `end`, his pairs through pairing)."""

    version: Annotated[int, Field(ge=0, le=2**31 - 1, title="版本")]
    name: Annotated[Text, Field(min_length=1, max_length=60, title="干部姓名")]
    work_unit: Annotated[Text, Field(min_length=1, max_length=120, title="帮扶单位")]
    rank: Annotated[str, Field(max_length=16, title="职级")]
    post: Annotated[str, Field(max_length=24, title="职务")]
    is_party_member: Annotated[bool, Field(title="是否党员")] = False
    phone: Annotated[str | None, Field(max_length=20, pattern=r"^[0-9+\- ]*$", title="联系电话")] = None
    account: Annotated[Text | None, Field(max_length=64, title="登录账号")] = None


class CadreEnd(BaseModel):
    day: Annotated[dt.date, Field(title="离岗日期")]


class CadrePublic(Public):
    """A cadre as the caller may see him: the phone masked unless the role sees phones in full."""

    id: int
    name: str
    work_unit: str
    rank: str
    post: str
    area_code: str
    is_party_member: bool
    active_from: dt.date
    active_to: dt.date | None
    phone: str | None = None


class ImportRequest(BaseModel):
    kind: Annotated[Literal["cadres", "members"], Field(title="导入内容")] = "cadres"
    mode: Annotated[ImportMode, Field(title="方式")] = ImportMode.all_or_nothing


class AreaRequest(BaseModel):
    """An export or computation over one area of the caller's scope (the caller's own area when omitted)."""

    area: Annotated[AreaCode | None, Field(title="区划")] = None
