import pytest

from fupin.core.areacodes import (
    AreaCodeError,
    AreaLevel,
    ancestors_of,
    code_at_level,
    level_of,
    parent_of,
    prefix_of,
    prefix_upper_bound,
    region_of,
    validate_code,
)
from fupin.core.scoping import Scope


@pytest.mark.parametrize(
    ("code", "level", "prefix", "parent"),
    [
        ("530000000000", AreaLevel.province, "53", None),
        ("530300000000", AreaLevel.prefecture, "5303", "530000000000"),
        ("530326000000", AreaLevel.county, "530326", "530300000000"),
        ("530326100000", AreaLevel.township, "530326100", "530326000000"),
        ("530326100201", AreaLevel.village, "530326100201", "530326100000"),
        ("530326100201003", AreaLevel.group, "530326100201003", "530326100201"),
        # 东莞: townships sit directly under the prefecture, the county part is 00.
        ("441900003000", AreaLevel.township, "441900003", "441900000000"),
    ],
)
def test_levels_prefixes_and_parents(code, level, prefix, parent):
    assert level_of(code) == level
    assert prefix_of(code) == prefix
    assert parent_of(code) == parent


def test_ancestors_top_down():
    assert ancestors_of("530326100201") == ["530000000000", "530300000000", "530326000000", "530326100000"]
    assert code_at_level("530326100201003", AreaLevel.county) == "530326000000"


def test_six_digit_codes_are_padded_and_bad_codes_refused_in_chinese():
    assert validate_code("530326") == "530326000000"
    assert validate_code("441900003000") == "441900003000"
    for bad, fragment in [("5303", "12位"), ("53032610020A", "数字"), ("000000000000", "省级"), ("", "数字")]:
        with pytest.raises(AreaCodeError, match=fragment):
            validate_code(bad)


def test_upper_bound_gives_index_ranges():
    assert prefix_upper_bound("530326") == "530327"
    assert prefix_upper_bound("5399") == "5400"
    assert prefix_upper_bound("99") is None
    assert prefix_upper_bound("") is None


def test_scope_contains_exactly_its_subtree():
    village = Scope.of_area("530326100201")
    assert village.contains("530326100201")
    assert village.contains("530326100201003")
    assert not village.contains("530326100202")
    assert not village.contains("530326100200")
    county = Scope.of_area("530326000000")
    assert county.contains("530326100201") and not county.contains("530327000000")
    assert Scope.everything().contains("110101000000")


def test_regions_east_central_west():
    assert region_of("530326000000").value == "west"
    assert region_of("340000000000").value == "central"
    assert region_of("320000000000").value == "east"
    assert region_of("210000000000").value == "east"  # 辽宁 counts as east in poverty policy


def test_demo_village_names_stay_unique_beyond_the_syllable_space():
    import random

    from fupin.areas.demo import _unique_name

    used: set[str] = set()
    rng = random.Random(1)
    names = [_unique_name(rng.choice("大小") + rng.choice("河沟"), used) for _ in range(2000)]
    assert len(set(names)) == 2000
