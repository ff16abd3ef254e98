import datetime as dt

import pytest

from fupin.registry.idnumbers import make_id_number
from tests.e2e.journey import login as _login

pytestmark = pytest.mark.e2e


def test_village_cadre_registers_a_household_records_income_and_a_visit(page):
    _login(page, "demo_village", "demo-village-2026")
    page.goto("/registry/new")
    page.select_option("select[name=area_code]", "530326100200")
    page.select_option("select[name=main_cause]", "illness")
    page.fill("input[name=registration_year]", "2016")
    page.fill("input[name='members.0.name']", "测试户主")
    page.fill("input[name='members.0.id_number']", make_id_number("530326", dt.date(1961, 2, 3), 991))
    page.fill("input[name='members.1.name']", "测试配偶")
    page.select_option("select[name='members.1.relation']", "spouse")
    page.fill("input[name='members.1.id_number']", make_id_number("530326", dt.date(1963, 4, 5), 992))
    page.select_option("select[name='members.1.health']", "chronic")
    page.click("[data-testid=save-household]")
    page.wait_for_selector("[data-testid=household-title]")
    assert "测试户主" in page.locator("[data-testid=household-title]").inner_text()
    assert page.locator("[data-testid=members] tbody tr").count() == 2
    evaluation = page.locator("[data-testid=exit-evaluation]").inner_text()
    assert "暂不符合退出条件" in evaluation and "收入记录" in evaluation

    income = page.locator("[data-testid=income-form]")
    income.locator("input[name=year]").fill("2020")
    income.locator("input[name=wages]").fill("16000")
    income.locator("input[name=transfer_income]").fill("1200.50")
    income.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=incomes]")
    assert "8600.25" in page.locator("[data-testid=incomes]").inner_text()
    evaluation = page.locator("[data-testid=exit-evaluation]").inner_text()
    assert "收入记录" not in evaluation and "缺少2020年两不愁三保障核查" in evaluation

    page.fill("[data-testid=visit-form] textarea[name=found]", "老人慢性病需长期服药")
    page.fill("[data-testid=visit-form] textarea[name=done]", "联系村医每月随访")
    page.click("[data-testid=visit-submit]")
    page.wait_for_selector("text=联系村医每月随访")

    page.locator("#check summary").click()
    page.locator("[data-testid=check-form] button[type=submit]").click()
    page.wait_for_selector("[data-testid=exit-evaluation]")
    assert "符合退出条件" in page.locator("[data-testid=exit-evaluation]").inner_text()
    assert "暂不" not in page.locator("[data-testid=exit-evaluation]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1


def test_household_list_searches_and_opens_a_household(page):
    _login(page, "demo_village", "demo-village-2026")
    page.goto("/registry")
    first = page.locator("[data-testid=household-table] tbody tr td:nth-child(2) a").first
    number = first.inner_text()
    page.fill("[data-testid=search]", number)
    page.wait_for_function("document.querySelectorAll('[data-testid=household-table] tbody tr').length === 1")
    page.locator("[data-testid=household-table] tbody tr a").first.click()
    page.wait_for_selector("[data-testid=household-title]")
    assert number in page.locator("[data-testid=household-title]").inner_text()


def test_a_bad_new_household_form_comes_back_on_a_phone_with_what_was_typed_and_the_message_beside_the_field(page):
    _login(page, "demo_village", "demo-village-2026")
    page.goto("/registry/new")
    number = make_id_number("530326", dt.date(1962, 8, 9), 993)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    page.select_option("select[name=area_code]", "530326100200")
    page.fill("input[name=registration_year]", "2016")
    page.fill("input[name=phone]", "13800001111")
    page.fill("input[name='members.0.name']", "表单户主")
    page.fill("input[name='members.0.id_number']", wrong)
    page.click("[data-testid=save-household]")
    message = page.locator("[data-field='members.0.id_number']")
    message.wait_for()
    assert "校验位" in message.inner_text() and "身份证号" in page.locator("#f-members-0-id_number").evaluate(
        "e => e.closest('label').innerText")
    assert page.input_value("input[name='members.0.id_number']") == wrong, "what was typed is kept"
    assert page.input_value("input[name='members.0.name']") == "表单户主"
    assert page.input_value("input[name=phone]") == "13800001111"
    box = message.bounding_box()
    field = page.locator("input[name='members.0.id_number']").bounding_box()
    assert box is not None and field is not None and 0 <= box["y"] - field["y"] < 120, "beside its field"
    assert box["x"] + box["width"] <= 360 + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1


def test_on_a_phone_a_cadre_finds_a_household_by_pinyin_initials_and_taps_the_name(page):
    from fupin.registry.rules import name_initials

    _login(page, "demo_village", "demo-village-2026")
    page.goto("/registry")
    name = page.locator("[data-testid=household-link]").nth(3).inner_text()
    number = page.locator("[data-testid=household-table] tbody tr td:nth-child(2) a").nth(3).inner_text()
    page.fill("[data-testid=search]", name_initials(name))
    page.wait_for_function(f"[...document.querySelectorAll('[data-testid=household-table] tbody tr td:nth-child(2)')]"
                           f".some(td => td.innerText.trim() === '{number}')")
    link = page.locator("[data-testid=household-link]", has_text=name).first
    box = link.bounding_box()
    assert box is not None and box["x"] < 120, "the name is the first thing in the row"
    link.click()
    page.wait_for_selector("[data-testid=household-title]")
    assert name in page.locator("[data-testid=household-title]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
