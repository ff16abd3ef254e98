"""Rows that hold a period with an open end (a job held, a household's membership of a cooperative): the period
ends once, never before it began.

    end_once(placement, "started_on", "ended_on", day, ended=errors.PLACEMENT_ENDED,
             before_start=errors.END_BEFORE_START)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fupin.core.errors import ErrorCode


def end_once(row: Any, start: str, end: str, on: dt.date, *, ended: ErrorCode, before_start: ErrorCode) -> None:
    """Close the open period of `row` on `on` (its attribute `end` set). `ended` when it has ended already
    (nothing changes), `before_start` on the field `end` when `on` precedes the attribute `start`. Each error's
    value is named after the attribute it shows (`ended(ended_on=…)`, `before_start(started_on=…)`)."""
    ended_on = getattr(row, end)
    if ended_on is not None:
        raise ended(**{end: ended_on.isoformat()})
    started_on = getattr(row, start)
    if on < started_on:
        raise before_start(field=end, **{start: started_on.isoformat()})
    setattr(row, end, on)
