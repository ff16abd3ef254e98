"""The .xlsx import of entities, members and land contracts (a job): one workbook, three sheets — 经营主体, 成员,
土地流转 — each row through the same use case a form uses, in one transaction. All or nothing: any refused row
and nothing is written; the report lists every problem by sheet, row and column, in Chinese (as the registry
import's report does)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from pydantic import BaseModel, ValidationError

from fupin.core import jobs
from fupin.core.audit import AuditAction
from fupin.core.errors import FupinError
from fupin.core.importing import ImportReport, RowError
from fupin.core.uow import UnitOfWork
from fupin.core.validation import describe
from fupin.industry import schemas, service
from fupin.industry.rules import ENTITY_KINDS, INDUSTRIES, LINK_KINDS
from fupin.registry.queries import households_by_number

MAX_ROWS = 20_000
REPORTED_ERRORS = 500
SHEETS: dict[str, dict[str, str]] = {
    "经营主体": {"名称": "name", "主体类型": "kind", "产业": "industry", "区划代码": "area_code",
             "统一社会信用代码": "credit_code", "领办党组织编号": "led_by_org_id", "成立日期": "founded_on", "备注": "note"},
    "成员": {"主体名称": "entity", "户编号": "household_no", "村集体代码": "collective_area_code", "联结方式": "link_kind",
           "股份": "shares", "加入日期": "joined_on"},
    "土地流转": {"主体名称": "entity", "户编号": "household_no", "地块": "plots", "面积(亩)": "area_mu",
             "每亩年租金": "rent_per_mu", "开始日期": "starts_on", "结束日期": "ends_on"},
}
REQUIRED = {"经营主体": ("名称", "区划代码"), "成员": ("主体名称", "加入日期"), "土地流转": ("主体名称", "户编号", "面积(亩)")}


class _Refused(Exception):
    """Raised to roll the whole import back once the report has errors."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _code_of(vocabulary: dict[str, str], text: str) -> str:
    """A label typed as Chinese (合作社 …) or the code itself."""
    for code, label in vocabulary.items():
        if text in (code, label) or (len(text) >= 2 and text in label):
            return code
    return text


def read_workbook(data: bytes) -> tuple[dict[str, list[tuple[int, dict[str, str]]]], list[RowError]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable upload is the same answer
        return {}, [RowError(1, "文件", "", "无法读取文件:请上传 .xlsx 格式的表格")]
    out: dict[str, list[tuple[int, dict[str, str]]]] = {}
    problems: list[RowError] = []
    try:
        for sheet_name, columns in SHEETS.items():
            if sheet_name not in workbook.sheetnames:
                continue
            rows = workbook[sheet_name].iter_rows(values_only=True)
            header = [_text(h) for h in (next(rows, None) or ())]
            missing = [c for c in REQUIRED[sheet_name] if c not in header]
            if missing:
                problems.append(RowError(1, f"{sheet_name}·表头", ",".join(header)[:200],
                                         f"缺少列:{'、'.join(missing)}"))
                continue
            index = {columns[name]: i for i, name in enumerate(header) if name in columns}
            found: list[tuple[int, dict[str, str]]] = []
            for line, row in enumerate(rows, start=2):
                if line > MAX_ROWS + 1:
                    problems.append(RowError(line, sheet_name, "", f"每张表最多{MAX_ROWS}行"))
                    break
                if row is None or all(_text(v) == "" for v in row):
                    continue
                found.append((line, {f: _text(row[i]) if i < len(row) else "" for f, i in index.items()}))
            out[sheet_name] = found
        if not out and not problems:
            problems.append(RowError(1, "文件", "", "表格中没有“经营主体”“成员”“土地流转”任何一张表"))
    except Exception:  # noqa: BLE001 - a damaged sheet inside a readable zip
        return {}, [RowError(1, "文件", "", "无法读取文件:表格已损坏")]
    return out, problems


def _label(sheet: str, field: str | None) -> str:
    for label, name in SHEETS[sheet].items():
        if name == field:
            return f"{sheet}·{label}"
    return sheet


def _parse(model: type[BaseModel], values: dict[str, Any], sheet: str, line: int, report: ImportReport
           ) -> BaseModel | None:
    try:
        return model(**{k: v for k, v in values.items() if v not in ("", None)})
    except ValidationError as error:
        for problem in describe(error.errors(), model, locale="zh"):
            report.errors.append(RowError(line, _label(sheet, problem.field.split(".")[0]),
                                          str(values.get(problem.field.split(".")[0], ""))[:100], problem.message))
        return None


def _run(uow: UnitOfWork, sheets: dict[str, list[tuple[int, dict[str, str]]]], report: ImportReport) -> None:
    entity_ids: dict[str, int] = {}
    numbers = [cells.get("household_no", "") for name in ("成员", "土地流转") for _l, cells in sheets.get(name, [])]
    households = households_by_number(uow.session, [n for n in numbers if n])

    def attempt(sheet: str, line: int, cells: dict[str, str], call: Any) -> Any:
        try:
            with uow.session.begin_nested():
                return call()
        except FupinError as error:
            report.errors.append(RowError(line, _label(sheet, error.field), cells.get(error.field or "", "")[:100],
                                          error.message))
            return None

    def entity_of(sheet: str, line: int, cells: dict[str, str]) -> int | None:
        ref = cells.get("entity", "")
        if ref in entity_ids:
            return entity_ids[ref]
        if ref.isdigit():
            return int(ref)
        report.errors.append(RowError(line, f"{sheet}·主体名称", ref[:100], "没有这个经营主体(请先在“经营主体”表中登记,或填写主体编号)"))
        return None

    def household_of(sheet: str, line: int, cells: dict[str, str]) -> int | None:
        number = cells.get("household_no", "")
        found = households.get(number)
        if found is None or not uow.scope.contains(found[1]):
            report.errors.append(RowError(line, f"{sheet}·户编号", number[:100], "没有这个户编号(或不在您的管辖范围内)"))
            return None
        return found[0]

    for line, cells in sheets.get("经营主体", []):
        values: dict[str, Any] = dict(cells)
        values["kind"] = _code_of(ENTITY_KINDS, cells.get("kind", "")) or "cooperative"
        values["industry"] = _code_of(INDUSTRIES, cells.get("industry", "")) or "other"
        data = _parse(schemas.EntityCreate, values, "经营主体", line, report)
        if data is not None:
            entity = attempt("经营主体", line, cells, lambda d=data: service.create_entity(uow, d))
            if entity is not None:
                entity_ids[entity.name] = entity.id
                report.inserted += 1
    for line, cells in sheets.get("成员", []):
        entity_id = entity_of("成员", line, cells)
        values = {"link_kind": _code_of(LINK_KINDS, cells.get("link_kind", "")) or "share",
                  "shares": cells.get("shares") or "0", "joined_on": cells.get("joined_on"),
                  "collective_area_code": cells.get("collective_area_code")}
        if cells.get("household_no"):
            values["household_id"] = household_of("成员", line, cells)
            if values["household_id"] is None:
                continue
        data = _parse(schemas.MembershipCreate, values, "成员", line, report)
        if data is not None and entity_id is not None:
            if attempt("成员", line, cells, lambda d=data, e=entity_id: service.add_membership(uow, e, d)) is not None:
                report.inserted += 1
    for line, cells in sheets.get("土地流转", []):
        entity_id = entity_of("土地流转", line, cells)
        household = household_of("土地流转", line, cells)
        values = {k: cells.get(k) for k in ("plots", "area_mu", "rent_per_mu", "starts_on", "ends_on")}
        values["household_id"] = household
        data = _parse(schemas.LandContractCreate, values, "土地流转", line, report)
        if data is not None and entity_id is not None and household is not None:
            if attempt("土地流转", line, cells,
                       lambda d=data, e=entity_id: service.add_land_contract(uow, e, d)) is not None:
                report.inserted += 1


def import_workbook(uow: UnitOfWork, data: bytes) -> ImportReport:
    sheets, problems = read_workbook(data)
    report = ImportReport(total=sum(len(rows) for rows in sheets.values()), errors=list(problems))
    if problems:
        return report
    try:
        with uow:
            uow.require("industry.import", entity_id=uow.actor.entity_id)
            _run(uow, sheets, report)
            if report.errors:
                raise _Refused
            report.committed = True
            uow.audit(AuditAction.imported, "industry_import", None, area_code=uow.scope.prefix or None,
                      detail={"inserted": report.inserted})
    except _Refused:
        report.inserted = 0
    return report


def run_import(ctx: jobs.JobContext) -> dict[str, Any]:
    _name, data = ctx.input_file()
    ctx.progress("读取并核对表格", 0, 1)
    report = import_workbook(ctx.uow(), data)
    result = report.as_dict()
    result["error_count"] = len(report.errors)
    result["errors"] = result["errors"][:REPORTED_ERRORS]
    ctx.progress("完成", 1, 1, force=True)
    return result
