"""Steps shared by the browser journeys."""

import re


def login(page, username="demo_county", password="demo-county-2026"):  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(re.compile(r"/$"))
