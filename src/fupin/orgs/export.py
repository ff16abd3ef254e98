"""Workbooks: coverage results (a summary sheet and one sheet of gaps per rule) and the cadre list.

Every text cell goes through `_cell`: control characters that old records may hold are dropped (an export never
fails on old data) and text that a spreadsheet would run as a formula (= + - @) is stored as plain text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from fupin.core.personal_data import Viewer
from fupin.orgs.rules import RuleResult
from fupin.orgs.vocab import CADRE_POSTS, CADRE_RANKS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@")


def _cell(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _append(sheet: Any, values: Sequence[Any]) -> None:
    sheet.append([_cell(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            cell.data_type = "s"  # text, never a formula


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def coverage_workbook(area_code: str, results: list[RuleResult]) -> tuple[bytes, int]:
    """The workbook and the number of gap rows it lists."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = "覆盖率"
    _append(summary, ["区划", area_code])
    _append(summary, ["规则", "来源", "标准", "已覆盖", "总数", "覆盖率(%)", "缺口数"])
    for r in results:
        if r.has_data:
            _append(summary, [r.name_zh, r.seed, r.threshold, r.covered, r.total,
                              None if r.rate is None else float(r.rate), r.gap_count])
        else:
            _append(summary, [r.name_zh, r.seed, r.threshold, "无数据", "无数据", "无数据", "无数据"])
    rows = 0
    for index, r in enumerate(results, start=1):
        if not r.has_data or not r.gaps:
            continue
        sheet = workbook.create_sheet(f"{index}.{r.name_zh}"[:31])
        _append(sheet, ["缺口", "区划代码", "地点", "原因"])
        for gap in r.gaps:
            _append(sheet, [gap.what, gap.area_code, gap.where, gap.why])
            rows += 1
    return _saved(workbook), rows


def cadres_workbook(cadres: Iterable[Any], viewer: Viewer) -> bytes:
    """One row per cadre; the phone as the viewer may see it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "帮扶干部"
    _append(sheet, ["姓名", "帮扶单位", "职级", "职务", "派驻区划代码", "是否党员", "到岗日期", "离岗日期", "联系电话"])
    for c in cadres:
        _append(sheet, [c.name, c.work_unit, CADRE_RANKS.get(c.rank, c.rank), CADRE_POSTS.get(c.post, c.post),
                        c.area_code, "是" if c.is_party_member else "否", c.active_from, c.active_to,
                        viewer.phone(c.phone)])
    return _saved(workbook)
