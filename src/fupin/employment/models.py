"""Tables of employment: workers (labour registry), placements, openings, stations, courses, attendance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.audit import BigId
from fupin.core.db import Base, UTCDateTime, utcnow

Wage = Numeric(10, 2)


class Worker(Base):
    """A person of working age with labour capacity, as the labour registry (劳动力台账) knows them."""

    __tablename__ = "workers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), nullable=False)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    classification: Mapped[str] = mapped_column(String(16), nullable=False)
    skills: Mapped[str | None] = mapped_column(String(200))
    wish: Mapped[str] = mapped_column(String(16), nullable=False, default="local")
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("uq_workers_person_id", "person_id", unique=True),
        Index("ix_workers_area_code", "area_code", "classification"),
        Index("ix_workers_household_id", "household_id"),
    )


class EmploymentStation(Base):
    """An employment service station (就业服务站); `serves` lists the area codes or sites it serves."""

    __tablename__ = "employment_stations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), ForeignKey("areas.code"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    # The resettlement site it sits at (relocation's id; no foreign key across capabilities).
    site_id: Mapped[int | None] = mapped_column(Integer)
    serves: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (Index("ix_employment_stations_area_code", "area_code"),)


class JobOpening(Base):
    """A job offered by an employer or a service station, to be filled by matching."""

    __tablename__ = "job_openings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    title: Mapped[str] = mapped_column(String(100), nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    employer_name: Mapped[str] = mapped_column(String(100), nullable=False)
    employer_kind: Mapped[str] = mapped_column(String(16), nullable=False)
    work_place: Mapped[str] = mapped_column(String(16), nullable=False, default="in_county")
    destination: Mapped[str | None] = mapped_column(String(100))
    skill: Mapped[str | None] = mapped_column(String(40))
    positions: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    monthly_wage: Mapped[Decimal | None] = mapped_column(Wage)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("employment_stations.id", ondelete="SET NULL"))
    posted_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="open")

    __table_args__ = (Index("ix_job_openings_area_code", "area_code", "status"),)


class JobPlacement(Base):
    """A job held by a worker from started_on to ended_on (open while ended_on is empty)."""

    __tablename__ = "job_placements"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), nullable=False)
    person_id: Mapped[int] = mapped_column(Integer, nullable=False)
    household_id: Mapped[int] = mapped_column(Integer, nullable=False)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    work_place: Mapped[str] = mapped_column(String(16), nullable=False)
    destination: Mapped[str | None] = mapped_column(String(100))
    employer_name: Mapped[str | None] = mapped_column(String(100))
    employer_kind: Mapped[str | None] = mapped_column(String(16))
    opening_id: Mapped[int | None] = mapped_column(ForeignKey("job_openings.id", ondelete="SET NULL"))
    started_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    monthly_wage: Mapped[Decimal | None] = mapped_column(Wage)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_job_placements_worker_id", "worker_id", "started_on"),
        Index("ix_job_placements_area_code", "area_code", "started_on"),
        Index("ix_job_placements_household_id", "household_id"),
    )


class HouseholdEmployment(Base):
    """How many members of a household hold an open job now; kept by the placement services."""

    __tablename__ = "household_employment"

    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), primary_key=True)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    employed_members: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    updated_on: Mapped[dt.date | None] = mapped_column(Date)


class TrainingCourse(Base):
    """A skills course (钢筋工, 砌筑工, 育婴师, 烹饪, 拉面, 种养殖 …)."""

    __tablename__ = "training_courses"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    course_type: Mapped[str] = mapped_column(String(16), nullable=False)
    title: Mapped[str] = mapped_column(String(100), nullable=False)
    hours: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    provider: Mapped[str] = mapped_column(String(100), nullable=False)
    starts_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("employment_stations.id", ondelete="SET NULL"))

    __table_args__ = (Index("ix_training_courses_area_code", "area_code", "starts_on"),)


class TrainingAttendance(Base):
    """A worker enrolled in a course; completed and certified when done."""

    __tablename__ = "training_attendances"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_courses.id", ondelete="CASCADE"), nullable=False)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    completed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    certified: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    __table_args__ = (
        Index("uq_training_attendances_course_worker", "course_id", "worker_id", unique=True),
        Index("ix_training_attendances_worker_id", "worker_id"),
    )
