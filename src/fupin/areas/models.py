from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core.db import Base


class Area(Base):
    __tablename__ = "areas"

    code: Mapped[str] = mapped_column(String(15), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    level: Mapped[str] = mapped_column(String(16), nullable=False)
    parent_code: Mapped[str | None] = mapped_column(String(15), ForeignKey("areas.code"))
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
