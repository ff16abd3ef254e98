import datetime as dt

import pytest

from fupin.employment.rules import (
    Candidate,
    age_on,
    classify,
    in_labour_registry,
    match_score,
    validate_placement,
)

DAY = dt.date(2024, 1, 1)


def test_age_counts_birthdays():
    assert age_on(dt.date(2000, 1, 2), DAY) == 23
    assert age_on(dt.date(2000, 1, 1), DAY) == 24


@pytest.mark.parametrize(("birth", "capacity", "schooling", "expected"), [
    (dt.date(1990, 5, 1), "normal", "not_in_school", True),
    (dt.date(2010, 5, 1), "normal", "not_in_school", False),
    (dt.date(1950, 5, 1), "normal", "not_in_school", False),
    (dt.date(1990, 5, 1), "lost", "not_in_school", False),
    (dt.date(2004, 5, 1), "normal", "college", False),
    (dt.date(1990, 5, 1), "weak", None, True),
])
def test_who_is_in_the_labour_registry(birth, capacity, schooling, expected):
    assert in_labour_registry(birth, capacity, schooling, DAY) is expected


def test_classification_of_the_three_groups():
    assert classify("weak", "none", None) == "three_none"
    assert classify("weak", "none", "缝纫") == "self_reliant"
    assert classify("skilled", "primary", None) == "self_reliant"
    assert classify("normal", "senior", None) == "self_reliant"
    assert classify("normal", "junior", None) == "needs_training"


def test_labour_export_needs_a_destination_and_public_welfare_posts_stay_in_the_county():
    start = dt.date(2023, 1, 1)
    def first(*args):  # type: ignore[no-untyped-def]
        problem = validate_placement(*args)[0]
        return problem.field, problem.code

    assert first("labour_export", "out_province", None, start, None) == (
        "destination", "employment.destination_required")
    assert validate_placement("labour_export", "out_province", "浙江省宁波市", start, None) == []
    assert first("public_welfare", "in_province", None, start, None) == (
        "work_place", "employment.public_welfare_in_county")
    assert first("workshop", "in_county", None, start, dt.date(2022, 1, 1)) == ("ended_on", "employment.end_before_start")
    assert first("lottery", "in_county", None, start, None) == ("source", "employment.invalid_choice")


def test_households_with_nobody_employed_are_proposed_first():
    nobody = Candidate(1, 10, "530326100200", "self_reliant", "", "local", 0, False)
    someone = Candidate(2, 11, "530326100200", "self_reliant", "缝纫", "local", 1, False)
    assert match_score(nobody, "530326100200", "缝纫", "in_county") > match_score(someone, "530326100200", "缝纫",
                                                                                  "in_county")
    assert match_score(Candidate(3, 12, "530326100200", "self_reliant", "", "local", 0, True), "530326100200",
                       None, "in_county") is None
    assert match_score(Candidate(4, 13, "530326100200", "three_none", "", "local", 0, False), "530326100200",
                       None, "out_province") is None
