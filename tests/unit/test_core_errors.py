"""Error codes: declared once, rendered in the caller's language, any value names allowed."""

from __future__ import annotations

import pytest

from fupin.core import i18n
from fupin.core.errors import Conflict, NotFound, catalogue, define


def test_a_code_renders_its_values_in_chinese_and_english():
    code = define("test.sample", Conflict, "区划{code}已有“{name}”", "Area {code} has {name}")
    error = code(field="name", code="530326", name="第一组")
    assert (error.code, error.status_code, error.field) == ("test.sample", 409, "name")
    assert error.message == "区划530326已有“第一组”"
    assert error.message_in("en") == "Area 530326 has 第一组"
    token = i18n.current_locale.set("en")
    try:
        assert str(error) == "Area 530326 has 第一组"
    finally:
        i18n.current_locale.reset(token)


def test_not_found_takes_a_code_or_an_entity():
    code = define("test.missing", NotFound, "没有{key}", "No {key}")
    assert code(key=7).message == "没有7" and code(key=7).code == "test.missing"
    plain = NotFound("区划", "999")
    assert plain.code == "core.not_found" and plain.message == "未找到区划:999"


def test_a_code_is_declared_once():
    define("test.once", Conflict, "一", "one")
    define("test.once", Conflict, "一", "one")  # the same declaration again (a re-imported module) is fine
    with pytest.raises(ValueError):
        define("test.once", Conflict, "二", "two")
    assert "test.once" in catalogue()
