import datetime as dt

import pytest
from stdnum.cn import ric

from fupin.core.security_text import mask_id_number
from fupin.registry.idnumbers import birth_date_of, id_hash, make_id_number, sex_of
from fupin.registry.idrules import check_id_number, convert_15_to_18

TODAY = dt.date(2026, 11, 23)


def test_generated_numbers_encode_sex_and_birth_and_pass_our_check():
    number = make_id_number("530326", dt.date(1990, 3, 7), 123)
    assert check_id_number(number, TODAY).ok
    assert sex_of(number) == "M"
    assert birth_date_of(number) == dt.date(1990, 3, 7)
    assert sex_of(make_id_number("530326", dt.date(1990, 3, 7), 124)) == "F"


def test_real_world_wins_over_stdnum_on_region_codes_of_older_people():
    # 530326 会泽县 "exists from 1997" in stdnum's table, so stdnum refuses a 1960-born 会泽 resident.
    # Real cards carry the region where they were issued: such numbers are everywhere in 会泽.
    number = make_id_number("530326", dt.date(1960, 5, 1), 11)
    assert not ric.is_valid(number)
    assert check_id_number(number, TODAY).ok


def test_future_birth_dates_are_refused_although_stdnum_accepts_them():
    number = make_id_number("530326", dt.date(2030, 1, 1), 11)
    assert ric.is_valid(number)
    assert "晚于今天" in check_id_number(number, TODAY).error


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "不能为空"),
        ("5303261990030712", "18位"),
        ("53032619900307123A", "前17位"),
        ("530326199002301234", "出生日期19900230不存在"),
        ("530326199003071230", "校验位错误"),
        ("999999199003071231", "地区码"),
    ],
)
def test_each_bad_number_has_its_own_reason(raw, fragment):
    if fragment == "地区码":
        raw = raw[:17] + ric.calc_check_digit(raw)
    result = check_id_number(raw, TODAY)
    assert not result.ok and fragment in result.error


def test_fifteen_digit_numbers_are_converted():
    result = check_id_number("530326600501011", TODAY)
    assert result.ok and result.converted_from_15
    assert result.number == convert_15_to_18("530326600501011") == "53032619600501011" + result.number[-1]


def test_lower_case_x_is_accepted():
    number = next(make_id_number("530326", dt.date(1985, 1, 1), s) for s in range(1, 999, 2)
                  if make_id_number("530326", dt.date(1985, 1, 1), s).endswith("X"))
    assert check_id_number(number.lower(), TODAY).number == number


def test_hash_is_keyed_and_case_insensitive_on_x():
    a = id_hash(b"k1", "53032619900101123x")
    assert a == id_hash(b"k1", "53032619900101123X")
    assert a != id_hash(b"k2", "53032619900101123X")


def test_masking_hides_every_digit_of_the_birth_date_and_most_of_the_sequence():
    assert mask_id_number("53032619900101123X") == "530326**********3X"
    assert mask_id_number("530326900101123") == "530326*******23"
    assert mask_id_number(None) == ""
