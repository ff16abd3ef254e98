import pytest

from tests.e2e.journey import login as _login

pytestmark = pytest.mark.e2e


def test_county_user_sees_each_type_and_moves_a_procedure_one_step(page):
    _login(page)
    page.goto("/monitoring")
    for code in ("unstable", "marginal", "sudden"):
        assert int(page.locator(f"[data-testid=count-{code}]").inner_text()) >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto("/monitoring?status=identifying")
    page.click("[data-testid=monitored-table] a >> nth=0")
    page.wait_for_selector("[data-testid=monitored-title]")
    before = page.locator("[data-testid=steps] li.done").count()
    page.click("[data-testid=step-form] button")
    page.wait_for_selector("[data-testid=notice-ok]")
    assert page.locator("[data-testid=steps] li.done").count() == before + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto("/monitoring/warnings")
    assert page.locator("[data-testid=warnings-table] tbody tr").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
