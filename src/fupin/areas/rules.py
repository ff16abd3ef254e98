"""Pure rules for area rows (no I/O). Code arithmetic lives in fupin.core.areacodes."""

from __future__ import annotations

from dataclasses import dataclass

from fupin.core.areacodes import AreaCodeError, AreaLevel, level_of, parent_of, region_of, validate_code
from fupin.core.importing import RowError


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    level: AreaLevel
    parent_code: str | None
    region: str | None


def parse_area_row(line: int, code: str | None, name: str | None) -> AreaRow | RowError:
    raw_code = (code or "").strip()
    raw_name = (name or "").strip()
    try:
        valid = validate_code(raw_code)
    except AreaCodeError as error:
        return RowError(line, "code", raw_code, str(error))
    if not raw_name:
        return RowError(line, "name", raw_name, "名称不能为空")
    if len(raw_name) > 100:
        return RowError(line, "name", raw_name[:20] + "…", "名称超过100个字")
    region = region_of(valid)
    return AreaRow(valid, raw_name, level_of(valid), parent_of(valid), region.value if region else None)


def order_for_insert(rows: list[AreaRow]) -> list[AreaRow]:
    """Parents before children: by level depth, then code."""
    depth = {level: i for i, level in enumerate(AreaLevel)}
    return sorted(rows, key=lambda r: (depth[r.level], r.code))
