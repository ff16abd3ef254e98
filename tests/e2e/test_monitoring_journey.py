import datetime as dt
import re

import pytest

from tests.e2e.journey import login as _login

pytestmark = pytest.mark.e2e


def test_county_user_sees_each_type_and_the_warnings(page):
    _login(page)
    page.goto("/monitoring")
    for code in ("unstable", "marginal", "sudden"):
        assert int(page.locator(f"[data-testid=count-{code}]").inner_text()) >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto("/monitoring/warnings")
    assert page.locator("[data-testid=warnings-table] tbody tr").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_village_cadre_takes_a_warned_household_into_monitoring_and_records_a_step(page):
    _login(page, "demo_village", "demo-village-2026")
    page.goto("/monitoring/warnings")
    page.click("[data-testid=warnings-table] a.button >> nth=0")
    page.wait_for_selector("[data-testid=start-form]")
    household = page.locator("[data-testid=start-form] input[name=household_id]").input_value()
    assert household.isdigit()
    page.fill("[data-testid=start-form] input[name=note]", "走访发现,浏览器测试")
    page.click("[data-testid=start-form] button[type=submit]")  # no risk ticked: refused, what was typed kept
    page.wait_for_selector("[data-field=risk_types]")
    assert page.locator("[data-field=risk_types]").inner_text() == "风险类型:必填"
    assert page.locator("[data-testid=start-form] input[name=note]").input_value() == "走访发现,浏览器测试"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.check("[data-testid=start-form] input[name=risk_types][value=illness]")
    page.click("[data-testid=start-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/monitoring/\d+"))
    page.wait_for_selector("[data-testid=notice-ok]")
    assert page.locator("[data-testid=steps] li.done").count() == 0
    page.fill("[data-testid=step-form] input[name=happened_on]", "")
    page.click("[data-testid=step-form] button")
    page.wait_for_selector("[data-field=happened_on]")
    assert page.locator("[data-field=happened_on]").inner_text() == "日期:必填"
    page.fill("[data-testid=step-form] input[name=happened_on]", dt.date.today().isoformat())
    page.click("[data-testid=step-form] button")
    page.wait_for_selector("[data-testid=notice-ok]")
    assert page.locator("[data-testid=steps] li.done").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
