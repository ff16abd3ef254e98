import re

import pytest

from tests.e2e.journey import login

pytestmark = pytest.mark.e2e


def test_a_refused_dissolution_comes_back_on_a_phone_with_the_date_kept_and_the_reason_beside_it(page):
    login(page)
    page.goto("/orgs")
    page.locator("[data-testid=org-tree] a").first.click()
    page.wait_for_url(re.compile(r"/orgs/\d+$"))
    form = page.locator("[data-testid=dissolve-form]")
    form.locator("input[name=day]").fill("1900-01-01")
    form.locator("input[name=note]").fill("撤并测试")
    form.locator("[data-testid=dissolve-submit]").click()
    page.wait_for_load_state()
    beside = form.locator("[data-field=day]")
    assert "撤销日期不能早于成立日期" in beside.inner_text()
    assert form.locator("input[name=day]").input_value() == "1900-01-01", "what was typed is kept"
    assert form.locator("input[name=note]").input_value() == "撤并测试"
    assert beside.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
