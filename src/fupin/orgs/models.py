"""Party organisations (with their dated history), Party members and cadres."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.audit import BigId
from fupin.core.db import Base, UTCDateTime, utcnow


class PartyOrg(Base):
    """A Party organisation. `area_code` is where it works; `base_kind` what it is built on.

    Moving or dissolving never deletes: the previous state is kept as a PartyOrgEvent row.
    """

    __tablename__ = "party_orgs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    org_type: Mapped[str] = mapped_column(String(32), nullable=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("party_orgs.id"))
    area_code: Mapped[str] = mapped_column(String(15), ForeignKey("areas.code"), nullable=False)
    base_kind: Mapped[str] = mapped_column(String(20), nullable=False)
    # What it is built on when that is not an area: a cooperative's or enterprise's name, a site id of the
    # relocation capability, a migrant-worker destination with the origin county of its members.
    base_name: Mapped[str | None] = mapped_column(String(120))
    site_id: Mapped[int | None] = mapped_column(Integer)
    destination: Mapped[str | None] = mapped_column(String(120))
    origin_county_code: Mapped[str | None] = mapped_column(String(6))
    founded_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    dissolved_on: Mapped[dt.date | None] = mapped_column(Date)
    secretary_name: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_party_orgs_area_code", "area_code"),
        Index("ix_party_orgs_parent_id", "parent_id"),
    )


class PartyOrgEvent(Base):
    """One dated change of an organisation (founded, moved, renamed, secretary changed, dissolved)."""

    __tablename__ = "party_org_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("party_orgs.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    happened_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    from_parent_id: Mapped[int | None] = mapped_column(Integer)
    to_parent_id: Mapped[int | None] = mapped_column(Integer)
    from_area_code: Mapped[str | None] = mapped_column(String(15))
    to_area_code: Mapped[str | None] = mapped_column(String(15))
    note: Mapped[str | None] = mapped_column(String(500))
    actor_name: Mapped[str] = mapped_column(String(120), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (Index("ix_party_org_events_org_id", "org_id", "id"),)


class PartyMember(Base):
    """A Party member. A floating member (流动党员) lives elsewhere and is managed by `managing_org_id`."""

    __tablename__ = "party_members"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    org_id: Mapped[int] = mapped_column(ForeignKey("party_orgs.id"), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    is_floating: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    current_location: Mapped[str | None] = mapped_column(String(120))
    managing_org_id: Mapped[int | None] = mapped_column(ForeignKey("party_orgs.id"))
    is_central_household: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    joined_on: Mapped[dt.date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_party_members_area_code", "area_code"),
        Index("ix_party_members_org_id", "org_id"),
        Index("ix_party_members_person_id", "person_id"),
    )


class Cadre(Base):
    """A cadre who helps households (帮扶干部): work unit, rank (sets the pairing quota), post, assigned area."""

    __tablename__ = "cadres"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    work_unit: Mapped[str] = mapped_column(String(120), nullable=False)
    rank: Mapped[str] = mapped_column(String(16), nullable=False)
    post: Mapped[str] = mapped_column(String(24), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), ForeignKey("areas.code"), nullable=False)
    is_party_member: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    active_from: Mapped[dt.date] = mapped_column(Date, nullable=False)
    active_to: Mapped[dt.date | None] = mapped_column(Date)
    # The login account the cadre uses (accounts' users.id, no foreign key: another capability's table);
    # a visit logged from that account is the cadre's visit by default.
    user_id: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_cadres_area_code", "area_code"), Index("uq_cadres_user_id", "user_id", unique=True))
