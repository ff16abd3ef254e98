"""Issue 18: the layouts are found by their header row wherever it is in the first rows; held / not held is
computed from the registry's fields; national wordings translate to fupin codes."""

from fupin.registry.fields import FIELD_BY_KEY
from fupin.registry.national import vocab
from fupin.registry.national.areas import loose
from fupin.registry.national.layouts import LAYOUTS, MONITORING_MEMBERS, detect
from tests import national_workbooks as nw


def test_the_header_row_is_found_below_title_and_export_lines():
    rows = [["全国防返贫监测信息系统 监测对象信息"], ["导出时间:2024-05-31"], [], nw.MEMBER_HEADER, ["x"]]
    found = detect(rows)
    assert found is not None and found.layout is MONITORING_MEMBERS and found.header_index == 3
    assert found.unknown == []
    assert detect([nw.REGISTRY_2014_HEADER]).layout.key == "registry_2014"
    assert detect([nw.HOUSEHOLD_HEADER]).layout.key == "households"
    assert detect([nw.LABOUR_OUT_HEADER]).layout.key == "labour_out"
    assert detect([nw.LABOUR_PLANNED_HEADER]).layout.key == "labour_planned"
    assert detect([nw.VILLAGE_HEADER]).layout.key == "villages"


def test_fupins_own_template_is_never_taken_for_a_national_sheet():
    own = ["户编号", "所在村组区划代码", "贫困户属性", "主要致贫原因", "识别年度", "姓名", "身份证号", "与户主关系"]
    assert detect([own]) is None
    assert detect([[h for h in own if h != "所在村组区划代码"]]) is None  # still "missing columns", as before
    assert detect([["姓名", "年龄"]]) is None


def test_unknown_headers_are_reported_not_dropped():
    found = detect([[*nw.MEMBER_HEADER, "备注", "帮扶责任人"]])
    assert found.unknown == ["备注", "帮扶责任人"]


def test_held_follows_the_registry_fields(monkeypatch):
    column = MONITORING_MEMBERS.column_for("政治面貌")
    assert column.target == "political_status" and not column.held
    monkeypatch.setitem(FIELD_BY_KEY, "political_status", FIELD_BY_KEY["ethnicity"])
    assert column.held  # the day the registry holds it, the import takes it and the export writes it


def test_every_layout_column_has_a_unique_header():
    for layout in LAYOUTS:
        names = [name for column in layout.columns for name in column.names]
        assert len(names) == len(set(names)), layout.key


def test_national_wordings():
    assert vocab.translate("relation", "之外孙女") == "granddaughter"
    assert vocab.translate("schooling", "小学三年级") == "primary"
    assert vocab.translate("schooling", "八年级") == "junior"
    assert vocab.translate("health", "患有大病") == "serious"
    assert vocab.translate("work_place", "乡镇外县内") == "in_county"
    assert vocab.translate("@risk1", "住房出现安全问题") == "housing"
    assert vocab.translate("minimum_allowance", "农村低保") is True
    assert vocab.translate("relation", "中专(中技)") is vocab.MISSING
    assert vocab.translate("education", "中专(中技)") == "vocational"
    assert vocab.translate("relation", "户主") == "head" and vocab.translate("relation", "head") == "head"
    for target, wording in vocab.EXPORT_WORDING.items():
        for code, text in wording.items():
            assert vocab.translate(target, str(text)) == code, (target, code, text)


def test_loose_names():
    assert loose("娜姑镇") == loose("娜姑") == "娜姑"
    assert loose("北坎村民委员会") == "北坎"
    assert loose("第1村民小组") == "第1"
