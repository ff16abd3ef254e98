"""Reports: indicator tables as .xlsx (one sheet per level, totals row, Chinese headers) and the narrative
work summary (工作总结) as Markdown and .docx, every number followed by its indicator code so it can be traced.

Reports hold figures only — counts and rates of areas, never a person, an ID number or a phone. A county's
report is built by a background job (`service.run_report`); `build` is what the job and `fupin report` share.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from fupin.core.areacodes import LEVEL_NAMES_ZH, level_of
from fupin.core.scoping import Scope
from fupin.indicators import engine
from fupin.indicators.catalogue import Indicator
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


def _n(row: AreaFigures, code: str) -> str:
    """A number of the summary with its indicator code, so every figure can be traced back."""
    value = row.values.get(code)
    if value is None or value.value is None:
        return f"(尚无数据 [{code}])"
    return f"{value.value}[{code}]"


def _has(row: AreaFigures, *codes: str) -> bool:
    return all(row.values.get(c) is not None and row.values[c].value is not None for c in codes)


def narrative(table: IndicatorTable) -> list[tuple[str, str]]:
    """The 工作总结 as (kind, text) blocks: kind is "title", "heading" or "paragraph"."""
    root = table.root()
    year = table.year
    where = "全" + LEVEL_NAMES_ZH[root.level].split("/")[0]
    blocks: list[tuple[str, str]] = [("title", f"{root.name}{year}年脱贫攻坚工作总结")]
    blocks.append(("heading", "一、基本情况"))
    text = (f"截至{year}年底,{where}共有建档立卡贫困户{_n(root, 'registered_households')}户、"
            f"{_n(root, 'registered_people')}人。{year}年脱贫{_n(root, 'exited_households_year')}户、"
            f"{_n(root, 'exited_people_year')}人;尚有未脱贫户{_n(root, 'remaining_poor_households')}户、"
            f"{_n(root, 'remaining_poor_people')}人")
    if _has(root, "poverty_incidence"):
        text += f",贫困发生率降至{_n(root, 'poverty_incidence')}%"
    blocks.append(("paragraph", text + "。"))
    blocks.append(("heading", "二、“两不愁三保障”和退出"))
    blocks.append(("paragraph",
                   f"{year}年共核查{_n(root, 'checked_households')}户,不愁吃达标率{_n(root, 'food_pass_rate')}%,"
                   f"不愁穿达标率{_n(root, 'clothing_pass_rate')}%,义务教育有保障达标率"
                   f"{_n(root, 'education_pass_rate')}%,基本医疗有保障达标率{_n(root, 'medical_pass_rate')}%,"
                   f"住房安全有保障达标率{_n(root, 'housing_pass_rate')}%,饮水安全达标率"
                   f"{_n(root, 'water_pass_rate')}%。已达到退出标准但尚未退出的有"
                   f"{_n(root, 'eligible_not_exited')}户,需按程序组织退出。"))
    blocks.append(("heading", "三、结对帮扶"))
    blocks.append(("paragraph",
                   f"未脱贫户中有帮扶责任人的{_n(root, 'paired_households')}户,结对帮扶覆盖率"
                   f"{_n(root, 'pairing_coverage')}%;近30天内走访{_n(root, 'visited_30d_households')}户,走访率"
                   f"{_n(root, 'visit_recency_rate')}%。"))
    blocks.append(("heading", "四、就业扶贫"))
    blocks.append(("paragraph",
                   f"全年登记劳动力{_n(root, 'labour_force')}人,已就业{_n(root, 'employed')}人,其中转移就业"
                   f"{_n(root, 'transfer_employed')}人,转移就业率{_n(root, 'transfer_rate')}%;有就业人员的户"
                   f"{_n(root, 'households_employed')}户。"))
    blocks.append(("heading", "五、易地扶贫搬迁"))
    blocks.append(("paragraph",
                   f"{where}共建设易地扶贫搬迁安置点{_n(root, 'relocation_sites')}个,计划搬迁"
                   f"{_n(root, 'relocation_planned')}户,已分房{_n(root, 'relocation_allocated')}户,已入住"
                   f"{_n(root, 'relocation_moved_in')}户,入住率{_n(root, 'relocation_moved_in_rate')}%。"))
    blocks.append(("heading", "六、基层党组织覆盖"))
    blocks.append(("paragraph",
                   f"行政村党支部覆盖率{_n(root, 'org_village_branch')}%,党支部领办合作社覆盖率"
                   f"{_n(root, 'org_village_cooperative')}%,安置点党组织覆盖率{_n(root, 'org_site_org')}%,"
                   f"流动党员管理覆盖率{_n(root, 'org_floating_member_managed')}%。"))
    blocks.append(("paragraph", "注:方括号内为指标代码,数字均由系统记录汇总生成,可在指标页逐项查看明细。"
                                "“尚无数据”表示相关模块尚未建成。"))
    return blocks


def to_markdown(table: IndicatorTable) -> str:
    lines: list[str] = []
    for kind, text in narrative(table):
        prefix = {"title": "# ", "heading": "## ", "paragraph": ""}[kind]
        lines += [prefix + text, ""]
    return "\n".join(lines)


def to_docx(table: IndicatorTable) -> bytes:
    from docx import Document

    document = Document()
    for kind, raw in narrative(table):
        text = ILLEGAL_CHARACTERS_RE.sub("", raw)  # old data never breaks the document
        if kind == "title":
            document.add_heading(text, level=0)
        elif kind == "heading":
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
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
