"""Exactly-once use cases of employment, raced through a served process on SQLite and PostgreSQL: 20 requests
released at the same instant → exactly one success, the rest 409 with a code, nothing written twice."""

from __future__ import annotations

from collections import Counter

import httpx
from sqlalchemy import func, select

from fupin.core.audit import AuditEntry
from fupin.employment.models import HouseholdEmployment, JobPlacement
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_employment import add_household, add_worker, place
from tests.served import api_token, race, statuses

RACERS = 20
VILLAGE = "530326100200"


def _codes(answers: list[httpx.Response]) -> Counter[str]:
    return Counter(a.json().get("error", "ok") for a in answers)


def _county(db) -> None:  # type: ignore[no-untyped-def]
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")


def test_twenty_ends_of_one_job_end_it_once(db, served):
    """Decision (docs/decisions_employment.md): a second end is refused with 409 `employment.placement_ended`
    and the date of the first; it is not an idempotent success, so a form sent twice never moves the date."""
    _county(db)
    household, (person, other) = add_household(db, VILLAGE, [{"age": 30}, {"age": 32}])
    placement = place(db, add_worker(db, person), "workshop")
    place(db, add_worker(db, other), "enterprise")
    base = served(db)
    token = api_token(base, "county_a", PASSWORD)
    days = iter(range(1, RACERS + 1))
    answers = race(RACERS, lambda: httpx.post(f"{base}/api/v1/employment/placements/{placement}/end", headers=token,
                                              json={"ended_on": f"2023-10-{next(days):02d}"}, timeout=60))
    assert statuses(answers) == [200] + [409] * (RACERS - 1)
    assert _codes(answers) == {"ok": 1, "employment.placement_ended": RACERS - 1}
    winner = next(a.json() for a in answers if a.status_code == 200)
    with db.session_factory() as session:
        assert session.get(JobPlacement, placement).ended_on.isoformat() == winner["ended_on"]
        assert session.get(HouseholdEmployment, household).employed_members == 1
        ends = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity == "job_placement", AuditEntry.entity_id == str(placement),
            AuditEntry.action == "update"))
        assert ends == 1


def test_twenty_acceptances_of_one_position_place_one_worker(db, served):
    _county(db)
    workers = [add_worker(db, add_household(db, VILLAGE, [{"age": 20 + i}])[1][0]) for i in range(RACERS)]
    base = served(db)
    token = api_token(base, "county_a", PASSWORD)
    opening = httpx.post(f"{base}/api/v1/employment/openings", headers=token, timeout=60, json={
        "title": "缝纫工", "area_code": VILLAGE, "source": "workshop", "employer_name": "扶贫车间",
        "employer_kind": "workshop", "positions": 1}).json()
    queue = list(workers)
    answers = race(RACERS, lambda: httpx.post(
        f"{base}/api/v1/employment/openings/{opening['id']}/matches/{queue.pop()}", headers=token,
        json={"started_on": "2024-02-01"}, timeout=60))
    assert statuses(answers) == [201] + [409] * (RACERS - 1)
    assert _codes(answers) == {"ok": 1, "employment.opening_closed": RACERS - 1}
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).where(JobPlacement.opening_id == opening["id"])) == 1


def test_one_worker_accepted_twenty_times_at_once_gets_one_job(db, served):
    _county(db)
    worker = add_worker(db, add_household(db, VILLAGE, [{"age": 30}])[1][0])
    base = served(db)
    token = api_token(base, "county_a", PASSWORD)
    opening = httpx.post(f"{base}/api/v1/employment/openings", headers=token, timeout=60, json={
        "title": "普工", "area_code": VILLAGE, "source": "enterprise", "employer_name": "建筑公司",
        "positions": 50}).json()
    answers = race(RACERS, lambda: httpx.post(
        f"{base}/api/v1/employment/openings/{opening['id']}/matches/{worker}", headers=token,
        json={"started_on": "2024-02-01"}, timeout=60))
    assert statuses(answers) == [201] + [409] * (RACERS - 1)
    assert _codes(answers) == {"ok": 1, "employment.placement_open_same": RACERS - 1}
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).where(JobPlacement.worker_id == worker)) == 1


def test_jobs_of_twenty_members_started_at_once_count_twenty_employed(db, served):
    """Each placement recounts the household's employed members; the counts must not overwrite each other."""
    _county(db)
    household, people = add_household(db, VILLAGE, [{"age": 20 + i} for i in range(RACERS)])
    workers = [add_worker(db, person) for person in people]
    base = served(db)
    token = api_token(base, "county_a", PASSWORD)
    queue = list(workers)
    answers = race(RACERS, lambda: httpx.post(
        f"{base}/api/v1/employment/workers/{queue.pop()}/placements", headers=token, timeout=60,
        json={"source": "workshop", "employer_name": "扶贫车间", "started_on": "2023-05-01"}))
    assert statuses(answers) == [201] * RACERS
    with db.session_factory() as session:
        assert session.get(HouseholdEmployment, household).employed_members == RACERS
