"""Small SQL helpers every capability shares: keys in chunks, the largest key a database holds, sequence bumps.

    for row in rows_in(session, lambda ids: select(T.id, T.name).where(T.id.in_(ids)), wanted_ids):
        ...
    bump_sequences(connection, ["party_orgs", "cadres"])  # after inserting rows with explicit ids

Nothing here knows a capability's tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.engine import Connection, Row
from sqlalchemy.orm import Session

T = TypeVar("T")

# The largest integer key either database stores (SQLite INTEGER and PostgreSQL BIGINT are both signed 64-bit):
# ids sent by a client above it are refused at the edge (a 422), never handed to the driver (an OverflowError).
MAX_ID = 2**63 - 1

# Keys per `IN (…)` list: under the 999 host parameters old SQLite builds allow, and small enough for PostgreSQL to
# plan each chunk as an index look-up.
IN_CHUNK = 900

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def valid_id(key: Any) -> bool:
    """A key either database can bind: a positive 64-bit integer (a larger one is simply not found)."""
    return isinstance(key, int) and not isinstance(key, bool) and 0 < key <= MAX_ID


def chunks(values: Iterable[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """`values` in consecutive slices of at most `size`."""
    if size < 1:
        raise ValueError("chunk size must be positive")
    if not isinstance(values, Sequence):
        values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def rows_in(session: Session | Connection, statement_for: Callable[[Sequence[Any]], Any], values: Iterable[Any],
            size: int = IN_CHUNK) -> Iterator[Row[Any]]:
    """The rows of `statement_for(chunk)` for every chunk of the distinct `values` (an `IN` list kept short)."""
    distinct = sorted(set(values))
    for chunk in chunks(distinct, size):
        yield from session.execute(statement_for(chunk))


def bump_sequences(connection: Connection, tables: Iterable[str], column: str = "id") -> None:
    """PostgreSQL: move each table's serial sequence past its largest key, after rows were written with explicit
    keys (demo data, COPY). SQLite needs nothing (its rowid follows the largest key)."""
    if connection.dialect.name != "postgresql":
        return
    if not _IDENTIFIER.match(column):
        raise ValueError(f"not a column name: {column!r}")
    for table in tables:
        if not _IDENTIFIER.match(table):
            raise ValueError(f"not a table name: {table!r}")
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "  # noqa: S608 - names checked above
            f"(SELECT COALESCE(MAX({column}), 0) + 1 FROM {table}), false)"))
