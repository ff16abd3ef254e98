"""core.scoping.found_as: a scoped look-up whose miss is the caller's own error, on the field that was sent."""

from __future__ import annotations

import pytest

from fupin.core.errors import NotFound, define
from fupin.core.scoping import found_as

STATION_NOT_FOUND = define("test.station_not_found", NotFound, "未找到服务站:{key}", "No station {key}")


def _stations(key: int) -> str:
    if key != 7:
        raise NotFound("服务站", key)
    return "城关服务站"


def test_what_the_look_up_finds_is_returned():
    assert found_as(STATION_NOT_FOUND, "station_id", 7, _stations) == "城关服务站"


@pytest.mark.parametrize("key", [8, 0, -1, 2**63, True])
def test_a_miss_or_a_key_no_database_holds_is_the_callers_error_on_its_field(key):
    with pytest.raises(NotFound) as raised:
        found_as(STATION_NOT_FOUND, "station_id", key, _stations)
    assert raised.value.code == "test.station_not_found" and raised.value.field == "station_id"
