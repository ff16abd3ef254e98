"""The pure rules of services: the request state machine, deadlines and escalation, figures, claims, duties."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fupin.core.permissions import grant
from fupin.services import rules

D = dt.date


@pytest.mark.parametrize(("status", "move", "target"), [
    ("open", "assign", "assigned"), ("assigned", "assign", "assigned"), ("reopened", "assign", "assigned"),
    ("assigned", "complete", "done"), ("reopened", "complete", "done"),
    ("done", "confirm", "confirmed"), ("done", "reopen", "reopened"),
])
def test_the_legal_moves_and_where_they_lead(status, move, target):
    assert rules.move_problem(status, move) is None
    assert rules.target_of(move) == target


@pytest.mark.parametrize(("status", "move", "kind", "expected"), [
    ("open", "confirm", "order", "办结"),  # confirm before done
    ("assigned", "confirm", "order", "办结"),
    ("open", "complete", "order", "交办"),  # done before assigned
    ("open", "reopen", "order", "办结"),
    ("done", "complete", "order", "交办"),
    ("done", "assign", "order", "群众确认或重新办理"),
    ("confirmed", "confirm", "finished", None),
    ("confirmed", "reopen", "finished", None),
    ("confirmed", "assign", "finished", None),
    ("confirmed", "complete", "finished", None),
])
def test_illegal_moves_are_refused_with_what_comes_first(status, move, kind, expected):
    problem = rules.move_problem(status, move)
    assert problem is not None
    assert (problem.kind, problem.expected) == (kind, expected)


def test_an_unknown_move_is_refused():
    assert rules.move_problem("open", "close").kind == "unknown"


@given(st.sampled_from(list(rules.STATUSES)), st.sampled_from([*rules.MOVES, "x"]))
def test_every_move_either_leads_to_a_known_state_or_is_refused(status, move):
    problem = rules.move_problem(status, move)
    if problem is None:
        assert rules.target_of(move) in rules.STATUSES
        assert status != "confirmed"
    else:
        assert problem.kind in ("unknown", "finished", "order")


def test_who_may_make_each_move_is_the_permission_tables():
    assert rules.action_of("confirm") == "services.request.confirm"
    assert grant("grid", rules.action_of("complete")) is None  # a grid leader does not close requests
    assert grant("auditor", rules.action_of("confirm")) is None
    assert grant("village", rules.action_of("assign")) is None  # the township and above assign
    assert grant("township", rules.action_of("assign")) is not None
    assert grant("grid", rules.action_of("confirm")) is not None  # the household confirms to its grid leader


def test_the_deadline_and_overdue_are_by_day():
    due = rules.due_on(D(2024, 3, 1), 3)
    assert due == D(2024, 3, 4)
    assert not rules.is_overdue("assigned", due, D(2024, 3, 4))  # the last day is still in time
    assert rules.is_overdue("assigned", due, D(2024, 3, 5))
    assert not rules.is_overdue("done", due, D(2024, 3, 9))  # done late: late, but no longer overdue
    assert rules.days_overdue(due, D(2024, 3, 9)) == 5


def test_escalation_goes_one_level_up_per_deadline_length_and_stops_at_the_prefecture():
    due = D(2024, 3, 4)
    assert [rules.escalation_due(due, 3, D(2024, 3, d)) for d in (4, 5, 7, 8, 10, 11, 30)] == [0, 1, 1, 2, 2, 3, 3]
    assert rules.escalated_area("530326100200", 0) == "530326100200"
    assert rules.escalated_area("530326100200", 1) == "530326100000"
    assert rules.escalated_area("530326100200", 2) == "530326000000"
    assert rules.escalated_area("530326100200", 3) == "530300000000"
    assert rules.escalated_area("530326100200001", 1) == "530326100000"  # a group's request starts at its village
    assert rules.level_name("530326100000") == "乡镇(街道)"


def F(filed, due, status, done=None, one=None, sat=None):  # noqa: N802
    return rules.RequestFacts(filed, due, status, done, one, sat)


def test_figures_count_received_on_time_overdue_one_visit_and_satisfaction():
    year = (D(2024, 1, 1), D(2024, 12, 31))
    requests = [
        F(D(2024, 3, 1), D(2024, 3, 4), "confirmed", D(2024, 3, 3), True, "satisfied"),
        F(D(2024, 3, 1), D(2024, 3, 4), "confirmed", D(2024, 3, 6), False, "basic"),  # late
        F(D(2024, 3, 1), D(2024, 3, 4), "done", D(2024, 3, 4), True),  # on the last day
        F(D(2024, 5, 1), D(2024, 5, 8), "assigned"),  # open past its deadline
        F(D(2024, 6, 1), D(2024, 6, 20), "open"),  # open in time
        F(D(2023, 12, 1), D(2023, 12, 4), "open"),  # another year
    ]
    got = rules.figures(requests, *year, today=D(2024, 6, 10))
    assert got == rules.RequestFigures(received=5, done=3, done_on_time=2, overdue=2, one_visit=2, confirmed=2,
                                       satisfied=1)
    assert got.share(got.done_on_time, got.received) == "40.0%"
    assert got.share(1, 0) == "—"


def test_a_member_at_the_claim_limit_cannot_claim_more():
    assert not rules.claim_refused(2, 3)
    assert rules.claim_refused(3, 3)


def test_a_duty_is_closed_once_done_or_not_done():
    assert rules.duty_problem("open", "done") is None
    assert rules.duty_problem("open", "not_done") is None
    assert rules.duty_problem("done", "not_done") == "closed"
    assert rules.duty_problem("open", "maybe") == "unknown"
