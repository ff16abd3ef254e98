"""Party organisations (with their dated history), Party members and cadres."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.columns import (
    ActorName,
    AreaCode,
    AreaRef,
    BigPk,
    Code,
    CountyCode,
    IntPk,
    Note,
    PersonName,
    Stamp,
    Versioned,
)
from fupin.core.db import Base

# A Party organisation; one that others refer to is never deleted (dissolving keeps it).
OrgRef = Annotated[int, mapped_column(ForeignKey("party_orgs.id"))]


class PartyOrg(Versioned, Base):
    """A Party organisation. `area_code` is where it works; `base_kind` what it is built on.

    Moving or dissolving never deletes: the previous state is kept as a PartyOrgEvent row.
    """

    __tablename__ = "party_orgs"

    id: Mapped[IntPk]
    name: Mapped[str] = mapped_column(String(120))
    org_type: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[OrgRef | None]
    area_code: Mapped[AreaRef]
    base_kind: Mapped[str] = mapped_column(String(20))
    # What it is built on when that is not an area: a cooperative's or enterprise's name, a site id of the
    # relocation capability, a migrant-worker destination with the origin county of its members.
    base_name: Mapped[str | None] = mapped_column(String(120))
    site_id: Mapped[int | None]
    destination: Mapped[str | None] = mapped_column(String(120))
    origin_county_code: Mapped[CountyCode | None]
    founded_on: Mapped[dt.date]
    dissolved_on: Mapped[dt.date | None]
    secretary_name: Mapped[PersonName | None]
    created_at: Mapped[Stamp]

    __table_args__ = (
        Index("ix_party_orgs_area_code", "area_code"),
        Index("ix_party_orgs_parent_id", "parent_id"),
    )


class PartyOrgEvent(Base):
    """One dated change of an organisation (founded, moved, renamed, secretary changed, dissolved)."""

    __tablename__ = "party_org_events"

    id: Mapped[BigPk]
    org_id: Mapped[OrgRef]
    kind: Mapped[str] = mapped_column(String(20))
    happened_on: Mapped[dt.date]
    from_parent_id: Mapped[int | None]
    to_parent_id: Mapped[int | None]
    from_area_code: Mapped[AreaCode | None]
    to_area_code: Mapped[AreaCode | None]
    note: Mapped[Note | None]
    actor_name: Mapped[ActorName]
    created_at: Mapped[Stamp]

    __table_args__ = (Index("ix_party_org_events_org_id", "org_id", "id"),)


class PartyMember(Versioned, Base):
    """A Party member. A floating member (流动党员) lives elsewhere and is managed by `managing_org_id`."""

    __tablename__ = "party_members"

    id: Mapped[BigPk]
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    name: Mapped[PersonName]
    org_id: Mapped[OrgRef]
    area_code: Mapped[AreaCode]
    is_floating: Mapped[bool] = mapped_column(default=False)
    current_location: Mapped[str | None] = mapped_column(String(120))
    managing_org_id: Mapped[OrgRef | None]
    is_central_household: Mapped[bool] = mapped_column(default=False)
    joined_on: Mapped[dt.date | None]
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (
        Index("ix_party_members_area_code", "area_code"),
        Index("ix_party_members_org_id", "org_id"),
        Index("ix_party_members_person_id", "person_id"),
    )


class Cadre(Versioned, Base):
    """A cadre who helps households (帮扶干部): work unit, rank (sets the pairing quota), post, assigned area."""

    __tablename__ = "cadres"

    id: Mapped[BigPk]
    name: Mapped[PersonName]
    work_unit: Mapped[str] = mapped_column(String(120))
    rank: Mapped[Code]
    post: Mapped[str] = mapped_column(String(24))
    area_code: Mapped[AreaRef]
    is_party_member: Mapped[bool] = mapped_column(default=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    active_from: Mapped[dt.date]
    active_to: Mapped[dt.date | None]
    # The login account the cadre uses (accounts' users.id, no foreign key: another capability's table);
    # a visit logged from that account is the cadre's visit by default.
    user_id: Mapped[int | None]

    __table_args__ = (Index("ix_cadres_area_code", "area_code"), Index("uq_cadres_user_id", "user_id", unique=True))
