"""Engine, session factory and the declarative base shared by every capability."""

from __future__ import annotations

import io
import sqlite3
import zlib
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, MetaData, Table, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, SessionTransaction, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC timestamps on both databases (SQLite keeps no zone, so we restore it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # `Mapped[dt.datetime]` is always a UTC timestamp (the shared column types: fupin.core.columns).
    type_annotation_map = {datetime: UTCDateTime()}


def normalise_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and use psycopg 3 for PostgreSQL."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def is_sqlite(url_or_engine: str | Engine | Connection) -> bool:
    if isinstance(url_or_engine, str):
        return make_url(normalise_url(url_or_engine)).get_backend_name() == "sqlite"
    return url_or_engine.dialect.name == "sqlite"


WRITE_OPTION = "fupin_write"


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # fupin issues BEGIN itself (see _sqlite_on_begin): the driver's own, lazy BEGIN at the first write would let
    # a check-then-write read stale state and then fail to upgrade its lock under concurrency.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # Page cache up to 64 MB per connection (SQLite's default is 2 MB), allocated only as pages are read: bulk
    # imports insert into several indexes with random keys (ID hashes, names), which thrash a small cache.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def _sqlite_on_begin(connection: Connection) -> None:
    """A unit of work that writes starts with BEGIN IMMEDIATE: concurrent writers wait their turn (busy timeout)
    before reading anything, so every check-then-write sees the latest committed state. Reads BEGIN DEFERRED."""
    mode = "IMMEDIATE" if connection.get_execution_options().get(WRITE_OPTION) else "DEFERRED"
    driver = connection.connection.driver_connection
    connection.exec_driver_sql(f"BEGIN {mode}")
    connection.info["changes_at_begin"] = driver.total_changes


SQLITE_BUSY_TIMEOUT_MS = 10_000


def make_engine(url: str, *, pool_size: int | None = None, max_overflow: int | None = None,
                pool_timeout: float | None = None, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    if pool_size is not None:
        kwargs.setdefault("pool_size", pool_size)
    if max_overflow is not None:
        kwargs.setdefault("max_overflow", max_overflow)
    if pool_timeout is not None:
        kwargs.setdefault("pool_timeout", pool_timeout)
    if is_sqlite(url):
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        if is_in_memory(url):
            for key in ("pool_size", "max_overflow", "pool_timeout"):
                kwargs.pop(key, None)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("connect_args", {"connect_timeout": 5})
    return create_engine(url, **kwargs)


def begin_write(session: Session) -> None:
    """Open the session's transaction as a writing one (BEGIN IMMEDIATE on SQLite; nothing special elsewhere)."""
    if session.in_transaction():
        # The request read something before (its caller's identity): that snapshot ends here, unwritten.
        session.rollback()
    session.connection(execution_options={WRITE_OPTION: True})


def take_turns(session: Session, name: str) -> None:
    """Transactions of the same `name` take turns until this one ends: on PostgreSQL a transaction-level advisory
    lock; on SQLite nothing (its writing transactions, BEGIN IMMEDIATE, already take turns)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": zlib.crc32(name.encode("utf-8"))})


class Database:
    """An engine and its session factory; tests hand in their own."""

    def __init__(self, url: str, engine: Engine | None = None, **engine_options: Any) -> None:
        self.url = normalise_url(url)
        self.engine = engine or make_engine(self.url, **engine_options)
        self.session_factory = sessionmaker(bind=self.engine, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: Any, url: str | None = None) -> Database:
        return cls(url or settings.database_url, pool_size=settings.db_pool_size,
                   max_overflow=settings.db_max_overflow, pool_timeout=settings.db_pool_timeout)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()


def bulk_insert(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert many rows fast: COPY on PostgreSQL, executemany on SQLite. Returns the row count.

    Rows are tuples in the order of `columns`; values must already be of the column's Python type.
    """
    rows = list(rows)
    if not rows:
        return 0
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        column_list = ", ".join(f'"{c}"' for c in columns)
        with raw.cursor() as cursor:
            with cursor.copy(f'COPY "{table.name}" ({column_list}) FROM STDIN') as copy:  # noqa: S608
                for row in rows:
                    copy.write_row(row)
        return len(rows)
    # SQLite: one prepared statement, executemany on the DB-API cursor (no per-row SQLAlchemy processing); dates,
    # timestamps and decimals are turned into SQLAlchemy's storage form by the adapters registered below, called
    # from C for each value, which costs a fraction of rebuilding every row in Python.
    column_list = ", ".join(f'"{c}"' for c in columns)
    placeholders = ", ".join("?" for _ in columns)
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.executemany(f'INSERT INTO "{table.name}" ({column_list}) VALUES ({placeholders})', rows)  # noqa: S608
    finally:
        cursor.close()
    return len(rows)


def _sqlite_timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


# Bulk rows bound by the sqlite3 driver itself are stored exactly as SQLAlchemy's SQLite types store them, so they
# read back like ORM rows: dates as ISO text, timestamps in UTC with microseconds, decimals with the digits
# written (1.00 stays "1.00"). (SQLAlchemy converts these types itself before binding, so its statements never
# reach these adapters; Python 3.12 deprecates the driver's own defaults.)
sqlite3.register_adapter(datetime, _sqlite_timestamp)
sqlite3.register_adapter(date, date.isoformat)
sqlite3.register_adapter(Decimal, str)


def copy_text(rows: Iterable[Sequence[Any]]) -> io.StringIO:
    """Rows as PostgreSQL COPY text (used by benchmarks for the raw-COPY baseline)."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
        buffer.write("\n")
    buffer.seek(0)
    return buffer


def begin_savepoint(session: Session) -> SessionTransaction:
    """A SAVEPOINT inside the session's transaction, to undo part of a unit of work."""
    session.connection()
    return session.begin_nested()


def has_uncommitted_writes(session: Session) -> bool:
    """Whether the session's transaction has written anything (that another connection would not see yet)."""
    if session.new or session.dirty or session.deleted:
        return True
    if not session.in_transaction():
        return False
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        driver = connection.connection.driver_connection
        return driver.total_changes != connection.info.get("changes_at_begin", driver.total_changes)
    # PostgreSQL assigns a transaction id at the first write only.
    return connection.execute(text("SELECT pg_current_xact_id_if_assigned() IS NOT NULL")).scalar_one()


def is_in_memory(url: str) -> bool:
    """An SQLite database that lives in this process only (no other connection can open it)."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite":
        return False
    return parsed.database in (None, "", ":memory:") or "mode=memory" in str(parsed)
