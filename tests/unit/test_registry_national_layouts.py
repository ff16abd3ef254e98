"""Issue 18: the layouts are found by their header row wherever it is in the first rows; held / not held is
computed from the registry's fields; national wordings translate to fupin codes."""

from fupin.registry.fields import FIELD_BY_KEY, NATIONAL_HOUSEHOLD_KEYS, NATIONAL_PERSON_KEYS
from fupin.registry.national import vocab
from fupin.registry.national.areas import loose
from fupin.registry.national.layouts import HOUSEHOLDS, LAYOUTS, MONITORING_MEMBERS, REGISTRY_2014, detect
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
    column = MONITORING_MEMBERS.column_for("享受特困供养政策情况")
    assert column.target == "extremely_poor_support" and not column.held
    monkeypatch.setitem(FIELD_BY_KEY, "extremely_poor_support", FIELD_BY_KEY["minimum_allowance"])
    assert column.held  # the day the registry holds it, the import takes it and the export writes it


def test_the_national_form_fields_are_held_under_their_registry_keys():
    """Issue 17 added the 贫困户登记表's fields: every national column for them maps onto the real key (no guessed
    name left over), and what is still not held is exactly this list."""
    for header, key in (("政治面貌", "political_status"), ("残疾类别", "disability_category"),
                        ("是否参加大病保险", "serious_illness_insurance")):
        column = MONITORING_MEMBERS.column_for(header)
        assert column.target == key and column.held
    for header, key in (("是否军烈属", "military_martyr_family"), ("识别标准", "identification_standard"),
                        ("是否现役军人", "active_serviceman")):
        assert REGISTRY_2014.column_for(header).target == key and REGISTRY_2014.column_for(header).held
    for header, key in (("耕地面积(亩)", "arable_land_mu"), ("牧草地面积(亩)", "grassland_mu"),
                        ("是否通生活用电", "domestic_power"), ("主要燃料类型", "main_fuel"),
                        ("是否有卫生厕所", "sanitary_toilet"), ("危房等级", "dilapidation_grade")):
        assert HOUSEHOLDS.column_for(header).target == key and HOUSEHOLDS.column_for(header).held
    not_held = {c.target for layout in LAYOUTS for c in layout.columns if not c.held}
    assert not_held == {
        "out_of_school_reason", "extremely_poor_support", "risk_cleared_way", "risk_cleared_on", "dangerous_house",
        "safe_drinking_water", "person_no", "bank_name", "bank_account", "has_broadcast", "cooperative_member",
        "work_province", "work_industry", "employer", "monthly_income", "job_channel", "planned_work_place",
        "wanted_trade", "planned_departure", "wants_training", "village_type", "village_households",
        "village_people", "village_exited_households", "village_monitored_households", "collective_income",
        "paved_road", "has_clinic", "has_broadband"}
    # every registry field of the national form that a layout names is reached by it
    named = {c.target for layout in LAYOUTS for c in layout.columns}
    assert set(NATIONAL_HOUSEHOLD_KEYS) <= named
    assert set(NATIONAL_PERSON_KEYS) - named == {"disability_certificate_no"}  # no national sheet carries it


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
    assert vocab.translate("work_place", "乡镇内") == "in_township"
    assert vocab.translate("political_status", "中共党员") == "party_member"
    assert vocab.translate("political_status", "群众") == "masses"
    assert vocab.translate("disability_category", "肢体") == "physical"
    assert vocab.translate("dilapidation_grade", "C级") == "C"
    assert vocab.translate("dilapidation_grade", "C级(局部危房)") == "C"  # fupin's own label
    assert vocab.translate("main_fuel", "柴草") == "firewood"
    assert vocab.translate("identification_standard", "省定标准") == "provincial"
    assert vocab.translate("access_road_type", "水泥路") == "cement"
    assert vocab.EXPORT_WORDING["dilapidation_grade"]["D"] == "D级"
    assert vocab.EXPORT_WORDING["political_status"]["party_member"] == "中共党员"
    assert vocab.EXPORT_WORDING["work_place"] == {"in_township": "乡镇内", "in_county": "乡镇外县内",
                                                  "in_province": "县外省内", "out_province": "省外", "none": "未务工"}
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
