"""Linking one login account to a cadre happens once under 20 parallel requests (20 cadres, one account), through
a served process on both databases: one 200, nineteen 409, one cadre holds the account."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from fupin.orgs.models import Cadre
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_orgs import VILLAGE_A, add_cadre
from tests.served import api_token, race, statuses

TIMEOUT = 120


def test_an_account_is_linked_to_one_cadre_under_20_parallel_requests(db, served):
    add_areas(db)
    add_user(db, "county", "county", "530326000000")
    add_user(db, "cunganbu", "village", VILLAGE_A)
    cadres = iter([add_cadre(db, VILLAGE_A, name=f"干部{i}") for i in range(20)])
    lock = __import__("threading").Lock()
    base = served(db)
    token = api_token(base, "county", PASSWORD)

    def link() -> httpx.Response:
        with lock:
            cadre = next(cadres)
        return httpx.put(f"{base}/api/v1/cadres/{cadre}", headers=token, timeout=TIMEOUT,
                         json={"version": 1, "name": "干部", "work_unit": "县扶贫办", "rank": "general",
                               "post": "work_team", "is_party_member": True, "account": "cunganbu"})

    answers = race(20, link)
    assert statuses(answers) == [200] + [409] * 19, [a.text for a in answers if a.status_code != 409]
    assert {a.json()["error"] for a in answers if a.status_code == 409} <= {"orgs.account_taken",
                                                                             "core.concurrent_write"}
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Cadre).where(Cadre.user_id.is_not(None))) == 1
