"""The figure cache: fresh values are reused, old ones computed again, and never twice at the same time."""

from __future__ import annotations

import threading
import time

from fupin.core.cache import FigureCache


def test_a_fresh_value_is_reused_and_an_old_one_computed_again():
    cache = FigureCache()
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get("k", compute, 60)[0] == 1
    assert cache.get("k", compute, 60)[0] == 1
    assert cache.get("other", compute, 60)[0] == 2
    assert cache.get("k", compute, 0)[0] == 3, "no cache when the seconds are zero"
    time.sleep(0.06)
    assert cache.get("k", compute, 0.05)[0] == 4, "older than allowed: computed again"


def test_concurrent_requests_compute_once():
    cache = FigureCache()
    started = threading.Barrier(8)
    calls = []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.2)
        return "figures"

    results = []

    def ask() -> None:
        started.wait()
        results.append(cache.get("county", slow, 60)[0])

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["figures"] * 8 and len(calls) == 1


def test_while_one_request_refreshes_an_old_value_the_others_get_it_at_once():
    cache = FigureCache()
    assert cache.get("county", lambda: "old", 0.05)[0] == "old"
    time.sleep(0.06)
    refreshing = threading.Event()
    release = threading.Event()

    def slow() -> str:
        refreshing.set()
        release.wait(5)
        return "new"

    refresher = threading.Thread(target=lambda: cache.get("county", slow, 0.05))
    refresher.start()
    assert refreshing.wait(5)
    started = time.monotonic()
    value, _computed_at = cache.get("county", lambda: "computed twice", 0.05)
    assert value == "old" and time.monotonic() - started < 0.5, "the stale value, without waiting"
    release.set()
    refresher.join()
    assert cache.get("county", lambda: "computed twice", 60)[0] == "new"
