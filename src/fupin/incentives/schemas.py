"""Pydantic schemas of incentives: what the API and the page forms accept (XCreate) and answer (XPublic)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from fupin.core.schema_types import CleanStr, Money, Public
from fupin.core.sql import MAX_ID

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
AreaCode = Annotated[str, Field(title="区划代码", min_length=6, max_length=15, pattern=r"^\d+$")]
Points = Annotated[int, Field(title="积分", ge=1, le=10_000)]
Note = Annotated[CleanStr | None, Field(title="说明", max_length=500)]
Evidence = Annotated[CleanStr | None, Field(title="佐证(照片编号、台账页码等)", max_length=300)]
ScoreValue = Annotated[Decimal, Field(title="得分", ge=0, le=100, max_digits=5, decimal_places=2)]
Weight = Annotated[Decimal, Field(title="权重", ge=0, le=100, max_digits=5, decimal_places=2)]


class RuleCreate(BaseModel):
    name: Annotated[CleanStr, Field(title="积分事项", min_length=1, max_length=100)]
    area_code: AreaCode
    points: Points
    trigger: Annotated[str, Field(title="自动奖励来源", max_length=24)] = ""
    award_level: Annotated[str, Field(title="奖励权限", max_length=12)] = "village"
    limit_per_year: Annotated[int | None, Field(title="每户每年次数上限", ge=1, le=366)] = None
    valid_months: Annotated[int | None, Field(title="有效期(月)", ge=1, le=120)] = None


class RulePublic(Public):
    id: int
    name: str
    area_code: str
    points: int
    trigger: str
    award_level: str
    limit_per_year: int | None
    valid_months: int | None
    active: bool


class AwardCreate(BaseModel):
    household_id: Annotated[Id, Field(title="户")]
    rule_id: Annotated[Id, Field(title="积分事项")]
    occurred_on: Annotated[dt.date, Field(title="日期")]
    note: Note = None
    evidence: Evidence = None


class CorrectionCreate(BaseModel):
    household_id: Annotated[Id, Field(title="户")]
    points: Annotated[int, Field(title="更正积分(可为负)", ge=-10_000, le=10_000)]
    occurred_on: Annotated[dt.date, Field(title="日期")]
    note: Annotated[CleanStr, Field(title="更正原因", min_length=1, max_length=500)]


class ExpireBody(BaseModel):
    area_code: AreaCode
    as_of: Annotated[dt.date, Field(title="到期日")]


class EntryPublic(Public):
    id: int
    kind: str
    points: int
    occurred_on: dt.date
    expires_on: dt.date | None
    rule_id: int | None
    shop_id: int | None
    redemption_id: int | None
    note: str | None
    evidence: str | None
    actor_name: str


class AccountPublic(BaseModel):
    household_id: int
    household_no: str
    head_name: str
    area_code: str
    balance: int
    earned: int
    spent: int
    expired: int
    corrected: int


class ShopCreate(BaseModel):
    name: Annotated[CleanStr, Field(title="超市名称", min_length=1, max_length=100)]
    area_code: AreaCode
    address: Annotated[CleanStr | None, Field(title="地址", max_length=200)] = None


class ShopPublic(Public):
    id: int
    name: str
    area_code: str
    address: str | None
    active: bool


class GoodsCreate(BaseModel):
    name: Annotated[CleanStr, Field(title="商品名称", min_length=1, max_length=100)]
    unit: Annotated[CleanStr, Field(title="单位", min_length=1, max_length=10)] = "件"
    price_points: Annotated[int, Field(title="兑换积分", ge=1, le=100_000)]
    stock: Annotated[int, Field(title="库存", ge=0, le=1_000_000)] = 0


class StockAdd(BaseModel):
    quantity: Annotated[int, Field(title="入库数量", ge=1, le=1_000_000)]


class GoodsPublic(Public):
    id: int
    shop_id: int
    name: str
    unit: str
    price_points: int
    stock: int
    active: bool


class DonationCreate(BaseModel):
    donor: Annotated[CleanStr, Field(title="捐赠人(单位)", min_length=1, max_length=100)]
    kind: Annotated[str, Field(title="捐赠类型", max_length=8)]
    amount: Annotated[Money | None, Field(title="金额(元)")] = None
    goods_id: Annotated[Id | None, Field(title="商品")] = None
    quantity: Annotated[int | None, Field(title="数量", ge=1, le=1_000_000)] = None
    received_on: Annotated[dt.date, Field(title="接收日期")]
    note: Annotated[CleanStr | None, Field(title="备注", max_length=300)] = None


class DonationPublic(Public):
    id: int
    shop_id: int
    donor: str
    kind: str
    amount: Decimal | None
    goods_id: int | None
    quantity: int | None
    received_on: dt.date


class LineIn(BaseModel):
    goods_id: Annotated[Id, Field(title="商品")]
    quantity: Annotated[int, Field(title="数量", ge=1, le=99)]


class RedemptionCreate(BaseModel):
    household_id: Annotated[Id, Field(title="户")]
    lines: Annotated[list[LineIn], Field(title="商品", max_length=50)]


class LinePublic(Public):
    goods_id: int
    name: str
    quantity: int
    price_points: int


class RedemptionPublic(BaseModel):
    id: int
    shop_id: int
    household_id: int
    total_points: int
    balance_after: int
    redeemed_on: dt.date
    clerk_name: str
    lines: list[LinePublic]


class ItemIn(BaseModel):
    name: Annotated[CleanStr, Field(title="考核项目", min_length=1, max_length=100)]
    weight: Weight = Decimal(0)
    is_veto: bool = False


class ScorecardCreate(BaseModel):
    name: Annotated[CleanStr, Field(title="评分表名称", min_length=1, max_length=100)]
    area_code: AreaCode
    subject_kind: Annotated[str, Field(title="考核对象", max_length=8)]
    period: Annotated[CleanStr, Field(title="考核期", min_length=4, max_length=20)]
    veto_effect: Annotated[str, Field(title="一票否决的后果", max_length=8)] = "zero"
    title: Annotated[str, Field(title="评选称号", max_length=12)] = ""
    title_top_n: Annotated[int | None, Field(title="称号名额(前几名)", ge=1, le=10_000)] = None
    title_min_score: Annotated[Decimal | None, Field(title="称号最低分", ge=0, le=100, max_digits=5,
                                                     decimal_places=2)] = None
    bonus_pool: Annotated[Money, Field(title="奖金总额(元)")] = Decimal("0.00")
    items: Annotated[list[ItemIn], Field(title="考核项目", min_length=1, max_length=50)]


class ScorecardPublic(Public):
    id: int
    name: str
    area_code: str
    subject_kind: str
    period: str
    veto_effect: str
    title: str
    title_top_n: int | None
    title_min_score: Decimal | None
    bonus_pool: Decimal
    status: str
    closed_on: dt.date | None


class SubjectCreate(BaseModel):
    name: Annotated[CleanStr, Field(title="考核对象名称", min_length=1, max_length=100)]
    area_code: AreaCode


class SubjectPublic(Public):
    id: int
    scorecard_id: int
    name: str
    area_code: str


class ScoreSet(BaseModel):
    subject_id: Annotated[Id, Field(title="考核对象")]
    item_id: Annotated[Id, Field(title="考核项目")]
    score: ScoreValue | None = None
    vetoed: bool = False
    evidence: Annotated[CleanStr | None, Field(title="佐证材料", max_length=500)] = None


class CloseBody(BaseModel):
    closed_on: Annotated[dt.date, Field(title="结账日期")]
    expire_points: Annotated[bool, Field(title="同时清零到期积分")] = False


class ResultPublic(BaseModel):
    subject_id: int
    name: str
    area_code: str
    score: str  # exact score shown with two places
    rank: int
    vetoed: bool
    stars: int
    titled: bool
    bonus: Decimal


class PickLine(LineIn):
    """A row of the clerk's screen: a quantity left blank is none of these goods."""

    quantity: Annotated[int, Field(title="数量", ge=0, le=99)] = 0


class RedeemForm(BaseModel):
    """The clerk's screen: the picked goods are shown for confirmation first; `confirmed` redeems them."""

    household_id: Annotated[Id, Field(title="户")]
    lines: Annotated[list[PickLine], Field(title="商品", max_length=200)] = []
    confirmed: bool = False


class AwardForm(BaseModel):
    rule_id: Annotated[Id, Field(title="积分事项")]
    occurred_on: Annotated[dt.date, Field(title="日期")]
    note: Note = None
    evidence: Evidence = None


class CorrectionForm(BaseModel):
    points: Annotated[int, Field(title="更正积分(可为负)", ge=-10_000, le=10_000)]
    occurred_on: Annotated[dt.date, Field(title="日期")]
    note: Annotated[CleanStr, Field(title="更正原因", min_length=1, max_length=500)]
