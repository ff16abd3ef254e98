"""Read side of areas; every function takes the caller's scope."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from fupin.areas.models import Area
from fupin.core import errors as core_errors
from fupin.core.areacodes import validate_code
from fupin.core.errors import NotFound
from fupin.core.scoping import Scope


def get_area(session: Session, code: str, scope: Scope) -> Area:
    area = session.get(Area, code)
    if area is None or not scope.contains(area.code):
        raise NotFound("区划", code)
    return area


def area_in_scope(session: Session, scope: Scope, area_code: str) -> str:
    """The area's full code: a valid code (422), inside the caller's scope (403), that exists (404)."""
    code = validate_code(area_code)
    if not scope.contains(code):
        raise core_errors.OUT_OF_SCOPE(field="area_code")
    return get_area(session, code, scope).code


def areas_select(scope: Scope, levels: tuple[str, ...] | None = None) -> Select:
    """Areas in the scope (optionally of these levels): code, name, level, parent_code — the set-based shape other
    capabilities join (e.g. the villages a coverage rule counts, the names of gap rows)."""
    stmt = select(Area.code, Area.name, Area.level, Area.parent_code).where(scope.condition(Area.code))
    if levels:
        stmt = stmt.where(Area.level.in_(list(levels)))
    return stmt


def children(session: Session, code: str, scope: Scope) -> list[Area]:
    get_area(session, code, scope)
    return list(session.scalars(select(Area).where(Area.parent_code == code).order_by(Area.code)))


def subtree(session: Session, code: str, scope: Scope, max_level: str | None = None) -> list[Area]:
    """The area and all its descendants (optionally down to `max_level`), ordered by code."""
    root = get_area(session, code, scope)
    stmt = select(Area).where(Scope.of_area(root.code).condition(Area.code)).order_by(Area.code)
    if max_level:
        from fupin.core.areacodes import LEVEL_ORDER, AreaLevel

        allowed = [lvl.value for lvl in LEVEL_ORDER[: LEVEL_ORDER.index(AreaLevel(max_level)) + 1]]
        stmt = stmt.where(Area.level.in_(allowed))
    return list(session.scalars(stmt))


def search(session: Session, text: str, scope: Scope, limit: int = 20) -> list[Area]:
    text = text.strip()
    stmt = select(Area).where(scope.condition(Area.code))
    if text:
        stmt = stmt.where(or_(Area.name.contains(text), Area.code.startswith(text)))
    return list(session.scalars(stmt.order_by(func.length(Area.name), Area.code).limit(limit)))


def path_names(session: Session, code: str) -> list[Area]:
    """Ancestors and self, top-down (names shown as a breadcrumb)."""
    from fupin.core.areacodes import ancestors_of

    codes = [*ancestors_of(code), code]
    found = {a.code: a for a in session.scalars(select(Area).where(Area.code.in_(codes)))}
    return [found[c] for c in codes if c in found]


def roots(session: Session) -> list[Area]:
    return list(session.scalars(select(Area).where(Area.parent_code.is_(None)).order_by(Area.code)))


def exists(session: Session, code: str) -> bool:
    return session.scalar(select(Area.code).where(Area.code == code)) is not None


def count_villages(session: Session, scope: Scope) -> int:
    return session.scalar(select(func.count()).select_from(Area)
                          .where(scope.condition(Area.code), Area.level == "village")) or 0


def count(session: Session, scope: Scope) -> int:
    return session.scalar(select(func.count()).select_from(Area).where(scope.condition(Area.code))) or 0


def levels_of(session: Session, codes: list[str]) -> dict[str, str]:
    """code → level of the codes that exist (any area: callers check scope themselves), in chunks of 5,000."""
    found: dict[str, str] = {}
    unique = sorted(set(codes))
    for start in range(0, len(unique), 5000):
        found.update(session.execute(select(Area.code, Area.level)
                                     .where(Area.code.in_(unique[start:start + 5000]))).tuples().all())
    return found


AREA_CHOICES_LIMIT = 3000  # more villages than this (a scope above a county) and a form asks to narrow the area first


def area_choices(session: Session, scope: Scope, levels: tuple[str, ...] = ("village", "group"),
                 limit: int = AREA_CHOICES_LIMIT) -> list[tuple[str, list[tuple[str, str]]]] | None:
    """The areas a form may pick (villages and their groups), grouped by township: [(township name, [(code,
    label)])], or None when the scope holds more than `limit` of them (the page asks to pick a smaller area)."""
    count = session.scalar(select(func.count()).select_from(areas_select(scope, levels).subquery())) or 0
    if count > limit:
        return None
    rows = session.execute(areas_select(scope, levels).order_by(Area.code)).all()
    names = {r.code: r.name for r in rows}
    township_codes = {r.code[:9].ljust(12, "0") for r in rows}
    names.update({code: name for code, name in session.execute(
        select(Area.code, Area.name).where(Area.code.in_(township_codes)))})
    groups: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        township = row.code[:9].ljust(12, "0")
        label = row.name if row.level != "group" else f"{names.get(row.parent_code or '', '')} · {row.name}"
        groups.setdefault(names.get(township, township), []).append((row.code, label))
    return list(groups.items())


def names_of(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """Code → name of the given areas (codes not found are left out): one query, for tables that show areas."""
    wanted = sorted({c for c in codes if c})
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start:start + 1000]
        for code, name in session.execute(select(Area.code, Area.name).where(Area.code.in_(chunk))):
            found[code] = name
    return found
