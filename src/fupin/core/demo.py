"""The demo county: every capability's plugin adds its part, in `demo_order`, from one seeded RNG each."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fupin.core.capability import load_capabilities
from fupin.core.db import Database

DEMO_COUNTY_CODE = "530326000000"  # 云南省曲靖市会泽县, the county of seed 000's "十万人进城"
DEMO_TIMESTAMP = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
DEMO_WORK_YEAR = 2020  # the last year of the demo's incomes, checks and population: `quickstart` opens on it

Tracker = Callable[[str, int], Callable[[int], None]]


def _silent_tracker(_description: str, _total: int) -> Callable[[int], None]:
    return lambda _n: None


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str
    area_code: str | None
    area_name: str


@dataclass
class DemoContext:
    db: Database
    seed: int
    households: int
    county_code: str = DEMO_COUNTY_CODE
    track: Tracker = _silent_tracker
    logins: list[DemoLogin] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)

    def rng(self, part: str) -> random.Random:
        """An independent, reproducible stream per part, so adding a part never changes another's data."""
        return random.Random(f"{self.seed}:{part}")


class DemoExists(Exception):
    pass


def build_demo(ctx: DemoContext) -> DemoContext:
    for capability in sorted(load_capabilities(), key=lambda c: c.demo_order):
        if capability.demo is not None:
            capability.demo(ctx)
    return ctx
