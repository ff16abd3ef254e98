import re

import pytest

pytestmark = pytest.mark.e2e


def test_village_user_logs_in_sees_home_switches_to_english_and_logs_out(page, demo_server):
    page.goto("/")
    assert "/login" in page.url
    page.fill("input[name=username]", "demo_village")
    page.fill("input[name=password]", "demo-village-2026")
    page.click("[data-testid=login-submit]")
    page.wait_for_url(re.compile(r"/$"))
    assert page.locator("[data-testid=home-title]").inner_text().startswith("工作台")
    households = int(page.locator("[data-testid=fig-households]").inner_text().replace(",", ""))
    assert households > 0
    # The layout fits a 360-px-wide phone: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.click("[data-testid=lang-en]")
    page.wait_for_selector("text=Workbench")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Registered households" in page.content()

    page.locator(".user-menu summary").click()
    page.click("[data-testid=logout]")
    page.wait_for_url(re.compile(r"/login"))
    page.goto("/")
    assert "/login" in page.url, "after logout the session no longer opens pages"


def test_wrong_password_shows_a_chinese_error(page):
    page.goto("/login")
    page.fill("input[name=username]", "demo_village")
    page.fill("input[name=password]", "not-the-password-1")
    page.click("[data-testid=login-submit]")
    assert "用户名或密码错误" in page.locator("[data-testid=login-error]").inner_text()
