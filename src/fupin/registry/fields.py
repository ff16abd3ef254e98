"""The columns of the registry workbook: one definition drives the template, the import, the export and
the validation of forms. A row is one member; household and income columns repeat on every member's row
(only the first row of a household needs them)."""

from __future__ import annotations

from dataclasses import dataclass

from fupin.registry import vocab


@dataclass(frozen=True)
class Field:
    key: str
    header: str
    level: str  # household | person | income
    kind: str  # text | code | int | year | date | bool | money | decimal | area | id_number | id15 | certificate | causes
    required: bool = False
    vocabulary: dict[str, str] | None = None
    aliases: tuple[str, ...] = ()
    max_length: int = 60
    hint: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


YES_NO = {"true": "是", "false": "否"}

FIELDS: tuple[Field, ...] = (
    Field("household_no", "户编号", "household", "text", True, aliases=("户号", "户编码", "家庭编号"), max_length=32,
          hint="同一户的成员填写相同户编号"),
    Field("area_code", "所在村组区划代码", "household", "area", True,
          aliases=("区划代码", "村组代码", "所在区划代码", "行政区划代码"), hint="12位村级或15位组级统计用区划代码"),
    Field("address", "住址", "household", "text", aliases=("家庭住址", "详细地址"), max_length=200),
    Field("phone", "联系电话", "household", "text", aliases=("电话", "手机号", "联系方式"), max_length=20),
    Field("poverty_attribute", "贫困户属性", "household", "code", True, vocab.POVERTY_ATTRIBUTES,
          aliases=("贫困属性", "户属性")),
    Field("main_cause", "主要致贫原因", "household", "code", True, vocab.CAUSES, aliases=("致贫原因", "主要原因")),
    Field("other_causes", "其他致贫原因", "household", "causes", aliases=("次要致贫原因",), max_length=200,
          hint="多个原因用顿号或逗号分隔"),
    Field("registration_year", "识别年度", "household", "int", True, aliases=("建档年度", "纳入年度", "识别年份")),
    Field("has_vehicle", "有无小汽车", "household", "bool", aliases=("是否有车", "有无车辆")),
    Field("has_commercial_flat", "有无商品房", "household", "bool", aliases=("是否购买商品房",)),
    Field("runs_business", "有无经营实体", "household", "bool", aliases=("是否经商办企业", "有无工商注册")),
    # The national 贫困户登记表's household fields (issue 17); the national import maps its columns onto these keys.
    Field("identification_standard", "识别标准", "household", "code", vocabulary=vocab.IDENTIFICATION_STANDARDS,
          aliases=("识别标准类型", "贫困户识别标准")),
    Field("military_martyr_family", "是否军烈属", "household", "bool", aliases=("军烈属",)),
    Field("only_child_family", "是否独生子女户", "household", "bool", aliases=("独生子女户",)),
    Field("two_daughters_family", "是否双女户", "household", "bool", aliases=("双女户",)),
    Field("arable_land_mu", "耕地面积(亩)", "household", "decimal", aliases=("耕地面积",)),
    Field("irrigated_land_mu", "有效灌溉面积(亩)", "household", "decimal", aliases=("有效灌溉面积",)),
    Field("forest_land_mu", "林地面积(亩)", "household", "decimal", aliases=("林地面积",)),
    Field("returned_farmland_mu", "退耕还林面积(亩)", "household", "decimal", aliases=("退耕还林面积",)),
    Field("fruit_forest_mu", "林果面积(亩)", "household", "decimal", aliases=("林果面积",)),
    Field("grassland_mu", "牧草地面积(亩)", "household", "decimal", aliases=("牧草地面积", "牧草面积")),
    Field("water_surface_mu", "水面面积(亩)", "household", "decimal", aliases=("水面面积",)),
    Field("domestic_power", "是否通生活用电", "household", "bool", aliases=("生活用电",)),
    Field("production_power", "是否通生产用电", "household", "bool", aliases=("生产用电",)),
    Field("road_distance_km", "距村主干路距离(公里)", "household", "decimal",
          aliases=("与村主干路距离(公里)", "距村主干路距离", "与村主干路距离")),
    Field("access_road_type", "入户路类型", "household", "code", vocabulary=vocab.ACCESS_ROAD_TYPES),
    Field("housing_area_m2", "住房面积(平方米)", "household", "decimal", aliases=("住房面积",)),
    Field("dilapidation_grade", "危房等级", "household", "code", vocabulary=vocab.DILAPIDATION_GRADES,
          aliases=("危房级别",)),
    Field("house_built_year", "建房年份", "household", "year", aliases=("建房年度", "房屋建成年份")),
    Field("main_fuel", "主要燃料类型", "household", "code", vocabulary=vocab.FUELS, aliases=("主要燃料",)),
    Field("sanitary_toilet", "有无卫生厕所", "household", "bool", aliases=("是否有卫生厕所", "卫生厕所")),
    Field("name", "姓名", "person", "text", True, aliases=("成员姓名", "家庭成员姓名")),
    Field("id_number", "身份证号", "person", "id_number", True,
          aliases=("身份证号码", "证件号码", "公民身份号码", "身份证件号码", "证件号")),
    Field("sex", "性别", "person", "code", vocabulary=vocab.SEXES),
    Field("birth_date", "出生日期", "person", "date", aliases=("出生年月日",)),
    Field("relation", "与户主关系", "person", "code", True, vocab.RELATIONS, aliases=("关系", "与户主的关系")),
    Field("ethnicity", "民族", "person", "text", max_length=20),
    Field("education", "文化程度", "person", "code", vocabulary=vocab.EDUCATION, aliases=("学历",)),
    Field("schooling", "在校生状况", "person", "code", vocabulary=vocab.SCHOOLING, aliases=("在校生情况",)),
    Field("health", "健康状况", "person", "code", vocabulary=vocab.HEALTH),
    Field("disability_grade", "残疾等级", "person", "int", hint="1-4级,非残疾留空"),
    Field("labour_capacity", "劳动技能", "person", "code", vocabulary=vocab.LABOUR_CAPACITY,
          aliases=("劳动能力",)),
    Field("work_place", "务工地点", "person", "code", vocabulary=vocab.WORK_PLACES, aliases=("务工状况", "务工区域")),
    Field("months_worked", "务工时间(月)", "person", "int", aliases=("务工时间", "务工月数")),
    Field("medical_insurance", "参加基本医疗保险", "person", "bool", aliases=("是否参加医保", "参加医疗保险")),
    Field("pension_insurance", "参加养老保险", "person", "bool", aliases=("是否参加养老保险",)),
    Field("minimum_allowance", "享受低保", "person", "bool", aliases=("是否享受低保",)),
    Field("public_funded", "财政供养人员", "person", "bool", aliases=("是否财政供养",)),
    # The national forms' member fields (issue 17).
    Field("id_number_original", "原15位身份证号", "person", "id15", aliases=("原身份证号",),
          hint="填写15位号码时自动升级为18位,原号码保存在此"),
    Field("political_status", "政治面貌", "person", "code", vocabulary=vocab.POLITICAL_STATUSES),
    Field("disability_category", "残疾类别", "person", "code", vocabulary=vocab.DISABILITY_CATEGORIES),
    Field("disability_certificate_no", "残疾证号", "person", "certificate", aliases=("残疾人证号",), max_length=24),
    Field("serious_illness_insurance", "参加大病保险", "person", "bool", aliases=("是否参加大病保险",)),
    Field("commercial_medical_insurance", "参加商业补充医疗保险", "person", "bool",
          aliases=("是否参加商业补充医疗保险", "商业补充医疗保险")),
    Field("medical_assistance", "享受医疗救助", "person", "bool", aliases=("是否享受医疗救助", "医疗救助")),
    Field("active_serviceman", "是否现役军人", "person", "bool", aliases=("现役军人",)),
    Field("income_year", "收入年度", "income", "int", aliases=("年度",)),
    Field("wages", "工资性收入", "income", "money"),
    Field("production_income", "生产经营性收入", "income", "money", aliases=("家庭经营性收入",)),
    Field("property_income", "财产性收入", "income", "money"),
    Field("transfer_income", "转移性收入", "income", "money", hint="各项之和;只填合计时计入“其他”"),
    Field("transfer_dibao", "其中:低保金", "income", "money", aliases=("低保金",)),
    Field("transfer_tekun", "其中:特困供养金", "income", "money", aliases=("特困供养金",)),
    Field("transfer_pension", "其中:养老金", "income", "money", aliases=("养老金", "养老保险金")),
    Field("transfer_ecological", "其中:生态补偿金", "income", "money", aliases=("生态补偿金",)),
    Field("transfer_other", "其中:其他转移性收入", "income", "money", aliases=("其他转移性收入",)),
    Field("production_costs", "生产经营性支出", "income", "money", aliases=("生产经营支出",)),
)

FIELD_BY_KEY = {f.key: f for f in FIELDS}
# The national forms' fields (issue 17), in one place for the model, schemas, import, export and pages.
NATIONAL_HOUSEHOLD_KEYS = [
    "identification_standard", "military_martyr_family", "only_child_family", "two_daughters_family",
    "arable_land_mu", "irrigated_land_mu", "forest_land_mu", "returned_farmland_mu", "fruit_forest_mu",
    "grassland_mu", "water_surface_mu", "domestic_power", "production_power", "road_distance_km",
    "access_road_type", "housing_area_m2", "dilapidation_grade", "house_built_year", "main_fuel", "sanitary_toilet",
]
NATIONAL_PERSON_KEYS = [
    "political_status", "disability_category", "disability_certificate_no", "serious_illness_insurance",
    "commercial_medical_insurance", "medical_assistance", "active_serviceman",
]
# Withheld with the disability (core.personal_data.PersonalField.disability).
DISABILITY_KEYS = ("disability_grade", "disability_category", "disability_certificate_no")
HOUSEHOLD_FIELDS = [f for f in FIELDS if f.level == "household"]
PERSON_FIELDS = [f for f in FIELDS if f.level == "person"]
INCOME_FIELDS = [f for f in FIELDS if f.level == "income"]
ERROR_HEADER = "错误原因"


def normalise_header(text: object) -> str:
    return "".join(str(text or "").split()).replace("(", "(").replace(")", ")").replace("*", "")


_HEADER_INDEX = {normalise_header(name): f.key for f in FIELDS for name in f.names}


def field_for_header(header: object) -> str | None:
    return _HEADER_INDEX.get(normalise_header(header))
