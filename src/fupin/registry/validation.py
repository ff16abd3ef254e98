"""Turn raw cells (spreadsheet, CSV, form or API body) into typed registry values, with a Problem (field, code,
values) per bad field. The same functions check an import row, an API body and a page form, so a rule is written
once and gives the same code on every path.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from fupin.core.areacodes import AreaCodeError, validate_code
from fupin.registry import errors, vocab
from fupin.registry.fields import FIELD_BY_KEY, Field
from fupin.registry.idnumbers import birth_date_of, sex_of
from fupin.registry.idrules import check_id_number, convert_15_to_18, normalise_id_number
from fupin.registry.rules import (
    INCOME_FIELDS,
    TRANSFER_PARTS,
    Problem,
    amount_problem,
    has_control_characters,
    member_detail_problems,
    member_identity_problems,
    money,
    name_initials,
    split_transfer,
    text_problem,
    year_problem,
)

_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "参加", "享受"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", "✗", "未参加", "不享受", "没有"}
_DATE_PATTERNS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
_CAUSE_SPLIT = re.compile(r"[、,,;;/\s]+")
Problems = dict[str, Problem]
YEAR_LOW = 1900  # the earliest year a house or a record of the forms may name


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _shown(value: Any) -> str:
    return _text(value)[:40]


def parse_cell(field: Field, value: Any, today: dt.date, required: bool | None = None) -> tuple[Any, Problem | None]:
    """(typed value, None) or (None, problem). Blank cells give (None, None) unless required."""
    key, label = field.key, field.header
    if _blank(value):
        needed = field.required if required is None else required
        return None, (Problem.of(key, errors.REQUIRED, label=label) if needed else None)
    kind = field.kind
    if kind == "text":
        text = _text(value)
        problem = text_problem(key, label, text, field.max_length)
        return (None, problem) if problem else (text, None)
    if isinstance(value, str) and has_control_characters(value):
        return None, Problem.of(key, errors.CONTROL_CHARACTERS, label=label)
    if kind == "code":
        assert field.vocabulary is not None
        code = vocab.code_of(field.vocabulary, _text(value))
        if code is None:
            return None, Problem.of(key, errors.BAD_CODE, value=_shown(value), label=label,
                                    options="、".join(field.vocabulary.values()))
        return code, None
    if kind == "causes":
        codes = []
        for part in _CAUSE_SPLIT.split(_text(value)):
            if not part:
                continue
            code = vocab.code_of(vocab.CAUSES, part)
            if code is None:
                return None, Problem.of(key, errors.BAD_CAUSE, value=part[:40])
            if code not in codes:
                codes.append(code)
        return ",".join(codes) or None, None
    if kind == "int":
        try:
            number = Decimal(_text(value))
            if not number.is_finite() or number != number.to_integral_value() or abs(number) > 10**9:
                raise InvalidOperation
        except InvalidOperation:
            return None, Problem.of(key, errors.NOT_INTEGER, label=label, value=_shown(value))
        return int(number), None
    if kind == "year":
        year, problem = parse_cell(Field(key, label, field.level, "int"), value, today)
        if problem is not None:
            return None, problem
        if not YEAR_LOW <= year <= today.year:
            return None, Problem.of(key, errors.NUMBER_RANGE, label=label, low=YEAR_LOW, high=today.year)
        return year, None
    if kind in ("money", "decimal"):
        problem = amount_problem(key, label, value)
        if problem is not None:
            return None, problem
        return money(Decimal(_text(value).replace(",", ""))), None
    if kind == "bool":
        if isinstance(value, bool):
            return value, None
        text = _text(value).lower()
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return None, Problem.of(key, errors.BAD_BOOL, label=label)
    if kind == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            parsed: dt.date | None = value
        else:
            parsed = None
            text = _text(value)
            for pattern in _DATE_PATTERNS:
                try:
                    parsed = dt.datetime.strptime(text, pattern).date()
                    break
                except ValueError:
                    continue
            if parsed is None:
                return None, Problem.of(key, errors.BAD_DATE, label=label, value=_shown(value))
        if parsed > today:
            return None, Problem.of(key, errors.DATE_IN_FUTURE, label=label, value=parsed.isoformat())
        return parsed, None
    if kind == "area":
        try:
            return validate_code(_text(value)), None
        except AreaCodeError:
            return None, Problem.of(key, errors.AREA_CODE_FORMAT, value=_shown(value))
    if kind == "id15":
        number = normalise_id_number(_text(value))
        if len(number) != 15 or not (number.isdigit() and number.isascii()):
            return None, Problem.of(key, errors.ID_15_DIGITS)
        return number, None
    if kind == "certificate":
        number = normalise_id_number(_text(value))
        if not 18 <= len(number) <= field.max_length or not (number.isalnum() and number.isascii()):
            return None, Problem.of(key, errors.CERTIFICATE_FORMAT)
        return number, None
    if kind == "id_number":
        result = check_id_number(_text(value), today)
        if result.ok:
            return result.number, None
        assert result.problem is not None
        return None, Problem(key, result.problem.code, result.problem.values)
    raise ValueError(f"unknown field kind {kind}")


def parse_fields(raw: dict[str, Any], keys: list[str], today: dt.date,
                 required: set[str] | None = None) -> tuple[dict[str, Any], Problems]:
    """Typed values and problems; `required` overrides which blank fields are problems (None: the fields' own)."""
    values: dict[str, Any] = {}
    problems: Problems = {}
    for key in keys:
        value = raw.get(key)
        field = FIELD_BY_KEY[key]
        if value is None or value == "":
            # Fast path for the many empty cells of a spreadsheet.
            if field.required if required is None else key in required:
                problems[key] = Problem.of(key, errors.REQUIRED, label=field.header)
            continue
        value, problem = parse_cell(field, value, today, None if required is None else key in required)
        if problem:
            problems[key] = problem
        else:
            values[key] = value
    return values, problems


_PERSON_DEFAULTS = (("health", "healthy"), ("labour_capacity", "normal"), ("work_place", "none"),
                    ("medical_insurance", True), ("pension_insurance", False), ("minimum_allowance", False),
                    ("public_funded", False))


def id_number_original(raw: Any) -> str | None:
    """The 15-digit number as typed (normalised) when the ID number was typed with 15 digits, else None."""
    if raw is None:
        return None
    number = normalise_id_number(_text(raw))
    return number if len(number) == 15 and number.isdigit() and number.isascii() else None


def complete_person(values: dict[str, Any], problems: Problems, raw_id_number: Any = None) -> None:
    """Derive sex and birth date from the ID number and cross-check entered ones; keep a 15-digit number as typed
    (`id_number_original`); fill sensible defaults; the member's pinyin initials for the search."""
    number = values.get("id_number")
    if number is None:
        return
    typed = id_number_original(raw_id_number)
    original = values.get("id_number_original")
    if typed is not None:
        values["id_number_original"] = typed
    elif original is not None and convert_15_to_18(original) != number:
        problems["id_number_original"] = Problem.of("id_number_original", errors.ID_ORIGINAL_MISMATCH)
    values["name_initials"] = name_initials(values.get("name"))
    id_sex, id_birth = sex_of(number), birth_date_of(number)
    if values.get("sex") is not None or values.get("birth_date") is not None:
        for problem in member_identity_problems(id_sex, id_birth, values.get("sex"), values.get("birth_date")):
            problems[problem.field] = problem
    values["sex"] = id_sex
    values["birth_date"] = id_birth
    for key, default in _PERSON_DEFAULTS:
        if values.get(key) is None:
            values[key] = default
    grade, months = values.get("disability_grade"), values.get("months_worked")
    if grade is not None or months is not None or values["health"] == "disabled":  # most rows: nothing to check
        for problem in member_detail_problems(values["health"], grade, months):
            problems[problem.field] = problem


def complete_income(values: dict[str, Any], problems: Problems) -> None:
    """转移性收入 and its parts made whole (rules.split_transfer): parts sum to the total; a total alone is "other"."""
    result = split_transfer(values.get("transfer_income"), {k: values.get(k) for k in TRANSFER_PARTS})
    if isinstance(result, Problem):
        problems[result.field] = result
        return
    values["transfer_income"], parts = result
    values.update(parts)


def check_income(values: dict[str, Any], problems: Problems, today: dt.date) -> bool:
    """True when the row carries income figures (a year and at least one amount)."""
    amounts = [values.get(k) for k in INCOME_FIELDS]
    year = values.get("income_year")
    if year is None and all(a is None for a in amounts):
        return False
    if year is None:
        problems["income_year"] = Problem.of("income_year", errors.INCOME_YEAR_MISSING)
        return False
    problem = year_problem("income_year", "收入年度", year, today)
    if problem is not None:
        problems["income_year"] = problem
    return True
