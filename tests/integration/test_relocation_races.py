"""Exactly-once use cases of relocation, raced through a served process on SQLite and PostgreSQL: 20 requests
released at the same instant → exactly one success, the rest 409 with a code, nothing written twice."""

from __future__ import annotations

from collections import Counter

import httpx
from sqlalchemy import func, select

from fupin.core.audit import AuditEntry
from fupin.relocation.models import HousingUnit, LotteryDraw, RelocatedHousehold
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_employment import add_building, add_household, add_site, relocate
from tests.served import api_token, race, statuses

RACERS = 20


def _site_with_households(db, households: int = 12) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    site_id = add_site(db)
    add_building(db, site_id, "1幢", 5, ["75", "75", "75"])  # 15 flats of 3 people's class
    relocated = [relocate(db, site_id, add_household(db, "530326100200", [{"age": 40}, {"age": 12}, {"age": 9}])[0])
                 for _ in range(households)]
    return site_id, relocated


def _codes(answers: list[httpx.Response]) -> Counter[str]:
    return Counter(a.json().get("error", "ok") for a in answers)


def test_twenty_draws_of_one_site_make_one_draw_and_allocate_each_unit_once(db, served):
    site_id, relocated = _site_with_households(db)
    base = served(db)
    token = api_token(base, "county_a", PASSWORD)
    answers = race(RACERS, lambda: httpx.post(f"{base}/api/v1/relocation/sites/{site_id}/lottery", headers=token,
                                              json={"seed": "同一时刻", "dry_run": False}, timeout=60))
    assert statuses(answers) == [200] + [409] * (RACERS - 1), [a.text for a in answers if a.status_code != 409]
    assert _codes(answers) == {"ok": 1, "relocation.nothing_to_draw": RACERS - 1}
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(LotteryDraw)) == 1
        units = session.scalars(select(RelocatedHousehold.unit_id).where(RelocatedHousehold.site_id == site_id)).all()
        assert len(units) == len(relocated) and None not in units
        assert len(set(units)) == len(units), "no unit allocated twice"
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.entity == "lottery_draw")) == 1


def test_twenty_households_asking_for_one_flat_get_it_once(db, served):
    site_id, relocated = _site_with_households(db, households=RACERS)
    with db.session_factory() as session:
        unit = session.scalar(select(HousingUnit.id).where(HousingUnit.site_id == site_id).order_by(HousingUnit.id))
    base = served(db)
    token = api_token(base, "county_a", PASSWORD)
    queue = list(relocated)

    def ask() -> httpx.Response:
        return httpx.post(f"{base}/api/v1/relocation/households/{queue.pop()}/unit", headers=token,
                          json={"unit_id": unit}, timeout=60)

    answers = race(RACERS, ask)
    assert statuses(answers) == [200] + [409] * (RACERS - 1)
    assert set(_codes(answers)) <= {"ok", "relocation.unit_taken", "core.concurrent_write"}
    with db.session_factory() as session:
        holders = session.scalars(select(RelocatedHousehold.id).where(RelocatedHousehold.unit_id == unit)).all()
        assert len(holders) == 1


def test_move_in_and_demolition_are_recorded_once(db, served):
    site_id, relocated = _site_with_households(db, households=3)
    base = served(db)
    token = api_token(base, "county_a", PASSWORD)
    assert httpx.post(f"{base}/api/v1/relocation/sites/{site_id}/lottery", headers=token,
                      json={"seed": "s"}, timeout=60).status_code == 200
    household = relocated[0]
    for action, code, dates in (("move-in", "relocation.already_moved_in", "2020-01-"),
                                ("demolished", "relocation.already_demolished", "2020-03-")):
        days = iter(range(1, RACERS + 1))
        answers = race(RACERS, lambda a=action, d=dates, n=days: httpx.post(
            f"{base}/api/v1/relocation/households/{household}/{a}", headers=token,
            json={"on": f"{d}{next(n):02d}"}, timeout=60))
        assert statuses(answers) == [200] + [409] * (RACERS - 1), action
        assert _codes(answers) == {"ok": 1, code: RACERS - 1}
    with db.session_factory() as session:
        row = session.get(RelocatedHousehold, household)
        assert row.status == "moved_in" and row.old_house_demolished
        updates = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity == "relocated_household", AuditEntry.entity_id == str(household),
            AuditEntry.action == "update"))
        assert updates == 2, "one audit row for the move-in, one for the demolition"
