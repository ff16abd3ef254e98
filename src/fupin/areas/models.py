from __future__ import annotations

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.columns import AreaCode, AreaRef, Code, Title
from fupin.core.db import Base


class Area(Base):
    __tablename__ = "areas"

    code: Mapped[AreaCode] = mapped_column(primary_key=True)
    name: Mapped[Title]
    level: Mapped[Code]
    parent_code: Mapped[AreaRef | None]
    region: Mapped[str | None] = mapped_column(String(8))

    __table_args__ = (Index("ix_areas_parent_code", "parent_code"), Index("ix_areas_level", "level"))

    def as_dict(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "parent_code": self.parent_code,
            "region": self.region,
        }
