"""Issue 17 item 13: every page opens on one working year, changed in the area picker and kept for the session.
Issue 11: the dashboard and the home page's figures are computed once per interval for everybody of a scope."""

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from fupin.core.cache import FIGURES
from fupin.core.settings import get_settings
from fupin.web.app import create_app
from fupin.web.workyear import WORK_YEAR_COOKIE
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_indicators import YEAR, household, population

V1 = "530326100200"


def _login(client, username):
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": "/"})


def _years(client, household_id) -> dict[str, str]:
    """The year each page opened on, as the page itself says it."""
    dashboard = client.get("/indicators?area=530326000000").text
    employment = client.get("/employment").text
    ledger = client.get(f"/registry/households/{household_id}").text
    home = client.get("/").text
    return {
        "dashboard": re.search(r'data-testid="dashboard-title">[^<]*· (\d{4}) ·', dashboard).group(1),
        "employment": re.search(r'data-testid="employment-title">[^<]*· (\d{4})<', employment).group(1),
        "exit check": re.search(r'<option value="(\d{4})" selected>', ledger).group(1),
        "home": re.search(r'data-testid="home-indicators">\s*<h2>.*?· (\d{4})</h2>', home, re.S).group(1),
        "picker": re.search(r'data-testid="work-year">(\d{4})<', home).group(1),
    }


def test_every_page_opens_on_the_working_year_and_the_picker_changes_it_for_the_session(sqlite_db, monkeypatch):
    db = sqlite_db
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    first = household(db, V1, members=3)
    population(db, V1, 100)
    this_year = str(dt.date.today().year)
    with TestClient(create_app(db=db)) as client:
        _login(client, "county_a")
        assert set(_years(client, first).values()) == {this_year}, "one year everywhere: the current one"
        picked = client.get(f"/year?year={YEAR}&next=/employment", follow_redirects=False)
        assert picked.status_code == 303 and picked.headers["location"] == "/employment"
        assert set(_years(client, first).values()) == {str(YEAR)}, "the picked year, on every page"
        # A year asked for on one page is kept for the next one too
        client.get("/indicators?area=530326000000&year=2018")
        assert set(_years(client, first).values()) == {"2018"}
        # Nonsense is ignored, never a crash and never kept
        assert client.get("/year?year=abc&next=//evil.example", follow_redirects=False).headers["location"] == "/"
        assert client.get("/employment?year=99999").status_code == 200
        assert set(_years(client, first).values()) == {"2018"}
    # A fresh session opens on the configured working year
    monkeypatch.setenv("FUPIN_WORK_YEAR", str(YEAR))
    get_settings.cache_clear()
    try:
        with TestClient(create_app(db=db)) as client:
            _login(client, "county_a")
            assert WORK_YEAR_COOKIE not in client.cookies
            assert set(_years(client, first).values()) == {str(YEAR)}
    finally:
        monkeypatch.delenv("FUPIN_WORK_YEAR")
        get_settings.cache_clear()


@pytest.fixture
def caching(monkeypatch):
    monkeypatch.setenv("FUPIN_FIGURE_CACHE_SECONDS", "600")
    get_settings.cache_clear()
    FIGURES.clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()
    FIGURES.clear()


def _remaining(page: str) -> str:
    return re.search(r'data-testid="fig-remaining_poor_households"[^>]*>(\d+)<', page).group(1)


def test_the_dashboard_is_computed_once_per_interval_per_scope_area_and_year(db, caching, monkeypatch):
    from fupin.indicators import engine

    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    add_user(db, "county_a2", "county", "530326000000")
    add_user(db, "village_a", "village", V1)
    add_user(db, "county_b", "county", "530321000000")
    household(db, V1, members=3)
    household(db, "530321100200", members=2)
    population(db, V1, 100)
    calls = []
    real = engine.compute
    monkeypatch.setattr(engine, "compute", lambda *a, **k: calls.append(a[2:4]) or real(*a, **k))
    with TestClient(create_app(db=db)) as one, TestClient(create_app(db=db)) as two:
        _login(one, "county_a")
        _login(two, "county_a2")
        first = one.get(f"/indicators?area=530326000000&year={YEAR}").text
        assert _remaining(first) == "1" and 'data-testid="figures-age"' in first
        household(db, V1, members=1)  # a new record: the cached figures may be this old, and say so
        second = two.get(f"/indicators?area=530326000000&year={YEAR}").text
        assert _remaining(second) == "1", "the second user of the county shares the first one's computation"
        assert calls.count(("530326000000", YEAR)) == 1
        # Another year or another area is its own entry
        assert _remaining(one.get(f"/indicators?area=530326000000&year={YEAR - 1}").text) == "2"
        assert _remaining(one.get(f"/indicators?area={V1}&year={YEAR}").text) == "2"
    with TestClient(create_app(db=db)) as village, TestClient(create_app(db=db)) as other:
        _login(village, "village_a")
        _login(other, "county_b")
        # A different scope never reads the county's entry, and never sees outside its own
        assert _remaining(village.get(f"/indicators?area={V1}&year={YEAR}").text) == "2"
        assert other.get(f"/indicators?area=530326000000&year={YEAR}").status_code == 404
        assert _remaining(other.get(f"/indicators?area=530321000000&year={YEAR}").text) == "1"
        home = village.get(f"/?year={YEAR}").text
        assert 'data-testid="home-indicators"' in home and 'data-testid="figures-age"' in home


def test_the_home_figures_are_shared_within_a_scope_and_show_their_age(sqlite_db, caching, monkeypatch):
    import time

    from fupin.indicators import engine

    db = sqlite_db
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    add_user(db, "county_a2", "county", "530326000000")
    household(db, V1, members=3)
    population(db, V1, 100)
    calls = []
    real = engine.compute
    monkeypatch.setattr(engine, "compute", lambda *a, **k: calls.append(a[2:4]) or real(*a, **k))
    with TestClient(create_app(db=db)) as one, TestClient(create_app(db=db)) as two:
        _login(one, "county_a")
        _login(two, "county_a2")
        assert "数据刚刚更新" in one.get(f"/?year={YEAR}").text
        clock = time.time() + 42
        monkeypatch.setattr(time, "time", lambda: clock)
        later = two.get(f"/?year={YEAR}").text
        assert "数据更新于 42 秒前" in later, "the other user of the county reads the same figures, 42 s old"
        assert calls.count(("530326000000", YEAR)) == 1
