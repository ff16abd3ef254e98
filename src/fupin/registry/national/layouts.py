"""The national systems' sheet layouts as data: each column's header names → the fupin field it fills.

A target is a registry field key (`registry.fields.FIELD_BY_KEY`), a value this package consumes itself (``@…``:
area names, household type, monitoring category, risks …), or the name of a field fupin does not hold (yet). The
last kind is never dropped silently: the import lists those columns in its report. When the registry gains a
field of that name, the column becomes held without touching this table — the held / not-held split is computed
from `FIELD_BY_KEY`, not written here. The national form's fields of issue 17 (政治面貌, 残疾类别, 耕地面积 …)
are mapped onto their registry keys; what remains not held (是否危房户 — fupin holds the 危房等级 —, 安全饮用水,
特困供养, 风险消除方式, 银行卡 …) is listed by `tests/integration/test_registry_national_*`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fupin.registry.fields import FIELD_BY_KEY, normalise_header


@dataclass(frozen=True)
class Column:
    header: str  # the national wording (first alias: what the export writes)
    target: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)

    @property
    def held(self) -> bool:
        return self.target in FIELD_BY_KEY or self.target.startswith("@")


@dataclass(frozen=True)
class Layout:
    key: str
    title: str  # the sheet as the national system names it
    kind: str  # members | households | labour | villages
    markers: tuple[tuple[str, ...], ...]  # each tuple: one of these headers must be present
    columns: tuple[Column, ...]

    def column_for(self, header: object) -> Column | None:
        return _INDEX[self.key].get(normalise_header(header))


AREA_COLUMNS = (
    Column("县", "@county", ("县(市、区)", "县(区)", "县区", "县市区")),
    Column("乡", "@township", ("乡(镇)", "乡镇", "乡(镇、街道)", "乡镇(街道)")),
    Column("村", "@village", ("行政村", "村(社区)", "村(居)")),
    Column("组", "@group", ("自然村", "村民小组", "组(自然村)", "自然村(组)")),
)
PROVINCE_COLUMNS = (Column("省", "@province", ("省(区、市)",)), Column("市", "@prefecture", ("市(州)", "市(地、州)")))

# Every national sheet names its village: a sheet without one is not a national export (e.g. fupin's own template
# missing its area-code column, which must keep saying so).
_VILLAGE = ("村", "行政村", "村(社区)", "村(居)")

INCOME_COLUMNS = (
    Column("人均纯收入", "@per_capita", ("家庭人均纯收入", "年人均纯收入")),
    Column("工资性收入", "wages"),
    Column("生产经营性收入", "production_income", ("家庭经营性收入",)),
    Column("财产性收入", "property_income"),
    Column("转移性收入", "transfer_income"),
    Column("生产经营性支出", "production_costs", ("生产经营支出",)),
    Column("收入年度", "income_year", ("年度",)),
)

# A member's own facts, worded alike in the monitoring and the 2014 registry sheets.
PERSON_COLUMNS = (
    Column("性别", "sex"),
    Column("出生日期", "birth_date"),
    Column("与户主关系", "relation"),
    Column("民族", "ethnicity"),
    Column("政治面貌", "political_status"),
    Column("文化程度", "education"),
    Column("在校生状况", "schooling", ("在校生情况",)),
)

_RISKS = tuple(Column(f"致贫/返贫风险{i}", f"@risk{i}", (f"致贫返贫风险{i}", f"风险类型{i}", f"返贫致贫风险{i}"))
               for i in range(1, 6))

MONITORING_MEMBERS = Layout(
    "monitoring_members", "监测对象信息", "members",
    (_VILLAGE, ("户编号",), ("证件号码", "身份证号码", "身份证号"), ("与户主关系",), ("户类型", "监测对象类别")),
    (
        *PROVINCE_COLUMNS, *AREA_COLUMNS,
        Column("户编号", "household_no", ("户编码",)),
        Column("姓名", "name"),
        Column("证件类型", "@id_type"),
        Column("证件号码", "id_number", ("身份证号码", "身份证号")),
        *PERSON_COLUMNS,
        Column("义务教育阶段未上学原因", "out_of_school_reason"),
        Column("健康状况", "health"),
        Column("残疾类别", "disability_category"),
        Column("残疾等级", "disability_grade"),
        Column("劳动技能", "labour_capacity"),
        Column("是否已务工", "@working", ("是否务工",)),
        Column("务工所在地", "work_place", ("务工地点", "务工区域")),
        Column("务工时间", "months_worked", ("务工时间(月)", "务工月数")),
        Column("是否参加城乡居民基本医疗保险", "medical_insurance", ("是否参加基本医疗保险",)),
        Column("是否参加大病保险", "serious_illness_insurance"),
        Column("是否参加商业补充医疗保险", "commercial_medical_insurance", ("是否参加商业补充保险",)),
        Column("是否享受医疗救助", "medical_assistance", ("享受医疗救助政策情况",)),
        Column("是否参加城乡居民基本养老保险", "pension_insurance", ("是否参加基本养老保险",)),
        Column("享受低保政策情况", "minimum_allowance", ("是否享受低保",)),
        Column("享受特困供养政策情况", "extremely_poor_support", ("是否特困供养",)),
        Column("户类型", "@household_type"),
        Column("监测对象类别", "@monitor_type"),
        Column("识别监测时间", "@identified_on", ("纳入监测时间",)),
        *_RISKS,
        Column("风险是否已消除", "@risk_cleared"),
        Column("风险消除方式", "risk_cleared_way"),
        Column("风险消除时间", "risk_cleared_on"),
        Column("家庭成员联系电话", "@member_phone", ("联系电话",)),
        Column("住址", "address", ("家庭住址",)),
        Column("贫困户属性", "poverty_attribute"),
        Column("主要致贫原因", "main_cause"),
        Column("识别年度", "registration_year", ("纳入年度",)),
        *INCOME_COLUMNS,
        Column("是否危房户", "dangerous_house"),
        Column("是否解决安全饮用水", "safe_drinking_water"),
    ),
)

REGISTRY_2014 = Layout(
    "registry_2014", "建档立卡贫困人口", "members",
    (_VILLAGE, ("户编号",), ("证件号码", "身份证号码", "身份证号"), ("与户主关系",), ("贫困户属性",)),
    (
        *PROVINCE_COLUMNS, *AREA_COLUMNS,
        Column("户编号", "household_no", ("户编码",)),
        Column("人编号", "person_no"),
        Column("姓名", "name"),
        Column("证件类型", "@id_type"),
        Column("证件号码", "id_number", ("身份证号码", "身份证号")),
        Column("人数", "@member_count", ("家庭人口数",)),
        *PERSON_COLUMNS,
        Column("健康状况", "health"),
        Column("残疾等级", "disability_grade"),
        Column("劳动技能", "labour_capacity"),
        Column("务工状况", "work_place", ("务工所在地",)),
        Column("务工时间", "months_worked", ("务工时间(月)",)),
        Column("是否参加新型农村合作医疗", "medical_insurance", ("是否参加城乡居民基本医疗保险",)),
        Column("是否参加大病保险", "serious_illness_insurance"),
        Column("是否参加城乡居民基本养老保险", "pension_insurance"),
        Column("是否享受农村低保", "minimum_allowance", ("享受低保政策情况",)),
        Column("是否现役军人", "active_serviceman"),
        Column("是否军烈属", "military_martyr_family"),
        Column("是否独生子女户", "only_child_family"),
        Column("是否双女户", "two_daughters_family"),
        Column("贫困户属性", "poverty_attribute"),
        Column("主要致贫原因", "main_cause"),
        Column("其他致贫原因", "other_causes"),
        Column("识别标准", "identification_standard"),
        Column("识别年度", "registration_year", ("纳入年度", "建档年度")),
        Column("脱贫年度", "@exit_year"),
        Column("贫困户状态", "@poor_status", ("脱贫状态", "贫困状态")),
        Column("联系电话", "phone"),
        Column("开户银行", "bank_name"),
        Column("银行卡号", "bank_account"),
        Column("住址", "address", ("家庭住址",)),
        *INCOME_COLUMNS,
    ),
)

HOUSEHOLDS = Layout(
    "households", "户信息", "households",
    (_VILLAGE, ("户编号",), ("户主姓名",)),
    (
        *PROVINCE_COLUMNS, *AREA_COLUMNS,
        Column("户编号", "household_no", ("户编码",)),
        Column("户主姓名", "@head_name"),
        Column("户主证件号码", "@head_id", ("户主身份证号码",)),
        Column("家庭人口数", "@member_count", ("人口数",)),
        Column("户类型", "@household_type"),
        Column("监测对象类别", "@monitor_type"),
        Column("联系电话", "phone"),
        Column("识别标准", "identification_standard"),
        Column("是否军烈属", "military_martyr_family"),
        Column("是否独生子女户", "only_child_family"),
        Column("是否双女户", "two_daughters_family"),
        Column("耕地面积(亩)", "arable_land_mu", ("耕地面积",)),
        Column("有效灌溉面积(亩)", "irrigated_land_mu", ("有效灌溉面积",)),
        Column("林地面积(亩)", "forest_land_mu", ("林地面积",)),
        Column("退耕还林面积(亩)", "returned_farmland_mu", ("退耕还林面积",)),
        Column("林果面积(亩)", "fruit_forest_mu", ("林果面积",)),
        Column("牧草地面积(亩)", "grassland_mu", ("牧草地面积", "牧草面积")),
        Column("水面面积(亩)", "water_surface_mu", ("水面面积",)),
        Column("住房面积(平方米)", "housing_area_m2", ("住房面积",)),
        Column("危房等级", "dilapidation_grade", ("危房级别",)),
        Column("建房年份", "house_built_year", ("建房年度", "房屋建成年份")),
        Column("是否危房户", "dangerous_house"),
        Column("是否解决安全饮用水", "safe_drinking_water"),
        Column("是否通生活用电", "domestic_power", ("生活用电",)),
        Column("是否通生产用电", "production_power", ("生产用电",)),
        Column("是否通广播电视", "has_broadcast"),
        Column("与村主干路距离(公里)", "road_distance_km", ("与村主干路距离", "距村主干路距离(公里)", "距村主干路距离")),
        Column("入户路类型", "access_road_type"),
        Column("主要燃料类型", "main_fuel", ("主要燃料",)),
        Column("是否有卫生厕所", "sanitary_toilet", ("有无卫生厕所",)),
        Column("是否加入农民专业合作社", "cooperative_member"),
        *INCOME_COLUMNS,
    ),
)

LABOUR_OUT = Layout(
    "labour_out", "已外出务工信息", "labour",
    (_VILLAGE, ("证件号码", "身份证号码"), ("务工行业", "务工单位", "务工单位名称", "就业渠道")),
    (
        *PROVINCE_COLUMNS, *AREA_COLUMNS,
        Column("户编号", "household_no", ("户编码",)),
        Column("姓名", "name"),
        Column("证件号码", "id_number", ("身份证号码",)),
        Column("务工所在地", "work_place", ("务工地点", "务工区域")),
        Column("务工时间", "months_worked", ("务工时间(月)", "务工月数")),
        Column("务工省份", "work_province"),
        Column("务工行业", "work_industry"),
        Column("务工单位", "employer", ("务工单位名称",)),
        Column("月收入(元)", "monthly_income", ("月收入",)),
        Column("就业渠道", "job_channel"),
    ),
)

LABOUR_PLANNED = Layout(
    "labour_planned", "计划外出务工信息", "labour",
    (_VILLAGE, ("证件号码", "身份证号码"), ("计划务工地", "意向工种", "计划外出时间")),
    (
        *PROVINCE_COLUMNS, *AREA_COLUMNS,
        Column("户编号", "household_no", ("户编码",)),
        Column("姓名", "name"),
        Column("证件号码", "id_number", ("身份证号码",)),
        Column("计划务工地", "planned_work_place"),
        Column("意向工种", "wanted_trade"),
        Column("计划外出时间", "planned_departure"),
        Column("是否需要培训", "wants_training"),
    ),
)

VILLAGES = Layout(
    "villages", "行政村信息", "villages",
    (("村", "行政村"), ("总户数", "村集体经济收入", "是否贫困村", "村类型")),
    (
        *PROVINCE_COLUMNS, *AREA_COLUMNS[:3],
        Column("村类型", "village_type", ("是否贫困村",)),
        Column("总户数", "village_households"),
        Column("总人口数", "village_people", ("总人口",)),
        Column("脱贫户数", "village_exited_households"),
        Column("监测户数", "village_monitored_households"),
        Column("村集体经济收入(万元)", "collective_income", ("村集体经济收入",)),
        Column("是否通硬化路", "paved_road"),
        Column("是否有卫生室", "has_clinic"),
        Column("是否通宽带", "has_broadband"),
    ),
)

LAYOUTS: tuple[Layout, ...] = (MONITORING_MEMBERS, REGISTRY_2014, HOUSEHOLDS, LABOUR_OUT, LABOUR_PLANNED, VILLAGES)
_INDEX = {layout.key: {normalise_header(name): column for column in layout.columns for name in column.names}
          for layout in LAYOUTS}
_OWN_TEMPLATE = {normalise_header(n) for n in FIELD_BY_KEY["area_code"].names}
HEADER_ROWS = 10  # the header is looked for in the first rows (title and export lines come first)


@dataclass(frozen=True)
class Found:
    layout: Layout
    header_index: int
    columns: dict[int, Column]  # column index -> its national column
    unknown: list[str]  # headers on the header row this layout does not know (reported, not dropped)


def detect(rows: Sequence[Sequence[Any]]) -> Found | None:
    """The national layout whose header row is among the first rows (None: not a national sheet — e.g. fupin's
    own template, which names areas by code)."""
    for index, row in enumerate(rows[:HEADER_ROWS]):
        names = {normalise_header(cell) for cell in row if cell is not None and str(cell).strip()}
        if not names or names & _OWN_TEMPLATE:
            continue
        for layout in LAYOUTS:
            if all(any(normalise_header(m) in names for m in alternatives) for alternatives in layout.markers):
                columns: dict[int, Column] = {}
                unknown: list[str] = []
                for i, cell in enumerate(row):
                    if cell is None or not str(cell).strip():
                        continue
                    column = layout.column_for(cell)
                    if column is None or column in columns.values():
                        unknown.append(str(cell).strip())
                    else:
                        columns[i] = column
                return Found(layout, index, columns, unknown)
    return None


def layout_by_key(key: str) -> Layout:
    return next(layout for layout in LAYOUTS if layout.key == key)
