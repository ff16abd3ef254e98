"""One translation of Pydantic's validation errors into Chinese (and English) sentences that name the field.

Pages and the API use it alike: a cadre reads "身份证号:至多18个字符", never "String should have at most 18
characters". The field's name comes from the schema (`Field(title="身份证号")`), else from the shared labels
below, else the field's own name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

# Field names used across capabilities, for schemas that give no title.
COMMON_LABELS: dict[str, tuple[str, str]] = {
    "id_number": ("身份证号", "ID number"),
    "name": ("姓名", "name"),
    "phone": ("联系电话", "phone"),
    "area_code": ("所在区划", "area"),
    "address": ("住址", "address"),
    "relation": ("与户主关系", "relation to the head"),
    "sex": ("性别", "sex"),
    "birth_date": ("出生日期", "birth date"),
    "year": ("年度", "year"),
    "members": ("家庭成员", "members"),
    "household_no": ("户编号", "household number"),
    "poverty_attribute": ("贫困户属性", "poverty attribute"),
    "main_cause": ("主要致贫原因", "main cause"),
    "other_causes": ("其他致贫原因", "other causes"),
    "registration_year": ("识别年度", "year of registration"),
    "note": ("备注", "note"),
    "reason": ("原因", "reason"),
    "amount": ("金额", "amount"),
    "happened_on": ("日期", "date"),
    "visited_on": ("走访日期", "visit date"),
    "checked_on": ("核查日期", "check date"),
    "delivered_on": ("落实日期", "date delivered"),
    "started_on": ("开始日期", "start date"),
    "ended_on": ("结束日期", "end date"),
    "username": ("用户名", "username"),
    "password": ("密码", "password"),
    "role": ("角色", "role"),
    "version": ("版本", "version"),
    "description": ("说明", "description"),
    "title": ("标题", "title"),
    "category": ("类别", "category"),
    "quantity": ("数量", "quantity"),
    "points": ("积分", "points"),
}

_ZH: dict[str, str] = {
    "missing": "必填",
    "string_too_short": "至少{min_length}个字符",
    "string_too_long": "至多{max_length}个字符",
    "too_short": "至少{min_length}项",
    "too_long": "至多{max_length}项",
    "greater_than": "应大于{gt}",
    "greater_than_equal": "应不小于{ge}",
    "less_than": "应小于{lt}",
    "less_than_equal": "应不大于{le}",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_digits": "数字位数过多(至多{max_digits}位)",
    "decimal_max_places": "小数至多{decimal_places}位",
    "decimal_whole_digits": "整数部分位数过多",
    "finite_number": "应为有限的数字",
    "date_parsing": "日期格式应为 2024-01-31",
    "date_from_datetime_parsing": "日期格式应为 2024-01-31",
    "date_type": "日期格式应为 2024-01-31",
    "date_from_datetime_inexact": "日期格式应为 2024-01-31",
    "datetime_parsing": "时间格式应为 2024-01-31T08:00",
    "bool_parsing": "应为“是”或“否”",
    "bool_type": "应为“是”或“否”",
    "literal_error": "应为以下之一:{expected}",
    "enum": "应为以下之一:{expected}",
    "string_pattern_mismatch": "格式不正确",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "格式不正确",
    "model_type": "格式不正确",
    "model_attributes_type": "格式不正确",
    "extra_forbidden": "不是可填写的项目",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "url_parsing": "不是有效的网址",
    "uuid_parsing": "不是有效的编号",
    "value_error": "{reason}",
    "assertion_error": "{reason}",
}
_EN: dict[str, str] = {
    "missing": "required",
    "string_too_short": "at least {min_length} characters",
    "string_too_long": "at most {max_length} characters",
    "too_short": "at least {min_length} items",
    "too_long": "at most {max_length} items",
    "greater_than": "must be greater than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "decimal_parsing": "must be a number",
    "date_parsing": "date as 2024-01-31",
    "date_from_datetime_parsing": "date as 2024-01-31",
    "date_type": "date as 2024-01-31",
    "bool_parsing": "yes or no",
    "literal_error": "one of: {expected}",
    "enum": "one of: {expected}",
    "string_pattern_mismatch": "wrong format",
    "value_error": "{reason}",
}


@dataclass(frozen=True)
class FieldError:
    field: str  # dotted path as the form names it: "members.0.id_number"
    label: str  # what the user reads: "第1名家庭成员的身份证号"
    message: str  # "至多18个字符"

    def sentence(self, locale: str = "zh") -> str:
        if not self.label:
            return self.message
        return f"{self.label}: {self.message}" if locale == "en" else f"{self.label}:{self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "label": self.label, "message": self.message}


def _label_of(model: type[BaseModel] | None, name: str, locale: str) -> str:
    if model is not None:
        info = model.model_fields.get(name)
        if info is not None and info.title:
            if locale == "en" and info.json_schema_extra and isinstance(info.json_schema_extra, dict):
                english = info.json_schema_extra.get("title_en")
                if isinstance(english, str):
                    return english
            return info.title
    common = COMMON_LABELS.get(name)
    if common is not None:
        return common[1] if locale == "en" else common[0]
    return name


def _nested_model(model: type[BaseModel] | None, name: str) -> type[BaseModel] | None:
    if model is None:
        return None
    info = model.model_fields.get(name)
    if info is None:
        return None
    annotation: Any = info.annotation
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        for inner in (candidate, *getattr(candidate, "__args__", ())):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


def label_for(location: tuple[Any, ...], model: type[BaseModel] | None, locale: str = "zh") -> str:
    """"members.0.id_number" → "第1名家庭成员的身份证号" (English: "members 1: ID number")."""
    parts: list[str] = []
    current = model
    index: int | None = None
    for part in location:
        if isinstance(part, int):
            index = part
            continue
        label = _label_of(current, str(part), locale)
        if index is not None and parts:
            parts[-1] = (f"{parts[-1]} {index + 1}" if locale == "en" else f"第{index + 1}名{parts[-1]}")
            index = None
        parts.append(label)
        current = _nested_model(current, str(part))
    if index is not None and parts:
        parts[-1] = f"{parts[-1]} {index + 1}" if locale == "en" else f"第{index + 1}项{parts[-1]}"
    joiner = ": " if locale == "en" else "的"
    return joiner.join(parts)


def _message(error: dict[str, Any], locale: str) -> str:
    kind = error.get("type", "")
    ctx = dict(error.get("ctx") or {})
    if kind in ("value_error", "assertion_error"):
        raw = error.get("msg", "")
        for prefix in ("Value error, ", "Assertion failed, "):
            raw = raw.removeprefix(prefix)
        ctx["reason"] = raw
    if "expected" in ctx:
        ctx["expected"] = str(ctx["expected"]).replace("'", "")
    templates = _EN if locale == "en" else _ZH
    template = templates.get(kind) or _ZH.get(kind) or ("格式不正确" if locale != "en" else "not valid")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template


def describe(errors: list[dict[str, Any]], model: type[BaseModel] | None = None, locale: str | None = None,
             skip_prefix: int = 0) -> list[FieldError]:
    """Pydantic (or FastAPI request) errors as FieldErrors; `skip_prefix` drops leading location parts such as
    FastAPI's "body"."""
    if locale is None:
        from fupin.core.i18n import current_locale

        locale = current_locale.get()
    out: list[FieldError] = []
    for error in errors:
        location = tuple(error.get("loc", ()))[skip_prefix:]
        location = tuple(p for p in location if not (isinstance(p, str) and p.startswith("function-")))
        field = ".".join(str(p) for p in location)
        out.append(FieldError(field, label_for(location, model, locale) if location else "",
                              _message(error, locale)))
    return out


def required_text(code: Any, labels: dict[str, tuple[str, str]], field: str, value: str | None) -> str:
    """The stripped text, or the error `code` naming the field (labels: field → (Chinese, English))."""
    text = (value or "").strip()
    if not text:
        label, label_en = labels.get(field, (field, field))
        raise code(field=field, label=label, label_en=label_en)
    return text


def choice_problem(code: Any, labels: dict[str, tuple[str, str]], field: str, value: Any,
                   vocabulary: dict[Any, str]) -> Any:
    """None when `value` is one of the vocabulary's codes; else the error `code` (not raised: a rule gathers
    every problem) naming the field and listing the choices by name."""
    if value in vocabulary:
        return None
    label, label_en = labels.get(field, (field, field))
    return code(field=field, label=label, label_en=label_en, choices="、".join(vocabulary.values()),
                choices_en=", ".join(str(k) for k in vocabulary))


def one_of(code: Any, labels: dict[str, tuple[str, str]], field: str, value: Any, vocabulary: dict[Any, str]) -> Any:
    """`value` when it is one of the vocabulary's codes; else the error `code` listing the choices by name."""
    problem = choice_problem(code, labels, field, value, vocabulary)
    if problem is not None:
        raise problem
    return value
