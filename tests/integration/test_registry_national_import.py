"""Issue 18: the national systems' workbooks come in through `fupin registry import` and the web import (the
same use case), on both databases."""

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from fupin.areas.models import Area
from fupin.core.identity import Actor
from fupin.core.importing import ImportMode
from fupin.core.uow import UnitOfWork
from fupin.monitoring.models import MonitoredHousehold
from fupin.registry.idnumbers import id_hash
from fupin.registry.models import Household, HouseholdIncome, Person
from fupin.registry.service import import_registry
from tests import national_workbooks as nw
from tests.factories import add_areas

KEY = b"test-key"
TODAY = dt.date(2024, 6, 1)
COUNTY = Actor(user_id=None, name="会泽", role="county", scope_prefix="530326")


def _import(db, data, mode=ImportMode.skip_invalid, actor=None, name="national.xlsx"):
    return import_registry(UnitOfWork(db, actor or COUNTY), name, data, mode=mode, key=KEY, today=TODAY)


@pytest.fixture
def areas(db):
    add_areas(db)
    return db


def _person(session, number):
    return session.scalars(select(Person).where(Person.id_hash == id_hash(KEY, number))).one()


def test_member_sheet_good_rows_land_bad_rows_reported_second_import_changes_nothing(areas):
    db = areas
    data = nw.member_workbook(nw.good_member_rows() + nw.bad_member_rows())
    result = _import(db, data)
    report = result.report
    assert result.national["layout"] == "monitoring_members"
    assert report.committed and (report.inserted, report.updated, report.unchanged) == (3, 0, 0)
    # bad rows: line 4 is the first data row (title, export line, header on the third row)
    by_line = {e.line: e for e in report.errors}
    assert sorted(by_line) == [9, 10, 11]
    assert by_line[9].column == "村" and "不存在村" in by_line[9].reason and "北坎村、石坝村" in by_line[9].reason
    assert by_line[10].column == "与户主关系" and "之表哥" in by_line[10].reason
    assert by_line[11].column == "致贫/返贫风险1"
    assert [c for _line, _f, c in result.codes] == ["registry.area_name_unknown", "registry.national_bad_value",
                                                     "registry.national_risk_required"]
    # columns fupin does not hold are listed, never dropped silently
    # since the registry holds the national form's fields (issue 17), only these are left
    assert set(result.national["columns_not_held"]) == {"享受特困供养政策情况", "风险消除方式", "是否危房户"}
    assert {"政治面貌", "残疾类别", "是否参加大病保险"} <= set(result.national["columns_held"])
    assert "证件号码" in result.national["columns_held"]
    assert result.national["groups_created"] == ["第2村民小组(530326100201001)"]
    assert result.national["statuses_set"] == 3 and result.national["monitoring_started"] == 2
    with db.session_factory() as s:
        homes = {h.household_no: h for h in s.scalars(select(Household))}
        assert sorted(homes) == ["N001", "N002", "N003"]
        assert homes["N001"].area_code == "530326100200001" and homes["N001"].status == "exited"
        assert homes["N001"].phone == "13800001234" and homes["N001"].poverty_attribute == "general"
        assert homes["N001"].registration_year == 2014 and homes["N001"].member_count == 3
        assert homes["N002"].area_code == "530326101200" and homes["N002"].status == "monitored"
        assert homes["N002"].main_cause == "illness" and homes["N002"].registration_year == 2023
        assert homes["N003"].area_code == "530326100201001" and homes["N003"].main_cause == "disaster"
        assert s.get(Area, "530326100201001").name == "第2村民小组"
        head, wife, son = _person(s, nw.HEAD), _person(s, nw.WIFE), _person(s, nw.SON)
        assert (head.relation, head.education, head.work_place, head.months_worked, head.minimum_allowance) == (
            "head", "junior", "out_province", 8, False)
        assert (wife.relation, wife.health, wife.labour_capacity, wife.ethnicity, wife.minimum_allowance,
                wife.pension_insurance) == ("spouse", "chronic", "weak", "彝族", True, False)
        assert (son.relation, son.schooling, son.labour_capacity) == ("son", "primary", "none")
        wang = _person(s, nw.WANG)
        assert (wang.health, wang.education, wang.labour_capacity) == ("disabled", "none", "lost")
        assert (wang.disability_category, wang.disability_grade) == ("physical", 2)
        assert (head.political_status, wife.political_status, _person(s, nw.ZHAO).political_status) == (
            "masses", "party_member", "league_member")
        assert (head.serious_illness_insurance, wife.serious_illness_insurance, son.serious_illness_insurance) == (
            True, False, None)
        assert _person(s, nw.ZHAO).work_place == "in_province"
        income = s.scalars(select(HouseholdIncome).where(HouseholdIncome.household_id == homes["N001"].id)).one()
        assert (income.year, str(income.wages), str(income.transfer_income), str(income.per_capita_net)) == (
            2023, "12000.00", "800.50", "4266.83")
        records = {r.household_id: r for r in s.scalars(select(MonitoredHousehold))}
        assert sorted(records) == sorted([homes["N002"].id, homes["N003"].id])
        n2, n3 = records[homes["N002"].id], records[homes["N003"].id]
        assert (n2.monitor_type, n2.risk_types, n2.clue_on) == ("unstable", "illness,schooling", dt.date(2023, 3, 15))
        assert (n3.monitor_type, n3.risk_types, n3.channel) == ("marginal", "disaster", "department_alert")
        counts = (s.scalar(select(func.count()).select_from(Person)), s.scalar(select(func.count()).select_from(Area)))

    again = _import(db, data)
    assert (again.report.inserted, again.report.updated, again.report.unchanged) == (0, 0, 3)
    assert again.national["statuses_set"] == 0 and again.national["monitoring_started"] == 0
    assert again.national["groups_created"] == []
    with db.session_factory() as s:
        assert (s.scalar(select(func.count()).select_from(Person)),
                s.scalar(select(func.count()).select_from(Area))) == counts
        assert s.scalar(select(func.count()).select_from(MonitoredHousehold)) == 2


def test_all_or_nothing_writes_nothing_not_even_the_new_group(areas):
    db = areas
    result = _import(db, nw.member_workbook(nw.good_member_rows() + nw.bad_member_rows()),
                     mode=ImportMode.all_or_nothing)
    assert not result.report.committed and len(result.report.errors) == 3
    assert result.error_file is not None
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Household)) == 0
        assert s.get(Area, "530326100201001") is None


def test_a_later_export_updates_by_household_number_and_id_never_duplicates(areas):
    db = areas
    _import(db, nw.member_workbook(nw.good_member_rows()))
    later = nw.good_member_rows()
    wife = later[1]
    wife[nw.MEMBER_HEADER.index("健康状况")] = "患有大病"
    wife[nw.MEMBER_HEADER.index("证件号码")] = " " + wife[nw.MEMBER_HEADER.index("证件号码")].lower() + " "
    result = _import(db, nw.member_workbook(later))
    assert result.report.errors == []
    assert (result.report.inserted, result.report.updated, result.report.unchanged) == (0, 1, 2)
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 5
        assert _person(s, nw.WIFE).health == "serious"


def test_a_village_cadre_cannot_create_groups_and_is_told_which_exist(areas):
    db = areas
    cadre = Actor(user_id=None, name="石坝村", role="village", scope_prefix="530326100201")
    rows = [r for r in nw.good_member_rows() if r[nw.MEMBER_HEADER.index("户编号")] == "N003"]
    result = _import(db, nw.member_workbook(rows), actor=cadre)
    assert [e.column for e in result.report.errors] == ["组"]
    assert "第2村民小组" in result.report.errors[0].reason and result.report.inserted == 0
    # outside the cadre's village: reads like a name that does not exist
    rows = [r for r in nw.good_member_rows() if r[nw.MEMBER_HEADER.index("户编号")] == "N002"]
    result = _import(db, nw.member_workbook(rows), actor=cadre)
    assert [c for _l, _f, c in result.codes] == ["registry.area_name_unknown"]


def test_registry_2014_export(areas):
    db = areas
    data = nw.national_workbook("全国扶贫开发信息系统 建档立卡贫困人口", nw.REGISTRY_2014_HEADER, nw.registry_2014_rows())
    result = _import(db, data, actor=Actor.system("test"))
    assert result.national["layout"] == "registry_2014"
    assert [(e.line, e.column) for e in result.report.errors] == [(7, "贫困户属性"), (8, "县")]
    assert "富裕户" in result.report.errors[0].reason and "不存在县" in result.report.errors[1].reason
    assert set(result.national["columns_not_held"]) == {"人编号", "开户银行", "银行卡号"}
    with db.session_factory() as s:
        homes = {h.household_no: h for h in s.scalars(select(Household))}
        assert sorted(homes) == ["M001", "M002"]
        m1 = homes["M001"]
        assert (m1.area_code, m1.poverty_attribute, m1.main_cause, m1.registration_year, m1.status, m1.phone) == (
            "530321100200", "dibao", "disability", 2014, "exited", "13700001111")
        assert m1.identification_standard == "national"
        assert (homes["M002"].status, homes["M002"].main_cause, homes["M002"].registration_year) == (
            "identified", "no_funds", 2016)
    again = _import(db, data, actor=Actor.system("test"))
    assert (again.report.inserted, again.report.updated, again.report.unchanged) == (0, 0, 2)


def test_household_and_labour_sheets_update_held_fields_and_list_the_rest(areas):
    db = areas
    _import(db, nw.member_workbook(nw.good_member_rows()))

    def row(header, **values):
        return [values.get(h) for h in header]

    households = nw.national_workbook("户信息", nw.HOUSEHOLD_HEADER, [
        row(nw.HOUSEHOLD_HEADER, 县="会泽县", 乡="钟屏街道", 村="北坎村", 组="第1村民小组", 户编号="N001", 户主姓名="张三",
            户类型="脱贫户", 联系电话="13811112222", 工资性收入="15000", 转移性收入="900",
            **{"耕地面积(亩)": "3.5", "牧草地面积(亩)": "0.25"}, 是否通生活用电="是", 主要燃料类型="柴草", 危房等级="C级",
            识别标准="省定标准", 是否危房户="是", 是否通广播电视="是"),
        row(nw.HOUSEHOLD_HEADER, 县="会泽县", 乡="钟屏街道", 村="北坎村", 户编号="N999", 户主姓名="无此户"),
        # a value outside the national list: the row writes nothing
        row(nw.HOUSEHOLD_HEADER, 县="会泽县", 乡="娜姑镇", 村="白雾村", 户编号="N002", 户主姓名="王五", 联系电话="13800009999",
            主要燃料类型="核能", **{"耕地面积(亩)": "2"}),
    ])
    result = _import(db, households)
    assert result.national["layout"] == "households"
    assert [(e.line, e.column) for e in result.report.errors] == [(5, "户编号"), (6, "主要燃料类型")]
    assert "核能" in result.report.errors[1].reason and "柴草" in result.report.errors[1].reason
    # the national form's household facts are held now (issue 17): only these are left
    assert set(result.national["columns_not_held"]) == {"是否危房户", "是否通广播电视"}
    assert result.report.committed and result.report.updated == 2
    with db.session_factory() as s:
        home = s.scalars(select(Household).where(Household.household_no == "N001")).one()
        assert home.phone == "13811112222"
        assert (home.arable_land_mu, home.grassland_mu, home.domestic_power, home.main_fuel, home.dilapidation_grade,
                home.identification_standard) == (Decimal("3.50"), Decimal("0.25"), True, "firewood", "C", "provincial")
        n002 = s.scalars(select(Household).where(Household.household_no == "N002")).one()
        assert (n002.arable_land_mu, n002.phone) == (None, None)
        income = s.scalars(select(HouseholdIncome).where(HouseholdIncome.household_id == home.id)).one()
        assert (str(income.wages), str(income.transfer_income)) == ("15000.00", "900.00")
    assert _import(db, households).report.updated == 0

    labour = nw.national_workbook("已外出务工信息", nw.LABOUR_OUT_HEADER, [
        row(nw.LABOUR_OUT_HEADER, 县="会泽县", 乡="娜姑镇", 村="白雾村", 户编号="N002", 姓名="王五", 证件号码=nw.WANG,
            务工所在地="省外", 务工时间=6, 务工行业="建筑业", 务工单位="某建筑公司"),
        row(nw.LABOUR_OUT_HEADER, 县="会泽县", 乡="娜姑镇", 村="白雾村", 姓名="无此人", 证件号码=nw.QIAN, 务工所在地="省外"),
    ])
    result = _import(db, labour)
    assert result.national["layout"] == "labour_out"
    assert [c for _l, _f, c in result.codes] == ["registry.national_person_unknown"]
    assert {"务工行业", "务工单位"} <= set(result.national["columns_not_held"])
    with db.session_factory() as s:
        wang = _person(s, nw.WANG)
        assert (wang.work_place, wang.months_worked) == ("out_province", 6)
    assert _import(db, labour).report.updated == 0

    planned = nw.national_workbook("计划外出务工信息", nw.LABOUR_PLANNED_HEADER, [
        row(nw.LABOUR_PLANNED_HEADER, 县="会泽县", 乡="娜姑镇", 村="白雾村", 姓名="王五", 证件号码=nw.WANG,
            计划务工地="广东", 意向工种="建筑", 是否需要培训="是")])
    result = _import(db, planned)
    assert result.national["layout"] == "labour_planned" and result.report.errors == []
    assert set(result.national["columns_not_held"]) == {"计划务工地", "意向工种", "是否需要培训"}

    villages = nw.national_workbook("行政村信息", nw.VILLAGE_HEADER, [
        row(nw.VILLAGE_HEADER, 县="会泽县", 乡="娜姑镇", 村="白雾村", 是否贫困村="是", 总户数=300),
        row(nw.VILLAGE_HEADER, 县="会泽县", 乡="娜姑镇", 村="黑雾村", 是否贫困村="否", 总户数=100)])
    result = _import(db, villages)
    assert result.national["layout"] == "villages"
    assert [(e.line, e.column) for e in result.report.errors] == [(5, "村")]
    assert "村集体经济收入(万元)" in result.national["columns_not_held"]
