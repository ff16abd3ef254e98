"""Forms are parsed by the API's schemas; validation errors are Chinese sentences naming the field."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from fupin.core.validation import describe
from fupin.web.forms import parse


class Member(BaseModel):
    name: str = Field(min_length=1, max_length=20, title="姓名")
    id_number: str = Field(max_length=18, title="身份证号")


class Household(BaseModel):
    address: str | None = Field(default=None, max_length=10, title="住址")
    year: int = Field(ge=2013, le=2030, title="识别年度")
    water_short_area: bool = Field(default=False, title="缺水地区")
    causes: list[str] = Field(default_factory=list, title="其他致贫原因")
    members: list[Member] = Field(min_length=1, title="家庭成员")
    visited_on: dt.date | None = None


def test_a_good_form_becomes_the_schema_with_nested_rows_checkbox_and_list():
    result = parse({"year": " 2016 ", "address": "", "members.0.name": "张三", "members.0.id_number": "5303",
                    "members.1.name": "", "members.1.id_number": "", "causes": "ill"},
                   Household, {"causes": ["ill", "no_skill", " "]})
    assert result.ok and result.data is not None
    assert result.data.year == 2016 and result.data.address is None and result.data.water_short_area is False
    assert result.data.causes == ["ill", "no_skill"]
    assert [m.name for m in result.data.members] == ["张三"], "an empty repeated row is no row"


def test_errors_name_the_field_in_chinese_and_keep_what_was_typed():
    typed = {"year": "二〇一六", "address": "一二三四五六七八九十十一", "members.0.name": "", "members.0.id_number": "x" * 19,
             "water_short_area": "on", "visited_on": "2024-13-01"}
    result = parse(typed, Household)
    assert not result.ok and result.values["address"] == typed["address"]
    assert result.errors["year"] == "识别年度:应为整数"
    assert result.errors["address"] == "住址:至多10个字符"
    assert result.errors["members.0.id_number"] == "第1名家庭成员的身份证号:至多18个字符"
    assert result.errors["visited_on"].endswith("日期格式应为 2024-01-31")
    assert all("should" not in m and "String" not in m for m in result.errors.values())


def test_a_missing_list_is_named():
    result = parse({"year": "2016"}, Household)
    assert result.errors["members"] == "家庭成员:必填"


def test_english_messages_when_asked():
    errors = describe([{"type": "string_too_long", "loc": ("body", "members", 0, "name"), "msg": "",
                        "ctx": {"max_length": 20}}], Household, locale="en", skip_prefix=1)
    assert errors[0].sentence("en") == "家庭成员 1: 姓名: at most 20 characters"
