"""Visits belong to a cadre (issue 17, item 9): the caller's own cadre by default (a cadre is linked to the login
account he uses), or one of the household's helpers; pairing's follow-up list and count see them."""

import datetime as dt

import pytest
from sqlalchemy import select

from fupin.core.audit import Actor
from fupin.core.errors import Conflict, Invalid
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.orgs import service as org_service
from fupin.pairing import queries as pairing_queries
from fupin.pairing.models import Pair
from fupin.registry import schemas
from fupin.registry import service as registry_service
from fupin.registry.models import Visit
from tests.factories import add_areas, add_user
from tests.factories_orgs import COUNTY, VILLAGE_A, add_cadre, add_household

SYSTEM = Actor.system("test")
TODAY = dt.date.today()


def _link(db, cadre_id: int, account: str | None, actor: Actor = SYSTEM):  # type: ignore[no-untyped-def]
    with db.session_factory() as session:
        from fupin.orgs.models import Cadre

        version = session.get(Cadre, cadre_id).version
    return org_service.update_cadre(UnitOfWork(db, actor), cadre_id, version=version, name="李干部",
                                    work_unit="县扶贫办", rank="general", post="work_team", is_party_member=True,
                                    account=account)


def _pair(db, household: int, cadre: int, started: dt.date = dt.date(2018, 1, 1),
          ended: dt.date | None = None) -> None:
    with db.session_factory() as session:
        session.add(Pair(household_id=household, cadre_id=cadre, area_code=VILLAGE_A, started_on=started,
                         ended_on=ended, end_reason="调离" if ended else None))
        session.commit()


def _visit(db, actor: Actor, household: int, **data):  # type: ignore[no-untyped-def]
    body = schemas.VisitCreate(visited_on=data.pop("visited_on", TODAY), found="孩子上学路远", **data)
    return registry_service.add_visit(UnitOfWork(db, actor), household, body)


def test_a_visit_is_the_callers_cadre_by_default_and_pairing_counts_it(db):
    add_areas(db)
    household = add_household(db, VILLAGE_A)
    cadre = add_cadre(db, VILLAGE_A)
    user = add_user(db, "cunganbu", "village", VILLAGE_A)
    _link(db, cadre, "cunganbu")
    _pair(db, household, cadre)
    village = Actor(user_id=user, name="cunganbu", role="village", scope_prefix=VILLAGE_A)
    with db.session_factory() as session:
        assert pairing_queries.visit_follow_up(session, Scope(VILLAGE_A), 30) == {"pairs": 1, "visited": 0,
                                                                                  "overdue": 1}
        assert pairing_queries.pairs_with_last_visit(session, Scope(VILLAGE_A), overdue_days=30)[0][
            "last_visit"] is None

    visit = _visit(db, village, household)
    assert visit.cadre_id == cadre and visit.visitor_name == "李干部"
    with db.session_factory() as session:
        assert pairing_queries.visit_follow_up(session, Scope(VILLAGE_A), 30) == {"pairs": 1, "visited": 1,
                                                                                  "overdue": 0}
        assert pairing_queries.pairs_with_last_visit(session, Scope(VILLAGE_A), overdue_days=30) == []
        assert pairing_queries.pairs_with_last_visit(session, Scope(VILLAGE_A))[0]["last_visit"] == TODAY


def test_a_visit_31_days_ago_is_overdue_30_days_ago_is_not(db):
    add_areas(db)
    household = add_household(db, VILLAGE_A)
    cadre = add_cadre(db, VILLAGE_A)
    _pair(db, household, cadre)
    _visit(db, SYSTEM, household, cadre_id=cadre, visited_on=TODAY - dt.timedelta(days=31))
    with db.session_factory() as session:
        assert pairing_queries.visit_follow_up(session, Scope(VILLAGE_A), 30)["visited"] == 0
        assert pairing_queries.visit_follow_up(session, Scope(VILLAGE_A), 31)["visited"] == 1


def test_a_visit_may_name_a_helper_posted_above_the_callers_area_but_not_a_stranger(db):
    add_areas(db)
    household = add_household(db, VILLAGE_A)
    county_helper = add_cadre(db, COUNTY, name="王县长", rank="county")
    stranger = add_cadre(db, "530321100200", name="外县干部")
    former = add_cadre(db, "530321100200", name="前任干部")
    _pair(db, household, county_helper)
    _pair(db, household, former, ended=dt.date(2019, 1, 1))
    user = add_user(db, "cun2", "village", VILLAGE_A)
    village = Actor(user_id=user, name="cun2", role="village", scope_prefix=VILLAGE_A)
    assert _visit(db, village, household, cadre_id=county_helper).visitor_name == "王县长"
    with pytest.raises(Invalid) as refused:
        _visit(db, village, household, cadre_id=stranger)
    assert refused.value.code == "registry.visit_cadre"
    with pytest.raises(Invalid):
        _visit(db, village, household, cadre_id=former)  # his pair ended in 2019: no longer a helper
    # Not linked to a cadre: a named visitor, cadre-less.
    named = _visit(db, village, household, visitor_name="村医")
    assert named.cadre_id is None and named.visitor_name == "村医"
    with db.session_factory() as session:
        assert session.scalar(select(Visit.cadre_id).where(Visit.id == named.id)) is None
        history = pairing_queries.household_pair_history(session, household, Scope(VILLAGE_A))
    assert [(h["cadre_name"], h["ended_on"]) for h in history] == [("王县长", None), ("前任干部", dt.date(2019, 1, 1))]


def test_an_account_links_to_one_cadre_inside_the_scope(db):
    add_areas(db)
    first, second = add_cadre(db, VILLAGE_A), add_cadre(db, VILLAGE_A)
    add_user(db, "cunganbu", "village", VILLAGE_A)
    add_user(db, "waixian", "village", "530321100200")
    township = Actor(user_id=None, name="township", role="township", scope_prefix="530326100")
    with pytest.raises(Invalid) as unknown:
        _link(db, first, "nobody", township)
    assert unknown.value.code == "orgs.account_unknown"
    with pytest.raises(Invalid):
        _link(db, first, "waixian", township)  # an account of another county reads as unknown
    assert _link(db, first, " cunganbu ", township).user_id is not None
    with pytest.raises(Conflict) as taken:
        _link(db, second, "cunganbu", township)
    assert taken.value.code == "orgs.account_taken"
    assert _link(db, first, None, township).user_id is None  # cleared
    assert _link(db, second, "cunganbu", township).user_id is not None
