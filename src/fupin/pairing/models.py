"""Pairs (结对) of a cadre and a household as dated rows; stored plans; organisation ↔ organisation pairing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.audit import BigId
from fupin.core.db import Base, UTCDateTime, utcnow


class Pair(Base):
    """A cadre helps a household from `started_on` until `ended_on` (open = active).

    A change of helper ends this row and adds a new one: history is never overwritten.
    """

    __tablename__ = "pairs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadres.id"), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    started_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(200))
    plan_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (
        Index("ix_pairs_household_id", "household_id", "ended_on"),
        Index("ix_pairs_cadre_id", "cadre_id", "ended_on"),
        Index("ix_pairs_area_code", "area_code"),
        # One open pair per cadre and household, whoever writes it (a hand pairing, a plan, two of them at once).
        Index("uq_pairs_open_cadre_household", "cadre_id", "household_id", unique=True,
              sqlite_where=text("ended_on IS NULL"), postgresql_where=text("ended_on IS NULL")),
    )


class PairingPlan(Base):
    """A computed proposal kept for review; `fingerprint` is the state of the data it was computed from."""

    __tablename__ = "pairing_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    body: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    created_by: Mapped[str] = mapped_column(String(120), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    applied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_pairing_plans_area_code", "area_code", "id"),)


class OrgPair(Base):
    """Organisation ↔ organisation pairing: 机关支部 ↔ 村支部 (1+1), or several with one (X+1)."""

    __tablename__ = "org_pairs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    helper_org_id: Mapped[int] = mapped_column(ForeignKey("party_orgs.id"), nullable=False)
    helped_org_id: Mapped[int] = mapped_column(ForeignKey("party_orgs.id"), nullable=False)
    form: Mapped[str] = mapped_column(String(8), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    started_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_org_pairs_area_code", "area_code"),)


class OrgPairHelp(Base):
    """Help delivered under an organisation pairing: funds (exact yuan) and projects."""

    __tablename__ = "org_pair_help"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    org_pair_id: Mapped[int] = mapped_column(ForeignKey("org_pairs.id"), nullable=False)
    delivered_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    funds: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False, default=Decimal("0"))
    project: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (Index("ix_org_pair_help_org_pair_id", "org_pair_id"),)
