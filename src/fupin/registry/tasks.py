"""The registry's background jobs (core.jobs): the import, a county's export and a full quality run.

Each handler runs in a worker with the submitter's actor (`ctx.uow()`), reports progress, and leaves its files
(the error report, the export, the findings) as job files; personal files are audited when downloaded.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from fupin.core.importing import ImportMode
from fupin.core.jobs import JobContext
from fupin.registry import queries, service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORTED_ERRORS = 200  # the rest are in the error report file


def quality_summary(ctx: JobContext, area: str | None = None) -> tuple[list[dict[str, Any]], list[Any]]:
    from fupin.registry import quality

    uow = ctx.uow()
    with uow.reading():
        findings = quality.run_checks(uow.session, queries.area_filter_scope(uow.scope, area))
    return [{"rule": c, "name": n, "count": k} for c, n, k in quality.summary(findings)], findings


def run_import(ctx: JobContext) -> dict[str, Any]:
    name, data = ctx.input_file()
    mode = ImportMode(ctx.params.get("mode", ImportMode.all_or_nothing.value))
    result = service.import_registry(ctx.uow(), name, data, mode=mode, progress=ctx.progress)
    report = result.report.as_dict()
    report["errors"] = report["errors"][:REPORTED_ERRORS]
    report["codes"] = sorted({code for _line, _field, code in result.codes})
    if result.national is not None:  # a national system's sheet (registry.national)
        report["national"] = result.national
    report["notices"] = [notice.as_dict() for notice in result.notices[:REPORTED_ERRORS]]  # e.g. 15 → 18 digits
    if result.error_file is not None and result.error_filename:
        media = "text/csv" if result.error_filename.endswith(".csv") else XLSX
        ctx.add_file("errors", result.error_filename, media, result.error_file, personal=True,
                     rows=result.report.invalid_lines)
    if result.report.committed:
        ctx.progress("数据质量核查", 0, 1, force=True)
        summary, _findings = quality_summary(ctx)
        report["quality"] = [item for item in summary if item["count"]]
    return report


def run_export(ctx: JobContext) -> dict[str, Any]:
    fmt = ctx.params.get("fmt", "xlsx")
    area = ctx.params.get("area")
    ctx.progress("导出", 0, 1, force=True)
    if ctx.params.get("layout") == "national":
        content, rows = service.export_registry_national(ctx.uow(), area)
        ctx.add_file("result", f"全国系统格式_{area or 'all'}.xlsx", XLSX, content, personal=True, rows=rows)
        return {"rows": rows, "format": "xlsx", "layout": "national"}
    content, rows = service.export_registry(ctx.uow(), area, fmt)
    name = f"建档立卡_{area or 'all'}.{fmt}"
    ctx.add_file("result", name, "text/csv" if fmt == "csv" else XLSX, content, personal=True, rows=rows)
    return {"rows": rows, "format": fmt}


def run_quality(ctx: JobContext) -> dict[str, Any]:
    ctx.progress("数据质量核查", 0, 1, force=True)
    summary, findings = quality_summary(ctx, ctx.params.get("area"))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["规则", "户编号", "区划代码", "问题", "建议"])
    for finding in findings:
        writer.writerow([finding.rule, finding.household_no, finding.area_code, finding.problem, finding.hint])
    ctx.add_file("result", "数据质量核查.csv", "text/csv", buffer.getvalue().encode("utf-8-sig"), rows=len(findings))
    return {"summary": summary, "total": len(findings)}


def run_reconcile(ctx: JobContext) -> dict[str, Any]:
    name, data = ctx.input_file()
    ctx.progress("比对", 0, 1, force=True)
    result = service.reconcile_national(ctx.uow(), name, data, ctx.params.get("area"))
    ctx.add_file("result", "全国系统数据比对.xlsx", XLSX, result.workbook(), personal=True,
                 rows=len(result.differences) + len(result.only_national) + len(result.only_fupin))
    return {"compared": result.compared, "only_national": len(result.only_national),
            "only_fupin": len(result.only_fupin), "differences": len(result.differences),
            "unreadable": len(result.unreadable), "lines": result.lines()[:REPORTED_ERRORS]}


JOB_HANDLERS = {"registry.import": run_import, "registry.export": run_export, "registry.quality": run_quality,
                "registry.reconcile": run_reconcile}
