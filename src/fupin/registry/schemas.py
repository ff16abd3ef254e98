"""API and form shapes (XCreate / XUpdate / XPublic). Coded fields accept the code or the Chinese label.

The page forms parse with these same models (`web.forms.form_of`); `title` names each field in error messages.
What leaves the system about people goes through `PersonPublic.of(person, viewer)` /
`HouseholdPublic.of(household, viewer)`: masked ID number (no birth digits), birth year only beside a masked
number, masked phone, health and disability withheld from roles that may not see them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field

from fupin.core.personal_data import PersonalField, Viewer
from fupin.core.schema_types import Public
from fupin.registry.rules import (
    EXIT_STEP_NAMES,
    TRANSFER_PARTS,
    TransferShare,
    has_control_characters,
    transfer_share,
)

MAX_ID = 2**63 - 1


def _no_control_characters(value: str | None) -> str | None:
    if value is not None and has_control_characters(value):
        raise ValueError("不能包含不可见的控制字符(如 NUL),请删除后重新填写")
    return value


# Free text that no registry rule parses: control characters are refused by the schema itself.
SafeText = Annotated[str, AfterValidator(_no_control_characters)]
Year = Annotated[int, Field(ge=1900, le=2100, title="年度")]
CadreId = Annotated[int, Field(ge=1, le=2**31 - 1, title="走访干部")]
ExitStep = Literal["democratic_appraisal", "village_publicity", "township_review", "county_announcement", "removal"]
assert set(ExitStep.__args__) == set(EXIT_STEP_NAMES)  # type: ignore[attr-defined]


class _PersonDetails(BaseModel):
    """The member fields that may be entered at registration and changed later."""

    ethnicity: str | None = Field(default=None, max_length=200, title="民族")
    education: str | None = Field(default=None, max_length=200, title="文化程度")
    schooling: str | None = Field(default=None, max_length=200, title="在校生状况")
    health: str | None = Field(default=None, max_length=200, title="健康状况")
    disability_grade: int | None = Field(default=None, ge=-1000, le=1000, title="残疾等级")
    labour_capacity: str | None = Field(default=None, max_length=200, title="劳动技能")
    work_place: str | None = Field(default=None, max_length=200, title="务工地点")
    months_worked: int | None = Field(default=None, ge=-1000, le=1000, title="务工时间(月)")
    medical_insurance: bool | None = Field(default=None, title="参加基本医疗保险")
    pension_insurance: bool | None = Field(default=None, title="参加养老保险")
    minimum_allowance: bool | None = Field(default=None, title="享受低保")
    public_funded: bool | None = Field(default=None, title="财政供养人员")
    # The national forms' member fields (fields.NATIONAL_PERSON_KEYS); coded ones take the code or the label.
    political_status: str | None = Field(default=None, max_length=200, title="政治面貌")
    disability_category: str | None = Field(default=None, max_length=200, title="残疾类别")
    disability_certificate_no: str | None = Field(default=None, max_length=60, title="残疾证号")
    serious_illness_insurance: bool | None = Field(default=None, title="参加大病保险")
    commercial_medical_insurance: bool | None = Field(default=None, title="参加商业补充医疗保险")
    medical_assistance: bool | None = Field(default=None, title="享受医疗救助")
    active_serviceman: bool | None = Field(default=None, title="是否现役军人")


class PersonCreate(_PersonDetails):
    id_number: str = Field(max_length=40, title="身份证号")
    name: str = Field(max_length=200, title="姓名")
    relation: str = Field(max_length=200, title="与户主关系")
    sex: str | None = Field(default=None, max_length=20, title="性别")
    birth_date: dt.date | None = Field(default=None, title="出生日期")
    # A member added to a registered household: since when and why (none at registration: since then).
    joined_on: dt.date | None = Field(default=None, title="加入日期")
    join_reason: str | None = Field(default=None, max_length=20, title="加入原因")


class PersonUpdate(_PersonDetails):
    version: int = Field(ge=0, le=2**31 - 1, title="版本")
    name: str | None = Field(default=None, max_length=200, title="姓名")
    relation: str | None = Field(default=None, max_length=200, title="与户主关系")


class PersonRemoval(BaseModel):
    reason: SafeText = Field(min_length=1, max_length=200, title="移除原因")
    version: int = Field(ge=0, le=2**31 - 1, title="版本")
    left_on: dt.date | None = Field(default=None, title="离开日期")
    note: SafeText | None = Field(default=None, max_length=200, title="说明")


class PersonPublic(Public):
    id: int
    household_id: int
    id_number: str
    name: str
    sex: str
    birth_date: dt.date | None  # absent where the ID number is masked: only the year is shown
    birth_year: int | None = None
    relation: str
    ethnicity: str | None
    education: str | None
    schooling: str | None
    health: str | None  # withheld from clerks and the auditor
    disability_grade: int | None
    labour_capacity: str
    work_place: str
    months_worked: int | None
    medical_insurance: bool
    pension_insurance: bool
    minimum_allowance: bool
    public_funded: bool
    id_number_original: str | None = None  # a 15-digit number as typed, converted to id_number; masked alike
    political_status: str | None = None
    disability_category: str | None = None  # withheld with the disability
    disability_certificate_no: str | None = None  # withheld with the disability; masked like the ID number
    serious_illness_insurance: bool | None = None
    commercial_medical_insurance: bool | None = None
    medical_assistance: bool | None = None
    active_serviceman: bool | None = None
    active: bool
    joined_on: dt.date | None = None
    join_reason: str | None = None
    left_on: dt.date | None = None
    leave_reason: str | None = None
    version: int

    @classmethod
    def of(cls, person: Any, viewer: Viewer) -> PersonPublic:
        public = cls.model_validate(person)
        public.birth_year = None if person.birth_date is None else person.birth_date.year
        public.id_number = viewer.id_number(person.id_number) or ""
        public.id_number_original = viewer.id_number(person.id_number_original)
        public.birth_date = viewer.birth_date(person.birth_date)
        public.disability_certificate_no = viewer.disability_certificate(person.disability_certificate_no)
        if not viewer.shows(PersonalField.health):
            public.health = None
        if not viewer.shows(PersonalField.disability):
            public.disability_grade = None
            public.disability_category = None
        return public


class _NationalHouseholdView(BaseModel):
    """The national 贫困户登记表's household fields (fields.NATIONAL_HOUSEHOLD_KEYS) as shown, all optional."""

    identification_standard: str | None = Field(default=None, title="识别标准")
    military_martyr_family: bool | None = Field(default=None, title="是否军烈属")
    only_child_family: bool | None = Field(default=None, title="是否独生子女户")
    two_daughters_family: bool | None = Field(default=None, title="是否双女户")
    arable_land_mu: Decimal | None = Field(default=None, title="耕地面积(亩)")
    irrigated_land_mu: Decimal | None = Field(default=None, title="有效灌溉面积(亩)")
    forest_land_mu: Decimal | None = Field(default=None, title="林地面积(亩)")
    returned_farmland_mu: Decimal | None = Field(default=None, title="退耕还林面积(亩)")
    fruit_forest_mu: Decimal | None = Field(default=None, title="林果面积(亩)")
    grassland_mu: Decimal | None = Field(default=None, title="牧草地面积(亩)")
    water_surface_mu: Decimal | None = Field(default=None, title="水面面积(亩)")
    domestic_power: bool | None = Field(default=None, title="是否通生活用电")
    production_power: bool | None = Field(default=None, title="是否通生产用电")
    road_distance_km: Decimal | None = Field(default=None, title="距村主干路距离(公里)")
    access_road_type: str | None = Field(default=None, title="入户路类型")
    housing_area_m2: Decimal | None = Field(default=None, title="住房面积(平方米)")
    dilapidation_grade: str | None = Field(default=None, title="危房等级")
    house_built_year: int | None = Field(default=None, title="建房年份")
    main_fuel: str | None = Field(default=None, title="主要燃料类型")
    sanitary_toilet: bool | None = Field(default=None, title="有无卫生厕所")


class _NationalHousehold(_NationalHouseholdView):
    """The same fields as typed: what is typed is held to the limits below (a field keeps its place in the form)."""

    identification_standard: str | None = Field(default=None, max_length=200, title="识别标准")
    access_road_type: str | None = Field(default=None, max_length=200, title="入户路类型")
    dilapidation_grade: str | None = Field(default=None, max_length=200, title="危房等级")
    house_built_year: int | None = Field(default=None, ge=-10**6, le=10**6, title="建房年份")
    main_fuel: str | None = Field(default=None, max_length=200, title="主要燃料类型")


class HouseholdCreate(_NationalHousehold):
    area_code: str = Field(max_length=40, title="所在村组区划代码")
    household_no: str | None = Field(default=None, max_length=32, pattern=r"^[0-9A-Za-z_-]+$", title="户编号")
    address: str | None = Field(default=None, max_length=400, title="住址")
    phone: str | None = Field(default=None, max_length=40, title="联系电话")
    poverty_attribute: str = Field(max_length=200, title="贫困户属性")
    main_cause: str = Field(max_length=200, title="主要致贫原因")
    other_causes: list[Annotated[str, Field(max_length=200)]] = Field(default=[], max_length=20, title="其他致贫原因")
    registration_year: int = Field(ge=-10**6, le=10**6, title="识别年度")
    members: list[PersonCreate] = Field(min_length=1, max_length=30, title="家庭成员")


class HouseholdUpdate(_NationalHousehold):
    version: int = Field(ge=0, le=2**31 - 1, title="版本")
    address: str | None = Field(default=None, max_length=400, title="住址")
    phone: str | None = Field(default=None, max_length=40, title="联系电话")
    poverty_attribute: str | None = Field(default=None, max_length=200, title="贫困户属性")
    main_cause: str | None = Field(default=None, max_length=200, title="主要致贫原因")
    other_causes: list[Annotated[str, Field(max_length=200)]] | None = Field(default=None, max_length=20,
                                                                             title="其他致贫原因")
    has_vehicle: bool | None = Field(default=None, title="有无小汽车")
    has_commercial_flat: bool | None = Field(default=None, title="有无商品房")
    runs_business: bool | None = Field(default=None, title="有无经营实体")


class _HouseholdSummary(Public):
    id: int
    household_no: str
    area_code: str
    head_name: str
    address: str | None
    phone: str | None
    poverty_attribute: str
    main_cause: str
    other_causes: str | None
    registration_year: int
    status: str
    exit_year: int | None
    member_count: int
    has_vehicle: bool | None
    has_commercial_flat: bool | None
    runs_business: bool | None


# The bases in this order keep the fields where the API has always shown them: the household, then the national
# form's fields, then the version.
class HouseholdPublic(_NationalHouseholdView, _HouseholdSummary):
    version: int

    @classmethod
    def of(cls, household: Any, viewer: Viewer) -> HouseholdPublic:
        public = cls.model_validate(household)
        public.phone = viewer.phone(household.phone)
        return public


class HouseholdDetail(HouseholdPublic):
    members: list[PersonPublic]


class HouseholdPage(BaseModel):
    items: list[HouseholdPublic]
    next_cursor: str | None


class IncomeCreate(BaseModel):
    year: int = Field(ge=-10**6, le=10**6, title="收入年度")
    wages: Decimal = Field(default=Decimal("0"), title="工资性收入")
    production_income: Decimal = Field(default=Decimal("0"), title="生产经营性收入")
    property_income: Decimal = Field(default=Decimal("0"), title="财产性收入")
    transfer_income: Decimal | None = Field(default=None, title="转移性收入")
    transfer_dibao: Decimal | None = Field(default=None, title="其中:低保金")
    transfer_tekun: Decimal | None = Field(default=None, title="其中:特困供养金")
    transfer_pension: Decimal | None = Field(default=None, title="其中:养老金")
    transfer_ecological: Decimal | None = Field(default=None, title="其中:生态补偿金")
    transfer_other: Decimal | None = Field(default=None, title="其中:其他转移性收入")
    production_costs: Decimal = Field(default=Decimal("0"), title="生产经营性支出")
    version: int | None = Field(default=None, ge=0, le=2**31 - 1, title="版本")


class IncomePublic(Public):
    id: int
    household_id: int
    year: int
    members: int
    wages: Decimal
    production_income: Decimal
    property_income: Decimal
    transfer_income: Decimal
    transfer_dibao: Decimal
    transfer_tekun: Decimal
    transfer_pension: Decimal
    transfer_ecological: Decimal
    transfer_other: Decimal
    production_costs: Decimal
    net_income: Decimal
    per_capita_net: Decimal
    policy_transfer_percent: Decimal | None = None  # policy transfers in net income, rounded for display
    policy_transfers_dominate: bool = False  # above the configured share (FUPIN_POLICY_TRANSFER_SHARE), exact
    version: int

    @classmethod
    def of(cls, income: Any) -> IncomePublic:
        public = cls.model_validate(income)
        share = income_transfer_share(income)
        public.policy_transfer_percent, public.policy_transfers_dominate = share.percent, share.dominates
        return public


def income_transfer_share(income: Any) -> TransferShare:
    """The share of policy transfers in a stored income's net income, against the configured limit."""
    from fupin.core.settings import get_settings

    return transfer_share({k: getattr(income, k) for k in TRANSFER_PARTS}, income.net_income,
                          get_settings().policy_transfer_share)


class CheckCreate(BaseModel):
    year: int = Field(ge=-10**6, le=10**6, title="核查年度")
    checked_on: dt.date = Field(title="核查日期")
    food_ok: bool = Field(default=True, title="不愁吃")
    clothing_ok: bool = Field(default=True, title="不愁穿")
    education_ok: bool = Field(default=True, title="义务教育有保障")
    medical_ok: bool = Field(default=True, title="基本医疗有保障")
    housing_ok: bool = Field(default=True, title="住房安全有保障")
    water_litres_per_person_day: int | None = Field(default=None, ge=0, le=1000, title="每人每天水量(升)")
    water_trip_minutes: int | None = Field(default=None, ge=0, le=600, title="取水往返(分钟)")
    water_outage_days: int | None = Field(default=None, ge=0, le=366, title="全年断水(天)")
    water_quality_ok: bool = Field(default=True, title="水质达标")
    water_short_area: bool = Field(default=False, title="缺水地区")
    checked_by: SafeText | None = Field(default=None, max_length=60, title="核查人")
    note: SafeText | None = Field(default=None, max_length=500, title="备注")
    version: int | None = Field(default=None, ge=0, le=2**31 - 1, title="版本")


class CheckPublic(CheckCreate, Public):
    id: int
    household_id: int
    version: int  # type: ignore[assignment]


class MeasureCreate(BaseModel):
    measure_type: str = Field(max_length=200, title="帮扶措施类型")
    delivered_on: dt.date = Field(title="落实日期")
    description: SafeText | None = Field(default=None, max_length=500, title="内容")
    amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2, title="金额")
    helper_name: SafeText | None = Field(default=None, max_length=60, title="帮扶人")


class MeasurePublic(MeasureCreate, Public):
    id: int
    household_id: int


class VisitCreate(BaseModel):
    visited_on: dt.date = Field(title="走访日期")
    visitor_name: SafeText | None = Field(default=None, max_length=60, title="走访人")
    cadre_id: CadreId | None = None
    found: SafeText | None = Field(default=None, max_length=1000, title="发现的问题")
    done: SafeText | None = Field(default=None, max_length=1000, title="做了什么")


class VisitPublic(VisitCreate, Public):
    id: int
    household_id: int
    visitor_name: str  # type: ignore[assignment]


class ExitStepCreate(BaseModel):
    step: ExitStep = Field(title="退出步骤")
    happened_on: dt.date = Field(title="日期")
    note: SafeText | None = Field(default=None, max_length=500, title="说明")
    year: Year | None = None  # the year whose income and check the exit rests on (default: the latest income's)


class ExitEvaluationPublic(BaseModel):
    year: int
    eligible: bool
    reasons: list[str]
    per_capita_net: Decimal | None
    poverty_line: Decimal | None
    next_step: str | None
    steps_done: list[dict[str, str]]
