"""A small per-process cache for figures that are expensive to compute and may be a little old.

A county dashboard folds hundreds of thousands of records into a few dozen figures; fifty cadres opening it at
once must not compute it fifty times. `figures.get(key, compute)` answers the value computed at most `seconds`
ago (FUPIN_FIGURE_CACHE_SECONDS); when it is older, exactly one request computes it again while the others of the
same key are answered with the value they had (a county's dashboard takes seconds to fold at a million people: nobody
should wait for it but the one who refreshes it). Only a key never computed makes its callers wait, for the one
computation. Pages say how old their figures are. Nothing that
decides anything (an exit, a warning, a quota) reads through this cache — only what is shown.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class FigureCache:
    def __init__(self, entries: int = 256) -> None:
        self._entries = entries
        self._values: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T], seconds: float) -> tuple[T, float]:
        """The value and the time (epoch seconds) it was computed."""
        if seconds <= 0:
            return compute(), time.time()
        now = time.monotonic()
        with self._guard:
            cached = self._values.get(key)
            if cached is not None and now - cached[0] < seconds:
                self._values.move_to_end(key)
                return cached[1]
            lock = self._locks.setdefault(key, threading.Lock())
        if cached is not None:
            if not lock.acquire(blocking=False):
                return cached[1]  # another request is refreshing it: the value as it was, with its age
        else:
            lock.acquire()  # one computation per key at a time; the others wait for it
        try:
            with self._guard:
                fresh = self._values.get(key)
                if fresh is not None and time.monotonic() - fresh[0] < seconds:
                    return fresh[1]
            value = (compute(), time.time())
            with self._guard:
                self._values[key] = (time.monotonic(), value)
                self._values.move_to_end(key)
                while len(self._values) > self._entries:
                    old, _ = self._values.popitem(last=False)
                    self._locks.pop(old, None)
            return value
        finally:
            lock.release()

    def clear(self) -> None:
        with self._guard:
            self._values.clear()


FIGURES = FigureCache()


def shown(key: Hashable, compute: Callable[[], T]) -> T:
    """A figure a page only shows (a count in a heading): computed at most once per FUPIN_FIGURE_CACHE_SECONDS in
    this process, whoever asks — a county's count of a million people is a scan, too dear for every request."""
    from fupin.core.settings import get_settings

    return FIGURES.get(key, compute, get_settings().figure_cache_seconds)[0]
