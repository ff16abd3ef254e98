import re

import pytest

from tests.e2e.journey import login

pytestmark = pytest.mark.e2e


def _rate(page) -> float:  # type: ignore[no-untyped-def]
    text = page.locator("[data-testid=rate-household_helper]").inner_text()
    return float(text.rstrip("%"))


def test_county_user_reviews_and_applies_a_pairing_plan_and_sees_coverage_rise(page):
    login(page)

    page.goto("/orgs/coverage")
    before = _rate(page)
    assert before < 100, "the demo leaves households without a helper"
    assert page.locator("[data-testid=gaps-household_helper]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto("/pairing")
    page.click("[data-testid=make-plan]")
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f]+\?panel="))
    # The plan is computed by a background job: the page polls its progress, then links to the plan.
    page.locator("[data-testid=open-plan]").click(timeout=60_000)
    page.wait_for_url(re.compile(r"/pairing/plans/\d+$"))
    added = int(page.locator("[data-testid=plan-added]").inner_text())
    assert added > 0
    assert page.locator("[data-testid=diff-add] tr").count() > 1, "the diff lists the new pairs before applying"
    page.click("[data-testid=apply-plan]")
    assert "已应用" in page.locator("[data-testid=plan-applied]").inner_text()

    page.click("[data-testid=to-coverage]")
    page.wait_for_url(re.compile(r"/orgs/coverage$"))
    assert _rate(page) > before
