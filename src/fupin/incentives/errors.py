"""Error codes of incentives (积分激励): one stable code per refusal, Chinese and English messages."""

from __future__ import annotations

from fupin.core.errors import Conflict, Invalid, NotFound, define

# ---- not found (also what a record outside the caller's area answers, so existence never leaks)
HOUSEHOLD_NOT_FOUND = define("incentives.household_not_found", NotFound, "未找到户:{key}", "No household {key}")
RULE_NOT_FOUND = define("incentives.rule_not_found", NotFound, "未找到积分规则:{key}", "No point rule {key}")
SHOP_NOT_FOUND = define("incentives.shop_not_found", NotFound, "未找到爱心超市:{key}", "No love supermarket {key}")
GOODS_NOT_FOUND = define("incentives.goods_not_found", NotFound, "未找到商品:{key}", "No goods {key}")
REDEMPTION_NOT_FOUND = define("incentives.redemption_not_found", NotFound, "未找到兑换记录:{key}", "No redemption {key}")
SCORECARD_NOT_FOUND = define("incentives.scorecard_not_found", NotFound, "未找到考核评分表:{key}", "No scorecard {key}")
ITEM_NOT_FOUND = define("incentives.item_not_found", NotFound, "未找到考核项目:{key}", "No scorecard item {key}")
SUBJECT_NOT_FOUND = define("incentives.subject_not_found", NotFound, "未找到考核对象:{key}", "No subject {key}")

# ---- input
REQUIRED = define("incentives.required", Invalid, "请填写{label}", "{label_en} is required")
INVALID_CHOICE = define("incentives.invalid_choice", Invalid, "{label}应为以下之一:{choices}", "{label_en} must be one of: {choices_en}")
POINTS_RANGE = define("incentives.points_range", Invalid, "积分应为1到{most}之间的整数", "Points must be a whole number from 1 to {most}")
CORRECTION_ZERO = define("incentives.correction_zero", Invalid, "更正积分不能为0,且绝对值不超过{most}", "A correction is not zero and at most {most} either way")
NOTE_REQUIRED = define("incentives.note_required", Invalid, "更正积分须说明原因", "A correction needs a reason")
PRICE_RANGE = define("incentives.price_range", Invalid, "兑换所需积分应为1到100,000之间的整数", "The price must be 1 to 100,000 points")
QUANTITY_RANGE = define("incentives.quantity_range", Invalid, "数量应为1到{most}之间的整数", "The quantity must be 1 to {most}")
NO_LINES = define("incentives.no_lines", Invalid, "请至少选择一件商品", "Pick at least one item")
DONATION_AMOUNT = define("incentives.donation_amount", Invalid, "捐款须填写金额(大于0的元数)", "A money donation needs an amount above zero")
DONATION_GOODS = define("incentives.donation_goods", Invalid, "捐物须选择商品并填写数量", "A goods donation needs the goods and a quantity")
WEIGHTS_SUM = define("incentives.weights_sum", Invalid, "非否决项目的权重合计应为100(现为{total})", "The weights of the scored items must add up to 100 (now {total})")
SCORE_RANGE = define("incentives.score_range", Invalid, "得分应在0到100之间", "A score is from 0 to 100")
ITEM_IS_VETO = define("incentives.item_is_veto", Invalid, "一票否决项目只登记是否否决,不打分", "A veto item is vetoed or not; it has no score")
AREA_NOT_VILLAGE = define("incentives.area_not_village", Invalid, "户须在村(社区)级区划", "Not a village area")
BONUS_RANGE = define("incentives.bonus_range", Invalid, "奖金总额应为0到999,999,999.99元", "The bonus pool must be 0 to 999,999,999.99 yuan")
FILE_UNREADABLE = define("incentives.file_unreadable", Invalid, "文件无法读取:{reason}", "Cannot read the file: {reason}")

# ---- conflicts (the loser of two at the same moment gets the same answer as the second of two in turn)
BALANCE_SHORT = define("incentives.balance_short", Conflict, "积分不足:余额{balance}分,本次需要{needed}分;未兑换", "Not enough points: balance {balance}, needed {needed}; nothing was redeemed")
STOCK_SHORT = define("incentives.stock_short", Conflict, "{name}库存不足:现有{stock},需要{needed};未兑换", "{name}: {stock} in stock, {needed} needed; nothing was redeemed")
RULE_LIMIT = define("incentives.rule_limit", Conflict, "“{rule}”每户每年最多奖励{limit}次,本年已奖励{done}次", "“{rule}” may be awarded {limit} times a year per household; done {done}")
RULE_INACTIVE = define("incentives.rule_inactive", Conflict, "积分规则“{rule}”已停用", "The rule “{rule}” is retired")
RULE_LEVEL = define("incentives.rule_level", Conflict, "“{rule}”须由{level}奖励", "“{rule}” is awarded by {level}")
ALREADY_AWARDED = define("incentives.already_awarded", Conflict, "这项积分已经奖励过({ref})", "These points were already awarded ({ref})")
SHOP_CLOSED = define("incentives.shop_closed", Conflict, "该爱心超市已停业", "The shop is closed")
GOODS_OFF = define("incentives.goods_off", Conflict, "{name}已下架", "{name} is no longer offered")
GOODS_OTHER_SHOP = define("incentives.goods_other_shop", Conflict, "{name}不是本超市的商品", "{name} belongs to another shop")
SCORECARD_CLOSED = define("incentives.scorecard_closed", Conflict, "该考核期已结账({period}),不能再修改", "The period {period} is closed; nothing can change")
SUBJECT_EXISTS = define("incentives.subject_exists", Conflict, "{name}已是本评分表的考核对象", "{name} is already a subject of this scorecard")
NO_SUBJECTS = define("incentives.no_subjects", Conflict, "评分表还没有考核对象", "The scorecard has no subjects")
