"""Check-then-writes of services raced through a served fupin on both databases: 20 requests released at one
instant. A member's claim limit holds; a wish is claimed once; a request is confirmed once."""

import httpx
from sqlalchemy import func, select

from fupin.core.uow import UnitOfWork
from fupin.services import service
from fupin.services.models import RequestEvent, ServiceRequest, Wish
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_orgs import add_household
from tests.factories_services import NOW, TOWNSHIP, VILLAGE, add_members, admin
from tests.served import api_token, race, statuses

RACERS = 20
LIMIT = 3


def _count(db, model, *where) -> int:  # type: ignore[no-untyped-def]
    with db.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_members_claim_limit_holds_under_twenty_concurrent_claims(db, served):
    add_areas(db)
    add_user(db, "village_a", "village", VILLAGE)
    (member,) = add_members(db, 1)
    others = add_members(db, RACERS, area_code="530326100201")
    households = [add_household(db, VILLAGE) for _ in range(RACERS + 1)]
    wishes = [service.post_wish(UnitOfWork(db, admin()), h, title=f"心愿{i}", now=NOW).id
              for i, h in enumerate(households)]
    base = served(db)
    village = api_token(base, "village_a", PASSWORD)

    pending = iter(wishes[:RACERS])
    targets = [next(pending) for _ in range(RACERS)]
    answers = race(RACERS, lambda: httpx.post(f"{base}/api/v1/services/wishes/{targets.pop()}/claim",
                                              headers=village, json={"member_id": member}, timeout=60))
    assert statuses(answers) == [200] * LIMIT + [409] * (RACERS - LIMIT), [a.text for a in answers]
    assert all(a.json()["error"] in ("services.claim_limit", "core.concurrent_write")
               for a in answers if a.status_code == 409), [a.json() for a in answers if a.status_code == 409]
    assert _count(db, Wish, Wish.member_id == member, Wish.status == "claimed") == LIMIT

    # One wish, twenty members of the township's other village (the county cadre sees them): claimed once.
    add_user(db, "township_a", "township", TOWNSHIP)
    township = api_token(base, "township_a", PASSWORD)
    claimers = list(others)
    last = wishes[-1]
    answers = race(RACERS, lambda: httpx.post(f"{base}/api/v1/services/wishes/{last}/claim", headers=township,
                                              json={"member_id": claimers.pop()}, timeout=60))
    assert statuses(answers) == [200] + [409] * (RACERS - 1), [a.text for a in answers]
    assert _count(db, Wish, Wish.id == last, Wish.status == "claimed") == 1


def test_a_request_is_confirmed_once_and_every_loser_gets_409(db, served):
    add_areas(db)
    add_user(db, "township_a", "township", TOWNSHIP)
    household = add_household(db, VILLAGE)
    request = service.file_request(UnitOfWork(db, admin()), household, category="documents", description="补办",
                                   now=NOW).id
    service.assign_request(UnitOfWork(db, admin()), request, handler="乡镇", now=NOW)
    base = served(db)
    township = api_token(base, "township_a", PASSWORD)
    done = race(RACERS, lambda: httpx.post(f"{base}/api/v1/services/requests/{request}/complete", headers=township,
                                           json={"result": "办好了", "one_visit": True}, timeout=60))
    assert statuses(done) == [200] + [409] * (RACERS - 1), [a.text for a in done]
    confirmed = race(RACERS, lambda: httpx.post(f"{base}/api/v1/services/requests/{request}/confirm",
                                                headers=township, json={"satisfaction": "satisfied"}, timeout=60))
    assert statuses(confirmed) == [200] + [409] * (RACERS - 1), [a.text for a in confirmed]
    assert all(a.json()["error"] in ("services.move_out_of_order", "services.request_closed", "core.concurrent_write")
               for a in confirmed if a.status_code == 409)
    assert _count(db, RequestEvent, RequestEvent.request_id == request, RequestEvent.move == "confirm") == 1
    assert _count(db, RequestEvent, RequestEvent.request_id == request, RequestEvent.move == "complete") == 1
    assert _count(db, ServiceRequest, ServiceRequest.id == request, ServiceRequest.status == "confirmed") == 1
