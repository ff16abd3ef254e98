import datetime as dt
from decimal import Decimal

import pytest

from fupin.registry.rules import (
    CheckFigures,
    ExitIncome,
    IncomeFigures,
    evaluate_exit,
    exit_step_error,
    income_above_line,
    income_errors,
    line_for,
    member_identity_errors,
    status_move_error,
)

GOOD_CHECK = CheckFigures(True, True, True, True, True, 60, 5, 3, True, False)


def test_income_arithmetic_is_exact_decimal():
    figures = IncomeFigures(Decimal("10000.10"), Decimal("2000"), Decimal("0.05"), Decimal("800"),
                            Decimal("500.00"), members=3)
    assert figures.net == Decimal("12300.15")
    assert figures.per_capita == Decimal("4100.05")
    assert IncomeFigures(Decimal(1), Decimal(0), Decimal(0), Decimal(0), Decimal(0), 0).per_capita == Decimal("0.00")


def test_bad_income_amounts_each_have_a_reason():
    errors = income_errors({"wages": "-1", "transfer_income": "abc", "property_income": "1.234",
                            "production_income": "12,000.50"})
    assert errors == {"wages": "工资性收入不能为负数", "transfer_income": "转移性收入“abc”不是数字",
                      "property_income": "财产性收入最多两位小数"}


def test_exit_needs_income_above_the_line_and_every_item():
    ok = evaluate_exit(2016, ExitIncome(Decimal("3100.00"), 1), Decimal("2952"), GOOD_CHECK)
    assert ok.eligible and ok.reasons == []
    low = evaluate_exit(2016, ExitIncome(Decimal("2952.00"), 1), Decimal("2952"), GOOD_CHECK)
    assert not low.eligible
    assert low.reasons == ["人均纯收入2952.00元(家庭纯收入2952.00元,1人),未超过2016年扶贫标准2952元"]
    bad_check = CheckFigures(True, True, False, True, False, 30, 25, 40, False, False)
    result = evaluate_exit(2016, ExitIncome(Decimal("5000"), 1), Decimal("2952"), bad_check)
    assert result.reasons == [
        "义务教育未保障(有适龄儿童辍学)", "住房安全未保障", "饮水水量不足:每人每天30升,低于35升",
        "取水往返25分钟,超过20分钟", "全年断水40天,超过36天", "饮水水质不达标"]
    short_area = CheckFigures(True, True, True, True, True, 25, 5, 3, True, True)
    assert evaluate_exit(2016, ExitIncome(Decimal("5000"), 1), Decimal("2952"), short_area).eligible
    missing = evaluate_exit(2016, None, None, None, members_out_of_school=1, members_without_medical_insurance=2)
    assert missing.reasons == ["2016年扶贫标准未设置", "缺少2016年收入记录", "缺少2016年两不愁三保障核查",
                               "有1名义务教育阶段成员辍学", "有2名成员未参加基本医疗保险"]


def test_exit_compares_the_total_with_the_line_times_the_members_exactly():
    """3 people and a line of 2952: 8856.01 yuan is 2952.0033… each — shown as 2952.00, yet above the line."""
    line = Decimal("2952")
    above = evaluate_exit(2016, ExitIncome(Decimal("8856.01"), 3), line, GOOD_CHECK)
    assert above.eligible and above.per_capita_net == Decimal("2952.00")  # the rounded figure is only shown
    at = evaluate_exit(2016, ExitIncome(Decimal("8856.00"), 3), line, GOOD_CHECK)
    assert not at.eligible and at.reasons == [
        "人均纯收入2952.00元(家庭纯收入8856.00元,3人),未超过2016年扶贫标准2952元"]
    under = evaluate_exit(2016, ExitIncome(Decimal("8855.99"), 3), line, GOOD_CHECK)
    assert not under.eligible and under.per_capita_net == Decimal("2952.00")
    # a line with cents: 2300.33 × 3 = 6900.99
    assert income_above_line(Decimal("6901.00"), 3, Decimal("2300.33"))
    assert not income_above_line(Decimal("6900.99"), 3, Decimal("2300.33"))
    assert not income_above_line(Decimal("100"), 0, Decimal("1"))  # nobody to share it: not above any line


def test_provincial_lines_only_raise_the_national_line():
    lines = {(2016, "00"): Decimal("2952"), (2016, "33"): Decimal("4600"), (2016, "53"): Decimal("2000")}
    assert line_for(lines, 2016, "33") == Decimal("4600")
    assert line_for(lines, 2016, "53") == Decimal("2952")
    assert line_for(lines, 2017, "53") is None


def test_exit_procedure_in_order_with_seven_days_of_publicity():
    d = dt.date
    assert exit_step_error("village_publicity", [], d(2019, 11, 1), True) == "应先完成“民主评议”"
    assert exit_step_error("democratic_appraisal", [], d(2019, 11, 1), False) == "尚不符合退出条件,不能启动退出程序"
    done = [("democratic_appraisal", d(2019, 11, 1)), ("village_publicity", d(2019, 11, 2))]
    assert "不少于7天" in exit_step_error("township_review", done, d(2019, 11, 8), True)
    assert exit_step_error("township_review", done, d(2019, 11, 9), True) is None
    assert exit_step_error("township_review", done, d(2019, 10, 9), True) == "日期不能早于上一步"
    all_done = [(s, d(2019, 12, 1)) for s in ("democratic_appraisal", "village_publicity", "township_review",
                                               "county_announcement", "removal")]
    assert exit_step_error("removal", all_done, d(2019, 12, 2), True) == "退出程序已完成"


def test_status_moves():
    assert status_move_error("identified", "helped") is None
    assert status_move_error("identified", "exited") is not None
    assert status_move_error("exited", "returned") is None


@pytest.mark.parametrize(("sex", "birth", "expected"), [
    ("M", dt.date(1970, 1, 1), []),
    ("F", None, ["性别与身份证号不符(身份证号显示为男)"]),
    (None, dt.date(1970, 1, 2), ["出生日期与身份证号不符"]),
])
def test_entered_sex_and_birth_date_are_cross_checked(sex, birth, expected):
    assert member_identity_errors("M", dt.date(1970, 1, 1), sex, birth) == expected
