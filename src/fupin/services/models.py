"""Tables of services (便民服务): request categories with their deadlines, requests (诉求) and their dated
events, wishes (微心愿), mutual-aid teams for migrant workers' families with their duties, the grid leader's
account binding, and the capability's settings (the wish claim limit)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.columns import (
    ActorName,
    AreaCode,
    BigPk,
    Code,
    CountyCode,
    HouseholdRecord,
    HouseholdRef,
    Note,
    PersonName,
    SmallInt,
    Stamp,
    Title,
    Versioned,
)
from fupin.core.db import Base

# The mutual-aid team a row belongs to; it goes with the team.
AidTeamRef = Annotated[int, mapped_column(ForeignKey("service_aid_teams.id", ondelete="CASCADE"))]


class ServiceCategory(Base):
    """A request category and its deadline in days (办理时限), configured by the county."""

    __tablename__ = "service_categories"

    code: Mapped[str] = mapped_column(String(24), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    deadline_days: Mapped[SmallInt]
    active: Mapped[bool] = mapped_column(default=True)


class ServiceSetting(Base):
    """A whole-number setting of services (e.g. `wish_claim_limit`)."""

    __tablename__ = "service_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int]


class ServiceRequest(HouseholdRecord, Versioned, Base):
    """A request (诉求, 有困难找支部) of a household: filed → assigned → done → confirmed (or reopened).

    `area_code` is where the household is served: its grid's community for a relocated household with a grid,
    else its registry area. `escalation_level` counts the levels it went up after its deadline passed and
    `escalated_to` is the area answerable for it now."""

    __tablename__ = "service_requests"

    grid_id: Mapped[int | None]
    category_code: Mapped[str] = mapped_column(ForeignKey("service_categories.code"))
    description: Mapped[str] = mapped_column(String(1000))
    attachments: Mapped[str | None] = mapped_column(String(1000))  # references (file numbers, links), one a line
    filed_via: Mapped[Code]  # household | grid | cadre
    filed_by: Mapped[ActorName]
    filed_on: Mapped[dt.date]
    deadline_days: Mapped[SmallInt]
    due_on: Mapped[dt.date]
    status: Mapped[Code] = mapped_column(default="open")
    handler: Mapped[ActorName | None]
    assigned_on: Mapped[dt.date | None]
    done_on: Mapped[dt.date | None]
    one_visit: Mapped[bool | None]  # 最多跑一次: done with at most one trip
    result: Mapped[Note | None]
    confirmed_on: Mapped[dt.date | None]
    satisfaction: Mapped[Code | None]
    reopened: Mapped[SmallInt] = mapped_column(default=0)
    escalation_level: Mapped[SmallInt] = mapped_column(default=0)
    escalated_to: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[Stamp]

    __table_args__ = (
        Index("ix_service_requests_area", "area_code", "status"),
        Index("ix_service_requests_household", "household_id"),
        Index("ix_service_requests_grid", "grid_id", "status"),
        Index("ix_service_requests_due", "status", "due_on"),
    )


class RequestEvent(Base):
    """One dated change of a request (filed, assigned, done, confirmed, reopened, escalated)."""

    __tablename__ = "service_request_events"

    id: Mapped[BigPk]
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id", ondelete="CASCADE"))
    area_code: Mapped[AreaCode]
    move: Mapped[Code]
    from_status: Mapped[Code | None]
    to_status: Mapped[Code]
    happened_at: Mapped[dt.datetime]
    actor_name: Mapped[ActorName]
    note: Mapped[Note | None]

    __table_args__ = (Index("ix_service_request_events_request", "request_id", "id"),)


class Wish(HouseholdRecord, Versioned, Base):
    """A household's small wish (微心愿), claimed by a Party member (or a paired unit) and fulfilled."""

    __tablename__ = "service_wishes"

    grid_id: Mapped[int | None]
    title: Mapped[Title]
    description: Mapped[Note | None]
    posted_on: Mapped[dt.date]
    posted_by: Mapped[ActorName]
    status: Mapped[Code] = mapped_column(default="open")
    member_id: Mapped[int | None]
    claimer_name: Mapped[ActorName | None]
    claimed_on: Mapped[dt.date | None]
    fulfilled_on: Mapped[dt.date | None]
    evidence: Mapped[Note | None]

    __table_args__ = (
        Index("ix_service_wishes_area", "area_code", "status"),
        Index("ix_service_wishes_member", "member_id", "status"),
        Index("ix_service_wishes_grid", "grid_id", "status"),
    )


class AidTeam(Base):
    """A mutual-aid team at home for a migrant worker's family (打工的事情交给你,家中的事情交给我)."""

    __tablename__ = "service_aid_teams"

    id: Mapped[BigPk]
    county_code: Mapped[CountyCode]
    area_code: Mapped[AreaCode]
    name: Mapped[Title]
    household_id: Mapped[HouseholdRef]
    worker_name: Mapped[PersonName | None]
    migrant_org_id: Mapped[int | None]  # the migrant Party branch (orgs), when any
    formed_on: Mapped[dt.date]

    __table_args__ = (Index("ix_service_aid_teams_area", "area_code"),
                      Index("ix_service_aid_teams_household", "household_id"))


class AidTeamMember(Base):
    __tablename__ = "service_aid_team_members"

    id: Mapped[BigPk]
    team_id: Mapped[AidTeamRef]
    name: Mapped[PersonName]
    member_id: Mapped[int | None]  # a Party member (orgs), when the helper is one

    __table_args__ = (Index("uq_service_aid_team_members_name", "team_id", "name", unique=True),)


class AidDuty(Versioned, Base):
    """A duty of a team (farm work, a sick child, the elderly …) assigned to one of its members: done or not."""

    __tablename__ = "service_aid_duties"

    id: Mapped[BigPk]
    team_id: Mapped[AidTeamRef]
    area_code: Mapped[AreaCode]
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(String(300))
    helper_id: Mapped[int] = mapped_column(ForeignKey("service_aid_team_members.id", ondelete="CASCADE"))
    due_on: Mapped[dt.date]
    status: Mapped[str] = mapped_column(String(12), default="open")
    closed_on: Mapped[dt.date | None]
    note: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (Index("ix_service_aid_duties_team", "team_id", "status"),)


class GridLeaderAccount(Base):
    """Which grid (relocation's `site_grids`, lent through `relocation.grids_select`) a grid-leader login
    serves; the grid leader sees and files for that grid's households only."""

    __tablename__ = "service_grid_leaders"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    grid_id: Mapped[int]
    area_code: Mapped[AreaCode]
    bound_at: Mapped[Stamp]
