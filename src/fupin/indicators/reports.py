"""Reports: indicator tables as .xlsx (one sheet per level, totals row, Chinese headers) and the narrative
work summary (工作总结) as Markdown and .docx, reading like a report: every number carries a footnote mark that leads
to the appendix table of sources (indicator, formula, code, drill-down address), never a code in the text.

Reports hold figures only — counts and rates of areas, never a person, an ID number or a phone. A county's
report is built by a background job (`service.run_report`); `build` is what the job and `fupin report` share.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from fupin.core.areacodes import LEVEL_NAMES_ZH, level_of
from fupin.core.scoping import Scope
from fupin.indicators import engine
from fupin.indicators.catalogue import BY_CODE, Indicator
from fupin.indicators.engine import AreaFigures, IndicatorTable, Value

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MARKDOWN = "text/markdown; charset=utf-8"
MEDIA_TYPES = {"md": MARKDOWN, "docx": DOCX, "xlsx": XLSX}
FORMULA_STARTS = ("=", "+", "-", "@")


def as_json(table: IndicatorTable) -> dict[str, object]:
    """The table as the API and `fupin indicators --format json` answer it."""
    return {
        "area": table.area_code, "year": table.year, "day": table.day.isoformat(),
        "indicators": [{"code": i.code, "name_zh": i.name_zh, "name_en": i.name_en, "unit": i.unit,
                        "owner": i.owner, "additive": i.additive} for i in table.indicators],
        "rows": [{"code": r.code, "name": r.name, "level": r.level.value,
                  "values": {k: v.as_json() for k, v in r.values.items()}} for r in table.rows],
    }


def shown(value: Value) -> str:
    if value.value is None:
        return value.note or "—"
    return str(value.value)


def _text(value: str) -> str:
    """A text cell that cannot break the workbook or run as a formula: control characters dropped, a leading
    = + - @ kept as text."""
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + cleaned if cleaned[:1] in FORMULA_STARTS else cleaned


def _cell(value: Value):  # type: ignore[no-untyped-def]
    if value.value is None:
        return _text(value.note or "—")
    if isinstance(value.value, Decimal):
        return float(value.value)  # a spreadsheet cell; the exact figure stays in the database and the JSON
    return value.value


def _totals(indicator: Indicator, rows: list[AreaFigures], parent: AreaFigures) -> object:
    """The totals row: additive figures summed over the sheet, ratios the parent's own figure (equal by
    construction, since the parent's counts are the sums of its children's)."""
    if indicator.additive:
        values = [r.values[indicator.code].value for r in rows]
        if any(v is None for v in values):
            return _text(parent.values[indicator.code].note or "—")
        return sum(int(v) for v in values)  # type: ignore[arg-type]
    return _cell(parent.values[indicator.code])


def to_xlsx(table: IndicatorTable) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    root = table.root()
    levels = [root.level] + [lvl for lvl in dict.fromkeys(r.level for r in table.rows[1:])]
    headers = ["区划代码", "区划名称"] + [f"{i.name_zh}({i.unit})" for i in table.indicators]
    for level in levels:
        rows = [root] if level == root.level else table.at_level(level)
        sheet = workbook.create_sheet(LEVEL_NAMES_ZH[level].replace("/", "、"))
        sheet.append([_text(f"{root.name} {table.year}年指标 — {LEVEL_NAMES_ZH[level]}")])
        sheet.append(headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row.code, _text(row.name)] + [_cell(row.values[i.code]) for i in table.indicators])
        sheet.append(["合计", _text(root.name)] + [_totals(i, rows, root) for i in table.indicators])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "C3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MARK = "\x00"  # a footnote reference inside a narrative text: MARK + number + MARK


class Sources:
    """The figures a narrative quotes, each numbered once, for the footnotes and the appendix table that trace
    every number of the text to its indicator, its formula and the records behind it."""

    def __init__(self, table: IndicatorTable) -> None:
        self.table = table
        self.root = table.root()
        self.codes: list[str] = []

    def n(self, code: str, unit: str = "") -> str:
        """The figure as a reader wants it: "82.79%" or "2013户", followed by its footnote mark; "暂无数据"
        when there is none (the appendix says why)."""
        value = self.root.values.get(code)
        if code not in self.codes:
            self.codes.append(code)
        mark = f"{MARK}{self.codes.index(code) + 1}{MARK}"
        if value is None or value.value is None:
            return "暂无数据" + mark
        return f"{value.value}{unit}{mark}"

    def has(self, *codes: str) -> bool:
        return all(self.root.values.get(c) is not None and self.root.values[c].value is not None for c in codes)

    def link(self, code: str) -> str:
        value = self.root.values.get(code)
        where = f"area={self.root.code}&year={self.table.year}"
        if value is not None and value.opens:
            return f"/indicators/records?indicator={code}&{where}"
        return f"/indicators?{where}"

    def rows(self) -> list[tuple[str, str, str, str, str, str]]:
        """(number, indicator, value as shown, how it is computed, indicator code, drill-down address)."""
        out = []
        for k, code in enumerate(self.codes, 1):
            indicator = BY_CODE[code]
            value = self.root.values.get(code)
            if value is None or value.value is None:
                shown_value = _reason(value)
            else:
                shown_value = f"{value.value}{indicator.unit}"
                if indicator.is_ratio:
                    shown_value += f"({value.numerator}÷{value.denominator})"
            out.append((str(k), indicator.name_zh, shown_value, indicator.definition, code, self.link(code)))
        return out


def _reason(value: Value | None) -> str:
    if value is None or not value.note:
        return "暂无数据"
    if "尚未建成" in value.note:
        return "暂无数据:相关业务模块尚未启用"
    return "暂无数据:分母为0,无法计算"


def narrative(table: IndicatorTable) -> tuple[list[tuple[str, str]], Sources]:
    """The 工作总结 as (kind, text) blocks — kind is "title", "heading" or "paragraph" — and the figures it
    quotes. A text marks each figure with MARK + footnote number + MARK; `to_markdown` and `to_docx` turn the
    marks into footnotes and end with the appendix table of sources (指标, 数值, 口径, 代码, 明细)."""
    src = Sources(table)
    n = src.n
    root = src.root
    year = table.year
    where = "全" + LEVEL_NAMES_ZH[root.level].split("/")[0]
    blocks: list[tuple[str, str]] = [("title", f"{root.name}{year}年脱贫攻坚工作总结")]
    text = (f"截至{year}年底,{where}共有建档立卡贫困户{n('registered_households', '户')}、"
            f"{n('registered_people', '人')}。{year}年脱贫{n('exited_households_year', '户')}、"
            f"{n('exited_people_year', '人')};尚有未脱贫户{n('remaining_poor_households', '户')}、"
            f"{n('remaining_poor_people', '人')}")
    if src.has("poverty_incidence"):
        text += f",贫困发生率降至{n('poverty_incidence', '%')}"
    sections = (
        ("一、基本情况", text + "。"),
        ("二、“两不愁三保障”和退出",
         f"{year}年共核查{n('checked_households', '户')},不愁吃达标率{n('food_pass_rate', '%')},"
         f"不愁穿达标率{n('clothing_pass_rate', '%')},义务教育有保障达标率"
         f"{n('education_pass_rate', '%')},基本医疗有保障达标率{n('medical_pass_rate', '%')},"
         f"住房安全有保障达标率{n('housing_pass_rate', '%')},饮水安全达标率"
         f"{n('water_pass_rate', '%')}。已达到退出标准但尚未退出的有"
         f"{n('eligible_not_exited', '户')},需按程序组织退出。"),
        ("三、结对帮扶",
         f"未脱贫户中有帮扶责任人的{n('paired_households', '户')},结对帮扶覆盖率"
         f"{n('pairing_coverage', '%')};近30天内走访{n('visited_30d_households', '户')},走访率"
         f"{n('visit_recency_rate', '%')}。"),
        ("四、就业扶贫",
         f"全年登记劳动力{n('labour_force', '人')},已就业{n('employed', '人')},其中转移就业"
         f"{n('transfer_employed', '人')};就业率{n('employment_rate', '%')}(已就业人数÷劳动力人数),"
         f"转移就业率{n('transfer_rate', '%')}(转移就业人数÷劳动力人数);有就业人员的户"
         f"{n('households_employed', '户')}。"),
        ("五、易地扶贫搬迁",
         f"{where}共建设易地扶贫搬迁安置点{n('relocation_sites', '个')},计划搬迁"
         f"{n('relocation_planned', '户')},已分房{n('relocation_allocated', '户')},已入住"
         f"{n('relocation_moved_in', '户')},入住率{n('relocation_moved_in_rate', '%')}。"),
        ("六、基层党组织覆盖",
         f"行政村党支部覆盖率{n('org_village_branch', '%')},党支部领办合作社覆盖率"
         f"{n('org_village_cooperative', '%')},安置点党组织覆盖率{n('org_site_org', '%')},"
         f"流动党员管理覆盖率{n('org_floating_member_managed', '%')}。"),
    )
    for heading, paragraph in sections:
        blocks += [("heading", heading), ("paragraph", paragraph)]
    blocks.append(("paragraph", "注:文中数字均由系统记录汇总生成,上标序号对应文末“附表 数据来源”,"
                                "可按其中的地址在系统中查看每个数字背后的明细。"))
    return blocks, src


APPENDIX_HEADERS = ("序号", "指标", "数值", "计算口径", "指标代码", "明细")
_MARKED = re.compile(f"{MARK}(\\d+){MARK}")


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(table: IndicatorTable) -> str:
    blocks, src = narrative(table)
    lines: list[str] = []
    for kind, text in blocks:
        prefix = {"title": "# ", "heading": "## ", "paragraph": ""}[kind]
        lines += [prefix + _MARKED.sub(r"[^\1]", text), ""]
    rows = src.rows()
    lines += ["## 附表 数据来源", "", "| " + " | ".join(APPENDIX_HEADERS) + " |",
              "|" + "---|" * len(APPENDIX_HEADERS)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    lines.append("")
    lines += [f"[^{k}]: {name}:{value}。口径:{definition}。明细:{link}" for k, name, value, definition, _c, link in rows]
    lines.append("")
    return "\n".join(lines)


def to_docx(table: IndicatorTable) -> bytes:
    from docx import Document

    blocks, src = narrative(table)
    document = Document()
    for kind, raw in blocks:
        text = ILLEGAL_CHARACTERS_RE.sub(lambda m: m.group(0) if m.group(0) == MARK else "", raw)
        if kind == "title":
            document.add_heading(_MARKED.sub("", text), level=0)
        elif kind == "heading":
            document.add_heading(_MARKED.sub("", text), level=1)
        else:
            paragraph = document.add_paragraph()
            for i, part in enumerate(_MARKED.split(text)):
                run = paragraph.add_run(part)
                run.font.superscript = i % 2 == 1  # the odd parts are footnote numbers
    document.add_heading("附表 数据来源", level=1)
    rows = src.rows()
    grid = document.add_table(rows=1, cols=len(APPENDIX_HEADERS))
    grid.style = "Table Grid"
    for cell, header in zip(grid.rows[0].cells, APPENDIX_HEADERS, strict=True):
        cell.text = header
    for row in rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            cell.text = ILLEGAL_CHARACTERS_RE.sub("", value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build(session: Session, scope: Scope, area_code: str, year: int, fmt: str,
          progress: Callable[[int, int], None] | None = None) -> tuple[str, str, bytes, int]:
    """The report file: (name, media type, content, area rows). The workbook holds every level down to the
    villages; the narrative the selected area only."""
    level = None if fmt == "xlsx" else level_of(area_code)
    table = engine.compute(session, scope, area_code, year, level, progress=progress)
    if fmt == "md":
        content = to_markdown(table).encode("utf-8")
    elif fmt == "docx":
        content = to_docx(table)
    else:
        content = to_xlsx(table)
    return f"report_{area_code}_{year}.{fmt}", MEDIA_TYPES[fmt], content, len(table.rows)
