"""Pure rules of relocation: unit size classes, the seeded lottery (摇号分房), grid proposals, the checklist.

No I/O here: the service loads the inputs, calls these functions and writes what they return.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from fupin.core.errors import FupinError
from fupin.relocation import errors

SITE_KINDS = {"concentrated": "集中安置", "dispersed": "分散安置"}
SITE_LOCATIONS = {"county_town": "县城", "market_town": "集镇", "central_village": "中心村"}
RELOCATION_STATUSES = {"planned": "计划搬迁", "allocated": "已分房", "moved_in": "已入住"}
PRIORITY_GROUPS = {0: "一般", 1: "优先(老弱病残等)"}
CHECK_STATES = {"done": "已落实", "open": "未落实", "na": "不适用"}
# 三地 (contracted land, forest land, homestead) / 三保 (medical insurance, minimum allowance, pension) /
# 三就 (school, medical care, job)
CHECKLIST_ITEMS = {
    "contracted_land": ("三地", "承包地"),
    "forest_land": ("三地", "林地"),
    "homestead": ("三地", "宅基地"),
    "medical_insurance": ("三保", "医疗保险"),
    "minimum_allowance": ("三保", "低保"),
    "pension": ("三保", "养老保险"),
    "schooling": ("三就", "就学"),
    "medical_care": ("三就", "就医"),
    "job": ("三就", "就业"),
}
DEFAULT_GRID_SIZE = 10
# The coded fields as forms and messages name them (Chinese, English).
FIELD_LABELS = {
    "kind": ("安置方式", "kind of site"),
    "location": ("安置区位", "location"),
    "priority_group": ("优先组", "priority group"),
    "name": ("名称", "name"),
}


@dataclass(frozen=True)
class SizeRule:
    """Policy: about 25 m² per person. A unit's class is ceil(area / 25) and a household's class its member
    count, both clamped to [min_class, max_class]; a unit fits a household of the same class."""

    per_person_m2: Decimal = Decimal("25")
    min_class: int = 2
    max_class: int = 6

    def unit_class(self, area_m2: Decimal) -> int:
        raw = math.ceil(Decimal(area_m2) / self.per_person_m2)
        return max(self.min_class, min(self.max_class, raw))

    def household_class(self, members: int) -> int:
        return max(self.min_class, min(self.max_class, members))

    def fits(self, area_m2: Decimal, members: int) -> bool:
        return self.unit_class(area_m2) == self.household_class(members)

    def as_dict(self) -> dict[str, object]:
        return {"per_person_m2": str(self.per_person_m2), "min_class": self.min_class, "max_class": self.max_class}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> SizeRule:
        return cls(Decimal(str(data["per_person_m2"])), int(str(data["min_class"])), int(str(data["max_class"])))


@dataclass(frozen=True)
class Applicant:
    household_id: int
    members: int
    priority_group: int = 0


@dataclass(frozen=True)
class FreeUnit:
    unit_id: int
    area_m2: Decimal


@dataclass(frozen=True)
class DrawLine:
    order: int
    household_id: int
    draw_number: str
    unit_id: int | None


@dataclass
class DrawResult:
    lines: list[DrawLine] = field(default_factory=list)

    @property
    def allocations(self) -> dict[int, int]:
        return {line.household_id: line.unit_id for line in self.lines if line.unit_id is not None}

    @property
    def unplaced(self) -> list[int]:
        return [line.household_id for line in self.lines if line.unit_id is None]

    def digest(self) -> str:
        return result_digest(self.lines)


def draw_number(seed: str, kind: str, key: int) -> str:
    """SHA-256 of "seed:kind:id" in hex: anyone can recompute it with any tool (e.g. `sha256sum`)."""
    return hashlib.sha256(f"{seed}:{kind}:{key}".encode()).hexdigest()


def result_digest(lines: Sequence[DrawLine]) -> str:
    text = "\n".join(f"{ln.order},{ln.household_id},{ln.unit_id if ln.unit_id is not None else ''}" for ln in lines)
    return hashlib.sha256(text.encode()).hexdigest()


class LotteryRefused(ValueError):
    """The draw cannot run as asked; `error` is the coded error the use case raises."""

    def __init__(self, error: FupinError) -> None:
        super().__init__(error.message)
        self.error = error


def run_lottery(seed: str, applicants: Sequence[Applicant], units: Sequence[FreeUnit],
                rule: SizeRule = SizeRule(), waiting: Sequence[int] = ()) -> DrawResult:
    """Households in order (priority group, then their draw number) each take the first free unit of their
    size class in the units' draw order. Only free units and unallocated households take part, so a re-run
    never moves an allocated unit. When there are fewer units than households, the caller must name the
    households that wait for a later draw; otherwise the draw is refused."""
    if not seed or not seed.strip():
        raise LotteryRefused(errors.SEED_INVALID(field="seed"))
    waiting_set = set(waiting)
    unknown = waiting_set - {a.household_id for a in applicants}
    if unknown:
        shown = sorted(unknown)
        raise LotteryRefused(errors.WAITING_UNKNOWN(
            field="waiting", ids=", ".join(map(str, shown[:20])) + (" …" if len(shown) > 20 else "")))
    taking_part = [a for a in applicants if a.household_id not in waiting_set]
    if len(units) < len(taking_part):
        raise LotteryRefused(errors.TOO_FEW_UNITS(field="waiting", units=len(units), households=len(taking_part),
                                                  short=len(taking_part) - len(units)))
    by_class: dict[int, list[FreeUnit]] = defaultdict(list)
    for unit in sorted(units, key=lambda u: (draw_number(seed, "unit", u.unit_id), u.unit_id)):
        by_class[rule.unit_class(unit.area_m2)].append(unit)
    next_index: dict[int, int] = defaultdict(int)
    ordered = sorted((a.priority_group * -1, draw_number(seed, "household", a.household_id), a.household_id, a)
                      for a in taking_part)
    result = DrawResult()
    for order, (_p, number, household_id, applicant) in enumerate(ordered, start=1):
        wanted = rule.household_class(applicant.members)
        pool = by_class.get(wanted, [])
        i = next_index[wanted]
        unit_id = None
        if i < len(pool):
            unit_id = pool[i].unit_id
            next_index[wanted] = i + 1
        result.lines.append(DrawLine(order, household_id, number, unit_id))
    return result


@dataclass(frozen=True)
class GridSlot:
    """A household in its place: building name, floor, unit number (the order of the grid proposal)."""

    relocated_id: int
    building: str
    floor: int
    unit_number: str


def _natural(text: str) -> tuple:
    parts: list[tuple[int, object]] = []
    number = ""
    for ch in text:
        if ch.isdecimal():  # not isdigit: "¹" is a digit int() refuses
            number += ch
        else:
            if number:
                parts.append((0, int(number)))
                number = ""
            parts.append((1, ch))
    if number:
        parts.append((0, int(number)))
    return tuple(parts)


def propose_grids(slots: Sequence[GridSlot], grid_size: int = DEFAULT_GRID_SIZE) -> list[list[int]]:
    """Households by building, floor and unit, cut into round(n / size) grids of near-equal size (they
    differ by at most one), so neighbours share a grid and each grid is close to the configured size."""
    if grid_size < 1:
        raise ValueError("grid_size must be positive")
    ordered = sorted(slots, key=lambda s: (_natural(s.building), s.floor, _natural(s.unit_number), s.relocated_id))
    n = len(ordered)
    if n == 0:
        return []
    count = max(1, int(Decimal(n / grid_size).to_integral_value()))
    base, extra = divmod(n, count)
    grids: list[list[int]] = []
    start = 0
    for g in range(count):
        size = base + (1 if g < extra else 0)
        grids.append([s.relocated_id for s in ordered[start:start + size]])
        start += size
    return grids


def pick_leader(candidates: Sequence[tuple[int, str, bool, bool]]) -> tuple[int, str, bool] | None:
    """(person_id, name, is_party_member, is_head) → the first Party member, else the first household head."""
    for person_id, name, member, _head in candidates:
        if member:
            return person_id, name, True
    for person_id, name, _member, head in candidates:
        if head:
            return person_id, name, False
    return None


def open_items(checklist: dict[str, str]) -> list[str]:
    return [item for item in CHECKLIST_ITEMS if checklist.get(item, "open") == "open"]


class StatusRefused(ValueError):
    def __init__(self, error: FupinError) -> None:
        super().__init__(error.message)
        self.error = error


def next_status(current: str, target: str) -> str:
    """planned → allocated → moved_in; anything else is refused (StatusRefused carrying the coded error)."""
    allowed = {("planned", "allocated"), ("allocated", "moved_in"), ("planned", "moved_in")}
    if (current, target) not in allowed:
        raise StatusRefused(errors.STATUS_TRANSITION(current=RELOCATION_STATUSES.get(current, current),
                                                     target=RELOCATION_STATUSES.get(target, target)))
    return target
