"""Error codes of return-to-poverty monitoring."""

from __future__ import annotations

from fupin.core.errors import Conflict, Forbidden, Invalid, NotFound, define

NOT_FOUND = define("monitoring.not_found", NotFound, "未找到监测户:{key}", "No monitored household {key}")

# ---- taking a household into monitoring
UNKNOWN_TYPE = define("monitoring.unknown_type", Invalid, "“{value}”不是有效的监测对象类型", "{value} is not a monitoring type")
UNKNOWN_CHANNEL = define("monitoring.unknown_channel", Invalid, "“{value}”不是有效的发现途径", "{value} is not a way a clue is found")
UNKNOWN_RISK = define("monitoring.unknown_risk", Invalid, "“{value}”不是有效的风险类型", "{value} is not a risk type")
RISK_REQUIRED = define("monitoring.risk_required", Invalid, "请至少选择一种风险类型", "Choose at least one risk")
CLUE_IN_FUTURE = define("monitoring.clue_in_future", Invalid, "发现线索日期不能晚于今天", "The clue cannot be dated after today")
STILL_POOR = define("monitoring.still_poor", Invalid, "该户为未脱贫户,按建档立卡贫困户帮扶,不纳入防返贫监测", "A household still poor is helped as a registered household, not monitored")
ALREADY_MONITORED = define("monitoring.already_monitored", Conflict, "该户已在监测认定或监测帮扶中", "The household is already being identified or monitored")

# ---- the identification procedure
UNKNOWN_STEP = define("monitoring.unknown_step", Invalid, "未知的认定步骤:{step}", "Unknown step {step}")
PROCEDURE_DONE = define("monitoring.procedure_done", Conflict, "认定程序已完成", "The procedure is complete")
STEP_RECORDED = define("monitoring.step_recorded", Conflict, "“{step}”已经登记过,不能重复登记", "{step} has already been recorded")
STEP_OUT_OF_ORDER = define("monitoring.step_out_of_order", Invalid, "应先完成“{expected}”", "Do {expected} first")
STEP_IN_FUTURE = define("monitoring.step_in_future", Invalid, "日期不能晚于今天", "The date cannot be after today")
STEP_BEFORE_CLUE = define("monitoring.step_before_clue", Invalid, "日期不能早于发现线索的日期{day}", "The date cannot be before the clue ({day})")
STEP_BEFORE_PREVIOUS = define("monitoring.step_before_previous", Invalid, "日期不能早于上一步", "The date cannot be before the previous step")
PUBLICITY_TOO_SHORT = define("monitoring.publicity_too_short", Invalid, "公示不少于{days}天(公示开始于{day})", "Publicity lasts at least {days} days (it began on {day})")

# ---- help and risk clearing
MEASURE_AFTER_CLEARING = define("monitoring.measure_after_clearing", Invalid, "风险已消除,如需帮扶请重新纳入监测", "The risk is cleared; take the household into monitoring again to help it")
ALREADY_CLEARED = define("monitoring.already_cleared", Conflict, "风险已消除", "The risk is already cleared")
NOT_IDENTIFIED = define("monitoring.not_identified", Invalid, "尚未完成认定,不能标注风险消除", "The household is not identified yet; its risk cannot be cleared")
CLEARED_IN_FUTURE = define("monitoring.cleared_in_future", Invalid, "日期不能晚于今天", "The date cannot be after today")
NOT_CLEARABLE = define("monitoring.not_clearable", Invalid, "不能标注风险消除:{reasons}", "The risk cannot be cleared yet: {reasons}")
STALE = define("monitoring.stale_version", Conflict, "记录已被他人修改(版本{sent},当前版本{current}),请刷新后重新操作", "Changed by someone else (version {sent}, now {current}); reload and try again")

# ---- thresholds
THRESHOLD_YEAR = define("monitoring.threshold_year", Invalid, "监测标准年度应在2021年至2100年之间", "The threshold's year lies in 2021–2100")
THRESHOLD_PROVINCE = define("monitoring.threshold_province", Invalid, "省级代码应为两位数字;全国为00", "The province code is two digits; 00 for the whole country")
THRESHOLD_AMOUNT = define("monitoring.threshold_amount", Invalid, "监测标准应为正数且不超过100万元", "The threshold is a positive amount up to 1,000,000 yuan")
THRESHOLD_NOT_NUMBER = define("monitoring.threshold_not_number", Invalid, "“{value}”不是数字", "{value} is not a number")
THRESHOLD_BELOW_NATIONAL = define("monitoring.threshold_below_national", Invalid, "省定监测标准不能低于全国标准{amount}元", "A province's threshold cannot be below the national {amount} yuan")
THRESHOLD_SCOPE = define("monitoring.threshold_scope", Forbidden, "监测标准由全国或省级设置,您的管辖范围不包含整个{where}", "Thresholds are set for the whole country or a province; your scope does not cover {where}")

# ---- warnings
FACTOR_RANGE = define("monitoring.factor_range", Invalid, "系数应在0.5至3之间", "The factor lies in 0.5–3")
DATE_FORMAT = define("monitoring.date_format", Invalid, "日期“{value}”格式应为 YYYY-MM-DD", "Date {value}: use YYYY-MM-DD")
