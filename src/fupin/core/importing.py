"""Shared shape of every import result: committed rows and a row-by-row error report in Chinese."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum

_gc_pauses = 0
_gc_lock = threading.Lock()
_gc_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a large import builds its rows.

    Reading and validating 100,000 rows creates millions of small containers; each full collection walks all of
    them again, which costs a quarter of the import's time. Reference counting still frees everything the
    import drops; the collector resumes (and runs once) when the last concurrent import leaves."""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            resume = _gc_pauses == 0 and _gc_was_enabled
            if resume:
                gc.enable()
        if resume:
            gc.collect(1)


class ImportMode(StrEnum):
    all_or_nothing = "all-or-nothing"
    skip_invalid = "skip-invalid"


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class ImportReport:
    total: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    mode: ImportMode = ImportMode.all_or_nothing

    @property
    def invalid_lines(self) -> int:
        return len({e.line for e in self.errors})

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid_lines,
            "committed": self.committed,
            "mode": self.mode.value,
            "errors": [e.as_dict() for e in self.errors],
        }
