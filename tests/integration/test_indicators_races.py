"""The area exit's exactly-once writes, raced through a served fupin on both databases: 20 posts of the same step
(or of the county's survey) released at one instant → exactly one recorded, the other 19 answer 409."""

import httpx
from sqlalchemy import func, select

from fupin.indicators.models import AreaExit, AreaExitStep, AreaExitSurvey
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_indicators import YEAR, household, population
from tests.served import api_token, race, statuses

RACERS = 20
COUNTY, V1 = "530326000000", "530326100200"
CONFLICTS = ("indicators.step_recorded", "indicators.exit_completed", "indicators.survey_exists",
             "core.concurrent_write")


def _count(db, model) -> int:
    with db.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def _once(answers: list[httpx.Response]) -> None:
    assert statuses(answers) == [201] + [409] * (RACERS - 1), [a.text for a in answers if a.status_code != 409]
    assert {a.json()["error"] for a in answers if a.status_code == 409} <= set(CONFLICTS)


def test_each_exit_step_and_the_survey_are_recorded_once(db, served):
    add_areas(db)
    household(db, V1, members=1)
    population(db, V1, 100)
    add_user(db, "county_a", "county", COUNTY)
    add_user(db, "province_a", "county", "530000000000")
    base = served(db)
    county, province = api_token(base, "county_a", PASSWORD), api_token(base, "province_a", PASSWORD)

    for number, step in enumerate(("proposal", "checks", "publicity", "approval"), start=1):
        answers = race(RACERS, lambda step=step: httpx.post(
            f"{base}/api/v1/indicators/area-exit/steps", headers=county, timeout=60,
            json={"area": V1, "year": YEAR, "step": step, "happened_on": "2019-12-01"}))
        _once(answers)
        assert (_count(db, AreaExit), _count(db, AreaExitStep)) == (1, number)

    survey = {"area": COUNTY, "year": YEAR, "sampled_exited": 10, "wrong_exits": 0, "sampled_households": 10,
              "missed_registrations": 0, "approval_asked": 10, "approval_yes": 10, "surveyed_on": "2019-12-01",
              "surveyor": "第三方评估组"}
    _once(race(RACERS, lambda: httpx.post(f"{base}/api/v1/indicators/area-exit/surveys", headers=province,
                                          timeout=60, json=survey)))
    assert _count(db, AreaExitSurvey) == 1


def _page_client(base: str, username: str) -> httpx.Client:
    import re

    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": "/"})
    return client


def test_web_processes_show_the_figures_the_worker_computed_not_their_own(db, served, monkeypatch):
    """Issue 11: two web processes (no worker inside them) read one snapshot; after the records change, the
    figures change on every process only once the worker (here: the test, as `fupin worker` would) refreshes
    it — a web process never refolds a county whose snapshot exists."""
    import re
    import time

    from fupin.core import jobs
    from fupin.core.settings import get_settings

    add_areas(db)
    household(db, V1, members=1)
    population(db, V1, 100)
    add_user(db, "county_a", "county", COUNTY)
    base = served(db, workers=2, extra_env={"FUPIN_FIGURE_CACHE_SECONDS": "1"})
    dashboard = f"/indicators?area={COUNTY}&year={YEAR}"

    def remaining(client: httpx.Client) -> str:
        page = client.get(dashboard)
        assert page.status_code == 200, page.text[-500:]
        return re.search(r'data-testid="fig-remaining_poor_households"[^>]*>(\d+)<', page.text).group(1)

    clients = [_page_client(base, "county_a") for _ in range(4)]  # spread over both processes
    try:
        assert {remaining(c) for c in clients} == {"1"}
        household(db, V1, members=2)
        time.sleep(1.2)  # the snapshot is now older than the 1 s its figures may be
        assert {remaining(c) for c in clients * 3} == {"1"}, "stale: every process shows the snapshot, none refolds"
        monkeypatch.setenv("FUPIN_FIGURE_CACHE_SECONDS", "1")  # the test is the worker: the served processes' setting
        get_settings.cache_clear()
        assert jobs.run_background(db) is True, "a page asked for fresher figures: the worker refolds once"
        assert {remaining(c) for c in clients * 3} == {"2"}, "every process shows the worker's figures"
    finally:
        for client in clients:
            client.close()
        monkeypatch.undo()
        get_settings.cache_clear()
