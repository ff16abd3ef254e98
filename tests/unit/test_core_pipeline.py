"""core.pipeline: chunks prepared in a forked child, results in order; the same results in one process when
fork is refused; a dying child is PipelineFailed, never a hang."""

from __future__ import annotations

import os

import pytest

from fupin.core.pipeline import PipelineFailed, forked


def _square_in(item: int, state: dict) -> tuple[int, int, int]:
    return item, item * item + state["offset"], os.getpid()


def test_results_come_in_order_from_a_child_with_its_own_state():
    results = list(forked(range(5), _square_in, state=lambda: {"offset": 1}))
    assert [(i, s) for i, s, _pid in results] == [(i, i * i + 1) for i in range(5)]
    assert {pid for _i, _s, pid in results} != {os.getpid()}, "prepared in another process"


def test_none_ends_the_stream_early():
    results = list(forked(range(10), lambda item, _state: None if item == 3 else item))
    assert results == [0, 1, 2, None]


def test_a_refused_fork_runs_the_same_work_here():
    def refuse() -> int:
        raise OSError("Resource temporarily unavailable")

    closed = []
    results = list(forked(range(4), _square_in, state=lambda: {"offset": 0}, close=closed.append, fork=refuse))
    assert [(i, s) for i, s, _pid in results] == [(i, i * i) for i in range(4)]
    assert {pid for _i, _s, pid in results} == {os.getpid()} and closed == [{"offset": 0}]


def test_a_dying_child_is_pipeline_failed():
    def dies_at_two(item: int, _state: None) -> int:
        if item == 2:
            os._exit(3)
        return item

    stream = forked(range(5), dies_at_two)
    assert next(stream) == 0 and next(stream) == 1
    with pytest.raises(PipelineFailed):
        next(stream)
