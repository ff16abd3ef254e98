"""Coverage results as an .xlsx workbook: a summary sheet and one sheet of gaps per rule."""

from __future__ import annotations

import io

from openpyxl import Workbook

from fupin.orgs.rules import RuleResult


def coverage_workbook(area_code: str, results: list[RuleResult]) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = "覆盖率"
    summary.append(["区划", area_code])
    summary.append(["规则", "来源", "标准", "已覆盖", "总数", "覆盖率(%)", "缺口数"])
    for r in results:
        if r.has_data:
            summary.append([r.name_zh, r.seed, r.threshold, r.covered, r.total,
                            r.rate, r.gap_count])
        else:
            summary.append([r.name_zh, r.seed, r.threshold, "无数据", "无数据", "无数据", "无数据"])
    for index, r in enumerate(results, start=1):
        if not r.has_data or not r.gaps:
            continue
        sheet = workbook.create_sheet(f"{index}.{r.name_zh}"[:31])
        sheet.append(["缺口", "区划代码", "地点", "原因"])
        for gap in r.gaps:
            sheet.append([gap.what, gap.area_code, gap.where, gap.why])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
