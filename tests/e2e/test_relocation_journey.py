import pytest

from tests.e2e.journey import login as _login

pytestmark = pytest.mark.e2e


def test_county_user_runs_a_lottery_dry_run_on_the_demo_site_and_opens_a_grid(page):
    _login(page)
    page.goto("/relocation")
    page.click("[data-testid=sites-table] a")
    page.wait_for_selector("[data-testid=site-title]")
    moved_in = int(page.locator("[data-testid=fig-moved-in]").inner_text())
    assert moved_in > 0
    page.click("[data-testid=link-lottery]")
    waiting = int(page.locator("[data-testid=fig-waiting]").inner_text())
    assert waiting > 0, "the demo leaves households for the next round"
    page.fill("[data-testid=lottery-seed]", "演示-2026")
    page.click("[data-testid=lottery-dry-run]")
    result = page.wait_for_selector("[data-testid=lottery-dry-result]")
    assert "未写入" in result.inner_text()
    assert page.locator("[data-testid=lottery-lines] tbody tr").count() == waiting
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.reload()
    assert int(page.locator("[data-testid=fig-waiting]").inner_text()) == waiting, "a dry run allocates nothing"

    page.goto(page.url.replace("/lottery", "/grids"))
    page.wait_for_selector("[data-testid=grid-map]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("[data-testid=grid-link] >> nth=0")
    page.wait_for_selector("[data-testid=grid-title]")
    assert page.locator("[data-testid=grid-households] tbody tr").count() >= 5
    assert page.locator("[data-testid=grid-leader]").inner_text().strip()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_employment_figures_open_the_list_behind_a_number(page):
    _login(page)
    page.goto("/employment?year=2023")
    employed = int(page.locator("[data-testid=fig-employed]").inner_text())
    assert employed > 0
    page.click("[data-testid=fig-employed] a")
    page.wait_for_selector("[data-testid=figure-list]")
    assert page.locator("[data-testid=figure-list] tbody tr").count() == min(employed, 500)


def test_a_bad_building_form_on_a_phone_keeps_what_was_typed_and_says_why_beside_the_field(page):
    _login(page)
    page.goto("/relocation")
    page.click("[data-testid=sites-table] a")
    page.wait_for_selector("[data-testid=building-form]")
    form = page.locator("[data-testid=building-form]")
    form.locator("input[name=name]").fill("9幢")
    form.locator("input[name=floors]").fill("6")
    form.locator("input[name=unit_areas]").fill("75,一百")
    form.locator("button[type=submit]").click()
    error = page.wait_for_selector("[data-testid=building-form] .field-error[data-field=unit_areas]")
    assert "每层各套面积" in error.inner_text() and "数字" in error.inner_text()
    assert form.locator("input[name=unit_areas]").input_value() == "75,一百"
    assert form.locator("input[name=name]").input_value() == "9幢"
    assert page.locator("[data-testid=form-error]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
