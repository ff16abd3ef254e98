"""The columns and constraints the revision files share: typed columns, ids, area scope, timestamps, keys.

A revision imports the module (`from fupin.migrations import columns as c`), writes `c.string('name', 100)` for
`sa.Column('name', sa.String(length=100), nullable=False)`, and creates a table with `c.create_table`, which
names its primary key, foreign keys and unique constraints after the table (`pk_<table>`, `fk_<table>_…`) the way
Alembic's autogenerate wrote them.

FROZEN. Revisions that have already run on real databases call these functions, so what a function returns must
never change: a changed length, type, nullability or name would make an old revision build a different schema
on a new database than it built on the existing ones. Add a new function for a new shape; do not edit or
"improve" one that a revision uses. (docs/decisions.md, issue 13.)

冻结。已在实际数据库上运行过的迁移版本调用这些函数,函数的返回结果永远不能改:改了长度、类型、可空性或名称,
旧版本在新库上建出的结构就与老库不同。需要新的形状就新增函数,不要修改迁移已在使用的函数。
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from alembic import op

from fupin.core.db import UTCDateTime


def big_integer() -> sa.types.TypeEngine:
    """BIGINT on PostgreSQL, INTEGER on SQLite (where only INTEGER PRIMARY KEY autoincrements)."""
    return sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def big_id() -> sa.Column:
    return sa.Column('id', big_integer(), autoincrement=True, nullable=False)


def small_id() -> sa.Column:
    return sa.Column('id', sa.Integer(), autoincrement=True, nullable=False)


def big_ref(name: str, *, nullable: bool = False) -> sa.Column:
    """A column that holds the big id of another row."""
    return sa.Column(name, big_integer(), nullable=nullable)


def string(name: str, length: int, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(length=length), nullable=nullable)


def text(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=nullable)


def integer(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def small_integer(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.SmallInteger(), nullable=nullable)


def numeric(name: str, precision: int, scale: int, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Numeric(precision=precision, scale=scale), nullable=nullable)


def boolean(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Boolean(), nullable=nullable)


def date(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Date(), nullable=nullable)


def json(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.JSON(), nullable=nullable)


def county_code() -> sa.Column:
    return sa.Column('county_code', sa.String(length=6), nullable=False)


def area_code(*, nullable: bool = False) -> sa.Column:
    return sa.Column('area_code', sa.String(length=15), nullable=nullable)


def timestamp(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, UTCDateTime(timezone=True), nullable=nullable)


def created_at() -> sa.Column:
    return timestamp('created_at')


def version() -> sa.Column:
    """The optimistic-lock counter of a row that is edited."""
    return sa.Column('version', sa.Integer(), nullable=False)


def step_record() -> list[sa.Column]:
    """A workflow step or event: the day it happened, who recorded it, a note, and when it was written."""
    return [date('happened_on'), string('actor_name', 120), string('note', 500, nullable=True), created_at()]


def household_scope() -> list[sa.Column]:
    """A row that belongs to a household: the household and the county and area it is read in."""
    return [big_ref('household_id'), county_code(), area_code()]


@dataclass(frozen=True)
class ForeignKey:
    """A foreign key of the table being created, named `fk_<table>_<column>_<target table>`."""

    column: str
    target: str  # "table.column"
    ondelete: str | None = None

    def constraint(self, table: str) -> sa.ForeignKeyConstraint:
        target_table = self.target.partition('.')[0]
        return sa.ForeignKeyConstraint([self.column], [self.target], ondelete=self.ondelete,
                                       name=op.f(f'fk_{table}_{self.column}_{target_table}'))


@dataclass(frozen=True)
class Unique:
    """A unique constraint of the table being created, named `uq_<table>_<column>`."""

    column: str

    def constraint(self, table: str) -> sa.UniqueConstraint:
        return sa.UniqueConstraint(self.column, name=op.f(f'uq_{table}_{self.column}'))


def foreign_key(column: str, target: str, *, ondelete: str | None = None) -> ForeignKey:
    return ForeignKey(column, target, ondelete)


def unique(column: str) -> Unique:
    return Unique(column)


def household_key() -> ForeignKey:
    """The row goes with its household."""
    return foreign_key('household_id', 'households.id', ondelete='CASCADE')


def area_key() -> ForeignKey:
    return foreign_key('area_code', 'areas.code')


@dataclass(frozen=True)
class Index:
    name: str
    columns: tuple[str, ...]
    unique: bool
    dialect_options: tuple[tuple[str, Any], ...]


def index(name: str, *columns: str, unique: bool = False, **dialect_options: Any) -> Index:
    """An index of the table being created (`postgresql_where=…`, `sqlite_where=…` make it partial)."""
    return Index(name, columns, unique, tuple(dialect_options.items()))


def create_table(name: str, *parts: sa.Column | sa.Constraint | ForeignKey | Unique,
                 primary_key: tuple[str, ...] = ('id',), indexes: tuple[Index, ...] | list[Index] = ()) -> sa.Table:
    """Create a table with its primary key `pk_<name>` (on `id` unless named), its keys and its indexes.

    The constraints keep the order they are given in: SQLite keeps it in the table's SQL.
    """
    built = [part.constraint(name) if isinstance(part, ForeignKey | Unique) else part for part in parts]
    table = op.create_table(name, *built, sa.PrimaryKeyConstraint(*primary_key, name=op.f(f'pk_{name}')))
    for each in indexes:
        op.create_index(each.name, name, list(each.columns), unique=each.unique, **dict(each.dialect_options))
    return table
