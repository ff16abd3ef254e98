"""Pure rules of services (便民服务), no I/O: the request state machine, deadlines and escalation, the figures
of a set of requests, the wish claim limit and the vocabularies. Every refusal is a kind the service turns into
an error code (errors.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from fupin.core.areacodes import AreaLevel, code_at_level, level_of

# ---------------------------------------------------------------- requests (诉求): the state machine

STATUSES = {
    "open": "待交办",
    "assigned": "办理中",
    "done": "已办结待确认",
    "confirmed": "群众已确认",
    "reopened": "重新办理",
}
OPEN_STATUSES = ("open", "assigned", "reopened")  # not yet done: these can be overdue and escalated
FINISHED_STATUSES = ("done", "confirmed")

# move → (statuses it starts from, status it leads to, the permission-table action that allows it)
MOVES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "assign": (("open", "assigned", "reopened"), "assigned", "services.request.assign"),
    "complete": (("assigned", "reopened"), "done", "services.request.complete"),
    "confirm": (("done",), "confirmed", "services.request.confirm"),
    "reopen": (("done",), "reopened", "services.request.confirm"),
}
MOVE_NAMES = {"file": "登记", "assign": "交办", "complete": "办结", "confirm": "群众确认", "reopen": "重新办理",
              "escalate": "逾期升级"}


@dataclass(frozen=True)
class MoveProblem:
    """Why a move is refused: `kind` is "unknown" (no such move), "finished" (the request is closed) or
    "order" (the move does not start from `status`; `expected` names what must happen first)."""

    kind: str
    move: str
    status: str
    expected: str | None = None


def move_problem(status: str, move: str) -> MoveProblem | None:
    """Why `move` cannot be made from `status`, or None. Illegal moves are refused, never forced."""
    if move not in MOVES:
        return MoveProblem("unknown", move, status)
    sources, _target, _action = MOVES[move]
    if status in sources:
        return None
    if status == "confirmed":
        return MoveProblem("finished", move, status)
    expected = {"complete": "交办", "confirm": "办结", "reopen": "办结", "assign": "群众确认或重新办理"}[move]
    return MoveProblem("order", move, status, expected)


def target_of(move: str) -> str:
    return MOVES[move][1]


def action_of(move: str) -> str:
    """The permission-table action a move needs: who may do each move is the table's, not this module's."""
    return MOVES[move][2]


# ---------------------------------------------------------------- deadlines and escalation

DEFAULT_CATEGORIES: tuple[tuple[str, str, int], ...] = (
    # code, name, days to finish (办理时限, calendar days; configurable per category)
    ("documents", "证照办理", 3),
    ("social_security", "社保医保", 5),
    ("medical", "看病就医", 3),
    ("schooling", "子女上学", 5),
    ("employment", "就业务工", 7),
    ("housing", "住房维修", 10),
    ("dispute", "矛盾纠纷", 7),
    ("living", "生活困难", 5),
    ("other", "其他", 7),
)
MIN_DEADLINE_DAYS, MAX_DEADLINE_DAYS = 1, 90
MAX_ESCALATION = 3  # village/community → township → county → prefecture

ESCALATION_LEVELS: tuple[AreaLevel, ...] = (AreaLevel.village, AreaLevel.township, AreaLevel.county,
                                            AreaLevel.prefecture)
LEVEL_NAMES = {AreaLevel.village: "村(社区)", AreaLevel.township: "乡镇(街道)", AreaLevel.county: "县",
               AreaLevel.prefecture: "市(州)"}


def due_on(filed_on: dt.date, deadline_days: int) -> dt.date:
    return filed_on + dt.timedelta(days=deadline_days)


def is_overdue(status: str, due: dt.date, today: dt.date) -> bool:
    """Past its deadline and not done: a request done (even late) is no longer overdue."""
    return status in OPEN_STATUSES and today > due


def days_overdue(due: dt.date, today: dt.date) -> int:
    return max(0, (today - due).days)


def escalation_due(due: dt.date, deadline_days: int, today: dt.date) -> int:
    """The level an open request should have reached on `today`: one level up the day after its deadline, one
    more for every further deadline's length it stays open, at most MAX_ESCALATION."""
    late = (today - due).days
    if late <= 0:
        return 0
    return min(MAX_ESCALATION, 1 + (late - 1) // max(1, deadline_days))


def escalated_area(area_code: str, level: int) -> str:
    """The area answerable for a request escalated `level` times: level 0 is the request's own village or
    community; each level is the next one up (a group's request starts at its village)."""
    own = level_of(area_code)
    start = ESCALATION_LEVELS.index(own) if own in ESCALATION_LEVELS else 0
    if own == AreaLevel.group:
        start = 0
    index = min(start + level, len(ESCALATION_LEVELS) - 1)
    return code_at_level(area_code[:12], ESCALATION_LEVELS[index])


def level_name(area_code: str) -> str:
    return LEVEL_NAMES.get(level_of(area_code), "")


def done_on_time(done: dt.date | None, due: dt.date) -> bool:
    return done is not None and done <= due


# ---------------------------------------------------------------- figures of a set of requests

SATISFACTION = {"satisfied": "满意", "basic": "基本满意", "unsatisfied": "不满意"}


@dataclass(frozen=True)
class RequestFacts:
    filed_on: dt.date
    due: dt.date
    status: str
    done: dt.date | None
    one_visit: bool | None
    satisfaction: str | None


@dataclass(frozen=True)
class RequestFigures:
    received: int
    done: int
    done_on_time: int
    overdue: int
    one_visit: int
    confirmed: int
    satisfied: int

    def share(self, part: int, whole: int) -> str:
        """A share for display only (the counts stay exact)."""
        return "—" if whole == 0 else f"{part * 100 / whole:.1f}%"


def figures(requests: Iterable[RequestFacts], start: dt.date, end: dt.date, today: dt.date) -> RequestFigures:
    """Received in [start, end]; of those: done, done on time, overdue (open past the deadline on
    min(today, end), or done late), done in one visit (最多跑一次), confirmed, satisfied."""
    as_of = min(today, end)
    received = done = on_time = overdue = one_visit = confirmed = satisfied = 0
    for r in requests:
        if not start <= r.filed_on <= end:
            continue
        received += 1
        if r.done is not None and r.status in FINISHED_STATUSES:
            done += 1
            on_time += done_on_time(r.done, r.due)
            overdue += r.done > r.due
            one_visit += bool(r.one_visit)
        elif as_of > r.due:
            overdue += 1
        if r.status == "confirmed":
            confirmed += 1
            satisfied += r.satisfaction == "satisfied"
    return RequestFigures(received, done, on_time, overdue, one_visit, confirmed, satisfied)


# ---------------------------------------------------------------- wishes (微心愿)

WISH_STATUSES = {"open": "待认领", "claimed": "已认领", "fulfilled": "已实现"}
DEFAULT_CLAIM_LIMIT = 3  # open claims a member may hold at once (setting services_wish_claim_limit)


def claim_refused(open_claims: int, limit: int) -> bool:
    """A member holding `open_claims` unfulfilled wishes may not claim another once the limit is reached."""
    return open_claims >= limit


# ---------------------------------------------------------------- mutual aid (务工家庭互助)

DUTY_KINDS = {"farm_work": "农活帮忙", "sick_child": "照看生病子女", "elderly": "照料老人", "left_behind_child": "关爱留守儿童",
              "house": "看护房屋", "other": "其他"}
DUTY_STATUSES = {"open": "待完成", "done": "已完成", "not_done": "未完成"}


def duty_problem(status: str, outcome: str) -> str | None:
    """A duty is closed once: done or not done; None when the outcome may be recorded."""
    if outcome not in ("done", "not_done"):
        return "unknown"
    if status != "open":
        return "closed"
    return None
