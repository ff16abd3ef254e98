from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.columns import ActorName, AreaRef, Code, IntPk, Stamp, Versioned
from fupin.core.db import Base


class User(Versioned, Base):
    __tablename__ = "users"

    id: Mapped[IntPk]
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[ActorName]
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    area_code: Mapped[AreaRef | None]
    can_view_pii: Mapped[bool | None]
    # Clerks act for one entity (cooperative, enterprise …) or one love supermarket; the capabilities that own
    # those records check the id (no foreign key: the tables belong to other capabilities).
    entity_id: Mapped[int | None]
    shop_id: Mapped[int | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    created_at: Mapped[Stamp]

    __table_args__ = (Index("ix_users_area_code", "area_code"),)


class AuthToken(Base):
    """A web session (cookie) or an API bearer token; only the SHA-256 of the token is stored."""

    __tablename__ = "auth_tokens"

    id: Mapped[IntPk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[Code]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[Stamp]
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    label: Mapped[str | None] = mapped_column(String(120))

    __table_args__ = (Index("ix_auth_tokens_user_id", "user_id"),)


class LoginThrottle(Base):
    """Failed logins counted per source address, across accounts: one address guessing many accounts is stopped
    too, and a stranger cannot lock every account by guessing from one address."""

    __tablename__ = "login_throttles"

    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[Stamp]
    locked_until: Mapped[dt.datetime | None]
