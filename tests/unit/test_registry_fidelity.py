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
