"""The shared choice check of core.validation: a pure rule returns the problem, a use case raises it."""

from __future__ import annotations

import pytest

from fupin.core.errors import Invalid, define
from fupin.core.validation import choice_problem, one_of

CHOICE = define("test.invalid_choice", Invalid, "{label}应为以下之一:{choices}", "{label_en} must be one of: {choices_en}")
LABELS = {"kind": ("类型", "kind")}
KINDS = {"coop": "合作社", "firm": "企业"}


def test_a_code_of_the_vocabulary_is_no_problem():
    assert choice_problem(CHOICE, LABELS, "kind", "coop", KINDS) is None
    assert one_of(CHOICE, LABELS, "kind", "firm", KINDS) == "firm"


def test_another_value_is_the_error_naming_the_field_and_every_choice():
    problem = choice_problem(CHOICE, LABELS, "kind", "farm", KINDS)
    assert problem is not None and problem.code == "test.invalid_choice" and problem.field == "kind"
    assert problem.message == "类型应为以下之一:合作社、企业"
    with pytest.raises(Invalid) as raised:
        one_of(CHOICE, LABELS, "kind", "farm", KINDS)
    assert raised.value.message == problem.message


def test_a_field_without_a_label_is_named_by_itself():
    problem = choice_problem(CHOICE, {}, "unit", 3, {1: "元", 2: "件"})
    assert problem is not None and problem.message == "unit应为以下之一:元、件"
