"""Issue 18: hand the data back in the monitoring system's layout (round trip), and reconcile a national export
with fupin's records."""

import datetime as dt
import io
from decimal import Decimal, InvalidOperation

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from fupin.core.identity import Actor
from fupin.core.importing import ImportMode
from fupin.core.uow import UnitOfWork
from fupin.registry import schemas
from fupin.registry.models import Household, Person
from fupin.registry.national import vocab
from fupin.registry.national.areas import loose
from fupin.registry.national.export import export_columns
from fupin.registry.national.layouts import HOUSEHOLDS, MONITORING_MEMBERS
from fupin.registry.service import (
    add_person,
    export_registry_national,
    import_registry,
    reconcile_national,
    update_person,
)
from tests import national_workbooks as nw
from tests.factories import add_areas
from tests.factories_registry import id_number

KEY = b"test-key"
TODAY = dt.date(2024, 6, 1)
COUNTY = Actor(user_id=None, name="会泽", role="county", scope_prefix="530326")


@pytest.fixture
def imported(db):
    add_areas(db)
    result = import_registry(UnitOfWork(db, COUNTY), "n.xlsx", nw.member_workbook(nw.good_member_rows()),
                             mode=ImportMode.all_or_nothing, key=KEY, today=TODAY)
    assert result.report.committed, result.report.errors
    return db


def _sheet(content: bytes, title: str) -> list[list]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(r) for r in book[title].iter_rows(values_only=True)]
    width = max(len(r) for r in rows)
    return [r + [None] * (width - len(r)) for r in rows]


def _normal(header: str, value):
    """A cell's meaning: national wordings through their vocabulary (之子 and 之子 alike), numbers as text."""
    if value is None or value == "":
        return None
    column = MONITORING_MEMBERS.column_for(header)
    text = str(value)
    if column is not None and column.target in ("@county", "@township", "@village", "@group"):
        return loose(text)  # 娜姑 was matched to 娜姑镇: the export writes the full name
    if column is not None and column.target in vocab.BY_TARGET:
        return vocab.translate(column.target, text)
    try:
        if len(text) < 11:  # amounts and counts compare as numbers (12000 = 12000.00); phones stay text
            return str(Decimal(text).normalize())
    except InvalidOperation:
        pass
    try:
        return str(dt.date.fromisoformat(text[:10])) if len(text) >= 10 and text[4] == "-" else text
    except ValueError:
        return text


def test_round_trip_keeps_every_held_column(imported):
    db = imported
    content, rows = export_registry_national(UnitOfWork(db, COUNTY), "530326000000")
    assert rows == 5
    members = _sheet(content, "监测对象信息")
    assert members[0][0] == "全国防返贫监测信息系统 监测对象信息" and members[1][0].startswith("导出时间")
    header = members[2]
    assert "县" in header and "证件号码" in header and "所在村组区划代码" not in header
    exported = {r[header.index("证件号码")]: dict(zip(header, r, strict=True)) for r in members[3:]}
    original = [dict(zip(nw.MEMBER_HEADER, r, strict=True)) for r in nw.good_member_rows()]
    held = [h for h in nw.MEMBER_HEADER if MONITORING_MEMBERS.column_for(h).held and h in header]
    # 政治面貌, 残疾类别, 是否参加大病保险 are held since issue 17 and come back unchanged
    assert set(nw.MEMBER_HEADER) - set(held) == {"享受特困供养政策情况", "风险消除方式", "是否危房户"}
    assert {"政治面貌", "残疾类别", "是否参加大病保险"} <= set(held)
    assert {r["政治面貌"] for r in exported.values()} == {"群众", "中共党员", "共青团员", None}
    assert exported[nw.WANG]["残疾类别"] == "肢体残疾"
    for row in original:
        out = exported[row["证件号码"]]
        for h in held:
            if h == "户类型" and row[h] == "一般农户":
                assert out[h] == "监测户"  # fupin holds that it is monitored, and its category (边缘易致贫户)
                continue
            if row[h] is None:
                continue  # a blank the import filled (sex and birth date from the ID number, defaults)
            if h == "家庭成员联系电话" and row["与户主关系"] != "户主":
                continue  # fupin holds the household's phone: the head's
            assert _normal(h, out[h]) == _normal(h, row[h]), (row["姓名"], h, out[h], row[h])
    households = _sheet(content, "户信息")
    hheader = households[2]
    assert [h for h in hheader if h] == [c.header for c in export_columns(HOUSEHOLDS)]
    by_no = {r[hheader.index("户编号")]: dict(zip(hheader, r, strict=True)) for r in households[3:]}
    assert by_no["N001"]["户主姓名"] == "张三" and by_no["N001"]["村"] == "北坎村" and by_no["N001"]["组"] == "第1村民小组"
    assert by_no["N002"]["户类型"] == "监测户" and by_no["N002"]["监测对象类别"] == "脱贫不稳定户"

    # … and the exported workbook imports back with nothing to change
    again = import_registry(UnitOfWork(db, COUNTY), "back.xlsx", content, mode=ImportMode.all_or_nothing, key=KEY,
                            today=TODAY)
    assert again.report.errors == []
    assert (again.report.inserted, again.report.updated, again.report.unchanged) == (0, 0, 3)


def test_household_sheet_round_trip_keeps_the_national_form_fields(imported):
    """户信息 → fupin → 户信息: the 贫困户登记表's household facts (an area, yes/no and coded fields) come back in the
    national wording, unchanged; the columns fupin does not hold are the only ones missing."""
    db = imported
    header = nw.HOUSEHOLD_HEADER
    sent = {"县": "会泽县", "乡": "钟屏街道", "村": "北坎村", "组": "第1村民小组", "户编号": "N001", "户主姓名": "张三",
            "耕地面积(亩)": "3.75", "是否通生活用电": "否", "主要燃料类型": "干畜粪", "危房等级": "D级",
            "牧草地面积(亩)": "12", "识别标准": "市定标准", "是否危房户": "是", "是否通广播电视": "否"}
    result = import_registry(UnitOfWork(db, COUNTY), "h.xlsx", nw.national_workbook("户信息", header, [
        [sent.get(h) for h in header]]), mode=ImportMode.all_or_nothing, key=KEY, today=TODAY)
    assert result.report.errors == [] and result.report.updated == 1
    assert set(result.national["columns_not_held"]) == {"是否危房户", "是否通广播电视"}
    content, _rows = export_registry_national(UnitOfWork(db, COUNTY), "530326000000")
    households = _sheet(content, "户信息")
    hheader = households[2]
    out = {r[hheader.index("户编号")]: dict(zip(hheader, r, strict=True)) for r in households[3:]}["N001"]
    assert "是否危房户" not in hheader and "是否通广播电视" not in hheader
    for h in ("耕地面积(亩)", "是否通生活用电", "主要燃料类型", "危房等级", "牧草地面积(亩)", "识别标准"):
        assert h in hheader
        if h.endswith("(亩)"):  # an exact decimal, written as stored (12 → 12.00)
            assert Decimal(out[h]) == Decimal(sent[h]), (h, out[h])
        else:
            assert out[h] == sent[h], (h, out[h])
    # … and the exported 户信息 sheet imports back with nothing to change
    back = nw.national_workbook("户信息", [h for h in hheader if h], [r[:len([h for h in hheader if h])]
                                                                      for r in households[3:]])
    again = import_registry(UnitOfWork(db, COUNTY), "back.xlsx", back, mode=ImportMode.all_or_nothing, key=KEY,
                            today=TODAY)
    assert again.report.errors == [] and again.report.updated == 0


def test_export_masks_for_a_masked_role(imported):
    db = imported
    auditor = Actor(user_id=None, name="审计", role="auditor", scope_prefix="530326")
    content, _rows = export_registry_national(UnitOfWork(db, auditor), None)
    members = _sheet(content, "监测对象信息")
    header = members[2]
    ids = [r[header.index("证件号码")] for r in members[3:]]
    assert nw.HEAD not in ids and all("*" in i for i in ids)
    assert all(r[header.index("健康状况")] is None for r in members[3:])


def test_reconcile_lists_planted_differences_exactly(imported):
    db = imported
    with db.session_factory() as s:
        wife = s.scalars(select(Person).where(Person.name == "李四")).one()
        n001 = s.scalars(select(Household).where(Household.household_no == "N001")).one()
        wife_id, wife_version, n001_id = wife.id, wife.version, n001.id
    # fupin side: the wife's education corrected, a newborn added
    update_person(UnitOfWork(db, COUNTY), wife_id, schemas.PersonUpdate(education="junior", version=wife_version),
                  today=TODAY)
    baby = id_number(dt.date(2024, 1, 5), "F")
    add_person(UnitOfWork(db, COUNTY), n001_id, schemas.PersonCreate(name="张妹", id_number=baby, relation="daughter"),
               today=TODAY)
    # national side: a person fupin does not have, and the son's health changed
    rows = nw.good_member_rows()
    son = next(r for r in rows if r[nw.MEMBER_HEADER.index("姓名")] == "张小")
    son[nw.MEMBER_HEADER.index("健康状况")] = "长期慢性病"
    # … and the national form's fields: 政治面貌 and 残疾类别 differ too (compared since issue 17)
    zhao = next(r for r in rows if r[nw.MEMBER_HEADER.index("姓名")] == "赵六")
    zhao[nw.MEMBER_HEADER.index("政治面貌")] = "党员"
    wang = next(r for r in rows if r[nw.MEMBER_HEADER.index("姓名")] == "王五")
    wang[nw.MEMBER_HEADER.index("残疾类别")] = "视力"
    extra = nw.member_row(县="会泽县", 乡="娜姑镇", 村="白雾村", 户编号="N002", 户类型="监测户",
                          监测对象类别="脱贫不稳定户", 识别监测时间="2023-03-15", **{"致贫/返贫风险1": "因病"},
                          姓名="王小", 证件号码=nw.QIAN, 与户主关系="之子")
    result = reconcile_national(UnitOfWork(db, COUNTY), "n.xlsx", nw.member_workbook([*rows, extra]), None,
                                today=TODAY, key=KEY)
    assert result.compared == 5
    assert [(line, number, name) for line, number, name, _id in result.only_national] == [(9, "N002", "王小")]
    assert [(number, name) for number, name, _id in result.only_fupin] == [("N001", "张妹")]
    assert [(d.household_no, d.name, d.column, d.national, d.fupin) for d in result.differences] == [
        ("N001", "张小", "健康状况", "长期慢性病", "健康"),
        ("N001", "李四", "文化程度", "小学", "初中"),
        ("N002", "王五", "残疾类别", "视力残疾", "肢体残疾"),
        ("N003", "赵六", "政治面貌", "中共党员", "共青团员"),
    ]
    assert result.unreadable == []
    assert any("仅本系统有" in line for line in result.lines())
    assert result.workbook()[:2] == b"PK"


def test_reconcile_does_not_show_withheld_fields_to_a_masked_role(imported):
    """健康状况 and 残疾类别 are withheld from an auditor (core.personal_data): a difference in them is not listed
    (the report would show both values); other fields still are."""
    db = imported
    rows = nw.good_member_rows()
    son = next(r for r in rows if r[nw.MEMBER_HEADER.index("姓名")] == "张小")
    son[nw.MEMBER_HEADER.index("健康状况")] = "长期慢性病"
    son[nw.MEMBER_HEADER.index("民族")] = "回族"
    wang = next(r for r in rows if r[nw.MEMBER_HEADER.index("姓名")] == "王五")
    wang[nw.MEMBER_HEADER.index("残疾类别")] = "视力残疾"
    data = nw.member_workbook(rows)
    auditor = Actor(user_id=None, name="审计", role="auditor", scope_prefix="530326")
    masked = reconcile_national(UnitOfWork(db, auditor), "n.xlsx", data, None, today=TODAY, key=KEY)
    assert [(d.name, d.column) for d in masked.differences] == [("张小", "民族")]
    full = reconcile_national(UnitOfWork(db, COUNTY), "n.xlsx", data, None, today=TODAY, key=KEY)
    assert [(d.name, d.column) for d in full.differences] == [("张小", "健康状况"), ("张小", "民族"),
                                                              ("王五", "残疾类别")]
