"""Tables of return-to-poverty monitoring (防返贫动态监测): the yearly threshold, the monitored households and
the steps of their identification procedure."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.columns import (
    AreaCode,
    BigPk,
    Code,
    HouseholdRecord,
    Note,
    ProcedureStep,
    ProvincialYearlyAmount,
    Stamp,
    Versioned,
)
from fupin.core.db import Base

OPEN_CONDITION = "status IN ('identifying', 'monitored')"


class MonitoringThreshold(ProvincialYearlyAmount, Base):
    """The monitoring income threshold (监测标准) of a year: national (province '00') or a province's own."""

    __tablename__ = "monitoring_thresholds"


class MonitoredHousehold(HouseholdRecord, Versioned, Base):
    """A registry household taken into monitoring: from the first clue through the procedure to risk clearing."""

    __tablename__ = "monitored_households"

    monitor_type: Mapped[Code]
    risk_types: Mapped[str] = mapped_column(String(200))  # comma-separated codes
    channel: Mapped[str] = mapped_column(String(20))
    clue_on: Mapped[dt.date]
    status: Mapped[Code] = mapped_column(default="identifying")
    identified_on: Mapped[dt.date | None]
    cleared_on: Mapped[dt.date | None]
    note: Mapped[Note | None]
    created_at: Mapped[Stamp]

    __table_args__ = (
        Index("ix_monitored_households_area", "area_code", "status"),
        Index("ix_monitored_households_household", "household_id"),
        # One open record (being identified or monitored) per household: a concurrent second start loses here.
        Index("uq_monitored_households_open", "household_id", unique=True,
              sqlite_where=text(OPEN_CONDITION), postgresql_where=text(OPEN_CONDITION)),
    )


class MonitoringStep(ProcedureStep, Base):
    """One step of the identification procedure: 入户核实 → 民主评议 → 公示 → 审核确定."""

    __tablename__ = "monitoring_steps"

    id: Mapped[BigPk]
    monitored_id: Mapped[int] = mapped_column(ForeignKey("monitored_households.id", ondelete="CASCADE"))
    area_code: Mapped[AreaCode]
    step: Mapped[str] = mapped_column(String(24))

    __table_args__ = (
        Index("ix_monitoring_steps_monitored_id", "monitored_id", "id"),
        Index("uq_monitoring_steps_step", "monitored_id", "step", unique=True),  # each step once per record
    )
