"""The one table indicators need of their own: the rural registered population per area and year.

The registry holds only the poor, so poverty incidence (贫困发生率) needs the denominator from statistics.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.columns import (
    ActorName,
    AreaCode,
    AreaRef,
    BigPk,
    Code,
    ProcedureStep,
    SmallInt,
    Stamp,
    Versioned,
)
from fupin.core.db import Base


class RuralPopulation(Base):
    """Rural registered population (农村户籍人口) of an area in a year, entered at one level per county."""

    __tablename__ = "indicator_rural_populations"

    year: Mapped[SmallInt] = mapped_column(primary_key=True)
    area_code: Mapped[AreaRef] = mapped_column(primary_key=True)
    rural_population: Mapped[int]


class AreaExitSurvey(Base):
    """The sample survey (第三方评估抽样) of a county for a year: wrong exits, missed registrations, approval."""

    __tablename__ = "area_exit_surveys"

    id: Mapped[BigPk]
    area_code: Mapped[AreaRef]
    year: Mapped[SmallInt]
    sampled_exited: Mapped[int]  # exited households sampled
    wrong_exits: Mapped[int]  # of them, wrongly exited
    sampled_households: Mapped[int]  # households sampled for missed
    missed_registrations: Mapped[int]
    approval_asked: Mapped[int]
    approval_yes: Mapped[int]
    surveyed_on: Mapped[dt.date]
    surveyor: Mapped[ActorName]
    created_at: Mapped[Stamp]

    __table_args__ = (Index("uq_area_exit_surveys_area_year", "area_code", "year", unique=True),)


class AreaExit(Versioned, Base):
    """A village or county exit (贫困村/贫困县退出) evaluation for a year and its procedure."""

    __tablename__ = "area_exits"

    id: Mapped[BigPk]
    area_code: Mapped[AreaRef]
    level: Mapped[str] = mapped_column(String(10))  # village | county
    year: Mapped[SmallInt]
    status: Mapped[Code] = mapped_column(default="proposed")
    passed: Mapped[bool]
    reasons: Mapped[str | None] = mapped_column(Text)  # one failing reason per line, in Chinese
    figures: Mapped[str] = mapped_column(Text)  # the figures evaluated, as JSON
    created_at: Mapped[Stamp]

    __table_args__ = (Index("uq_area_exits_area_year", "area_code", "year", unique=True),)


class AreaExitStep(ProcedureStep, Base):
    """One step of an area's exit procedure (proposal, checks, publicity, approval), dated, with who."""

    __tablename__ = "area_exit_steps"

    id: Mapped[BigPk]
    area_exit_id: Mapped[int] = mapped_column(ForeignKey("area_exits.id", ondelete="CASCADE"))
    step: Mapped[Code]

    __table_args__ = (
        Index("ix_area_exit_steps_exit", "area_exit_id", "id"),
        Index("uq_area_exit_steps_step", "area_exit_id", "step", unique=True),  # each step once per exit
    )


class FigureSnapshot(Base):
    """The figures a page shows for an area and year (the dashboard's, the home page's), as the job worker last
    computed them (indicators/snapshots.py): pages read them instead of folding a county's records themselves."""

    __tablename__ = "figure_snapshots"

    kind: Mapped[Code] = mapped_column(primary_key=True)  # dashboard | home
    area_code: Mapped[AreaCode] = mapped_column(primary_key=True)
    year: Mapped[SmallInt] = mapped_column(primary_key=True)
    payload: Mapped[str] = mapped_column(Text)  # the IndicatorTable as JSON
    computed_at: Mapped[dt.datetime]
    wanted_at: Mapped[dt.datetime]  # a page last asked for it
    refreshing_since: Mapped[dt.datetime | None]  # a worker is folding it

    __table_args__ = (Index("ix_figure_snapshots_computed", "computed_at"),)
