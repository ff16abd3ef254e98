"""Issue 17 (registry fidelity): 义务教育辍学, ID numbers as people type them, transfer income in parts, the
national form's fields and finding a household — the pure rules at their boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from fupin.registry.rules import MEMBER_CONDITION, is_compulsory_dropout

DAY = dt.date(2019, 9, 1)


@pytest.mark.parametrize(("birth", "schooling", "education", "dropout"), [
    # age boundaries on 1 September: 6 today is in, 6 tomorrow is not; 15 today is in, 16 today is not
    (dt.date(2013, 9, 1), "not_in_school", None, True),
    (dt.date(2013, 9, 2), "not_in_school", None, False),
    (dt.date(2003, 9, 2), "not_in_school", "primary", True),
    (dt.date(2003, 9, 1), "not_in_school", "primary", False),
    # in school, or taught at home (送教上门), is no dropout
    (dt.date(2009, 3, 1), "primary", None, False),
    (dt.date(2009, 3, 1), "home_schooling", "none", False),
    (dt.date(2009, 3, 1), "dropout", "primary", True),
    # a 15-year-old who finished 初中 (or more) is no dropout; one who left 初中 unfinished (文化程度 小学) is
    (dt.date(2004, 3, 1), "not_in_school", "junior", False),
    (dt.date(2004, 3, 1), "dropout", "junior", False),
    (dt.date(2004, 3, 1), "not_in_school", "vocational", False),
    (dt.date(2004, 3, 1), "not_in_school", "primary", True),
    (dt.date(2004, 3, 1), "not_in_school", None, True),
    # an unknown 在校生状况 is not a dropout (the quality check asks for it)
    (dt.date(2009, 3, 1), None, None, False),
])
def test_compulsory_education_dropout(birth, schooling, education, dropout):
    assert is_compulsory_dropout(birth, DAY, schooling, education) is dropout
    assert MEMBER_CONDITION.dropout(birth, schooling, education, 2019) is dropout


# ---------------------------------------------------------------- ID numbers as typed

from fupin.registry.idnumbers import make_id_number  # noqa: E402
from fupin.registry.idrules import check_id_number, normalise_id_number  # noqa: E402

NUMBER = make_id_number("530326", dt.date(1962, 7, 8), 24)
WITH_X = next(n for n in (make_id_number("530326", dt.date(1990, 4, 5), s) for s in range(1, 999, 2))
              if n.endswith("X"))


def _fw(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


@pytest.mark.parametrize("typed", [
    NUMBER, _fw(NUMBER), f"  {NUMBER} ", f"\u3000{NUMBER}\u3000", f"{NUMBER[:6]} {NUMBER[6:14]} {NUMBER[14:]}",
    f"{NUMBER}\t", NUMBER[:6] + "\u3000" + _fw(NUMBER[6:]),
])
def test_an_id_number_as_people_type_it_is_the_number(typed):
    check = check_id_number(typed, dt.date(2024, 1, 1))
    assert check.ok and check.number == NUMBER and not check.converted_from_15 and check.original is None


def test_lowercase_and_full_width_x():
    for typed in (WITH_X.lower(), WITH_X[:17] + "Ｘ", WITH_X[:17] + "ｘ", _fw(WITH_X.lower())):
        assert check_id_number(typed).number == WITH_X, typed


def test_a_15_digit_number_is_converted_and_kept_as_typed():
    old = NUMBER[:6] + NUMBER[8:17]
    for typed in (old, _fw(old), f" {old[:6]} {old[6:]} "):
        check = check_id_number(typed)
        assert check.number == NUMBER and check.converted_from_15 and check.original == old, typed


@pytest.mark.parametrize(("typed", "code"), [
    (_fw(NUMBER[:17]) + ("1" if NUMBER[17] != "1" else "2"), "registry.id_check_digit"),
    (NUMBER[:17], "registry.id_length"),
    ("５３０３２６", "registry.id_length"),
    (NUMBER[:6] + "٣" * 11 + NUMBER[17], "registry.id_format"),  # other scripts' digits are not ID digits
    (NUMBER[:6] + NUMBER[8:16] + "X", "registry.id_15_digits"),
    ("\u3000 ", "registry.id_required"),
])
def test_what_normalising_does_not_excuse(typed, code):
    check = check_id_number(typed)
    assert not check.ok and check.problem.code.code == code


def test_normalise():
    assert normalise_id_number(" ５３０ ３２６x\u3000") == "530326X"
    assert normalise_id_number(None) == ""


# ---------------------------------------------------------------- transfer income in parts

from decimal import Decimal  # noqa: E402

from fupin.registry.rules import Problem, TransferShare, name_initials, split_transfer  # noqa: E402

D = Decimal


@pytest.mark.parametrize(("total", "parts", "expected"), [
    (None, {}, (D("0.00"), {})),
    (D("900"), {}, (D("900"), {"transfer_other": D("900")})),
    (None, {"transfer_dibao": D("300"), "transfer_pension": D("200")},
     (D("500"), {"transfer_dibao": D("300"), "transfer_pension": D("200")})),
    (D("900"), {"transfer_dibao": D("300")}, (D("900"), {"transfer_dibao": D("300"), "transfer_other": D("600")})),
    (D("300"), {"transfer_dibao": D("300")}, (D("300"), {"transfer_dibao": D("300")})),
    (D("500"), {"transfer_dibao": D("300"), "transfer_other": D("200")},
     (D("500"), {"transfer_dibao": D("300"), "transfer_other": D("200")})),
])
def test_transfer_parts_make_the_total(total, parts, expected):
    got_total, got_parts = split_transfer(total, parts)
    assert got_total == expected[0]
    assert {k: v for k, v in got_parts.items() if v} == expected[1]


@pytest.mark.parametrize(("total", "parts"), [
    (D("299.99"), {"transfer_dibao": D("300")}),
    (D("500"), {"transfer_dibao": D("300"), "transfer_other": D("200.01")}),
])
def test_transfer_parts_that_do_not_add_up(total, parts):
    problem = split_transfer(total, parts)
    assert isinstance(problem, Problem) and problem.code.code == "registry.transfer_parts_sum"


@pytest.mark.parametrize(("policy", "net", "dominates", "percent"), [
    (D("5000.00"), D("10000.00"), False, D("50.0")),  # exactly at the limit
    (D("5000.01"), D("10000.00"), True, D("50.0")),  # just over: rounds to 50.0 but is more than half
    (D("4999.99"), D("10000.00"), False, D("50.0")),  # just under
    (D("1"), D("0"), True, None),
    (D("0"), D("-5"), False, None),
])
def test_policy_share_is_compared_exactly(policy, net, dominates, percent):
    share = TransferShare(policy, net, D("0.5"))
    assert share.dominates is dominates and share.percent == percent


def test_pinyin_initials():
    assert name_initials("王富贵") == "wfg"
    assert name_initials("欧阳 Anna·李") == "oyannal"
    assert name_initials("") is None and name_initials(None) is None
