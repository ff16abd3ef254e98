"""The columns and constraints the revision files share: ids, area scope, timestamps, keys, typed columns.

A revision imports the module (`from fupin.migrations import columns as c`) and writes `c.string('name', 100)`
for `sa.Column('name', sa.String(length=100), nullable=False)`.

FROZEN. Revisions that have already run on real databases call these functions, so what a function returns must
never change: a changed length, type, nullability or name would make an old revision build a different schema
on a new database than it built on the existing ones. Add a new function for a new shape; do not edit or
"improve" one that a revision uses. (docs/decisions.md, issue 13.)

冻结。已在实际数据库上运行过的迁移版本调用这些函数,函数的返回结果永远不能改:改了长度、类型、可空性或名称,
旧版本在新库上建出的结构就与老库不同。需要新的形状就新增函数,不要修改迁移已在使用的函数。
"""

from __future__ import annotations

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


def household_scope() -> list[sa.Column]:
    """A row that belongs to a household: the household and the county and area it is read in."""
    return [big_ref('household_id'), county_code(), area_code()]


def primary_key(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    """The primary key `pk_<table>`, on `id` unless other columns are named."""
    return sa.PrimaryKeyConstraint(*(columns or ('id',)), name=op.f(f'pk_{table}'))


def foreign_key(table: str, column: str, target: str, *, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    """The foreign key `fk_<table>_<column>_<target table>` from `column` to `target` ("table.column")."""
    target_table = target.partition('.')[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f'fk_{table}_{column}_{target_table}'),
                                   ondelete=ondelete)


def household_key(table: str) -> sa.ForeignKeyConstraint:
    """The row goes with its household."""
    return foreign_key(table, 'household_id', 'households.id', ondelete='CASCADE')


def area_key(table: str) -> sa.ForeignKeyConstraint:
    return foreign_key(table, 'area_code', 'areas.code')


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
