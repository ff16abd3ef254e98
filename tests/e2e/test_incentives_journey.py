"""The shop clerk's redemption on a phone (360 px): find the household, pick goods, confirm, receipt — and the
balance and the stock fall by what was taken. She sees her own shop only."""

import re

import pytest

from tests.e2e.journey import login as _login

pytestmark = pytest.mark.e2e


def _fits(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_shop_clerk_redeems_goods_and_sees_balance_and_stock_fall(page):
    _login(page, "demo_shop_clerk", "demo-shop_clerk-2026")
    page.goto("/incentives")
    assert page.locator("[data-testid=shops] tbody tr").count() == 1  # her shop only
    _fits(page)
    page.click("[data-testid=shops] a.button")
    page.wait_for_url(re.compile(r"/incentives/shops/\d+/redeem"))
    shop_path = page.url.split("/redeem")[0]
    page.fill("[data-testid=find-form] input[name=q]", "530326100200")
    page.click("[data-testid=find-form] button")
    page.wait_for_selector("[data-testid=pick-household]")
    _fits(page)
    balances = [int(t) for t in page.locator("[data-testid=found] tbody tr td:nth-child(3)").all_inner_texts()]
    richest = balances.index(max(balances))
    assert balances[richest] >= 30
    page.locator("[data-testid=pick-household]").nth(richest).click()
    page.wait_for_selector("[data-testid=pick-form]")
    _fits(page)
    balance = int(page.locator("[data-testid=balance]").inner_text())
    quantity = page.locator("[data-testid=pick-form] input[type=number]").first
    goods_id = quantity.get_attribute("data-testid").removeprefix("qty-")
    stock = int(page.locator(f"[data-testid=stock-{goods_id}]").inner_text())
    price = int(page.locator("[data-testid=goods] tbody tr").first.locator("td").nth(1).inner_text())
    quantity.fill("1")
    page.click("[data-testid=next]")
    page.wait_for_selector("[data-testid=confirm-form]")
    _fits(page)
    assert int(page.locator("[data-testid=total]").inner_text()) == price
    assert int(page.locator("[data-testid=balance-after]").inner_text()) == balance - price
    page.click("[data-testid=confirm]")
    page.wait_for_url(re.compile(r"/incentives/redemptions/\d+"))
    assert int(page.locator("[data-testid=receipt-total]").inner_text()) == price
    assert int(page.locator("[data-testid=receipt-balance]").inner_text()) == balance - price
    _fits(page)
    page.goto(f"{shop_path}/redeem?q=530326100200")
    page.locator("[data-testid=pick-household]").nth(richest).click()
    page.wait_for_selector("[data-testid=pick-form]")
    assert int(page.locator("[data-testid=balance]").inner_text()) == balance - price
    assert int(page.locator(f"[data-testid=stock-{goods_id}]").inner_text()) == stock - 1
    other = int(shop_path.rsplit("/", 1)[1]) + 1
    page.goto(f"/incentives/shops/{other}")
    assert page.locator("[data-error-code]").get_attribute("data-error-code") == "incentives.shop_not_found"


def test_county_user_reads_rules_shops_and_the_published_ranking_on_a_phone(page):
    _login(page)
    page.goto("/incentives")
    assert page.locator("[data-testid=rules] tbody tr").count() >= 5
    assert page.locator("[data-testid=shops] tbody tr").count() == 2
    _fits(page)
    page.click("[data-testid=scorecards] a >> text=红旗村")
    page.wait_for_selector("[data-testid=results]")
    ranks = [int(t) for t in page.locator("[data-testid=results] tbody tr td:first-child").all_inner_texts()]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert page.locator("[data-testid=results]").inner_text().count("一票否决") == 1
    _fits(page)
    page.goto("/incentives")
    page.click("[data-testid=scorecards] a >> text=星级化")
    page.wait_for_selector("[data-testid=score-form]")
    _fits(page)
    page.goto("/incentives/results")
    _fits(page)
