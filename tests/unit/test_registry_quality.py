import datetime as dt
from decimal import Decimal

from fupin.registry.quality import RULES, HouseholdSnapshot, IncomeFacts, MemberFacts
from fupin.registry.rules import IncomeFigures

TODAY = dt.date(2024, 6, 1)


def _member(name="甲", relation="head", birth=dt.date(1970, 1, 1), health="healthy", grade=None, labour="normal",
            schooling="not_in_school", public_funded=False):
    return MemberFacts(1, name, relation, birth, health, grade, labour, schooling, public_funded)


def _household(**overrides):
    values = dict(id=1, household_no="H1", area_code="530326100200", head_name="甲", poverty_attribute="general",
                  main_cause="no_skill", status="helped", member_count=1, has_vehicle=None, has_commercial_flat=None,
                  runs_business=None, members=[_member()], income=None, helpers=1)
    values.update(overrides)
    return HouseholdSnapshot(**values)


def _run(code, household):
    return list(RULES[code][1](household, TODAY))


def test_every_rule_finds_its_planted_case_and_leaves_a_clean_household_alone():
    clean = _household()
    for code in RULES:
        assert _run(code, clean) == [], code
    planted = {
        "illness_without_sick_member": _household(main_cause="illness"),
        "disability_without_disabled_member": _household(main_cause="disability"),
        "tekun_with_able_worker": _household(poverty_attribute="tekun"),
        "child_not_in_school": _household(members=[_member(), _member("乙", "son", dt.date(2014, 3, 1))]),
        "relation_contradicts_age": _household(members=[_member(), _member("乙", "son", dt.date(1960, 3, 1))]),
        "no_helper": _household(helpers=0),
        "income_inconsistent": _household(income=IncomeFacts(2020, 1, IncomeFigures(
            Decimal(5000), Decimal(0), Decimal(0), Decimal(0), Decimal(0), 1), Decimal("6000.00"))),
        "exclusion_signals": _household(has_vehicle=True, members=[_member(public_funded=True)]),
    }
    assert set(planted) == set(RULES), "every rule has a planted case"
    for code, household in planted.items():
        findings = _run(code, household)
        assert findings and findings[0].rule == code and findings[0].hint, code


def test_fixing_the_planted_case_clears_the_finding():
    sick = _household(main_cause="illness", members=[_member(health="chronic")])
    assert _run("illness_without_sick_member", sick) == []
    pupil = _household(members=[_member(), _member("乙", "son", dt.date(2014, 3, 1), schooling="primary")])
    assert _run("child_not_in_school", pupil) == []
    unknown_pairing = _household(helpers=None)
    assert _run("no_helper", unknown_pairing) == [], "no pairing data is not a gap"


def test_a_child_who_finished_junior_school_or_is_taught_at_home_is_not_flagged():
    finished = MemberFacts(2, "乙", "son", dt.date(2009, 3, 1), "healthy", None, "normal", "not_in_school", False,
                           "junior")
    at_home = _member("丙", "son", dt.date(2014, 3, 1), schooling="home_schooling")
    left_early = MemberFacts(3, "丁", "son", dt.date(2009, 3, 1), "healthy", None, "normal", "not_in_school", False,
                             "primary")
    assert _run("child_not_in_school", _household(members=[_member(), finished, at_home])) == []
    assert [f.problem[:1] for f in _run("child_not_in_school", _household(members=[_member(), left_early]))] == ["丁"]
