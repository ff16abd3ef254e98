"""Turn raw cells (spreadsheet, CSV or form) into typed registry values, with a Chinese reason per bad field.

The same function checks an import row, an API body and a page form, so a rule is written once.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from fupin.core.areacodes import AreaCodeError, validate_code
from fupin.registry import vocab
from fupin.registry.fields import FIELD_BY_KEY, Field
from fupin.registry.idnumbers import birth_date_of, sex_of
from fupin.registry.idrules import check_id_number
from fupin.registry.rules import INCOME_FIELDS as INCOME_LABELS
from fupin.registry.rules import income_errors, member_identity_errors, money

_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "参加", "享受"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", "✗", "未参加", "不享受", "没有"}
_DATE_PATTERNS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
_CAUSE_SPLIT = re.compile(r"[、,,;;/\s]+")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_cell(field: Field, value: Any, today: dt.date, required: bool | None = None) -> tuple[Any, str | None]:
    """(typed value, None) or (None, reason). Blank cells give (None, None) unless required."""
    if _blank(value):
        needed = field.required if required is None else required
        return None, (f"{field.header}不能为空" if needed else None)
    kind = field.kind
    if kind == "text":
        text = _text(value)
        if len(text) > field.max_length:
            return None, f"{field.header}超过{field.max_length}个字"
        return text, None
    if kind == "code":
        assert field.vocabulary is not None
        code = vocab.code_of(field.vocabulary, _text(value))
        if code is None:
            options = "、".join(field.vocabulary.values())
            return None, f"“{_text(value)}”不是有效的{field.header}(可选:{options})"
        return code, None
    if kind == "causes":
        codes = []
        for part in _CAUSE_SPLIT.split(_text(value)):
            if not part:
                continue
            code = vocab.code_of(vocab.CAUSES, part)
            if code is None:
                return None, f"“{part}”不是有效的致贫原因"
            if code not in codes:
                codes.append(code)
        return ",".join(codes) or None, None
    if kind == "int":
        try:
            number = Decimal(_text(value))
        except InvalidOperation:
            return None, f"{field.header}“{_text(value)}”不是整数"
        if number != number.to_integral_value():
            return None, f"{field.header}“{_text(value)}”不是整数"
        return int(number), None
    if kind == "money":
        errors = income_errors({field.key: value})
        if errors:
            return None, errors[field.key]
        return money(Decimal(_text(value).replace(",", ""))), None
    if kind == "bool":
        text = _text(value).lower()
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return None, f"{field.header}应填“是”或“否”"
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        text = _text(value)
        for pattern in _DATE_PATTERNS:
            try:
                parsed = dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
            if parsed > today:
                return None, f"{field.header}{parsed.isoformat()}晚于今天"
            return parsed, None
        return None, f"{field.header}“{text}”不是有效日期(例:1990-03-07)"
    if kind == "area":
        try:
            return validate_code(_text(value)), None
        except AreaCodeError as error:
            return None, error.message
    if kind == "id_number":
        result = check_id_number(_text(value), today)
        return (result.number, None) if result.ok else (None, result.error)
    raise ValueError(f"unknown field kind {kind}")


def parse_fields(raw: dict[str, Any], keys: list[str], today: dt.date,
                 required: set[str] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed values and errors; `required` overrides which blank fields are errors (None: the fields' own)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key in keys:
        value = raw.get(key)
        if value is None or value == "":
            # Fast path for the many empty cells of a spreadsheet.
            field = FIELD_BY_KEY[key]
            if field.required if required is None else key in required:
                errors[key] = f"{field.header}不能为空"
            continue
        if type(value) is str and FIELD_BY_KEY[key].kind == "text":
            text = value.strip()
            if text and len(text) <= FIELD_BY_KEY[key].max_length:
                values[key] = text
                continue
        value, error = parse_cell(FIELD_BY_KEY[key], value, today, None if required is None else key in required)
        if error:
            errors[key] = error
        else:
            values[key] = value
    return values, errors


_PERSON_DEFAULTS = (("health", "healthy"), ("labour_capacity", "normal"), ("work_place", "none"),
                    ("medical_insurance", True), ("pension_insurance", False), ("minimum_allowance", False),
                    ("public_funded", False))


def complete_person(values: dict[str, Any], errors: dict[str, str]) -> None:
    """Derive sex and birth date from the ID number and cross-check entered ones; fill sensible defaults."""
    number = values.get("id_number")
    if number is None:
        return
    id_sex, id_birth = sex_of(number), birth_date_of(number)
    if values.get("sex") is not None or values.get("birth_date") is not None:
        for reason in member_identity_errors(id_sex, id_birth, values.get("sex"), values.get("birth_date")):
            errors["sex" if reason.startswith("性别") else "birth_date"] = reason
    values["sex"] = id_sex
    values["birth_date"] = id_birth
    for key, default in _PERSON_DEFAULTS:
        if values.get(key) is None:
            values[key] = default
    grade = values.get("disability_grade")
    if grade is not None and not 1 <= grade <= 4:
        errors["disability_grade"] = "残疾等级应为1-4级"
    if values["health"] == "disabled" and grade is None:
        errors["disability_grade"] = "健康状况为残疾时应填写残疾等级"
    months = values.get("months_worked")
    if months is not None and not 0 <= months <= 12:
        errors["months_worked"] = "务工时间应为0-12个月"


def check_household(values: dict[str, Any], errors: dict[str, str], today: dt.date) -> None:
    year = values.get("registration_year")
    if year is not None and not 2013 <= year <= today.year:
        errors["registration_year"] = f"识别年度应在2013年至{today.year}年之间"
    if values.get("other_causes") and values.get("main_cause"):
        others = [c for c in values["other_causes"].split(",") if c != values["main_cause"]]
        values["other_causes"] = ",".join(others) or None


def check_income(values: dict[str, Any], errors: dict[str, str], today: dt.date) -> bool:
    """True when the row carries income figures (a year and at least one amount)."""
    amounts = [values.get(k) for k in INCOME_LABELS]
    year = values.get("income_year")
    if year is None and all(a is None for a in amounts):
        return False
    if year is None:
        errors["income_year"] = "填写了收入,但缺少收入年度"
        return False
    if not 2013 <= year <= today.year:
        errors["income_year"] = f"收入年度应在2013年至{today.year}年之间"
    return True
