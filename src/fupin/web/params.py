"""Path and query parameters the JSON routes share: one name, the same limits on every route."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from fupin.core.sql import MAX_ID

Id = Annotated[int, Path(ge=1, le=MAX_ID)]  # a stored row's id: at most what either database stores
AreaParam = Annotated[str | None, Query(max_length=15)]  # narrows the caller's scope to an area code
Year = Annotated[int, Query(ge=2000, le=2100)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
