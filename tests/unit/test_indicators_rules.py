from decimal import Decimal

from fupin.indicators.rules import StepRefusal, SurveyFigures, evaluate_area_exit, step_refusal

GOOD = SurveyFigures(sampled_exited=100, wrong_exits=1, sampled_households=200, missed_registrations=3,
                     approval_asked=100, approval_yes=95)


def test_village_exit_threshold_is_2_percent_or_3_in_the_west():
    assert evaluate_area_exit("530326100200", "village", Decimal("2.50")).passed, "云南 is western: 3%"
    east = evaluate_area_exit("330102100200", "village", Decimal("2.50"))
    assert not east.passed and east.reasons == ["贫困发生率2.50%,未低于2%"]
    assert not evaluate_area_exit("530326100200", "village", Decimal("3.00")).passed
    missing = evaluate_area_exit("530326100200", "village", None)
    assert missing.reasons == ["缺少农村户籍人口,无法计算贫困发生率"]


def test_county_exit_lists_every_failing_reason():
    assert evaluate_area_exit("530326000000", "county", Decimal("1.00"), GOOD).passed
    bad = SurveyFigures(sampled_exited=50, wrong_exits=1, sampled_households=100, missed_registrations=2,
                        approval_asked=10, approval_yes=8)
    result = evaluate_area_exit("530326000000", "county", Decimal("4.00"), bad)
    assert result.reasons == ["贫困发生率4.00%,未低于3%", "错退率2.00%,未低于2%", "漏评率2.00%,未低于2%",
                              "群众认可度80.00%,低于90%"]
    assert evaluate_area_exit("530326000000", "county", Decimal("1.00"), None).reasons == [
        "缺少抽样调查记录(错退率、漏评率、群众认可度)"]


def test_steps_go_in_order_and_approval_needs_a_pass():
    assert step_refusal([], "proposal", False) is None
    assert step_refusal([], "publicity", True) == StepRefusal("order", "publicity", "proposal")
    assert step_refusal(["proposal", "checks", "publicity"], "approval", False) == StepRefusal("not_passed", "approval")
    assert step_refusal(["proposal", "checks", "publicity"], "approval", True) is None
    assert step_refusal(["proposal", "checks", "publicity", "approval"], "approval", True) \
        == StepRefusal("completed", "approval")
    assert step_refusal([], "party", True) == StepRefusal("unknown", "party")


def test_a_step_already_recorded_is_refused_as_recorded_not_as_out_of_order():
    """What the loser of two concurrent posts of the same step meets (the service answers 409)."""
    assert step_refusal(["proposal"], "proposal", True) == StepRefusal("recorded", "proposal")
    assert step_refusal(["proposal", "checks"], "proposal", True) == StepRefusal("recorded", "proposal")


def test_a_drill_down_row_passes_the_viewer():
    """Whatever columns a capability's group lists, the caller's role decides what of them is shown."""
    import datetime as dt

    from fupin.core.personal_data import Viewer
    from fupin.indicators.drilldown import shown

    row = {"household_id": 7, "name": "王德福", "id_number": "53032619750501002X", "phone": "13912345678",
           "birth_date": dt.date(1975, 5, 1), "health": "serious", "disability_grade": 2}
    clerk = shown(Viewer("shop_clerk"), row)
    assert clerk == {"household_id": 7, "name": "王德福", "id_number": "530326**********2X",
                     "phone": "139****5678", "birth_date": None, "birth_year": 1975}
    assert shown(Viewer("county"), row) == row
    grid = shown(Viewer("grid"), row)
    assert grid["id_number"] == "530326**********2X" and grid["phone"] == "13912345678" and grid["health"] == "serious"


# ---- issue 17 item 1: limits are compared on the exact value; rounding is for display only ---------------------

def test_incidence_is_compared_exactly_at_just_under_and_just_over_the_limit():
    from fractions import Fraction

    from fupin.indicators.rules import percent
    east = "330102100200"
    at = evaluate_area_exit(east, "village", percent(2, 100))
    assert not at.passed and at.reasons == ["贫困发生率2.00%,未低于2%"]
    # 19,999 poor of 1,000,000 (1.9999 %) rounds to 2.00 % yet is below 2 %: it passes, and shows enough digits
    under = evaluate_area_exit(east, "village", percent(19_999, 1_000_000))
    assert under.passed and under.figures["incidence"] == "1.9999"
    assert under.checks["incidence"].ok is True
    # 20,001 of 1,000,000 (2.0001 %) rounds to 2.00 % and is not below 2 %
    over = evaluate_area_exit(east, "village", percent(20_001, 1_000_000))
    assert not over.passed and over.reasons == ["贫困发生率2.0001%,未低于2%"]
    assert evaluate_area_exit(east, "village", Fraction(1, 3)).figures["incidence"] == "0.33", "far from the limit: 2 places"


def test_county_survey_rates_are_compared_exactly_both_ways():
    from fupin.indicators.rules import SurveyFigures as S
    county = "330102000000"

    def reasons(wrong: tuple[int, int], missed: tuple[int, int], approval: tuple[int, int]) -> list[str]:
        survey = S(sampled_exited=wrong[1], wrong_exits=wrong[0], sampled_households=missed[1],
                   missed_registrations=missed[0], approval_asked=approval[1], approval_yes=approval[0])
        return evaluate_area_exit(county, "county", Decimal("1"), survey).reasons

    assert reasons((1, 100), (1, 100), (90, 100)) == [], "well inside every limit, approval exactly 90 % is enough"
    # approval 89,999 of 100,000 = 89.999 % rounds to 90.00 % but is below 90 %
    assert reasons((1, 100), (1, 100), (89_999, 100_000)) == ["群众认可度89.999%,低于90%"]
    # approval 90,000 of 100,001 (89.99910…) is below 90 % though it rounds to 90.00 %
    assert reasons((1, 100), (1, 100), (90_000, 100_001)) == ["群众认可度89.999%,低于90%"]
    # 错退率 exactly 2 % fails, 1.9999 % (rounds to 2.00) passes, 2.0001 % fails
    assert reasons((2, 100), (1, 100), (95, 100)) == ["错退率2.00%,未低于2%"]
    assert reasons((19_999, 1_000_000), (1, 100), (95, 100)) == []
    assert reasons((20_001, 1_000_000), (1, 100), (95, 100)) == ["错退率2.0001%,未低于2%"]
    # 漏评率 likewise
    assert reasons((1, 100), (19_999, 1_000_000), (95, 100)) == []
    assert reasons((1, 100), (20_001, 1_000_000), (95, 100)) == ["漏评率2.0001%,未低于2%"]
    assert reasons((1, 100), (2, 100), (95, 100)) == ["漏评率2.00%,未低于2%"]


def test_the_engine_value_keeps_the_exact_ratio_behind_the_rounded_one():
    from fractions import Fraction

    from fupin.indicators.catalogue import BY_CODE
    from fupin.indicators.engine import _ratio
    value = _ratio(BY_CODE["poverty_incidence"], 19_999, 1_000_000)
    assert value.value == Decimal("2.00") and value.exact == Fraction(19_999, 10_000)
    assert evaluate_area_exit("330102100200", "village", value.exact).passed
    assert _ratio(BY_CODE["poverty_incidence"], 3, 0).exact is None
