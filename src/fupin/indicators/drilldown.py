"""Drill-down: the records behind any figure, for an area (its subtree) and year, scoped to the caller.

A ratio opens into the records of its numerator. The group that computes a figure also lists its records
(`IndicatorGroup.records`, declared by the owning capability); every row passes the caller's `Viewer` on the way
out, so a personal field a group might add is masked or withheld like everywhere else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from fupin.core.personal_data import PersonalField, Viewer
from fupin.core.rollup import Context
from fupin.core.scoping import Scope
from fupin.indicators import engine, errors
from fupin.indicators.catalogue import BY_CODE

DEFAULT_LIMIT = 500
FULL_VIEW = Viewer("admin")  # the command line sees what an administrator sees

_WITHHELD = {"health": PersonalField.health, "disability_grade": PersonalField.disability,
             "disability_category": PersonalField.disability, "disability_certificate": PersonalField.disability}


def shown(viewer: Viewer, row: dict[str, Any]) -> dict[str, Any]:
    """A record as the viewer may see it: ID numbers and phones masked, a birth date only as its year beside a
    masked ID, health and disability absent for roles that do not see them."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key in _WITHHELD:
            if viewer.shows(_WITHHELD[key]):
                out[key] = value
        elif key == "id_number":
            out[key] = viewer.id_number(value)
        elif key == "phone":
            out[key] = viewer.phone(value)
        elif key == "birth_date" and isinstance(value, dt.date):
            full = viewer.birth_date(value)
            out[key] = full if full is not None else None
            if full is None:
                out["birth_year"] = viewer.birth_year(value)
        else:
            out[key] = value
    return out


def records(session: Session, scope: Scope, indicator_code: str, area_code: str, year: int,
            day: dt.date | None = None, limit: int = DEFAULT_LIMIT, viewer: Viewer = FULL_VIEW) -> list[dict[str, Any]]:
    indicator = BY_CODE.get(indicator_code)
    if indicator is None:
        raise errors.INDICATOR_NOT_FOUND(field="indicator", indicator=indicator_code)
    inner = scope.narrowed_to(area_code)
    figure = indicator.numerator if indicator.is_ratio else indicator.code
    source = engine.figure_sources().get(figure or "")
    group = engine.groups()[source][1] if source is not None else None
    if group is None or group.records is None:
        raise errors.NO_RECORDS(field="indicator", name=indicator.name_zh)
    ctx = Context(session, inner, area_code, year, day or min(dt.date.today(), dt.date(year, 12, 31)),
                  wanted=frozenset({figure or ""}))
    rows = group.records(ctx, figure or "", limit) or []
    return [shown(viewer, row) for row in rows]
