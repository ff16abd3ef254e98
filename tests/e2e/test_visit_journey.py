"""A village cadre on a phone logs a visit to one of his households and sees the pairing page count it (issue 17,
item 9). The demo links its village login to the cadre with most households in the first village."""

import re

import pytest

from tests.e2e.journey import login

pytestmark = pytest.mark.e2e


def _visited(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.locator("[data-testid=follow-up-visited]").inner_text())


def test_a_cadre_logs_a_visit_on_a_phone_and_the_pairing_page_counts_it(page):
    login(page, "demo_village", "demo-village-2026")
    page.goto("/pairing")
    before = _visited(page)
    pairs = int(page.locator("[data-testid=follow-up-pairs]").inner_text())
    assert before < pairs, "the demo's visits predate the 30 days"
    assert page.locator("[data-testid=my-household]").count() > 0, "the village login is a cadre with households"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator("[data-testid=my-household]").first.click()
    page.wait_for_url(re.compile(r"/registry/households/\d+"))
    chosen = page.locator("[data-testid=visit-cadre] option:checked").inner_text()
    assert "本人" in chosen, "the visit is the logged-in cadre's by default"
    page.fill("[data-testid=visit-form] textarea[name=found]", "老人慢性病需长期服药")
    page.fill("[data-testid=visit-form] textarea[name=done]", "联系村医上门随访")
    page.click("[data-testid=visit-submit]")
    page.wait_for_url(re.compile(r"saved=visit"))
    assert "老人慢性病需长期服药" in page.locator("[data-testid=visits]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto("/pairing")
    assert _visited(page) == before + 1
