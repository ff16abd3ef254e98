"""Pure rules of organisations and coverage: no I/O, unit-tested without a database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fupin.core.errors import FupinError
from fupin.orgs import errors
from fupin.orgs.vocab import BASE_KINDS, CADRE_POSTS, CADRE_RANKS, ORG_TYPES

# Area-based kinds need no extra description; the others say what they are built on.
KINDS_NEEDING_NAME = ("industry_chain", "cooperative", "enterprise", "online", "organ")


def org_problems(org_type: str, base_kind: str, base_name: str | None, destination: str | None,
                 origin_county_code: str | None, founded_on: dt.date, dissolved_on: dt.date | None = None
                 ) -> list[FupinError]:
    """Every way an organisation's description is inconsistent, each an error with its code and field."""
    problems: list[FupinError] = []
    if org_type not in ORG_TYPES:
        problems.append(errors.ORG_TYPE_UNKNOWN(field="org_type", value=org_type,
                                                allowed="、".join(ORG_TYPES.values())))
    if base_kind not in BASE_KINDS:
        problems.append(errors.BASE_KIND_UNKNOWN(field="base_kind", value=base_kind,
                                                 allowed="、".join(BASE_KINDS.values())))
    if base_kind in KINDS_NEEDING_NAME and not (base_name or "").strip():
        problems.append(errors.BASE_NAME_REQUIRED(field="base_name", kind=BASE_KINDS[base_kind]))
    if base_kind == "migrant":
        if not (destination or "").strip():
            problems.append(errors.DESTINATION_REQUIRED(field="destination"))
        if not (origin_county_code or "").isdigit() or len(origin_county_code or "") != 6:
            problems.append(errors.ORIGIN_COUNTY_REQUIRED(field="origin_county_code"))
    if dissolved_on is not None and dissolved_on < founded_on:
        problems.append(errors.DISSOLVED_BEFORE_FOUNDED(field="dissolved_on"))
    return problems


def cadre_problems(name: str, work_unit: str, rank: str, post: str, active_from: dt.date | None,
                   active_to: dt.date | None) -> list[FupinError]:
    """Every way a cadre's record is incomplete or inconsistent (the form, the API and the import alike)."""
    problems: list[FupinError] = []
    if not (name or "").strip():
        problems.append(errors.NAME_REQUIRED(field="name"))
    if not (work_unit or "").strip():
        problems.append(errors.WORK_UNIT_REQUIRED(field="work_unit"))
    if rank not in CADRE_RANKS:
        problems.append(errors.RANK_UNKNOWN(field="rank", allowed="、".join(CADRE_RANKS.values())))
    if post not in CADRE_POSTS:
        problems.append(errors.POST_UNKNOWN(field="post", allowed="、".join(CADRE_POSTS.values())))
    if active_from is None:
        problems.append(errors.ACTIVE_FROM_REQUIRED(field="active_from"))
    elif active_to is not None and active_to < active_from:
        problems.append(errors.ACTIVE_TO_BEFORE_FROM(field="active_to"))
    return problems


def is_active_on(founded_on: dt.date, dissolved_on: dt.date | None, day: dt.date) -> bool:
    return founded_on <= day and (dissolved_on is None or dissolved_on > day)


def creates_cycle(org_id: int, new_parent_id: int | None, parent_of: Mapping[int, int | None]) -> bool:
    """True when making `new_parent_id` the parent of `org_id` would put `org_id` under itself."""
    seen: set[int] = set()
    current = new_parent_id
    while current is not None and current not in seen:
        if current == org_id:
            return True
        seen.add(current)
        current = parent_of.get(current)
    return False


@dataclass
class TreeNode:
    id: int
    label: Any
    children: list[TreeNode] = field(default_factory=list)


def build_forest(rows: Iterable[tuple[int, int | None, Any]]) -> list[TreeNode]:
    """Roots (those whose parent is not among the rows, e.g. outside the caller's scope) with their subtrees."""
    nodes: dict[int, TreeNode] = {}
    parents: dict[int, int | None] = {}
    for org_id, parent_id, label in rows:
        nodes[org_id] = TreeNode(org_id, label)
        parents[org_id] = parent_id
    roots: list[TreeNode] = []
    for org_id, node in nodes.items():
        parent_id = parents[org_id]
        if parent_id is not None and parent_id in nodes and parent_id != org_id:
            nodes[parent_id].children.append(node)
        else:
            roots.append(node)
    return roots


# ---- coverage -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Gap:
    what: str
    area_code: str | None
    where: str
    why: str

    def as_dict(self) -> dict[str, Any]:
        return {"what": self.what, "area_code": self.area_code, "where": self.where, "why": self.why}


@dataclass
class RuleResult:
    """A coverage rule's answer. `has_data` False means the data it needs is not recorded yet: no zero shown."""

    key: str
    name_zh: str
    name_en: str
    seed: str
    threshold: str
    has_data: bool = True
    covered: int = 0
    total: int = 0
    gaps: list[Gap] = field(default_factory=list)
    gap_count: int = 0
    no_data_reason: str | None = None

    @property
    def rate(self) -> Decimal | None:
        return coverage_rate(self.covered, self.total) if self.has_data else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name_zh,
            "name_en": self.name_en,
            "seed": self.seed,
            "threshold": self.threshold,
            "status": "ok" if self.has_data else "no_data",
            "covered": self.covered if self.has_data else None,
            "total": self.total if self.has_data else None,
            "rate": None if self.rate is None else str(self.rate),
            "gap_count": self.gap_count if self.has_data else None,
            "gaps": [g.as_dict() for g in self.gaps],
            "no_data_reason": self.no_data_reason,
        }


def coverage_rate(covered: int, total: int) -> Decimal | None:
    """Covered ÷ total as a percentage with one decimal; None when there is nothing to cover."""
    if total <= 0:
        return None
    return (Decimal(covered) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# The administrative-village rule, declared once as data: a village-level area (村/社区) is an administrative
# village (行政村) unless its name marks an urban community. `is_administrative_village` reads it in Python and
# `coverage.administrative_village_condition` turns the same declaration into SQL (LIKE patterns).
NOT_A_VILLAGE_IF_NAME_CONTAINS: tuple[str, ...] = ("社区",)
NOT_A_VILLAGE_IF_NAME_ENDS_WITH: tuple[str, ...] = ("居委会",)


def is_administrative_village(name: str) -> bool:
    """Village-level areas are 村 and 社区; the village rules apply to 村 (a 社区 has no farmland cooperative)."""
    return (not any(part in name for part in NOT_A_VILLAGE_IF_NAME_CONTAINS)
            and not name.endswith(NOT_A_VILLAGE_IF_NAME_ENDS_WITH))
