"""One scoping helper for every query: a user sees and touches only the subtree of its area."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, select, true

from fupin.core.areacodes import prefix_of, prefix_upper_bound
from fupin.core.errors import ErrorCode, NotFound, define

T = TypeVar("T")

AREA_OUTSIDE = define("core.area_not_found", NotFound, "区划不存在或不在您的管辖范围内:{code}",
                      "No area {code} in your scope")


@dataclass(frozen=True)
class Scope:
    """An area subtree given by a code prefix; the empty prefix is the whole country."""

    prefix: str

    @classmethod
    def of_area(cls, area_code: str | None) -> Scope:
        return cls("" if not area_code else prefix_of(area_code))

    @classmethod
    def everything(cls) -> Scope:
        return cls("")

    def contains(self, code: str | None) -> bool:
        return code is not None and code.startswith(self.prefix)

    @property
    def own_area_code(self) -> str | None:
        """The 12-digit code of the scope's own area (None for the whole country)."""
        return self.prefix.ljust(12, "0") if self.prefix else None

    def covers_scope(self, other: Scope) -> bool:
        return other.prefix.startswith(self.prefix)

    def narrowed_to(self, area_code: str | None) -> Scope:
        """The scope of `area_code` if it lies inside this one; NotFound otherwise (never widened). Anything that
        is not a 12- or 15-digit code is simply not an area (never a 500)."""
        if not area_code:
            return self
        if not (area_code.isascii() and area_code.isdigit() and len(area_code) in (2, 4, 6, 9, 12, 15)):
            raise AREA_OUTSIDE(code=area_code[:20])
        if len(area_code) < 12:
            area_code = area_code.ljust(12, "0")
        inner = Scope.of_area(area_code)
        if not self.covers_scope(inner):
            raise AREA_OUTSIDE(code=area_code)
        return inner

    def condition(self, column: Any) -> ColumnElement[bool]:
        """WHERE clause restricting `column` (an area code column) to the scope, as an index range."""
        if not self.prefix:
            return true()
        upper = prefix_upper_bound(self.prefix)
        if upper is None:
            return column >= self.prefix
        return and_(column >= self.prefix, column < upper)


def scoped(statement: Any, column: Any, scope: Scope) -> Any:
    """Add the scope condition on `column` to a select/update/delete statement."""
    return statement.where(scope.condition(column))


def _area_code(row: Any) -> str | None:
    return getattr(row, "area_code", None)


def get_in_scope(session: Any, model: type[T], key: Any, scope: Scope, not_found: Any,
                 area: Callable[[Any], str | None] = _area_code, *, lock: bool = False) -> T:
    """The row with this key when it lies in the caller's area; else `not_found` (existence never leaks). A key
    outside the 64-bit range is simply not found (SQLite would overflow binding it). `lock` re-reads the row (what
    it says now, not what the session had) and holds it to the end of the transaction (FOR UPDATE on PostgreSQL),
    for the check-then-write of a use case."""
    from fupin.core.sql import valid_id

    row = None
    if valid_id(key) and lock:
        statement = select(model).where(model.id == key).with_for_update()  # type: ignore[attr-defined]
        row = session.execute(statement.execution_options(populate_existing=True)).scalar_one_or_none()
    elif valid_id(key):
        row = session.get(model, key)
    return require_in_scope(row, area(row) if row is not None else None, scope, not_found, key)


def found_as(problem: ErrorCode, field: str, key: Any, look_up: Callable[[Any], T]) -> T:
    """What `look_up(key)` finds (a scoped getter, often another capability's: NotFound outside the caller's
    area); else the caller's own `problem` on `field`, so a form names what was not found. A key no database can
    hold is not looked up."""
    from fupin.core.sql import valid_id

    if valid_id(key):
        try:
            return look_up(key)
        except NotFound:
            pass
    raise problem(field=field, key=key)


def require_in_scope(obj: Any, code: str | None, scope: Scope, entity: str, key: Any) -> Any:
    """Return obj when it exists inside the scope; otherwise NotFound, so existence never leaks."""
    if obj is None or not scope.contains(code):
        raise NotFound(entity, key)
    return obj
