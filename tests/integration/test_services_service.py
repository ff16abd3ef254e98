"""Services use cases on both databases: the request state machine with the permission table, deadlines and
escalation with the clock injected, the grid leader's scope, wishes and their claim limit, mutual aid, figures."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from fupin.core.audit import Actor, AuditEntry
from fupin.core.errors import FupinError
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.indicators import drilldown, engine
from fupin.services import queries, rules, service
from fupin.services.models import RequestEvent, ServiceRequest, Wish
from tests.factories import add_areas
from tests.factories_orgs import add_household, add_org
from tests.factories_services import (
    COMMUNITY,
    COUNTY,
    NOW,
    TOWNSHIP,
    VILLAGE,
    add_grid_leader,
    add_members,
    add_site_with_grids,
    admin,
    at,
)

D = dt.date


def actor(role: str, area: str | None, user_id: int | None = None, name: str | None = None) -> Actor:
    return Actor(user_id=user_id, name=name or f"{role}用户", role=role, scope_prefix=Scope.of_area(area).prefix)


def _file(db, household, who=None, now=NOW, category="documents"):  # type: ignore[no-untyped-def]
    return service.file_request(UnitOfWork(db, who or admin()), household, category=category,
                                description="补办户口本", now=now).id


def _row(db, request_id) -> ServiceRequest:  # type: ignore[no-untyped-def]
    with db.session_factory() as session:
        return session.get(ServiceRequest, request_id)


def _events(db, request_id) -> list[str]:  # type: ignore[no-untyped-def]
    with db.session_factory() as session:
        return list(session.scalars(select(RequestEvent.move).where(RequestEvent.request_id == request_id)
                                    .order_by(RequestEvent.id)))


def _code(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(FupinError) as caught:
        call()
    return caught.value.code


def test_a_request_goes_open_assigned_done_confirmed_every_step_dated_and_audited(db):
    add_areas(db)
    household = add_household(db, VILLAGE)
    township = actor("township", TOWNSHIP)
    request = _file(db, household, actor("village", VILLAGE))
    row = _row(db, request)
    assert (row.status, row.filed_on, row.due_on, row.area_code) == ("open", D(2024, 3, 1), D(2024, 3, 4), VILLAGE)
    service.assign_request(UnitOfWork(db, township), request, handler="乡镇便民服务中心", now=at(D(2024, 3, 2)))
    service.complete_request(UnitOfWork(db, township), request, result="已补办", one_visit=True,
                             now=at(D(2024, 3, 4)))
    service.confirm_request(UnitOfWork(db, actor("village", VILLAGE)), request, satisfaction="satisfied",
                            now=at(D(2024, 3, 5)))
    row = _row(db, request)
    assert (row.status, row.handler, row.done_on, row.one_visit, row.confirmed_on, row.satisfaction) == (
        "confirmed", "乡镇便民服务中心", D(2024, 3, 4), True, D(2024, 3, 5), "satisfied")
    assert _events(db, request) == ["file", "assign", "complete", "confirm"]
    with db.session_factory() as session:
        happened = list(session.scalars(select(RequestEvent.happened_at).where(RequestEvent.request_id == request)
                                        .order_by(RequestEvent.id)))
        assert [h.date() for h in happened] == [D(2024, 3, 1), D(2024, 3, 2), D(2024, 3, 4), D(2024, 3, 5)]
        audited = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity == "service_requests", AuditEntry.entity_id == str(request)))
        assert audited == 4


def test_illegal_moves_and_roles_not_allowed_are_refused_and_change_nothing(db):
    add_areas(db)
    household = add_household(db, VILLAGE)
    township = actor("township", TOWNSHIP)
    assert _code(lambda: service.file_request(UnitOfWork(db, township), household, category="documents",
                                              description=" ", now=NOW)) == "services.text_required"
    assert _code(lambda: service.file_request(UnitOfWork(db, township), household, category="x" * 40,
                                              description="x", now=NOW)) == "services.unknown_category"
    request = _file(db, household)
    assert _code(lambda: service.confirm_request(UnitOfWork(db, township), request, satisfaction="satisfied",
                                                 now=NOW)) == "services.move_out_of_order"  # confirm before done
    assert _code(lambda: service.complete_request(UnitOfWork(db, township), request, result="x",
                                                  now=NOW)) == "services.move_out_of_order"  # done before assigned
    assert _code(lambda: service.assign_request(UnitOfWork(db, actor("village", VILLAGE)), request, handler="村",
                                                now=NOW)) == "core.forbidden_action"  # the village does not assign
    service.assign_request(UnitOfWork(db, township), request, handler="乡镇", now=NOW)
    assert _code(lambda: service.complete_request(UnitOfWork(db, actor("grid", COMMUNITY)), request, result="x",
                                                  now=NOW)) == "core.forbidden_action"  # a grid leader closes nothing
    service.complete_request(UnitOfWork(db, township), request, result="办好了", now=NOW)
    assert _code(lambda: service.confirm_request(UnitOfWork(db, actor("auditor", COUNTY)), request,
                                                 satisfaction="satisfied", now=NOW)) == "core.forbidden_action"
    assert _code(lambda: service.confirm_request(UnitOfWork(db, township), request, satisfaction="",
                                                 now=NOW)) == "services.satisfaction_required"
    assert _code(lambda: service.reopen_request(UnitOfWork(db, township), request, reason=" ",
                                                now=NOW)) == "services.reason_required"
    before = (_row(db, request).status, _row(db, request).version, _events(db, request))
    assert before[0] == "done" and before[2] == ["file", "assign", "complete"], "nothing changed by the refusals"
    service.reopen_request(UnitOfWork(db, township), request, reason="没有解决", now=NOW)
    row = _row(db, request)
    assert (row.status, row.reopened, row.done_on) == ("reopened", 1, None)
    service.complete_request(UnitOfWork(db, township), request, result="再次办理", now=NOW)
    service.confirm_request(UnitOfWork(db, township), request, satisfaction="basic", now=NOW)
    assert _code(lambda: service.reopen_request(UnitOfWork(db, township), request, reason="又坏了",
                                                now=NOW)) == "services.request_closed"
    assert _code(lambda: service.assign_request(UnitOfWork(db, township), request, handler="x",
                                                now=NOW)) == "services.request_closed"
    assert _row(db, request).status == "confirmed"
    assert _code(lambda: service.assign_request(UnitOfWork(db, actor("township", "530326101000")), request,
                                                handler="x", now=NOW)) == "services.request_not_found"


def test_deadlines_come_due_and_escalate_a_level_per_deadline_length_on_the_injected_clock(db):
    add_areas(db)
    household = add_household(db, VILLAGE)
    request = _file(db, household, now=at(D(2024, 3, 1)))  # 证照办理: 3 days, due 2024-03-04
    township = actor("township", TOWNSHIP)

    def escalate(day: dt.date):  # type: ignore[no-untyped-def]
        return service.escalate_overdue(UnitOfWork(db, township), now=at(day))

    def overdue(day: dt.date) -> list[int]:
        with db.session_factory() as session:
            return [r.request.id for r in queries.list_requests(session, Scope.of_area(TOWNSHIP), overdue_on=day)]

    assert escalate(D(2024, 3, 4)) == [] and overdue(D(2024, 3, 4)) == [], "the last day is still in time"
    assert overdue(D(2024, 3, 5)) == [request]
    with db.session_factory() as session:
        assert [queries.count_overdue(session, Scope.of_area(TOWNSHIP), None, D(2024, 3, d)) for d in (4, 5)] == [0, 1]
    assert escalate(D(2024, 3, 5)) == [(request, 1, TOWNSHIP)]
    assert escalate(D(2024, 3, 6)) == [], "one level per deadline's length"
    assert escalate(D(2024, 3, 8)) == [(request, 2, COUNTY)]
    assert escalate(D(2024, 3, 20)) == [(request, 3, "530300000000")]
    assert escalate(D(2024, 6, 1)) == [], "no level above the prefecture"
    assert _events(db, request) == ["file", "escalate", "escalate", "escalate"]
    assert _code(lambda: service.escalate_overdue(UnitOfWork(db, actor("village", VILLAGE)), now=NOW)) == \
        "core.forbidden_action"
    # Done late: no longer overdue, counted late.
    service.assign_request(UnitOfWork(db, township), request, handler="乡镇", now=at(D(2024, 6, 2)))
    service.complete_request(UnitOfWork(db, township), request, result="办结", now=at(D(2024, 6, 3)))
    assert overdue(D(2024, 6, 4)) == []
    with db.session_factory() as session:
        got = queries.request_figures(session, Scope.of_area(COUNTY), D(2024, 1, 1), D(2024, 12, 31), D(2024, 6, 4))
    assert (got.received, got.done, got.done_on_time, got.overdue) == (1, 1, 0, 1)


def test_a_category_deadline_is_configurable_and_holds_for_requests_filed_after(db):
    add_areas(db)
    household = add_household(db, VILLAGE)
    before = _file(db, household, category="housing")
    service.set_category(UnitOfWork(db, actor("county", COUNTY)), "housing", "住房维修", 20)
    after = _file(db, household, category="housing")
    assert (_row(db, before).due_on, _row(db, after).due_on) == (D(2024, 3, 11), D(2024, 3, 21))
    assert _code(lambda: service.set_category(UnitOfWork(db, actor("township", TOWNSHIP)), "housing", "住房",
                                              5)) == "core.forbidden_action"
    assert _code(lambda: service.set_category(UnitOfWork(db, admin()), "housing", "住房", 0)) == \
        "services.deadline_range"
    service.set_category(UnitOfWork(db, admin()), "housing", "住房维修", 20, active=False)
    assert _code(lambda: _file(db, household, category="housing")) == "services.unknown_category"


def test_a_grid_leader_sees_and_files_for_the_grids_households_only(db):
    add_areas(db)
    site = add_site_with_grids(db)
    outside = add_household(db, COMMUNITY, head_name="社区非网格户")
    leader_a = add_grid_leader(db, "grid_a", site.grid_a)
    unbound = add_grid_leader(db, "grid_none", None)
    a = actor("grid", COMMUNITY, leader_a, "grid_a")
    mine = service.file_request(UnitOfWork(db, a), site.a_households[0], category="medical", description="看病",
                                now=NOW)
    assert (mine.filed_via, mine.grid_id, mine.area_code) == ("grid", site.grid_a, COMMUNITY)
    assert _code(lambda: service.file_request(UnitOfWork(db, a), site.b_households[0], category="medical",
                                              description="看病", now=NOW)) == "services.household_not_found"
    assert _code(lambda: service.file_request(UnitOfWork(db, a), outside, category="medical", description="看病",
                                              now=NOW)) == "services.household_not_found"
    assert _code(lambda: service.file_request(UnitOfWork(db, actor("grid", COMMUNITY, unbound, "grid_none")),
                                              site.a_households[0], category="medical", description="看病",
                                              now=NOW)) == "services.no_grid"
    theirs = _file(db, site.b_households[0], actor("township", TOWNSHIP))
    service.post_wish(UnitOfWork(db, admin()), site.b_households[1], title="一个书包", now=NOW)
    service.post_wish(UnitOfWork(db, a), site.a_households[1], title="一床棉被", now=NOW)
    with db.session_factory() as session:
        assert [name for _id, name in queries.grids_in(session, Scope.of_area(TOWNSHIP))] == [
            "测试安置点 · 第1网格", "测试安置点 · 第2网格"]
        day = queries.grid_day(session, site.grid_a, D(2024, 3, 1))
        assert sorted(h.household_id for h in day) == sorted(site.a_households)
        assert {h.household_id: (h.open_requests, h.open_wishes) for h in day}[site.a_households[0]] == (1, 0)
        scope = Scope.of_area(COMMUNITY)
        assert [r.request.id for r in queries.list_requests(session, scope, site.grid_a)] == [mine.id]
        assert sorted(r.request.id for r in queries.list_requests(session, scope, None)) == sorted([mine.id, theirs])
        assert [w.head_name for w in queries.list_wishes(session, scope, site.grid_a)] == ["甲1"]
        with pytest.raises(FupinError) as caught:
            queries.get_request(session, theirs, scope, site.grid_a)
        assert caught.value.code == "services.request_not_found"
    assert _code(lambda: service.confirm_request(UnitOfWork(db, a), theirs, satisfaction="satisfied",
                                                 now=NOW)) == "services.request_not_found"
    # The grid leader logs a visit for a grid household filed in the registry under its home village.
    from fupin.registry.schemas import VisitCreate

    visit = service.log_visit(UnitOfWork(db, a), site.a_households[2],
                              VisitCreate(visited_on=D(2024, 2, 28), found="入户走访"), today=D(2024, 3, 1))
    assert visit.household_id == site.a_households[2]
    assert _code(lambda: service.log_visit(UnitOfWork(db, a), site.b_households[0],
                                           VisitCreate(visited_on=D(2024, 2, 28), found="x"),
                                           today=D(2024, 3, 1))) == "services.household_not_found"
    with db.session_factory() as session:
        assert next(h for h in queries.grid_day(session, site.grid_a, D(2024, 3, 1))
                    if h.household_id == site.a_households[2]).last_visit == D(2024, 2, 28)
    # Binding: only grid-leader logins, only to a grid of their area.
    assert _code(lambda: service.bind_grid_leader(UnitOfWork(db, admin()), "nobody", site.grid_a)) == \
        "services.user_not_found"
    assert _code(lambda: service.bind_grid_leader(UnitOfWork(db, actor("village", "530321100200")), "grid_a",
                                                  site.grid_b)) == "services.grid_not_found"


def test_wishes_are_claimed_within_the_limit_and_fulfilled_with_evidence(db):
    add_areas(db)
    households = [add_household(db, VILLAGE) for _ in range(5)]
    member, other = add_members(db, 2)
    village = actor("village", VILLAGE)
    wishes = [service.post_wish(UnitOfWork(db, village), h, title=f"心愿{i}", now=NOW).id
              for i, h in enumerate(households)]
    for wish in wishes[:3]:
        service.claim_wish(UnitOfWork(db, village), wish, member_id=member, now=NOW)
    assert _code(lambda: service.claim_wish(UnitOfWork(db, village), wishes[3], member_id=member, now=NOW)) == \
        "services.claim_limit"
    assert _code(lambda: service.claim_wish(UnitOfWork(db, village), wishes[0], member_id=other, now=NOW)) == \
        "services.wish_taken"
    assert _code(lambda: service.claim_wish(UnitOfWork(db, village), wishes[3], now=NOW)) == \
        "services.claimer_required"
    assert _code(lambda: service.claim_wish(UnitOfWork(db, actor("grid", COMMUNITY)), wishes[3], member_id=other,
                                            now=NOW)) == "core.forbidden_action"
    assert _code(lambda: service.fulfil_wish(UnitOfWork(db, village), wishes[0], evidence=" ", now=NOW)) == \
        "services.evidence_required"
    service.fulfil_wish(UnitOfWork(db, village), wishes[0], evidence="照片001", now=at(D(2024, 3, 5)))
    service.claim_wish(UnitOfWork(db, village), wishes[3], member_id=member, now=NOW)  # a slot came free
    service.claim_wish(UnitOfWork(db, village), wishes[4], unit_name="县财政局机关支部", now=NOW)
    service.set_claim_limit(UnitOfWork(db, admin()), 1)
    with db.session_factory() as session:
        assert queries.open_claims(session, member) == 3
        assert [w.wish.id for w in queries.list_wishes(session, Scope.of_area(VILLAGE), status="open")] == []
        fulfilled = session.get(Wish, wishes[0])
        assert (fulfilled.status, fulfilled.fulfilled_on, fulfilled.evidence) == ("fulfilled", D(2024, 3, 5), "照片001")


def test_a_mutual_aid_team_is_linked_to_the_household_and_the_migrant_branch_and_duties_close_once(db):
    add_areas(db)
    household = add_household(db, VILLAGE)
    branch = add_org(db, name="驻芜湖流动党员党支部", area_code=TOWNSHIP, base_kind="migrant",
                     destination="安徽省芜湖市", origin_county_code="530326")
    village = actor("village", VILLAGE)
    team = service.create_team(UnitOfWork(db, village), household, name="互助组", worker_name="张三",
                               migrant_org_id=branch, members=["李四", "王五", "李四"], now=NOW)
    assert _code(lambda: service.create_team(UnitOfWork(db, village), household, name="互助组",
                                             migrant_org_id=10**9, now=NOW)) == "services.org_not_found"
    assert _code(lambda: service.create_team(UnitOfWork(db, village), household, name="  ", now=NOW)) == \
        "services.text_required"
    with db.session_factory() as session:
        assert queries.migrant_orgs(session, Scope.of_area(VILLAGE)) == [(branch, "驻芜湖流动党员党支部")]
        view = queries.get_team(session, team.id, Scope.of_area(VILLAGE))
        assert (view.org_name, [m.name for m in view.members]) == ("驻芜湖流动党员党支部", ["李四", "王五"])
    helper = view.members[1].id
    duty = service.assign_duty(UnitOfWork(db, village), team.id, kind="farm_work", helper_id=helper,
                               due_on=D(2024, 4, 1), description="春耕")
    assert _code(lambda: service.assign_duty(UnitOfWork(db, village), team.id, kind="sing", helper_id=helper,
                                             due_on=D(2024, 4, 1))) == "services.unknown_duty_kind"
    service.close_duty(UnitOfWork(db, village), duty.id, outcome="done", now=NOW)
    assert _code(lambda: service.close_duty(UnitOfWork(db, village), duty.id, outcome="not_done", now=NOW)) == \
        "services.duty_closed"
    assert _code(lambda: service.add_team_member(UnitOfWork(db, village), team.id, name="王五")) == \
        "services.team_member_twice"


def test_the_dashboard_figure_is_the_requests_done_on_time_with_the_households_behind_it(db):
    add_areas(db)
    households = [add_household(db, VILLAGE) for _ in range(4)]
    township = actor("township", TOWNSHIP)
    facts = []
    for index, (household, done_after) in enumerate(zip(households, (1, 3, 5, None), strict=True)):
        request = _file(db, household, now=at(D(2024, 3, 1)))  # due 03-04
        if done_after is not None:
            service.assign_request(UnitOfWork(db, township), request, handler="乡镇", now=at(D(2024, 3, 1)))
            service.complete_request(UnitOfWork(db, township), request, result="办结", one_visit=index == 0,
                                     now=at(D(2024, 3, 1 + done_after)))
        row = _row(db, request)
        facts.append(rules.RequestFacts(row.filed_on, row.due_on, row.status, row.done_on, row.one_visit, None))
    expected = rules.figures(facts, D(2024, 1, 1), D(2024, 12, 31), D(2024, 6, 1))
    assert (expected.done_on_time, expected.overdue, expected.received) == (2, 2, 4)
    with db.session_factory() as session:
        assert queries.request_figures(session, Scope.everything(), D(2024, 1, 1), D(2024, 12, 31),
                                       D(2024, 6, 1)) == expected
        table = engine.compute(session, Scope.everything(), COUNTY, 2024, day=D(2024, 6, 1),
                               codes=["requests_done_on_time", "requests_received", "requests_on_time_rate",
                                      "requests_overdue", "requests_one_visit_rate"])
        values = table.root().values
        assert values["requests_done_on_time"].value == 2
        assert values["requests_received"].value == 4
        assert (values["requests_on_time_rate"].numerator, values["requests_on_time_rate"].denominator) == (2, 4)
        assert values["requests_overdue"].value == 2
        assert (values["requests_one_visit_rate"].numerator, values["requests_one_visit_rate"].denominator) == (1, 3)
        behind = drilldown.records(session, Scope.everything(), "requests_done_on_time", COUNTY, 2024)
        assert sorted(r["household_id"] for r in behind) == sorted(households[:2])
