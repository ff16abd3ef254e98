"""Field types every capability's schemas share: text without control characters, exact money."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = "含有不可见的控制字符(如从其他系统复制时带入的字符),请删除后重新填写"


def refuse_control_characters(value: str) -> str:
    """Text as people type it, trimmed; invisible control characters (NUL, escapes …) are refused with a reason
    a cadre understands — they break exports and other systems downstream."""
    if _CONTROL.search(value):
        raise ValueError(CONTROL_MESSAGE)
    return value.strip()


def without_control_characters(value: str) -> str:
    """For output of old data that may hold them: removed, never an error."""
    return _CONTROL.sub("", value)


def nfkc(value: object) -> object:
    """Full-width digits and letters as half-width (what phones and Chinese input methods produce)."""
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value


CleanStr = Annotated[str, AfterValidator(refuse_control_characters)]
# Yuan with 2 decimals, at most 12 digits before the point: beyond that a figure is a typing error, never a 500.
Money = Annotated[Decimal, BeforeValidator(nfkc), Field(max_digits=14, decimal_places=2, ge=0)]



def no_control_characters(value: object) -> object:
    """Text fields refuse control characters (a NUL breaks spreadsheets and some drivers); the message is
    Chinese, the field is named by the schema's title. (A before-validator: the length limits stay string
    limits.)"""
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValueError("不能含有控制字符(如制表符以外的不可见字符)")
    return value


class Input(BaseModel):
    """Base of a schema a caller fills in (API body or page form): no text field may hold control characters."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        return no_control_characters(value)


class Public(BaseModel):
    """Base of a schema the API answers with: read straight from a stored row's attributes."""

    model_config = ConfigDict(from_attributes=True)
