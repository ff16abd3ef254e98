"""core.periods.end_once: an open period ends once, never before it began."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from fupin.core.errors import Conflict, Invalid, define
from fupin.core.periods import end_once

ENDED = define("test.period_ended", Conflict, "已于{ended_on}结束", "Ended on {ended_on}")
BEFORE_START = define("test.period_before_start", Invalid, "不能早于{started_on}", "Before {started_on}")


@dataclass
class Job:
    started_on: dt.date
    ended_on: dt.date | None = None


def test_an_open_period_ends_on_the_day_given_even_its_first_day():
    job = Job(dt.date(2024, 3, 1))
    end_once(job, "started_on", "ended_on", dt.date(2024, 3, 1), ended=ENDED, before_start=BEFORE_START)
    assert job.ended_on == dt.date(2024, 3, 1)


def test_an_ended_period_is_a_conflict_and_keeps_its_end():
    job = Job(dt.date(2024, 3, 1), dt.date(2024, 5, 1))
    with pytest.raises(Conflict) as raised:
        end_once(job, "started_on", "ended_on", dt.date(2024, 6, 1), ended=ENDED, before_start=BEFORE_START)
    assert raised.value.code == "test.period_ended" and raised.value.message == "已于2024-05-01结束"
    assert job.ended_on == dt.date(2024, 5, 1)


def test_an_end_before_the_start_names_the_end_field_and_changes_nothing():
    job = Job(dt.date(2024, 3, 1))
    with pytest.raises(Invalid) as raised:
        end_once(job, "started_on", "ended_on", dt.date(2024, 2, 28), ended=ENDED, before_start=BEFORE_START)
    assert raised.value.field == "ended_on" and raised.value.message == "不能早于2024-03-01"
    assert job.ended_on is None
