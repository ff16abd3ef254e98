"""Tables of return-to-poverty monitoring (防返贫动态监测): the yearly threshold, the monitored households and
the steps of their identification procedure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.audit import BigId
from fupin.core.db import Base, UTCDateTime, utcnow

Money = Numeric(14, 2)
OPEN_CONDITION = "status IN ('identifying', 'monitored')"


class MonitoringThreshold(Base):
    """The monitoring income threshold (监测标准) of a year: national (province '00') or a province's own."""

    __tablename__ = "monitoring_thresholds"

    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    note: Mapped[str | None] = mapped_column(String(200))


class MonitoredHousehold(Base):
    """A registry household taken into monitoring: from the first clue through the procedure to risk clearing."""

    __tablename__ = "monitored_households"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    monitor_type: Mapped[str] = mapped_column(String(16), nullable=False)
    risk_types: Mapped[str] = mapped_column(String(200), nullable=False)  # comma-separated codes
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    clue_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="identifying")
    identified_on: Mapped[dt.date | None] = mapped_column(Date)
    cleared_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_monitored_households_area", "area_code", "status"),
        Index("ix_monitored_households_household", "household_id"),
        # One open record (being identified or monitored) per household: a concurrent second start loses here.
        Index("uq_monitored_households_open", "household_id", unique=True,
              sqlite_where=text(OPEN_CONDITION), postgresql_where=text(OPEN_CONDITION)),
    )


class MonitoringStep(Base):
    """One step of the identification procedure: 入户核实 → 民主评议 → 公示 → 审核确定."""

    __tablename__ = "monitoring_steps"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    monitored_id: Mapped[int] = mapped_column(ForeignKey("monitored_households.id", ondelete="CASCADE"),
                                              nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    step: Mapped[str] = mapped_column(String(24), nullable=False)
    happened_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    actor_name: Mapped[str] = mapped_column(String(120), nullable=False)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (
        Index("ix_monitoring_steps_monitored_id", "monitored_id", "id"),
        Index("uq_monitoring_steps_step", "monitored_id", "step", unique=True),  # each step once per record
    )
