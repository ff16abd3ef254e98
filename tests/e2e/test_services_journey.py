"""At phone width (360 px): the grid leader files a request for a household of the grid, a township user assigns
it and marks it done, and the household's confirmation (recorded by the grid leader) closes it."""

import re

import pytest

from tests.e2e.journey import login

pytestmark = pytest.mark.e2e


def _fits(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _phone(browser, demo_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=demo_server, viewport={"width": 360, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_grid_leader_files_township_assigns_and_completes_household_confirms(page, browser, demo_server):
    login(page, "demo_grid", "demo-grid-2026")
    page.goto("/services/grid")
    households = int(page.locator("[data-testid=grid-households]").inner_text())
    assert households >= 1
    assert page.locator("[data-testid=grid-list] > li").count() == households, "the grid's households only"
    _fits(page)
    page.click("[data-testid=grid-list] > li >> nth=0 >> a[data-testid^=file-for-]")
    page.wait_for_selector("[data-testid=file-form]")
    household = page.locator("[data-testid=file-form] input[name=household_id]").input_value()
    assert household.isdigit()
    page.click("[data-testid=file-form] button[type=submit]")  # nothing asked: refused, beside its field
    page.wait_for_selector("[data-field=description]")
    assert page.locator("[data-testid=file-form] input[name=household_id]").input_value() == household
    _fits(page)
    page.select_option("[data-testid=file-form] select[name=category]", "documents")
    page.fill("[data-testid=file-form] textarea[name=description]", "补办户口本,浏览器测试")
    page.click("[data-testid=file-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/services/requests/\d+"))
    page.wait_for_selector("[data-testid=notice-ok]")
    assert page.locator("[data-testid=request-status]").inner_text() == "待交办"
    assert page.locator("[data-testid=assign-form]").count() == 0, "a grid leader does not assign"
    _fits(page)
    url = page.url

    context, township = _phone(browser, demo_server)
    try:
        login(township, "demo_township", "demo-township-2026")
        township.goto(url)
        township.fill("[data-testid=assign-form] input[name=handler]", "乡镇便民服务中心")
        township.click("[data-testid=assign-form] button[type=submit]")
        township.wait_for_selector("[data-testid=notice-ok]")
        assert township.locator("[data-testid=request-status]").inner_text() == "办理中"
        township.fill("[data-testid=complete-form] textarea[name=result]", "已补办并送达")
        township.check("[data-testid=complete-form] input[name=one_visit]")
        township.click("[data-testid=complete-form] button[type=submit]")
        township.wait_for_selector("[data-testid=notice-ok]")
        assert township.locator("[data-testid=request-status]").inner_text() == "已办结待确认"
        _fits(township)
    finally:
        context.close()

    page.goto(url)
    assert page.locator("[data-testid=complete-form]").count() == 0
    page.select_option("[data-testid=confirm-form] select[name=satisfaction]", "satisfied")
    page.click("[data-testid=confirm-form] button[type=submit]")
    page.wait_for_selector("[data-testid=notice-ok]")
    assert page.locator("[data-testid=request-status]").inner_text() == "群众已确认"
    assert page.locator("[data-testid=confirm-form]").count() == 0, "closed: no move left"
    moves = page.locator("[data-testid=events] li").evaluate_all("items => items.map(i => i.dataset.move)")
    assert moves == ["file", "assign", "complete", "confirm"]
    _fits(page)


def test_county_pages_fit_a_phone_and_the_dashboard_counts_requests_done_on_time(page):
    login(page)
    for path, marker in (("/services", "services-title"), ("/services/requests", "requests-table"),
                         ("/services/overdue", "overdue-table"), ("/services/wishes", "wishes-list"),
                         ("/services/teams", "teams-title"), ("/services/grid", "grid-title")):
        page.goto(path)
        page.wait_for_selector(f"[data-testid={marker}]")
        _fits(page)
    page.goto("/services?year=2020")
    assert int(page.locator("[data-testid=fig-on-time]").inner_text()) > 0
    page.goto("/indicators?year=2020")
    line = page.locator("[data-testid=action-list] li", has_text="按时办结诉求件数").inner_text()
    assert "尚未建成" not in line and re.search(r"[1-9]\d*", line.split(":")[-1]), line
    _fits(page)
