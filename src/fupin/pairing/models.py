"""Pairs (结对) of a cadre and a household as dated rows; stored plans; organisation ↔ organisation pairing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.columns import ActorName, AreaCode, BigPk, HouseholdRef, IntPk, Note, Stamp, Yuan
from fupin.core.db import Base


class Pair(Base):
    """A cadre helps a household from `started_on` until `ended_on` (open = active).

    A change of helper ends this row and adds a new one: history is never overwritten.
    """

    __tablename__ = "pairs"

    id: Mapped[BigPk]
    household_id: Mapped[HouseholdRef]
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadres.id"))
    area_code: Mapped[AreaCode]
    started_on: Mapped[dt.date]
    ended_on: Mapped[dt.date | None]
    end_reason: Mapped[str | None] = mapped_column(String(200))
    plan_id: Mapped[int | None]
    created_at: Mapped[Stamp]

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

    id: Mapped[IntPk]
    area_code: Mapped[AreaCode]
    fingerprint: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[ActorName]
    created_at: Mapped[Stamp]
    applied_at: Mapped[dt.datetime | None]

    __table_args__ = (Index("ix_pairing_plans_area_code", "area_code", "id"),)


class OrgPair(Base):
    """Organisation ↔ organisation pairing: 机关支部 ↔ 村支部 (1+1), or several with one (X+1)."""

    __tablename__ = "org_pairs"

    id: Mapped[IntPk]
    helper_org_id: Mapped[int] = mapped_column(ForeignKey("party_orgs.id"))
    helped_org_id: Mapped[int] = mapped_column(ForeignKey("party_orgs.id"))
    form: Mapped[str] = mapped_column(String(8))
    area_code: Mapped[AreaCode]
    started_on: Mapped[dt.date]
    ended_on: Mapped[dt.date | None]

    __table_args__ = (Index("ix_org_pairs_area_code", "area_code"),)


class OrgPairHelp(Base):
    """Help delivered under an organisation pairing: funds (exact yuan) and projects."""

    __tablename__ = "org_pair_help"

    id: Mapped[BigPk]
    org_pair_id: Mapped[int] = mapped_column(ForeignKey("org_pairs.id"))
    delivered_on: Mapped[dt.date]
    funds: Mapped[Yuan] = mapped_column(default=Decimal("0"))
    project: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[Note | None]

    __table_args__ = (Index("ix_org_pair_help_org_pair_id", "org_pair_id"),)
