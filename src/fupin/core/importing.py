"""Shared shape of every import result: committed rows and a row-by-row error report in Chinese."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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
