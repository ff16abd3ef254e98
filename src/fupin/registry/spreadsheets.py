"""Reading and writing registry workbooks: file-type sniffing, size and zip-bomb limits, the template."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fupin.registry import errors
from fupin.registry.fields import ERROR_HEADER, FIELDS, field_for_header

MAX_FILE_BYTES = 60 * 1024 * 1024
MAX_ROWS = 1_100_000
MAX_UNCOMPRESSED_BYTES = 600 * 1024 * 1024
MAX_COMPRESSION_RATIO = 150
DATA_SHEET = "建档立卡"
HELP_SHEET = "填表说明"
LISTS_SHEET = "代码表"


@dataclass
class Table:
    kind: str  # xlsx | csv
    headers: list[str]
    rows: list[list[Any]]  # data rows only
    first_data_line: int  # spreadsheet line number of rows[0]
    columns: dict[int, str]  # column index -> field key
    # A national layout (registry.national): what was found on the header row; the importer translates the table.
    national: Any = None
    # Problems the translation found, by row offset: key -> (problem, value as written, column header).
    row_problems: dict[int, dict[str, tuple[Any, Any, str]]] | None = None
    source: Table | None = None  # the sheet as uploaded, when this table is its translation (the error report)


def _sniff(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    head = data[:4096]
    if b"\x00" in head:
        return "binary"
    return "text"


STREAM_CHUNK = 1 << 20
_ROW_MARKS = (b"<row", b":row ")  # <row …> and a prefixed <x:row …>


def _check_zip(data: bytes) -> None:
    """Refuse a workbook before anything builds its rows: declared sizes first, then each worksheet's XML is
    streamed through the zip's decompressor, counting its rows and bytes, and the reading stops at the limit —
    a 10 MB file of 2,000,000 rows costs a few megabytes here instead of gigabytes in the reader."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                raise errors.FILE_NOT_WORKBOOK()
            total = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
                raise errors.FILE_BOMB()
            unpacked = 0
            for info in infos:
                if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                    continue
                rows = 0
                tail = b""
                with archive.open(info) as stream:  # decompressed chunk by chunk (zlib), never whole
                    while chunk := stream.read(STREAM_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > MAX_UNCOMPRESSED_BYTES:  # the declared size lied
                            raise errors.FILE_BOMB()
                        window = tail + chunk
                        rows += sum(window.count(mark) - tail.count(mark) for mark in _ROW_MARKS)
                        if rows > MAX_ROWS + 10:
                            raise errors.FILE_TOO_MANY_ROWS(limit=f"{MAX_ROWS:,}")
                        tail = window[-4:]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError, zlib.error):
        raise errors.FILE_CORRUPT() from None


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise errors.FILE_ENCODING()


def read_table(filename: str, data: bytes) -> Table:
    """The data sheet of an .xlsx/.xls workbook or a .csv file, with its header row located and mapped.
    Size and row limits are checked before any row is built."""
    if not data:
        raise errors.FILE_EMPTY()
    if len(data) > MAX_FILE_BYTES:
        raise errors.FILE_TOO_LARGE(mb=MAX_FILE_BYTES // 1024 // 1024)
    kind = _sniff(data)
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if kind == "zip":
        _check_zip(data)
        raw_rows = _read_workbook(data)
        table_kind = "xlsx"
    elif kind == "xls":
        raw_rows = _read_workbook(data)
        table_kind = "xlsx"
    elif kind == "text" and suffix in ("csv", "txt", ""):
        if data.count(b"\n") > MAX_ROWS + 10:
            raise errors.FILE_TOO_MANY_ROWS(limit=f"{MAX_ROWS:,}")
        text = _decode(data)
        raw_rows = [row for row in csv.reader(io.StringIO(text))]
        table_kind = "csv"
    else:
        raise errors.FILE_TYPE()
    if len(raw_rows) > MAX_ROWS:
        raise errors.FILE_TOO_MANY_ROWS(limit=f"{MAX_ROWS:,}")
    from fupin.registry.national.layouts import detect

    national = detect(raw_rows)
    if national is not None:
        data_rows = _data_rows(raw_rows, national.header_index)
        header = raw_rows[national.header_index]
        return Table(table_kind, ["" if c is None else str(c) for c in header], data_rows,
                     national.header_index + 2, {}, national=national)
    header_index = None
    columns: dict[int, str] = {}
    for index, row in enumerate(raw_rows[:10]):
        mapped = {i: key for i, cell in enumerate(row) if (key := field_for_header(cell)) is not None}
        if len(mapped) >= 3:
            header_index, columns = index, mapped
            break
    if header_index is None:
        raise errors.NO_HEADER()
    seen: dict[str, int] = {}
    for index, key in list(columns.items()):
        if key in seen:
            raise errors.DUPLICATE_COLUMN(column=str(raw_rows[header_index][index])[:40])
        seen[key] = index
    missing = [f.header for f in FIELDS if f.required and f.key not in seen]
    if missing:
        raise errors.MISSING_COLUMNS(columns="、".join(missing))
    data_rows = _data_rows(raw_rows, header_index)
    return Table(table_kind, [str(c) for c in raw_rows[header_index]], data_rows, header_index + 2, columns)


def _data_rows(raw_rows: list[list[Any]], header_index: int) -> list[list[Any]]:
    data_rows = raw_rows[header_index + 1 :]
    while data_rows and all(cell is None or str(cell).strip() == "" for cell in data_rows[-1]):
        data_rows.pop()
    if not data_rows:
        raise errors.NO_ROWS()
    return data_rows


def _read_workbook(data: bytes) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        sheet = DATA_SHEET if DATA_SHEET in names else next(
            (n for n in names if n not in (HELP_SHEET, LISTS_SHEET)), names[0])
        return workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as error:  # noqa: BLE001 - calamine raises its own types for broken files
        raise errors.FILE_UNREADABLE(kind=type(error).__name__) from None


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


# ---------------------------------------------------------------- writing


def template_workbook() -> Workbook:
    """The import template: Chinese headers, drop-downs for coded columns, an instructions sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    lists = workbook.create_sheet(LISTS_SHEET)
    help_sheet = workbook.create_sheet(HELP_SHEET)
    required_fill = PatternFill("solid", fgColor="FDE2E2")
    for column, field in enumerate(FIELDS, start=1):
        cell = sheet.cell(row=1, column=column, value=field.header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if field.required:
            cell.fill = required_fill
        sheet.column_dimensions[get_column_letter(column)].width = max(10, len(field.header) * 2 + 2)
        if field.kind in ("id_number", "id15", "certificate") or field.key in ("household_no", "area_code", "phone"):
            for row in range(2, 2002):
                sheet.cell(row=row, column=column).number_format = "@"
        options: list[str] | None = None
        if field.vocabulary:
            options = list(field.vocabulary.values())
        elif field.kind == "bool":
            options = ["是", "否"]
        if options:
            list_column = get_column_letter(column)
            lists.cell(row=1, column=column, value=field.header)
            for i, option in enumerate(options, start=2):
                lists.cell(row=i, column=column, value=option)
            validation = DataValidation(type="list", formula1=f"'{LISTS_SHEET}'!${list_column}$2:${list_column}${len(options) + 1}",
                                        allow_blank=not field.required, showErrorMessage=True,
                                        errorTitle="输入有误", error=f"请从下拉列表选择{field.header}")
            sheet.add_data_validation(validation)
            validation.add(f"{list_column}2:{list_column}100000")
    sheet.freeze_panes = "A2"
    help_rows = [
        ("建档立卡户及家庭成员导入模板 使用说明", ""),
        ("", ""),
        ("每行填写一名家庭成员;同一户的成员填写相同“户编号”,户级信息(区划、属性、致贫原因、收入等)填在该户任一行即可。", ""),
        ("红色表头为必填列。带下拉框的列请从下拉列表中选择。", ""),
        ("身份证号请按文本填写(18位,末位X大写或小写均可,全角数字和空格也可);15位老号码会自动升为18位,原号码保留。", ""),
        ("面积填亩(耕地、林地等)或平方米(住房),距离填公里,最多两位小数。", ""),
        ("转移性收入可分项填写(低保金、特困供养金、养老金、生态补偿金、其他),只填合计时计入“其他”。", ""),
        ("性别、出生日期可不填,系统从身份证号推出;若填写,须与身份证号一致。", ""),
        ("收入按年度填写(元,最多两位小数,不能为负数);人均纯收入=(各项收入-生产经营性支出)÷家庭人口。", ""),
        ("导入时逐行校验:默认有任何错误则整批不写入;选择“跳过错误行”时写入无误的户,有错的户整户跳过。", ""),
        ("同一文件重复导入不会产生重复数据(按户编号和身份证号更新)。", ""),
        ("", ""),
        ("列名", "说明"),
    ]
    for field in FIELDS:
        note = ("必填。" if field.required else "") + field.hint
        if field.vocabulary:
            note += (" " if note else "") + "可选:" + "、".join(field.vocabulary.values())
        if field.aliases:
            note += (" " if note else "") + "也可用列名:" + "、".join(field.aliases)
        help_rows.append((field.header, note))
    for row in help_rows:
        help_sheet.append(list(row))
    help_sheet.column_dimensions["A"].width = 28
    help_sheet.column_dimensions["B"].width = 100
    help_sheet["A1"].font = Font(bold=True, size=14)
    return workbook


def write_rows_xlsx(headers: list[str], rows: list[list[Any]], sheet_title: str = DATA_SHEET) -> bytes:
    from openpyxl import Workbook as _Workbook

    workbook = _Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_rows_csv(headers: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def error_report(table: Table, reasons_by_line: dict[int, list[str]]) -> bytes:
    """The uploaded rows back, with a 错误原因 column, in the uploaded format (control characters dropped, so
    a bad byte in the upload never breaks its own report; CSV cells that would run as formulas neutralised)."""
    from fupin.registry.exporter import neutralise_csv_cell
    from fupin.registry.rules import strip_control_characters

    table = table.source or table  # a national sheet's rows as uploaded, not their translation
    headers = [strip_control_characters(h) for h in [*table.headers, ERROR_HEADER]]
    rows = []
    for offset, row in enumerate(table.rows):
        line = table.first_data_line + offset
        cells = [strip_control_characters(cell_text(c)) for c in row] + [""] * max(0, len(table.headers) - len(row))
        cells = [*cells[: len(table.headers)], ";".join(reasons_by_line.get(line, []))]
        rows.append([neutralise_csv_cell(c) for c in cells] if table.kind == "csv" else cells)
    if table.kind == "csv":
        return write_rows_csv(headers, rows)
    return write_rows_xlsx(headers, rows)
