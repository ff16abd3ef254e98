"""Tables of employment: workers (labour registry), placements, openings, stations, courses, attendance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from sqlalchemy import ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.columns import (
    AreaCode,
    AreaRef,
    BigPk,
    Code,
    CountyCode,
    HouseholdRef,
    Note,
    PersonName,
    SmallInt,
    Stamp,
    Title,
    Versioned,
)
from fupin.core.db import Base

Wage = Numeric(10, 2)

# The worker a row belongs to; it goes with the worker.
WorkerRef = Annotated[int, mapped_column(ForeignKey("workers.id", ondelete="CASCADE"))]
# The service station behind a row, if any; forgotten when the station goes.
StationRef = Annotated[int, mapped_column(ForeignKey("employment_stations.id", ondelete="SET NULL"))]


class Worker(Versioned, Base):
    """A person of working age with labour capacity, as the labour registry (劳动力台账) knows them."""

    __tablename__ = "workers"

    id: Mapped[BigPk]
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    household_id: Mapped[HouseholdRef]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaCode]
    name: Mapped[PersonName]
    classification: Mapped[Code]
    skills: Mapped[str | None] = mapped_column(String(200))
    wish: Mapped[Code] = mapped_column(default="local")
    note: Mapped[Note | None]
    created_at: Mapped[Stamp]

    __table_args__ = (
        Index("uq_workers_person_id", "person_id", unique=True),
        Index("ix_workers_area_code", "area_code", "classification"),
        Index("ix_workers_household_id", "household_id"),
    )


class EmploymentStation(Base):
    """An employment service station (就业服务站); `serves` lists the area codes or sites it serves."""

    __tablename__ = "employment_stations"

    id: Mapped[BigPk]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaRef]
    name: Mapped[Title]
    # The resettlement site it sits at (relocation's id; no foreign key across capabilities).
    site_id: Mapped[int | None]
    serves: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (Index("ix_employment_stations_area_code", "area_code"),)


class JobOpening(Base):
    """A job offered by an employer or a service station, to be filled by matching."""

    __tablename__ = "job_openings"

    id: Mapped[BigPk]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaCode]
    title: Mapped[Title]
    source: Mapped[Code]
    employer_name: Mapped[Title]
    employer_kind: Mapped[Code]
    work_place: Mapped[Code] = mapped_column(default="in_county")
    destination: Mapped[str | None] = mapped_column(String(100))
    skill: Mapped[str | None] = mapped_column(String(40))
    positions: Mapped[int] = mapped_column(default=1)
    monthly_wage: Mapped[Decimal | None] = mapped_column(Wage)
    station_id: Mapped[StationRef | None]
    posted_on: Mapped[dt.date]
    status: Mapped[str] = mapped_column(String(8), default="open")

    __table_args__ = (Index("ix_job_openings_area_code", "area_code", "status"),)


class JobPlacement(Versioned, Base):
    """A job held by a worker from started_on to ended_on (open while ended_on is empty)."""

    __tablename__ = "job_placements"

    id: Mapped[BigPk]
    worker_id: Mapped[WorkerRef]
    person_id: Mapped[int]
    household_id: Mapped[int]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaCode]
    source: Mapped[Code]
    work_place: Mapped[Code]
    destination: Mapped[str | None] = mapped_column(String(100))
    employer_name: Mapped[Title | None]
    employer_kind: Mapped[Code | None]
    opening_id: Mapped[int | None] = mapped_column(ForeignKey("job_openings.id", ondelete="SET NULL"))
    started_on: Mapped[dt.date]
    ended_on: Mapped[dt.date | None]
    monthly_wage: Mapped[Decimal | None] = mapped_column(Wage)
    created_at: Mapped[Stamp]

    __table_args__ = (
        Index("ix_job_placements_worker_id", "worker_id", "started_on"),
        Index("ix_job_placements_area_code", "area_code", "started_on"),
        Index("ix_job_placements_household_id", "household_id"),
    )


class HouseholdEmployment(Base):
    """How many members of a household hold an open job now; kept by the placement services."""

    __tablename__ = "household_employment"

    household_id: Mapped[HouseholdRef] = mapped_column(primary_key=True)
    area_code: Mapped[AreaCode]
    employed_members: Mapped[SmallInt] = mapped_column(default=0)
    updated_on: Mapped[dt.date | None]


class TrainingCourse(Base):
    """A skills course (钢筋工, 砌筑工, 育婴师, 烹饪, 拉面, 种养殖 …)."""

    __tablename__ = "training_courses"

    id: Mapped[BigPk]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaCode]
    course_type: Mapped[Code]
    title: Mapped[Title]
    hours: Mapped[SmallInt]
    provider: Mapped[Title]
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    station_id: Mapped[StationRef | None]

    __table_args__ = (Index("ix_training_courses_area_code", "area_code", "starts_on"),)


class TrainingAttendance(Base):
    """A worker enrolled in a course; completed and certified when done."""

    __tablename__ = "training_attendances"

    id: Mapped[BigPk]
    course_id: Mapped[int] = mapped_column(ForeignKey("training_courses.id", ondelete="CASCADE"))
    worker_id: Mapped[WorkerRef]
    area_code: Mapped[AreaCode]
    completed: Mapped[bool] = mapped_column(default=False)
    certified: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        Index("uq_training_attendances_course_worker", "course_id", "worker_id", unique=True),
        Index("ix_training_attendances_worker_id", "worker_id"),
    )
