import io
import re

import pytest
from docx import Document

from tests.e2e.journey import login as _login

pytestmark = pytest.mark.e2e


def test_dashboard_drills_from_a_county_figure_to_its_households_and_downloads_the_report(page):
    _login(page)
    page.goto("/indicators?area=530326000000")
    page.wait_for_selector("[data-testid=dashboard-title]")
    page.wait_for_selector("#trend-chart canvas")
    remaining = int(page.locator("[data-testid=fig-remaining_poor_households]").inner_text())
    assert remaining > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("[data-testid=fig-remaining_poor_households]")
    page.wait_for_selector("[data-testid=records-table]")
    rows = page.locator("[data-testid=records-table] tbody tr a[href^='/registry/households/']")
    assert rows.count() == min(remaining, 500)
    rows.first.click()
    page.wait_for_url(re.compile(r"/registry/households/\d+"))
    page.go_back()
    page.click("text=返回看板")
    page.wait_for_selector("[data-testid=report-docx]")
    page.click("[data-testid=report-docx]")  # the report is a background job: its page shows the progress
    page.wait_for_url(re.compile(r"/jobs/\w+$"))
    page.wait_for_selector("[data-testid=job-status][data-status=done]", timeout=60_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_download() as download_info:
        page.click("[data-testid=job-status] a[download]")
    path = download_info.value.path()
    text = "\n".join(p.text for p in Document(io.BytesIO(open(path, "rb").read())).paragraphs)
    assert "工作总结" in text and f"尚有未脱贫户{remaining}户" in text and "[remaining_poor_households]" not in text
