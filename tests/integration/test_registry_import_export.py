import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from fupin.core.audit import Actor
from fupin.core.errors import Invalid
from fupin.core.importing import ImportMode
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.registry.exporter import export_file
from fupin.registry.importer import import_registry
from fupin.registry.models import Household, HouseholdIncome, Person
from fupin.registry.spreadsheets import template_workbook
from tests.factories import add_areas
from tests.factories_registry import id_number

KEY = b"test-key"
HEADER = ["户编号", "所在村组区划代码", "贫困户属性", "主要致贫原因", "识别年度", "姓名", "身份证号", "与户主关系",
          "性别", "出生日期", "收入年度", "工资性收入", "转移性收入"]


HEAD, WIFE, OTHER = id_number(dt.date(1970, 1, 1)), id_number(dt.date(1972, 5, 1), "F"), id_number(dt.date(1985, 7, 9))


def _rows():
    head, wife, other = HEAD, WIFE, OTHER
    return [
        ["H001", "530326100200", "一般贫困户", "因病", "2014", "张三", head, "户主", "男", "1970-01-01", "2020", "12000",
         "800.50"],
        ["H001", "", "", "", "", "李四", wife, "配偶", "", "", "", "", ""],
        ["H002", "530326100201", "低保贫困户", "缺劳力", "2015", "王五", other, "户主", "", "", "", "", ""],
    ]


def _csv(rows, header=HEADER) -> bytes:
    lines = [",".join(header)] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(db, data, name="f.csv", mode=ImportMode.all_or_nothing, actor=None):
    with UnitOfWork(db, actor or Actor.system("test")) as uow:
        return import_registry(uow, name, data, mode=mode, key=KEY, today=dt.date(2024, 6, 1))


def _counts(db):
    with db.session_factory() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Household, Person, HouseholdIncome))


@pytest.fixture
def areas(db):
    add_areas(db)
    return db


def test_valid_file_imports_and_reimport_is_a_no_op(areas):
    db = areas
    result = _import(db, _csv(_rows()))
    assert result.report.committed and result.report.errors == []
    assert (result.report.inserted, result.report.updated, result.report.unchanged) == (2, 0, 0)
    assert _counts(db) == (2, 3, 1)
    with db.session_factory() as s:
        income = s.scalars(select(HouseholdIncome)).one()
        assert str(income.per_capita_net) == "6400.25" and income.members == 2
        h = s.scalars(select(Household).where(Household.household_no == "H001")).one()
        assert h.head_name == "张三" and h.member_count == 2 and h.county_code == "530326"
    again = _import(db, _csv(_rows()))
    assert (again.report.inserted, again.report.updated, again.report.unchanged) == (0, 0, 2)
    assert _counts(db) == (2, 3, 1)
    with db.session_factory() as s:
        assert s.scalar(select(func.max(Household.version))) == 1, "a no-op import touches nothing"


def test_xlsx_and_header_variants_are_accepted(areas):
    header = [h.replace("身份证号", "公民身份号码").replace("户编号", "户号") for h in HEADER]
    result = _import(areas, _xlsx(_rows(), header), name="a.xlsx")
    assert result.report.committed, result.report.errors


@pytest.mark.parametrize(("mutate", "column", "fragment"), [
    (lambda r: r[0].__setitem__(6, r[0][6][:-1] + ("0" if r[0][6][-1] != "0" else "1")), "身份证号", "校验位错误"),
    (lambda r: r[0].__setitem__(9, "1970-01-02"), "出生日期", "出生日期与身份证号不符"),
    (lambda r: r[2].__setitem__(6, r[0][6]), "身份证号", "与第2行重复"),
    (lambda r: r[0].__setitem__(1, "530326999200"), "所在村组区划代码", "不存在"),
    (lambda r: r[0].__setitem__(11, "-100"), "工资性收入", "不能为负数"),
    (lambda r: r[0].__setitem__(12, "八百"), "转移性收入", "不是数字"),
    (lambda r: r[0].__setitem__(2, "富裕户"), "贫困户属性", "不是有效的贫困户属性"),
    (lambda r: r[1].__setitem__(7, "户主"), "与户主关系", "有且只有一名户主"),
])
def test_each_bad_row_has_its_own_reason_and_nothing_is_written(areas, mutate, column, fragment):
    rows = _rows()
    mutate(rows)
    result = _import(areas, _csv(rows))
    assert not result.report.committed
    assert any(e.column == column and fragment in e.reason for e in result.report.errors), result.report.errors
    assert _counts(areas) == (0, 0, 0)
    report = result.error_file.decode("utf-8-sig")
    assert report.splitlines()[0].endswith("错误原因") and fragment in report


def test_skip_invalid_writes_the_good_households_only(areas):
    rows = _rows()
    rows[2][6] = "530326198507091230"
    result = _import(areas, _csv(rows), mode=ImportMode.skip_invalid)
    assert result.report.committed and result.report.inserted == 1 and result.report.invalid_lines == 1
    assert _counts(areas) == (1, 2, 1)


def test_duplicate_person_in_the_database_names_both_households(areas):
    _import(areas, _csv(_rows()))
    rows = _rows()
    rows[2][6] = rows[1][6]
    result = _import(areas, _csv(rows))
    assert not result.report.committed
    assert any("H001" in e.reason and "H002" in e.reason for e in result.report.errors)


@pytest.mark.parametrize(("name", "data", "fragment"), [
    ("e.csv", b"", "文件为空"),
    ("e.csv", _csv([], header=["户编号", "姓名", "身份证号"]), "缺少必填列"),
    ("e.csv", "户编号,所在村组区划代码,贫困户属性,主要致贫原因,识别年度,姓名,身份证号,与户主关系\n".encode(), "没有数据行"),
    ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "文件类型不支持"),
    ("a.xlsx", b"PK\x03\x04not really a zip", "损坏"),
    ("notes.csv", "随便写的一些字\n没有表头".encode(), "未找到表头"),
])
def test_bad_files_are_refused_with_a_clear_message(areas, name, data, fragment):
    with pytest.raises(Invalid, match=fragment):
        _import(areas, data, name=name)
    assert _counts(areas) == (0, 0, 0)


def test_zip_bombs_are_refused(areas):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("xl/workbook.xml", "<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (50 * 1024 * 1024))
    with pytest.raises(Invalid, match="压缩炸弹"):
        _import(areas, buffer.getvalue(), name="bomb.xlsx")


def test_import_outside_the_scope_is_refused(areas):
    village_b = Actor(user_id=None, name="b", role="village", scope_prefix="530326100201")
    result = _import(areas, _csv(_rows()), actor=village_b)
    assert any("管辖范围" in e.reason for e in result.report.errors)
    assert _counts(areas) == (0, 0, 0)


def test_unmasked_export_round_trips_as_a_no_op_and_masked_export_hides_numbers(areas):
    _import(areas, _csv(_rows()))
    with areas.session_factory() as s:
        clear = export_file(s, Scope.of_area("530326000000"), can_view_pii=True, fmt="xlsx")
        masked = export_file(s, Scope.of_area("530326000000"), can_view_pii=False, fmt="csv")
        numbers = s.scalars(select(Person.id_number)).all()
    again = _import(areas, clear, name="export.xlsx")
    assert again.report.committed and again.report.unchanged == 2 and again.report.inserted == 0
    assert again.report.updated == 0
    text = masked.decode("utf-8-sig")
    assert all(n not in text for n in numbers) and numbers[0][:6] + "**********" + numbers[0][16:] in text
    rows = list(load_workbook(io.BytesIO(clear)).active.iter_rows(values_only=True))
    assert rows[0][0] == "户编号" and len(rows) == 4


def test_template_has_drop_downs_and_instructions(tmp_path):
    workbook = template_workbook()
    assert workbook.sheetnames == ["建档立卡", "代码表", "填表说明"]
    sheet = workbook["建档立卡"]
    assert sheet["A1"].value == "户编号"
    assert len(sheet.data_validations.dataValidation) >= 8


def test_the_template_itself_filled_in_imports(areas):
    workbook = template_workbook()
    sheet = workbook["建档立卡"]
    headers = [c.value for c in sheet[1]]
    values = {"户编号": "T001", "所在村组区划代码": "530326100200001", "贫困户属性": "特困供养贫困户",
              "主要致贫原因": "因残", "识别年度": 2016, "姓名": "钱七", "身份证号": HEAD, "与户主关系": "户主",
              "健康状况": "残疾", "残疾等级": 2, "参加基本医疗保险": "是", "其他致贫原因": "缺劳力、缺技术"}
    sheet.append([values.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = _import(areas, buffer.getvalue(), name="填好的模板.xlsx")
    assert result.report.committed, result.report.errors
    with areas.session_factory() as s:
        h = s.scalars(select(Household)).one()
        assert (h.area_code, h.poverty_attribute, h.other_causes) == ("530326100200001", "tekun", "no_labour,no_skill")
        p = s.scalars(select(Person)).one()
        assert (p.health, p.disability_grade, p.area_code) == ("disabled", 2, "530326100200001")
