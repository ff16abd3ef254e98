"""Exactly once under 20 parallel requests, through a served process (uvicorn in a subprocess), on both databases:
applying a plan, pairing under a quota, pairing the same cadre and household twice, ending a pair, ending a cadre.

TestClient runs one request at a time; only a served process shows what two connections doing check-then-write
at the same moment do to each other (issue 11: 20 parallel applies of one plan once left 491 duplicate pairs on
SQLite)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import httpx
from sqlalchemy import func, select

from fupin.orgs.models import Cadre
from fupin.pairing.models import Pair
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_orgs import VILLAGE_A, VILLAGE_B, add_cadre, add_household
from tests.served import api_token, race, statuses

TIMEOUT = 120


def _job_result(base: str, headers: dict[str, str], job_url: str) -> dict:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        job = httpx.get(base + job_url, headers=headers, timeout=TIMEOUT).json()
        assert job["status"] != "failed", job
        if job["status"] == "done":
            return job["result"]
        time.sleep(0.2)
    raise AssertionError("the plan job did not finish")


def _plan(base: str, headers: dict[str, str], area: str) -> int:
    queued = httpx.post(f"{base}/api/v1/pairing/plans", json={"area": area}, headers=headers, timeout=TIMEOUT)
    assert queued.status_code == 202, queued.text
    return _job_result(base, headers, queued.json()["url"])["plan_id"]


def _open_pairs(db) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    with db.session_factory() as session:
        return [tuple(r) for r in session.execute(select(Pair.household_id, Pair.cadre_id)
                                                  .where(Pair.ended_on.is_(None)).order_by(Pair.id))]


def _codes(answers: list[httpx.Response]) -> set[str]:
    return {a.json()["error"] for a in answers if a.status_code >= 400}


def test_pairing_writes_happen_exactly_once_under_20_parallel_requests(db, served):
    add_areas(db)
    add_user(db, "county", "county", "530326000000")
    households = [add_household(db, VILLAGE_A) for _ in range(12)]
    for _ in range(4):
        add_cadre(db, VILLAGE_A)
    busy = add_cadre(db, VILLAGE_B, name="名额干部")  # general rank: 3 households
    crowd = [add_household(db, VILLAGE_B) for _ in range(20)]
    leaving = add_cadre(db, VILLAGE_B, name="离岗干部")
    base = served(db)
    token = api_token(base, "county", PASSWORD)

    # One plan, 20 parallel applies: one success, 19 × 409, no duplicate pair.
    plan_id = _plan(base, token, VILLAGE_A)
    answers = race(20, lambda: httpx.post(f"{base}/api/v1/pairing/plans/{plan_id}/apply", headers=token,
                                          timeout=TIMEOUT))
    assert statuses(answers) == [200] + [409] * 19, [a.text for a in answers if a.status_code != 409]
    assert _codes(answers) == {"pairing.plan_already_applied"}
    added = next(a.json() for a in answers if a.status_code == 200)["added"]
    open_pairs = _open_pairs(db)
    assert len(open_pairs) == added == len(households) and len(set(open_pairs)) == len(open_pairs)
    assert len({household for household, _cadre in open_pairs}) == len(open_pairs), "one helper per household"

    # Two plans of the same area computed from the same data, applied at once: only one of them.
    plans = iter([_plan(base, token, VILLAGE_B), _plan(base, token, VILLAGE_B)] * 10)
    answers = race(20, _shared(plans, lambda plan: httpx.post(f"{base}/api/v1/pairing/plans/{plan}/apply",
                                                              headers=token, timeout=TIMEOUT)))
    assert statuses(answers) == [200] + [409] * 19, [a.text for a in answers if a.status_code != 409]
    assert _codes(answers) <= {"pairing.plan_already_applied", "pairing.plan_stale"}
    in_b = [p for p in _open_pairs(db) if p[0] in crowd]
    assert len({household for household, _cadre in in_b}) == len(in_b), "no household paired by both plans"

    # A cadre's quota under 20 parallel pairings of different households: exactly his quota, the rest 409.
    with db.session_factory() as session:
        session.query(Pair).filter(Pair.household_id.in_(crowd)).delete()
        session.commit()
    answers = race(20, _shared(iter(crowd), lambda household: httpx.post(
        f"{base}/api/v1/pairing/pairs", headers=token, timeout=TIMEOUT,
        json={"household_id": household, "cadre_id": busy})))
    assert statuses(answers) == [201] * 3 + [409] * 17, [a.text for a in answers if a.status_code != 409]
    assert _codes(answers) == {"pairing.quota_full"}
    assert sum(1 for _h, cadre in _open_pairs(db) if cadre == busy) == 3

    # The same cadre and household 20 times at once: one pair.
    lone = add_household(db, VILLAGE_B)
    answers = race(20, lambda: httpx.post(f"{base}/api/v1/pairing/pairs", headers=token, timeout=TIMEOUT,
                                          json={"household_id": lone, "cadre_id": leaving}))
    assert statuses(answers) == [201] + [409] * 19
    assert _codes(answers) == {"pairing.already_paired"}
    (pair_id,) = [a.json()["id"] for a in answers if a.status_code == 201]

    # Ending that pair 20 times at once: ended once.
    answers = race(20, lambda: httpx.post(f"{base}/api/v1/pairing/pairs/{pair_id}/end", headers=token,
                                          timeout=TIMEOUT, json={"reason": "干部调离"}))
    assert statuses(answers) == [200] + [409] * 19
    assert _codes(answers) == {"pairing.pair_already_ended"}

    # Ending a cadre 20 times at once: ended once.
    today = dt.date.today().isoformat()
    answers = race(20, lambda: httpx.post(f"{base}/api/v1/cadres/{leaving}/end", headers=token, timeout=TIMEOUT,
                                          json={"day": today}))
    assert statuses(answers) == [200] + [409] * 19
    assert _codes(answers) == {"orgs.cadre_already_ended"}
    with db.session_factory() as session:
        assert session.scalar(select(Cadre.active_to).where(Cadre.id == leaving)) == dt.date.today()
        assert session.scalar(select(func.count()).select_from(Pair).where(Pair.ended_on.is_(None),
                                                                           Pair.cadre_id == leaving)) == 0


def _shared(items, send):  # type: ignore[no-untyped-def]
    """A call for `race` that sends the next of `items` (one per thread, taken under a lock)."""
    lock = threading.Lock()

    def call() -> httpx.Response:
        with lock:
            item = next(items)
        return send(item)

    return call
