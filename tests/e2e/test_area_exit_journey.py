import datetime as dt
import re

import pytest

from tests.e2e.journey import login as _login

pytestmark = pytest.mark.e2e

STEP_NAMES = {"proposal": "提出退出", "checks": "核查", "publicity": "公示", "approval": "审批退出"}


def test_township_cadre_opens_a_villages_exit_page_from_the_dashboard_and_proposes_its_exit(page):
    _login(page, "demo_township", "demo-township-2026")
    page.goto("/indicators")
    page.wait_for_selector("[data-testid=dashboard-title]")
    page.click("[data-testid=area-exit-link]")
    page.wait_for_selector("[data-testid=villages-table]")
    page.click("[data-testid=villages-table] a >> nth=0")
    page.wait_for_url(re.compile(r"/indicators/area-exit\?area=\d{12}&year=\d{4}"))
    assert "贫困村退出" in page.locator("[data-testid=exit-title]").inner_text()
    assert page.locator("[data-testid=exit-badge]").inner_text() in ("达到退出标准", "未达到退出标准")
    assert "贫困发生率" in page.locator("[data-testid=check-incidence]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1

    step = page.locator("[data-testid=step-form] input[name=step]").get_attribute("value")
    assert step == "proposal", "the township proposes a village's exit"
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    page.fill("[data-testid=step-form] input[name=happened_on]", tomorrow)
    page.fill("[data-testid=step-form] input[name=note]", "村两委会议提出,浏览器测试")
    page.click("[data-testid=step-submit]")
    page.wait_for_selector("[data-field=happened_on]")
    assert page.locator("[data-field=happened_on]").inner_text() == f"日期{tomorrow}晚于今天,不能登记未发生的事"
    assert page.locator("[data-testid=step-form] input[name=note]").input_value() == "村两委会议提出,浏览器测试"
    assert page.locator(f"[data-testid=timeline-{step}]").count() == 0, "nothing written"

    today = dt.date.today().isoformat()
    page.fill("[data-testid=step-form] input[name=happened_on]", today)
    page.click("[data-testid=step-submit]")
    page.wait_for_selector("[data-testid=saved]")
    entry = page.locator(f"[data-testid=timeline-{step}]").inner_text()
    assert entry == f"{today} {STEP_NAMES[step]} · demo_township · 村两委会议提出,浏览器测试"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
