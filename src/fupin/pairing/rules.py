"""Pure pairing rules: rank quotas, who may help whom, the stale-plan fingerprint, visit follow-up."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable

from fupin.pairing import errors

# "543": county-level leaders help 5 households, section-level 4, other cadres 3 (seed 003).
DEFAULT_QUOTAS = {"county": 5, "section": 4, "general": 3}
QUOTA_ENV = "FUPIN_PAIRING_QUOTAS"
DEFAULT_VISIT_DAYS = 30


def parse_quotas(text: str | None) -> dict[str, int]:
    """`county=5,section=4,general=3` (any subset) over the defaults."""
    quotas = dict(DEFAULT_QUOTAS)
    for part in (text or "").split(","):
        if not part.strip():
            continue
        rank, _, value = part.partition("=")
        rank = rank.strip()
        if rank not in DEFAULT_QUOTAS or not value.strip().isdigit():
            raise errors.QUOTA_SETTING_INVALID(part=part.strip())
        quotas[rank] = int(value)
    return quotas


def configured_quotas() -> dict[str, int]:
    return parse_quotas(os.environ.get(QUOTA_ENV))


def may_help(cadre_area_code: str, household_area_code: str) -> bool:
    """A cadre helps only households inside the area of his assignment (a code-prefix subtree)."""
    from fupin.core.areacodes import prefix_of

    return household_area_code.startswith(prefix_of(cadre_area_code))


def cadre_active_on(active_from: dt.date, active_to: dt.date | None, day: dt.date) -> bool:
    return active_from <= day and (active_to is None or active_to > day)


def fingerprint(parts: Iterable[Iterable[object]]) -> str:
    """A digest of the rows a plan was computed from; any change to them changes it."""
    digest = hashlib.sha256()
    for row in parts:
        digest.update("|".join("" if v is None else str(v) for v in row).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def days_since(last: dt.date | None, today: dt.date) -> int | None:
    return None if last is None else (today - last).days


def overdue(last: dt.date | None, today: dt.date, days: int = DEFAULT_VISIT_DAYS) -> bool:
    """Never visited, or the last visit more than `days` days ago."""
    return last is None or (today - last).days > days
