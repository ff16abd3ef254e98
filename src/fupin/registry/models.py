from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.audit import BigId
from fupin.core.db import Base, UTCDateTime, utcnow


class Household(Base):
    """A registered household (建档立卡户). county_code is carried for sharding by county."""

    __tablename__ = "households"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), ForeignKey("areas.code"), nullable=False)
    household_no: Mapped[str] = mapped_column(String(32), nullable=False)
    head_name: Mapped[str] = mapped_column(String(60), nullable=False)
    address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    poverty_attribute: Mapped[str] = mapped_column(String(16), nullable=False)
    main_cause: Mapped[str] = mapped_column(String(20), nullable=False)
    other_causes: Mapped[str | None] = mapped_column(String(200))
    registration_year: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="identified")
    exit_year: Mapped[int | None] = mapped_column(SmallInteger)
    member_count: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("uq_households_household_no", "household_no", unique=True),
        Index("ix_households_area_code", "area_code", "id"),
        Index("ix_households_status", "county_code", "status"),
        Index("ix_households_head_name", "head_name"),
    )


class Person(Base):
    """A member of a registered household. The ID number is looked up through a keyed hash."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    id_number: Mapped[str] = mapped_column(String(18), nullable=False)
    id_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    sex: Mapped[str] = mapped_column(String(1), nullable=False)
    birth_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    relation: Mapped[str] = mapped_column(String(20), nullable=False)
    ethnicity: Mapped[str | None] = mapped_column(String(20))
    education: Mapped[str | None] = mapped_column(String(20))
    schooling: Mapped[str | None] = mapped_column(String(20))
    health: Mapped[str] = mapped_column(String(16), nullable=False, default="healthy")
    disability_grade: Mapped[int | None] = mapped_column(SmallInteger)
    labour_capacity: Mapped[str] = mapped_column(String(16), nullable=False, default="normal")
    work_place: Mapped[str] = mapped_column(String(16), nullable=False, default="none")
    months_worked: Mapped[int | None] = mapped_column(SmallInteger)
    medical_insurance: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    pension_insurance: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    minimum_allowance: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    public_funded: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_persons_household_id", "household_id"),
        Index("ix_persons_id_hash", "id_hash"),
        Index(
            "uq_persons_active_id_hash",
            "id_hash",
            unique=True,
            postgresql_where=text("active"),
            sqlite_where=text("active = 1"),
        ),
        Index("ix_persons_area_code", "area_code"),
        Index("ix_persons_name", "name"),
    )
