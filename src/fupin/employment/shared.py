"""Helpers employment and relocation share (to be folded into `fupin.core.sql` and `fupin.web.forms`).

- `chunks`: long id lists in slices for `IN (…)` (SQLite binds at most 999 parameters by default);
- `bump_id_sequences`: after bulk rows with explicit ids (COPY), PostgreSQL's `serial` sequences move past them;
- `in_scope` / `locked_in_scope`: a record by id, NotFound unless it lies in the caller's area (so existence never
  leaks), the second one holding the row (`FOR UPDATE` on PostgreSQL) for a check-then-write. An id outside the
  64-bit range is simply not found (SQLite would overflow binding it);
- `area_in_scope`: an area code typed by the caller, checked in order: valid, inside the caller's area, existing;
- `no_control_characters`: the validator of every free-text field of both packages' schemas;
- `keep_or_raise`: a page handler's answer to a refused use case: what the user can correct goes beside the
  field (the form re-renders, 422); a refusal of the caller or of the record itself (403, a missing record in
  the path, 503) is the app's error page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, field_validator
from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from fupin.core import errors as core_errors
from fupin.core.areacodes import validate_code
from fupin.core.errors import Conflict, ErrorCode, FupinError, Invalid, NotFound
from fupin.core.scoping import Scope, require_in_scope
from fupin.core.uow import UnitOfWork

T = TypeVar("T")
MAX_ID = 2**63 - 1
IN_CHUNK = 900


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(value: Any) -> Any:
    """Text fields refuse control characters (a NUL breaks spreadsheets and some drivers); the message is
    Chinese, the field is named by the schema's title. (A before-validator: the length limits stay string
    limits.)"""
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValueError("不能含有控制字符(如制表符以外的不可见字符)")
    return value


class Input(BaseModel):
    """Base of every schema a caller fills in (API body or page form): no text field may hold control
    characters."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        return no_control_characters(value)


def chunks(values: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def bump_id_sequences(connection: Connection, tables: Sequence[str]) -> None:
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - the caller's fixed table names
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"))


def _area_code(row: Any) -> str | None:
    return getattr(row, "area_code", None)


def valid_id(key: Any) -> bool:
    return isinstance(key, int) and not isinstance(key, bool) and 0 < key <= MAX_ID


def in_scope(session: Session, model: type[T], key: Any, scope: Scope, not_found: ErrorCode,
             area: Callable[[Any], str | None] = _area_code) -> T:
    row = session.get(model, key) if valid_id(key) else None
    return require_in_scope(row, area(row) if row is not None else None, scope, not_found, key)


def locked_in_scope(uow: UnitOfWork, model: type[T], key: Any, not_found: ErrorCode,
                    area: Callable[[Any], str | None] = _area_code) -> T:
    """The row, re-read and held until the unit of work ends; what it says now, not what the session had."""
    row = None
    if valid_id(key):
        statement = uow.locked(select(model).where(model.id == key))  # type: ignore[attr-defined]
        row = uow.session.execute(statement.execution_options(populate_existing=True)).scalar_one_or_none()
    return require_in_scope(row, area(row) if row is not None else None, uow.scope, not_found, key)


def area_in_scope(uow: UnitOfWork, area_code: str) -> str:
    """The area's full code: a valid code (422), inside the caller's scope (403), that exists (404)."""
    from fupin.areas.queries import get_area

    code = validate_code(area_code)
    if not uow.scope.contains(code):
        raise core_errors.OUT_OF_SCOPE(field="area_code")
    return get_area(uow.session, code, uow.scope).code


def required_text(code: ErrorCode, labels: dict[str, tuple[str, str]], field: str, value: str | None) -> str:
    """The stripped text, or `code` naming the field (labels: field → (Chinese, English))."""
    text = (value or "").strip()
    if not text:
        label, label_en = labels.get(field, (field, field))
        raise code(field=field, label=label, label_en=label_en)
    return text


def one_of(code: ErrorCode, labels: dict[str, tuple[str, str]], field: str, value: Any,
           vocabulary: dict[Any, str]) -> Any:
    """`value` when it is one of the vocabulary's codes; else `code` listing the choices by name."""
    if value in vocabulary:
        return value
    label, label_en = labels.get(field, (field, field))
    raise code(field=field, label=label, label_en=label_en, choices="、".join(vocabulary.values()),
               choices_en=", ".join(str(k) for k in vocabulary))


def whole_area(uow: UnitOfWork) -> str | None:
    """The code of the caller's own area (None for the whole country)."""
    return uow.scope.prefix.ljust(12, "0") if uow.scope.prefix else None


def keep_or_raise(form: Any, error: FupinError) -> None:
    """`form` is a web.forms.FormResult."""
    if isinstance(error, Invalid | Conflict) or (isinstance(error, NotFound) and error.field is not None):
        form.add_error(error)
        return
    raise error


def fold_item_errors(form: Any, *names: str) -> Any:
    """A list typed into one box ("75,100,abc"): an error of its third item is shown beside the box."""
    folded: dict[str, str] = {}
    for key, message in form.errors.items():
        head = key.split(".", 1)[0]
        folded.setdefault(head if head in names else key, message)
    form.errors = folded
    return form
