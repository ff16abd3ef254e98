"""Exactly-once use cases of industry, raced through a served process on SQLite and PostgreSQL: 20 requests
released at the same instant → exactly one success, the rest 409 with a code, nothing written twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import httpx
from sqlalchemy import func, select

from fupin.core.audit import AuditEntry
from fupin.industry import service
from fupin.industry.models import CollectiveIncome, DistributionRun, Membership
from fupin.registry.models import HouseholdIncome
from tests.factories import PASSWORD, add_user
from tests.factories_industry import COUNTY, VILLAGES, add_entity, add_township, story_run, system
from tests.served import api_token, race, statuses

RACERS = 20


def _codes(answers: list[httpx.Response]) -> Counter[str]:
    return Counter(a.json().get("error", "ok") for a in answers)


def test_twenty_confirmations_of_one_run_confirm_it_once(db, served):
    add_township(db)
    add_user(db, "county_a", "county", COUNTY)
    entity = add_entity(db)
    run, _dist = service.preview_run(system(db), entity, story_run(), today=dt.date(2017, 10, 1))
    base = served(db)
    token = api_token(base, "county_a", PASSWORD)
    answers = race(RACERS, lambda: httpx.post(f"{base}/api/v1/industry/runs/{run.id}/confirm", headers=token,
                                              timeout=60))
    assert statuses(answers) == [200] + [409] * (RACERS - 1)
    assert _codes(answers) == {"ok": 1, "industry.run_confirmed": RACERS - 1}
    with db.session_factory() as session:
        assert session.get(DistributionRun, run.id).status == "confirmed"
        # the dividends reached the households once, the collectives once
        assert session.scalar(select(func.sum(HouseholdIncome.property_income))) == \
            Decimal("30000") + Decimal("34567.90") + Decimal("7500") * 8
        assert session.scalar(select(func.count()).select_from(CollectiveIncome)) == 9
        confirmations = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity == "industry_run", AuditEntry.entity_id == str(run.id), AuditEntry.action == "update"))
        assert confirmations == 1


def test_twenty_joins_of_one_household_make_one_member(db, served):
    households = add_township(db)
    add_user(db, "county_a", "county", COUNTY)
    entity = add_entity(db)
    base = served(db)
    token = api_token(base, "county_a", PASSWORD)
    body = {"household_id": households[VILLAGES[0]][0], "link_kind": "share", "shares": "1",
            "joined_on": "2017-03-01"}
    answers = race(RACERS, lambda: httpx.post(f"{base}/api/v1/industry/entities/{entity}/members", headers=token,
                                              json=body, timeout=60))
    assert statuses(answers) == [201] + [409] * (RACERS - 1)
    assert _codes(answers) == {"ok": 1, "industry.member_exists": RACERS - 1}
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Membership)) == 1
