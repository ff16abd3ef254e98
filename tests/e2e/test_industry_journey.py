import re

import pytest

from tests.e2e.journey import login as _login

pytestmark = pytest.mark.e2e


def test_county_user_confirms_the_previewed_profit_and_a_member_sees_the_dividend(page):
    _login(page)
    page.goto("/industry")
    page.click("text=天福菌业有限公司")
    page.wait_for_selector("[data-testid=chain-diagram]")
    assert int(page.locator("[data-testid=member-count]").inner_text()) >= 100
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("[data-testid=runs-table] a >> text=2018秋")
    page.wait_for_selector("[data-testid=run-title]")
    assert page.locator("[data-testid=run-status]").inner_text() == "试算"
    assert page.locator("[data-testid=enterprise-part]").inner_text() == "288000.00"  # 40 % of 720,000
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("[data-testid=confirm-run]")
    page.wait_for_selector("[data-testid=notice-ok]")
    assert page.locator("[data-testid=run-status]").inner_text() == "已确认"
    assert page.locator("[data-testid=confirm-run]").count() == 0
    page.click("[data-testid=village-households] summary >> nth=0")
    page.click("[data-testid=village-households][open] table a >> nth=0")
    page.wait_for_url(re.compile(r"/registry/households/\d+"))
    page.wait_for_selector("[data-testid=household-industry]")
    assert "天福菌业有限公司" in page.locator("#industry").inner_text()
    assert "2018秋" in page.locator("#industry").inner_text()


def test_entity_clerk_sees_only_their_entity(page):
    _login(page, "demo_entity_clerk", "demo-entity_clerk-2026")
    page.goto("/industry")
    rows = page.locator("[data-testid=entities-table] tbody tr")
    assert rows.count() == 1 and "天福菌业有限公司" in rows.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
