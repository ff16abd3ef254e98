import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from fupin.core.audit import Actor
from fupin.core.errors import Invalid
from fupin.core.importing import ImportMode
from fupin.core.personal_data import Viewer
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.registry.exporter import export_file
from fupin.registry.models import Household, HouseholdIncome, Person
from fupin.registry.service import import_registry
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
    return import_registry(UnitOfWork(db, actor or Actor.system("test")), name, data, mode=mode, key=KEY,
                           today=dt.date(2024, 6, 1))


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


@pytest.mark.parametrize(("mutate", "column", "code"), [
    (lambda r: r[0].__setitem__(6, r[0][6][:-1] + ("0" if r[0][6][-1] != "0" else "1")), "身份证号",
     "registry.id_check_digit"),
    (lambda r: r[0].__setitem__(9, "1970-01-02"), "出生日期", "registry.birth_mismatch"),
    (lambda r: r[2].__setitem__(6, r[0][6]), "身份证号", "registry.id_repeated_in_file"),
    (lambda r: r[1].__setitem__(6, r[0][6]), "身份证号", "registry.id_repeated_in_household"),
    (lambda r: r[0].__setitem__(1, "530326999200"), "所在村组区划代码", "registry.area_not_available"),
    (lambda r: r[0].__setitem__(1, "530326100000"), "所在村组区划代码", "registry.area_level"),
    (lambda r: r[0].__setitem__(11, "-100"), "工资性收入", "registry.money_negative"),
    (lambda r: r[0].__setitem__(12, "八百"), "转移性收入", "registry.money_not_number"),
    (lambda r: r[0].__setitem__(2, "富裕户"), "贫困户属性", "registry.bad_code"),
    (lambda r: r[1].__setitem__(7, "户主"), "与户主关系", "registry.one_head"),
    (lambda r: r[0].__setitem__(5, "张\x01三"), "姓名", "registry.control_characters"),
])
def test_each_bad_row_has_its_own_code_and_nothing_is_written(areas, mutate, column, code):
    rows = _rows()
    mutate(rows)
    result = _import(areas, _csv(rows))
    assert not result.report.committed
    assert [c for _line, _field, c in result.codes] == [code]
    assert [e.column for e in result.report.errors] == [column]
    assert _counts(areas) == (0, 0, 0)
    report = result.error_file.decode("utf-8-sig")
    assert report.splitlines()[0].endswith("错误原因") and result.report.errors[0].reason in report


def test_skip_invalid_writes_the_good_households_only(areas):
    rows = _rows()
    rows[2][6] = "530326198507091230"
    result = _import(areas, _csv(rows), mode=ImportMode.skip_invalid)
    assert result.report.committed and result.report.inserted == 1 and result.report.invalid_lines == 1
    assert _counts(areas) == (1, 2, 1)


def test_a_person_already_registered_is_named_in_scope_and_not_outside_it(areas):
    _import(areas, _csv(_rows()))
    rows = _rows()
    rows[2][6] = rows[1][6]
    result = _import(areas, _csv(rows))
    codes = [c for _l, _f, c in result.codes]
    assert not result.report.committed and codes == ["registry.id_repeated_in_file", "registry.id_registered_in"]
    assert "H001" in result.report.errors[1].reason
    village_b = Actor(user_id=None, name="b", role="village", scope_prefix="530326100201")
    elsewhere = _import(areas, _csv([rows[2]]), actor=village_b)
    assert [c for _l, _f, c in elsewhere.codes] == ["registry.id_registered_elsewhere"]
    assert "H001" not in elsewhere.report.errors[0].reason and "H001" not in elsewhere.error_file.decode("utf-8-sig")


@pytest.mark.parametrize(("name", "data", "code"), [
    ("e.csv", b"", "registry.file_empty"),
    ("e.csv", _csv([], header=["户编号", "姓名", "身份证号"]), "registry.missing_columns"),
    ("e.csv", "户编号,所在村组区划代码,贫困户属性,主要致贫原因,识别年度,姓名,身份证号,与户主关系\n".encode(),
     "registry.no_rows"),
    ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "registry.file_type"),
    ("a.xlsx", b"PK\x03\x04not really a zip", "registry.file_corrupt"),
    ("notes.csv", "随便写的一些字\n没有表头".encode(), "registry.no_header"),
])
def test_bad_files_are_refused_with_a_code(areas, name, data, code):
    with pytest.raises(Invalid) as refused:
        _import(areas, data, name=name)
    assert refused.value.code == code
    assert _counts(areas) == (0, 0, 0)


def test_zip_bombs_are_refused(areas):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("xl/workbook.xml", "<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (50 * 1024 * 1024))
    with pytest.raises(Invalid) as refused:
        _import(areas, buffer.getvalue(), name="bomb.xlsx")
    assert refused.value.code == "registry.file_bomb"


def test_import_outside_the_scope_is_refused(areas):
    village_b = Actor(user_id=None, name="b", role="village", scope_prefix="530326100201")
    result = _import(areas, _csv(_rows()), actor=village_b)
    assert {c for _l, _f, c in result.codes} == {"registry.area_not_available"}
    assert _counts(areas) == (0, 0, 0)


def test_roles_without_the_import_action_are_refused_before_reading_the_file(areas):
    from fupin.core.errors import Forbidden

    clerk = Actor(user_id=None, name="c", role="entity_clerk", scope_prefix="530326100200")
    with pytest.raises(Forbidden) as refused:
        _import(areas, b"", actor=clerk)
    assert refused.value.code == "core.forbidden_action"


def test_unmasked_export_round_trips_as_a_no_op_and_masked_export_hides_numbers(areas):
    _import(areas, _csv(_rows()))
    with areas.session_factory() as s:
        clear, rows_out = export_file(s, Scope.of_area("530326000000"), Viewer("admin"), fmt="xlsx")
        masked, _ = export_file(s, Scope.of_area("530326000000"), Viewer("auditor"), fmt="csv")
        numbers = s.scalars(select(Person.id_number)).all()
    assert rows_out == 3
    again = _import(areas, clear, name="export.xlsx")
    assert again.report.committed and again.report.unchanged == 2 and again.report.inserted == 0
    assert again.report.updated == 0
    text = masked.decode("utf-8-sig")
    assert all(n not in text for n in numbers) and numbers[0][:6] + "**********" + numbers[0][16:] in text
    assert "1970-01-01" not in text and "1970年" in text
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
