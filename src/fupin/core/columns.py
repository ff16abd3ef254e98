"""The kinds of column the tables share, each declared once (SQLAlchemy 2 `Annotated` column types).

`area_code: Mapped[AreaCode]` is `mapped_column(String(15), nullable=False)`: the type and its arguments come
from the `Annotated` declaration, NOT NULL from the annotation (`Mapped[AreaCode | None]` is nullable), and a
`mapped_column(...)` on the right adds what one table needs on top (a foreign key, a default,
primary_key=True); SQLAlchemy merges the two. A table's columns stay in the order of its class body, which the
migrations and the registry importer's bulk writes rely on; a mixin's columns come after the class's own
unless they say otherwise (`sort_order`). Plain Python types need no declaration at all: `Mapped[int]`,
`Mapped[bool]`, `Mapped[dt.date]` and `Mapped[dt.datetime]` (UTC, see `Base.type_annotation_map`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import BigInteger, ForeignKey, Integer, Numeric, SmallInteger, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from fupin.core.db import utcnow

# Row ids that may outgrow 2³¹ (households, people, journal entries …): BIGINT on PostgreSQL; on SQLite
# only an INTEGER primary key is the rowid that numbers itself.
BigId = BigInteger().with_variant(Integer, "sqlite")

BigPk = Annotated[int, mapped_column(BigId, primary_key=True, autoincrement=True)]
IntPk = Annotated[int, mapped_column(Integer, primary_key=True, autoincrement=True)]

# A county's 6-digit code (kept on the rows of a county for sharding and county-wide reads).
CountyCode = Annotated[str, mapped_column(String(6))]
# An administrative area's code (12 digits, room for 15): the scope reads and permission checks filter on.
AreaCode = Annotated[str, mapped_column(String(15))]
# An area code that must name an area of the tree (the places things are registered at).
AreaRef = Annotated[str, mapped_column(String(15), ForeignKey("areas.code"))]
# A registered household the row belongs to; the row goes when the household is deleted.
HouseholdRef = Annotated[int, mapped_column(ForeignKey("households.id", ondelete="CASCADE"))]

# When the row was written (or the moment it records), set on insert.
Stamp = Annotated[dt.datetime, mapped_column(default=utcnow)]
# A year or a small whole number (members, months, floors, a grade).
SmallInt = Annotated[int, mapped_column(SmallInteger)]
# Yuan, exact to the fen: up to 12 digits before the point.
Yuan = Annotated[Decimal, mapped_column(Numeric(14, 2))]

# A value from a fixed list of codes (a status, a kind, a reason …): its words come from the capability.
Code = Annotated[str, mapped_column(String(16))]
# A person's name as the registry writes it (a household head, a cadre, a helper).
PersonName = Annotated[str, mapped_column(String(60))]
# Who did it, as the acting account's display name (kept as words: accounts may be renamed or removed).
ActorName = Annotated[str, mapped_column(String(120))]
# The name of a thing (an entity, a shop, a course, a team) or a title.
Title = Annotated[str, mapped_column(String(100))]
# Free text a cadre writes (a note, a description, evidence).
Note = Annotated[str, mapped_column(String(500))]


class HouseholdRecord:
    """A row about one registered household (its income, a check, a visit, a request …): its own id, the
    household, and the household's county and area copied onto it, so that scoped reads need no join. These
    columns come first in the table, before the class's own."""

    id: Mapped[BigPk] = mapped_column(sort_order=-1)
    household_id: Mapped[HouseholdRef] = mapped_column(sort_order=-1)
    county_code: Mapped[CountyCode] = mapped_column(sort_order=-1)
    area_code: Mapped[AreaCode] = mapped_column(sort_order=-1)


class ProcedureStep:
    """A dated step of a procedure (a household's exit, a monitoring identification, an area's exit): when it
    happened, who did it (in words), a note, and when it was written. These columns come last."""

    happened_on: Mapped[dt.date]
    actor_name: Mapped[ActorName]
    note: Mapped[Note | None]
    created_at: Mapped[Stamp]


class ProvincialYearlyAmount:
    """A yuan amount set per year, nationally (province_code '00') or higher by a province, with a note."""

    year: Mapped[SmallInt] = mapped_column(primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    amount: Mapped[Yuan]
    note: Mapped[str | None] = mapped_column(String(200))


class Versioned:
    """Optimistic locking: every UPDATE of the row checks and bumps `version`, so a write over a row changed
    since it was loaded fails (StaleDataError) instead of overwriting the other write. `version` is the
    table's last column."""

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # Evaluated once the table exists: the mapper is given the table's own copy of the column.
        return {"version_id_col": cls.__table__.c.version}
