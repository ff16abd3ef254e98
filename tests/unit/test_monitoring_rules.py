"""Pure monitoring rules: the threshold in force, each early-warning rule, the procedure, risk clearing."""

import datetime as dt
from decimal import Decimal

from fupin.monitoring import rules

D = dt.date


def test_threshold_is_the_years_own_never_an_earlier_years_and_before_2021_the_poverty_line():
    """Issue 17 item 5: a year without a threshold has none (flagged), it does not inherit 2021's 6,000."""
    table = {(2021, "00"): Decimal("6000"), (2023, "00"): Decimal("6600"), (2023, "53"): Decimal("7000"),
             (2024, "53"): Decimal("7300")}
    lines = {(2020, "00"): Decimal("4000")}
    assert rules.threshold_for(table, lines, 2021, "53") == Decimal("6000")
    assert rules.threshold_for(table, lines, 2022, "53") is None, "not 2021's value"
    assert rules.threshold_for(table, lines, 2025, "53") is None, "not 2024's value"
    assert rules.threshold_for(table, lines, 2024, "53") == Decimal("7300"), "a province's own without a national"
    assert rules.threshold_for(table, lines, 2024, "52") is None
    assert rules.missing_years(table, "53", 2025) == [2022, 2025]
    assert rules.missing_years(table, "52", 2025) == [2022, 2024, 2025]
    assert rules.missing_years(table, None, 2025) == [2022, 2024, 2025], "the country: national thresholds"
    assert rules.missing_years(table, "53", 2020) == []
    assert rules.threshold_for(table, lines, 2023, "53") == Decimal("7000")
    assert rules.threshold_for(table, lines, 2023, "52") == Decimal("6600")
    assert rules.threshold_for(table, lines, 2020, "53") == Decimal("4000")
    assert rules.threshold_for(table, lines, 2019, "53") is None


def test_low_income_flags_below_threshold_times_factor_only():
    assert "低于监测预警线6000.00元" in rules.low_income_warning(Decimal("5999.99"), 2021, Decimal("6000"))
    assert rules.low_income_warning(Decimal("6000"), 2021, Decimal("6000")) is None
    assert rules.low_income_warning(Decimal("6500"), 2021, Decimal("6000"), Decimal("1.2")) is not None
    assert rules.low_income_warning(Decimal("7200"), 2021, Decimal("6000"), Decimal("1.2")) is None
    assert rules.low_income_warning(None, None, Decimal("6000")) is None


def test_illness_disability_job_disaster_housing():
    assert rules.illness_disability_warning(1, 0) == "家庭成员1人患大病"
    assert rules.illness_disability_warning(0, 2) == "家庭成员2人残疾"
    assert rules.illness_disability_warning(0, 0) is None
    assert rules.job_ended_warning(2, 0, 2024) == "2023年有2人务工就业,2024年无人就业"
    assert rules.job_ended_warning(2, 1, 2024) is None
    assert rules.job_ended_warning(0, 0, 2024) is None
    assert "灾情" in rules.disaster_warning(D(2024, 5, 1), "暴雨引发山体滑坡,房屋受损")
    assert rules.disaster_warning(D(2024, 5, 1), "家中一切正常") is None
    assert rules.housing_warning(False, 2023) == "2023年核查住房不安全"
    assert rules.housing_warning(True, 2023) is None
    assert rules.housing_warning(None, None) is None


def test_procedure_in_order_with_five_days_of_publicity():
    clue, today = D(2024, 5, 1), D(2024, 6, 1)
    P = rules.StepProblem
    assert rules.step_error("democratic_appraisal", [], D(2024, 5, 2), clue, today) \
        == P("order", "democratic_appraisal", "verification")
    assert rules.step_error("verification", [], D(2024, 4, 30), clue, today) == P("before_clue", "verification",
                                                                                    day=clue)
    assert rules.step_error("verification", [], D(2024, 6, 2), clue, today) == P("future", "verification")
    assert rules.step_error("verification", [], D(2024, 5, 2), clue, today) is None
    done = [("verification", D(2024, 5, 2)), ("democratic_appraisal", D(2024, 5, 3)), ("publicity", D(2024, 5, 4))]
    assert rules.step_error("approval", done, D(2024, 5, 8), clue, today) == P("publicity", "approval",
                                                                              day=D(2024, 5, 4))
    assert rules.step_error("approval", done, D(2024, 5, 9), clue, today) is None
    assert rules.step_error("approval", done[:2], D(2024, 5, 2), clue, today) == P("order", "approval", "publicity")
    assert rules.step_error("publicity", done[:2], D(2024, 5, 2), clue, today) \
        == P("before_previous", "publicity", day=D(2024, 5, 3))
    assert rules.step_error("approval", [*done, ("approval", D(2024, 5, 9))], D(2024, 5, 9), clue, today) \
        == P("done", "approval")
    assert rules.step_error("nonsense", [], D(2024, 5, 2), clue, today) == P("unknown", "nonsense")
    # The loser of two concurrent posts of the same step: "recorded" (409), not "out of order".
    assert rules.step_error("democratic_appraisal", done[:2], D(2024, 5, 4), clue, today) \
        == P("recorded", "democratic_appraisal")
    assert not rules.overdue(clue, D(2024, 5, 16), today)
    assert rules.overdue(clue, D(2024, 5, 17), today)
    assert rules.overdue(clue, None, today)


GOOD = rules.ClearingFacts(identified_on=D(2023, 1, 10),
                           incomes=[(2023, Decimal("8000"), Decimal("6000")), (2022, Decimal("7000"), Decimal("6000"))],
                           check_year=2023, check_failures=[], measures_since_identified=1, members_with_labour=2)


def _with(**changes):
    return rules.ClearingFacts(**{**GOOD.__dict__, **changes})


def test_clearing_allowed_when_every_condition_holds():
    assert rules.clearing_refusals(GOOD, D(2023, 7, 10)) == []


def test_clearing_refuses_each_failing_condition_with_its_reason():
    on = D(2023, 7, 10)
    assert rules.clearing_refusals(GOOD, D(2023, 7, 9)) == ["监测帮扶不满6个月(自2023-01-10起5个月)"]
    assert rules.clearing_refusals(_with(incomes=GOOD.incomes[:1]), on) == ["收入记录不足2年,无法判断收入是否稳定"]
    assert rules.clearing_refusals(_with(incomes=[(2023, Decimal("8000"), Decimal("6000")),
                                                  (2022, Decimal("6000"), Decimal("6000"))]), on) \
        == ["2022年人均纯收入6000元,未稳定超过监测标准6000元"]
    assert rules.clearing_refusals(_with(check_failures=None), on) == ["缺少两不愁三保障及饮水安全核查记录"]
    assert rules.clearing_refusals(_with(check_failures=["住房安全未保障"]), on) == ["2023年核查:住房安全未保障"]
    assert rules.clearing_refusals(_with(measures_since_identified=0), on) == ["认定以来未落实帮扶措施"]
    assert rules.clearing_refusals(_with(members_with_labour=0), on) == ["无劳动力户不标注风险消除,持续监测帮扶"]
    assert rules.clearing_refusals(_with(identified_on=None), on) == ["尚未完成认定,不能标注风险消除"]
    everything = rules.clearing_refusals(_with(members_with_labour=0, measures_since_identified=0,
                                               check_failures=None, incomes=[]), D(2023, 2, 1))
    assert len(everything) == 5


def test_low_income_warning_compares_the_exact_line_not_a_rounded_one():
    """Issue 17 item 1: threshold × factor = 6,000 × 1.1000005 = 6,600.003 — an income of 6,600.00 is below it
    although the line rounds to 6,600.00; exactly at the line and above it warn nothing."""
    from decimal import Decimal

    from fupin.monitoring.rules import low_income_warning
    factor = Decimal("1.1000005")
    assert low_income_warning(Decimal("6600.00"), 2023, Decimal("6000"), factor) == \
        "2023年人均纯收入6600.00元,低于监测预警线6600.0030000元"
    assert low_income_warning(Decimal("6600.01"), 2023, Decimal("6000"), factor) is None
    assert low_income_warning(Decimal("6000.00"), 2023, Decimal("6000"), Decimal("1")) is None, "at the line"
    assert low_income_warning(Decimal("5999.99"), 2023, Decimal("6000"), Decimal("1")) == \
        "2023年人均纯收入5999.99元,低于监测预警线6000.00元"


def test_low_income_and_clearing_compare_the_exact_per_capita_not_the_stored_rounded_one():
    """17,999.99 yuan for 3 people is 5,999.9966… a person: stored as 6,000.00, yet below a 6,000 line. The warning
    fires and clearing is refused, and the words never round the figure up onto the line."""
    from fractions import Fraction

    exact = rules.exact_per_capita(Decimal("17999.99"), 3, Decimal("6000.00"))
    assert exact == Fraction(1799999, 300)
    assert rules.low_income_warning(Decimal("6000.00"), 2023, Decimal("6000"), Decimal("1")) is None, "rounded: hidden"
    assert rules.low_income_warning(exact, 2023, Decimal("6000"), Decimal("1")) == \
        "2023年人均纯收入5999.99元,低于监测预警线6000.00元"
    assert rules.low_income_warning(rules.exact_per_capita(Decimal("18000"), 3, None), 2023, Decimal("6000"),
                                    Decimal("1")) is None, "exactly at the line"
    assert rules.clearing_refusals(_with(incomes=[(2023, Decimal("8000"), Decimal("6000")),
                                                  (2022, exact, Decimal("6000"))]), D(2023, 7, 10)) \
        == ["2022年人均纯收入5999.99元,未稳定超过监测标准6000元"]
    assert rules.clearing_refusals(_with(incomes=[(2023, Decimal("8000"), Decimal("6000")),
                                                  (2022, rules.exact_per_capita(Decimal("18000.03"), 3, None),
                                                   Decimal("6000"))]), D(2023, 7, 10)) == []
    assert rules.exact_per_capita(None, None, Decimal("12.34")) == Decimal("12.34"), "no members: the stored one"
