"""Error codes of pairing. Messages about a cadre or posting outside the caller's scope never name them: they say
that a conflict exists, not where."""

from __future__ import annotations

from fupin.core.errors import Conflict, Invalid, NotFound, define

PAIR_NOT_FOUND = define("pairing.pair_not_found", NotFound, "未找到结对:{key}", "Pair {key} not found")
PLAN_NOT_FOUND = define("pairing.plan_not_found", NotFound, "未找到结对方案:{key}", "Pairing plan {key} not found")
ORG_PAIR_NOT_FOUND = define("pairing.org_pair_not_found", NotFound, "未找到组织结对:{key}", "Organisation pairing {key} not found")
CADRE_NOT_FOUND = define("pairing.cadre_not_found", NotFound, "未找到可在本范围帮扶的干部:{key}", "No cadre {key} serving your area")

# ---- one pair
CADRE_OUTSIDE_HOUSEHOLD_AREA = define("pairing.cadre_outside_household_area", Invalid, "该干部的派驻区划不包含该户,不能结对(干部只帮扶派驻区划内的农户)", "The cadre helps only households inside his posting")
CADRE_NOT_IN_POST = define("pairing.cadre_not_in_post", Invalid, "该干部在该日期不在岗,不能结对", "The cadre is not in post on that day")
QUOTA_FULL = define("pairing.quota_full", Conflict, "该干部结对户数已达其职级名额({quota}户)", "The cadre already helps his quota of {quota} households")
ALREADY_PAIRED = define("pairing.already_paired", Conflict, "该干部已与该户结对", "Already paired")
PAIR_ALREADY_ENDED = define("pairing.pair_already_ended", Conflict, "该结对已结束", "The pair has ended")
REASON_REQUIRED = define("pairing.reason_required", Invalid, "请填写结束结对的原因", "Give a reason")
END_BEFORE_START = define("pairing.end_before_start", Invalid, "结束日期不能早于结对开始日期", "The end is before the start")

# ---- plans
PLAN_ALREADY_APPLIED = define("pairing.plan_already_applied", Conflict, "该结对方案已于{at}应用过", "The plan was applied at {at}")
PLAN_STALE = define("pairing.plan_stale", Conflict, "结对方案生成后数据已发生变化(农户、干部或现有结对有增减),为避免覆盖新数据,未写入任何内容。请重新生成方案后再审核应用。", "The data changed after the plan was computed; nothing was written. Compute a new plan.")
PLAN_OF_ANOTHER_DAY = define("pairing.plan_of_another_day", Conflict, "结对方案生成于{day},今天数据可能已变化,未写入任何内容。请重新生成方案后再审核应用。", "The plan was computed on {day}; compute a new one today. Nothing was written.")
PLAN_MALFORMED = define("pairing.plan_malformed", Invalid, "结对方案文件格式不正确(请使用 fupin pairing plan 生成的文件)", "Not a plan file written by fupin pairing plan")
PLAN_SCOPE_INVALID = define("pairing.plan_scope_invalid", Invalid, "结对方案的区划范围无效", "The plan's area is not valid")
PLAN_OUT_OF_BOUNDS = define("pairing.plan_out_of_bounds", Invalid, "结对方案含有越界的结对(农户或干部不在方案范围内,或干部不能帮扶该户),未写入任何内容", "The plan pairs outside its area; nothing was written")
QUOTA_SETTING_INVALID = define("pairing.quota_setting_invalid", Invalid, "帮扶名额设置“{part}”无效,应为 county=5,section=4,general=3 的形式", "Quota setting {part} is not valid; use county=5,section=4,general=3")

# ---- organisation pairing
ORG_PAIR_FORM_UNKNOWN = define("pairing.org_pair_form_unknown", Invalid, "共建形式应为 1+1 或 X+1", "The form is 1+1 or X+1")
ORG_PAIR_SELF = define("pairing.org_pair_self", Invalid, "不能与自己结对共建", "An organisation cannot pair with itself")
ORG_PAIR_EXISTS = define("pairing.org_pair_exists", Conflict, "这两个党组织已在结对共建中", "These organisations are already paired")
FUNDS_INVALID = define("pairing.funds_invalid", Invalid, "资金“{value}”不是有效金额", "{value} is not an amount")
FUNDS_NEGATIVE = define("pairing.funds_negative", Invalid, "资金不能为负数", "Funds cannot be negative")
