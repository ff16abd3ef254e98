"""Use cases that write areas. The only place areas are written."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from importlib import resources

from sqlalchemy import select

from fupin.areas import errors
from fupin.areas.models import Area
from fupin.areas.rules import AreaRow, order_for_insert, parse_area_row
from fupin.core.audit import AuditAction
from fupin.core.importing import ImportMode, ImportReport, RowError
from fupin.core.uow import UnitOfWork

CSV_HEADER_ALIASES = {
    "code": {"code", "区划代码", "代码", "统计用区划代码", "行政区划代码"},
    "name": {"name", "名称", "区划名称", "地名"},
}


def read_area_csv(data: bytes) -> tuple[list[tuple[int, str, str]], list[RowError]]:
    """Lines (number, code, name) from a CSV with or without a header; UTF-8 (with or without BOM) or GBK."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        return [], [RowError(0, "file", "", "文件编码无法识别(应为UTF-8或GBK)")]
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    if not rows:
        return [], [RowError(0, "file", "", "文件为空")]
    code_index, name_index, start = 0, 1, 0
    header = [cell.strip().lower() for cell in rows[0]]
    if any(cell in CSV_HEADER_ALIASES["code"] for cell in header):
        try:
            code_index = next(i for i, c in enumerate(header) if c in CSV_HEADER_ALIASES["code"])
            name_index = next(i for i, c in enumerate(header) if c in CSV_HEADER_ALIASES["name"])
        except StopIteration:
            return [], [RowError(1, "name", "", "缺少“名称”列")]
        start = 1
    lines: list[tuple[int, str, str]] = []
    errors: list[RowError] = []
    for number, row in enumerate(rows[start:], start=start + 1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(code_index, name_index):
            errors.append(RowError(number, "name", ",".join(row), "列数不足:应有“代码,名称”两列"))
            continue
        lines.append((number, row[code_index], row[name_index]))
    if not lines and not errors:
        errors.append(RowError(0, "file", "", "文件中没有数据行"))
    return lines, errors


def import_areas(
    uow: UnitOfWork,
    lines: Iterable[tuple[int, str, str]],
    *,
    mode: ImportMode = ImportMode.all_or_nothing,
    prior_errors: list[RowError] | None = None,
) -> ImportReport:
    """Validate every line, infer parents from codes, upsert; all-or-nothing or skip-invalid."""
    with uow:
        uow.require("areas.import")
        return _import_areas(uow, lines, mode, prior_errors)


def _import_areas(uow: UnitOfWork, lines: Iterable[tuple[int, str, str]], mode: ImportMode,
                  prior_errors: list[RowError] | None) -> ImportReport:
    report = ImportReport(mode=mode, errors=list(prior_errors or []))
    parsed: list[tuple[int, AreaRow]] = []
    seen: dict[str, int] = {}
    for line, code, name in lines:
        report.total += 1
        row = parse_area_row(line, code, name)
        if isinstance(row, RowError):
            report.errors.append(row)
            continue
        if row.code in seen:
            report.errors.append(RowError(line, "code", row.code, f"区划代码与第{seen[row.code]}行重复"))
            continue
        seen[row.code] = line
        parsed.append((line, row))

    session = uow.session
    incoming = {row.code for _, row in parsed}
    parent_codes = {row.parent_code for _, row in parsed if row.parent_code}
    lookup = incoming | parent_codes
    existing: dict[str, Area] = {}
    codes = sorted(lookup)
    for start in range(0, len(codes), 900):
        chunk = codes[start : start + 900]
        existing.update({a.code: a for a in session.scalars(select(Area).where(Area.code.in_(chunk)))})

    valid: list[AreaRow] = []
    line_of = {row.code: line for line, row in parsed}
    known = set(existing)
    for row in order_for_insert([row for _, row in parsed]):
        if row.parent_code and row.parent_code not in known:
            report.errors.append(
                RowError(line_of[row.code], "code", row.code, f"上级区划{row.parent_code}不存在(请先导入上级)")
            )
            continue
        known.add(row.code)
        valid.append(row)

    if report.errors and mode == ImportMode.all_or_nothing:
        report.errors.sort(key=lambda e: e.line)
        return report

    for row in valid:
        current = existing.get(row.code)
        if current is None:
            session.add(Area(code=row.code, name=row.name, level=row.level.value, parent_code=row.parent_code,
                             region=row.region))
            uow.audit(AuditAction.create, "areas", row.code, area_code=row.code,
                      after={"name": row.name, "level": row.level.value})
            report.inserted += 1
        elif current.name != row.name:
            before = {"name": current.name}
            current.name = row.name
            uow.audit(AuditAction.update, "areas", row.code, area_code=row.code, before=before,
                      after={"name": row.name})
            report.updated += 1
        else:
            report.unchanged += 1
    session.flush()
    report.errors.sort(key=lambda e: e.line)
    report.committed = True
    return report


def package_map_lines() -> list[tuple[int, str, str]]:
    """The real provinces, prefectures and counties shipped with fupin (see areas/data/SOURCE.md)."""
    data = resources.files("fupin.areas.data").joinpath("china_areas.csv").read_bytes()
    lines, errors = read_area_csv(data)
    if errors:
        raise RuntimeError(f"packaged area data is broken: {errors[:3]}")
    return lines


def load_package_map(uow: UnitOfWork) -> ImportReport:
    return import_areas(uow, package_map_lines(), mode=ImportMode.all_or_nothing)


def create_group(uow: UnitOfWork, village_code: str, name: str) -> Area:
    """A village group (组) under a village, numbered after the village's last group (001, 002 …)."""
    with uow:
        uow.require("areas.group.create", area_code=village_code)
        name = name.strip()
        if not name:
            raise errors.GROUP_NAME_EMPTY(field="name")
        village = uow.session.execute(uow.locked(select(Area).where(Area.code == village_code))).scalar_one_or_none()
        if village is None:
            raise errors.AREA_NOT_FOUND(code=village_code)
        if village.level != "village":
            raise errors.NOT_A_VILLAGE(field="village_code")
        groups = uow.session.execute(select(Area.code, Area.name).where(Area.parent_code == village_code)).all()
        if any(existing == name for _code, existing in groups):
            raise errors.GROUP_NAME_TAKEN(field="name", name=name)
        last = max((int(code[12:]) for code, _name in groups), default=0)
        if last >= 999:
            raise errors.TOO_MANY_GROUPS()
        group = Area(code=f"{village_code}{last + 1:03d}", name=name, level="group", parent_code=village_code,
                     region=village.region)
        uow.session.add(group)
        uow.flush()
        uow.audit(AuditAction.create, "areas", group.code, area_code=group.code, after={"name": name, "level": "group"})
        return group
