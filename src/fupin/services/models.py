"""Tables of services (便民服务): request categories with their deadlines, requests (诉求) and their dated
events, wishes (微心愿), mutual-aid teams for migrant workers' families with their duties, the grid leader's
account binding, and the capability's settings (the wish claim limit)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.audit import BigId
from fupin.core.db import Base, UTCDateTime, utcnow


class ServiceCategory(Base):
    """A request category and its deadline in days (办理时限), configured by the county."""

    __tablename__ = "service_categories"

    code: Mapped[str] = mapped_column(String(24), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), nullable=False)
    deadline_days: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class ServiceSetting(Base):
    """A whole-number setting of services (e.g. `wish_claim_limit`)."""

    __tablename__ = "service_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, nullable=False)


class ServiceRequest(Base):
    """A request (诉求, 有困难找支部) of a household: filed → assigned → done → confirmed (or reopened).

    `area_code` is where the household is served: its grid's community for a relocated household with a grid,
    else its registry area. `escalation_level` counts the levels it went up after its deadline passed and
    `escalated_to` is the area answerable for it now."""

    __tablename__ = "service_requests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    grid_id: Mapped[int | None] = mapped_column(Integer)  # the relocation grid of the household (no FK: lent)
    category_code: Mapped[str] = mapped_column(ForeignKey("service_categories.code"), nullable=False)
    description: Mapped[str] = mapped_column(String(1000), nullable=False)
    attachments: Mapped[str | None] = mapped_column(String(1000))  # references (file numbers, links), one a line
    filed_via: Mapped[str] = mapped_column(String(16), nullable=False)  # household | grid | cadre
    filed_by: Mapped[str] = mapped_column(String(120), nullable=False)
    filed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    deadline_days: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    due_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    handler: Mapped[str | None] = mapped_column(String(120))
    assigned_on: Mapped[dt.date | None] = mapped_column(Date)
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    one_visit: Mapped[bool | None] = mapped_column(Boolean)  # 最多跑一次: done with at most one trip
    result: Mapped[str | None] = mapped_column(String(500))
    confirmed_on: Mapped[dt.date | None] = mapped_column(Date)
    satisfaction: Mapped[str | None] = mapped_column(String(16))
    reopened: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    escalation_level: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    escalated_to: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_service_requests_area", "area_code", "status"),
        Index("ix_service_requests_household", "household_id"),
        Index("ix_service_requests_grid", "grid_id", "status"),
        Index("ix_service_requests_due", "status", "due_on"),
    )


class RequestEvent(Base):
    """One dated change of a request (filed, assigned, done, confirmed, reopened, escalated)."""

    __tablename__ = "service_request_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id", ondelete="CASCADE"), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    move: Mapped[str] = mapped_column(String(16), nullable=False)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16), nullable=False)
    happened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    actor_name: Mapped[str] = mapped_column(String(120), nullable=False)
    note: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (Index("ix_service_request_events_request", "request_id", "id"),)


class Wish(Base):
    """A household's small wish (微心愿), claimed by a Party member (or a paired unit) and fulfilled."""

    __tablename__ = "service_wishes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    grid_id: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(String(500))
    posted_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    posted_by: Mapped[str] = mapped_column(String(120), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    member_id: Mapped[int | None] = mapped_column(Integer)  # orgs' Party member (no FK: lent through orgs)
    claimer_name: Mapped[str | None] = mapped_column(String(120))
    claimed_on: Mapped[dt.date | None] = mapped_column(Date)
    fulfilled_on: Mapped[dt.date | None] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_service_wishes_area", "area_code", "status"),
        Index("ix_service_wishes_member", "member_id", "status"),
        Index("ix_service_wishes_grid", "grid_id", "status"),
    )


class AidTeam(Base):
    """A mutual-aid team at home for a migrant worker's family (打工的事情交给你,家中的事情交给我)."""

    __tablename__ = "service_aid_teams"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    county_code: Mapped[str] = mapped_column(String(6), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), nullable=False)
    worker_name: Mapped[str | None] = mapped_column(String(60))
    migrant_org_id: Mapped[int | None] = mapped_column(Integer)  # the migrant Party branch (orgs), when any
    formed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)

    __table_args__ = (Index("ix_service_aid_teams_area", "area_code"),
                      Index("ix_service_aid_teams_household", "household_id"))


class AidTeamMember(Base):
    __tablename__ = "service_aid_team_members"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("service_aid_teams.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    member_id: Mapped[int | None] = mapped_column(Integer)  # a Party member (orgs), when the helper is one

    __table_args__ = (Index("uq_service_aid_team_members_name", "team_id", "name", unique=True),)


class AidDuty(Base):
    """A duty of a team (farm work, a sick child, the elderly …) assigned to one of its members: done or not."""

    __tablename__ = "service_aid_duties"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("service_aid_teams.id", ondelete="CASCADE"), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    description: Mapped[str | None] = mapped_column(String(300))
    helper_id: Mapped[int] = mapped_column(ForeignKey("service_aid_team_members.id", ondelete="CASCADE"),
                                           nullable=False)
    due_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="open")
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_service_aid_duties_team", "team_id", "status"),)


class GridLeaderAccount(Base):
    """Which grid (relocation's `site_grids`, lent through `relocation.grids_select`) a grid-leader login
    serves; the grid leader sees and files for that grid's households only."""

    __tablename__ = "service_grid_leaders"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    grid_id: Mapped[int] = mapped_column(Integer, nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    bound_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
