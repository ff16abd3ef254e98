"""Issue 17 item 12, the browser part of the page sweep (tests/integration/test_page_sweep.py crawls every page
as every role): at 360 px in headless Chromium, a few pages a cadre opens every day show words, never codes,
and fit the phone's width. Issue 17 item 13: the working year picked in the area picker holds on every page."""

import re

import pytest

from fupin.core.roles import Role
from tests.e2e.journey import login
from tests.integration.test_page_sweep import _codes, problems_of

pytestmark = pytest.mark.e2e

USERNAMES = {f"demo_{role.value}" for role in Role} | {"admin", "fupin"}  # user names are data, not codes
PAGES = ("/", "/indicators", "/monitoring", "/monitoring/thresholds", "/employment", "/relocation", "/audit", "/industry",
         "/industry/collective", "/incentives", "/incentives/results", "/services", "/services/requests",
         "/services/wishes", "/services/teams")


def test_daily_pages_at_360_px_show_words_and_keep_the_working_year(page):
    login(page)
    page.goto("/")
    page.locator("[data-testid=current-area]").click()
    page.select_option("[data-testid=work-year-form] select", "2019")
    page.wait_for_load_state("networkidle")
    for path in PAGES:
        page.goto(path)
        page.wait_for_load_state("domcontentloaded")
        assert page.locator("[data-testid=work-year]").inner_text() == "2019", path
        found, _links = problems_of(page.content(), USERNAMES, _codes())
        assert found == [], (path, found)
        assert page.evaluate("document.documentElement.scrollWidth") <= 362, path
    page.goto("/indicators")
    assert re.search(r"· 2019 ·", page.locator("[data-testid=dashboard-title]").inner_text())
