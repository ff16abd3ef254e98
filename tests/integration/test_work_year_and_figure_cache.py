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


def _snapshot(db, kind: str):
    from sqlalchemy import select

    from fupin.indicators.models import FigureSnapshot

    with db.session_factory() as session:
        return session.execute(select(FigureSnapshot).where(FigureSnapshot.kind == kind,
                                                           FigureSnapshot.area_code == "530326000000")).scalar_one()


def _age_dashboard_snapshot(db, seconds: float) -> None:
    from sqlalchemy import update

    from fupin.core.db import begin_write, utcnow
    from fupin.indicators.models import FigureSnapshot

    with db.session_factory() as session:
        begin_write(session)
        session.execute(update(FigureSnapshot).where(FigureSnapshot.kind == "dashboard")
                        .values(computed_at=utcnow() - dt.timedelta(seconds=seconds)))
        session.commit()


def test_pages_read_the_snapshot_the_worker_refreshes_and_compute_only_what_was_never_computed(db, caching,
                                                                                              monkeypatch):
    """Issue 11: no web process folds a county in a request once its snapshot exists; the job worker refreshes
    what people look at; a page computes only a snapshot never computed, or one no worker has kept fresh."""
    from fupin.core import jobs
    from fupin.indicators import engine, snapshots

    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    household(db, V1, members=3)
    population(db, V1, 100)
    real = engine.compute
    calls = []

    def counted(*args, **kwargs):
        if args[2:4] == ("530326000000", YEAR):  # the dashboard's (the home page shows the working year)
            calls.append(args[2:4])
        return real(*args, **kwargs)

    def forbidden(*args, **kwargs):
        if args[2:4] == ("530326000000", YEAR):
            raise AssertionError("a page folded the figures although a snapshot exists")
        return real(*args, **kwargs)

    dashboard = f"/indicators?area=530326000000&year={YEAR}"
    monkeypatch.setattr(engine, "compute", counted)
    with TestClient(create_app(db=db, run_jobs=False)) as web:
        _login(web, "county_a")
        assert _remaining(web.get(dashboard).text) == "1" and len(calls) == 1, "never computed: the page does it"
        computed = _snapshot(db, "dashboard").computed_at
        assert jobs.run_background(db) is False, "a fresh snapshot is not refreshed"

        household(db, V1, members=2)
        monkeypatch.setattr(engine, "compute", forbidden)
        assert _remaining(web.get(dashboard).text) == "1", "fresh: the snapshot as it is"
        _age_dashboard_snapshot(db, 700)  # older than the 600 s the figures may be
        with TestClient(create_app(db=db, run_jobs=False)) as other_process:
            _login(other_process, "county_a")
            page = other_process.get(dashboard).text
        assert _remaining(page) == "1" and "数据更新于 11 分钟前" in page, "stale: shown anyway, with its age"
        wanted = _snapshot(db, "dashboard")
        assert wanted.wanted_at > wanted.computed_at, "the stale page asked the worker for fresh figures"

        monkeypatch.setattr(engine, "compute", counted)
        assert jobs.run_background(db) is True and len(calls) == 2, "the worker folds it, once"
        refreshed = _snapshot(db, "dashboard")
        assert refreshed.computed_at > computed and refreshed.refreshing_since is None
        monkeypatch.setattr(engine, "compute", forbidden)
        assert _remaining(web.get(dashboard).text) == "2", "the page reads the worker's figures"
        assert jobs.run_background(db) is False

        # No worker kept it fresh for far too long: the page recomputes it rather than show day-old figures
        _age_dashboard_snapshot(db, 2 * 24 * 3600)
        household(db, V1, members=1)
        snapshots.FIGURES.clear()
        monkeypatch.setattr(engine, "compute", counted)
        assert _remaining(web.get(dashboard).text) == "3" and len(calls) == 3


def test_a_snapshot_round_trips_exactly():
    from decimal import Decimal

    from fupin.core.areacodes import AreaLevel
    from fupin.indicators import engine, snapshots
    from fupin.indicators.catalogue import BY_CODE

    value = engine.Value("poverty_incidence", Decimal("1.23"), 123, 10000, None, True)
    count = engine.Value("remaining_poor_households", 7)
    missing = engine.Value("employment_rate", None, None, 0, "分母为0,无法计算")
    table = engine.IndicatorTable(
        "530326000000", YEAR, dt.date(YEAR, 12, 31),
        [BY_CODE["poverty_incidence"], BY_CODE["remaining_poor_households"], BY_CODE["employment_rate"]],
        [engine.AreaFigures("530326000000", "会泽县", AreaLevel.county,
                            {"poverty_incidence": value, "remaining_poor_households": count,
                             "employment_rate": missing})],
        {"poverty_incidence": [Decimal("3.10"), None], "remaining_poor_people": [12, 0]})
    back = snapshots.table_of_json(snapshots.table_as_json(table))
    assert back == table
    assert back.rows[0].values["poverty_incidence"].exact == value.exact
    assert str(back.trend["poverty_incidence"][0]) == "3.10" and back.trend["remaining_poor_people"] == [12, 0]
