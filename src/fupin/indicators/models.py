"""The one table indicators need of their own: the rural registered population per area and year.

The registry holds only the poor, so poverty incidence (贫困发生率) needs the denominator from statistics.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.audit import BigId
from fupin.core.db import Base, UTCDateTime, utcnow


class RuralPopulation(Base):
    """Rural registered population (农村户籍人口) of an area in a year, entered at one level per county."""

    __tablename__ = "indicator_rural_populations"

    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(15), ForeignKey("areas.code"), primary_key=True)
    rural_population: Mapped[int] = mapped_column(Integer, nullable=False)


class AreaExitSurvey(Base):
    """The sample survey (第三方评估抽样) of a county for a year: wrong exits, missed registrations, approval."""

    __tablename__ = "area_exit_surveys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    area_code: Mapped[str] = mapped_column(String(15), ForeignKey("areas.code"), nullable=False)
    year: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    sampled_exited: Mapped[int] = mapped_column(Integer, nullable=False)  # exited households sampled
    wrong_exits: Mapped[int] = mapped_column(Integer, nullable=False)  # of them, wrongly exited
    sampled_households: Mapped[int] = mapped_column(Integer, nullable=False)  # households sampled for missed
    missed_registrations: Mapped[int] = mapped_column(Integer, nullable=False)
    approval_asked: Mapped[int] = mapped_column(Integer, nullable=False)
    approval_yes: Mapped[int] = mapped_column(Integer, nullable=False)
    surveyed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    surveyor: Mapped[str] = mapped_column(String(120), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (Index("uq_area_exit_surveys_area_year", "area_code", "year", unique=True),)


class AreaExit(Base):
    """A village or county exit (贫困村/贫困县退出) evaluation for a year and its procedure."""

    __tablename__ = "area_exits"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    area_code: Mapped[str] = mapped_column(String(15), ForeignKey("areas.code"), nullable=False)
    level: Mapped[str] = mapped_column(String(10), nullable=False)  # village | county
    year: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="proposed")
    passed: Mapped[bool] = mapped_column(Boolean, nullable=False)
    reasons: Mapped[str | None] = mapped_column(Text)  # one failing reason per line, in Chinese
    figures: Mapped[str] = mapped_column(Text, nullable=False)  # the figures evaluated, as JSON
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("uq_area_exits_area_year", "area_code", "year", unique=True),)


class AreaExitStep(Base):
    """One step of an area's exit procedure (proposal, checks, publicity, approval), dated, with who."""

    __tablename__ = "area_exit_steps"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    area_exit_id: Mapped[int] = mapped_column(ForeignKey("area_exits.id", ondelete="CASCADE"), nullable=False)
    step: Mapped[str] = mapped_column(String(16), nullable=False)
    happened_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    actor_name: Mapped[str] = mapped_column(String(120), nullable=False)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (
        Index("ix_area_exit_steps_exit", "area_exit_id", "id"),
        Index("uq_area_exit_steps_step", "area_exit_id", "step", unique=True),  # each step once per exit
    )


class FigureSnapshot(Base):
    """The figures a page shows for an area and year (the dashboard's, the home page's), as the job worker last
    computed them (indicators/snapshots.py): pages read them instead of folding a county's records themselves."""

    __tablename__ = "figure_snapshots"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # dashboard | home
    area_code: Mapped[str] = mapped_column(String(15), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    payload: Mapped[str] = mapped_column(Text, nullable=False)  # the IndicatorTable as JSON
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    wanted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)  # a page last asked for it
    refreshing_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # a worker is folding it

    __table_args__ = (Index("ix_figure_snapshots_computed", "computed_at"),)
