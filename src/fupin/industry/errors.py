"""Error codes of industry (产业扶贫): one stable code per refusal, Chinese and English messages."""

from __future__ import annotations

from fupin.core.errors import Conflict, Invalid, NotFound, define

# ---- not found (also what a record outside the caller's area answers, so existence never leaks)
ENTITY_NOT_FOUND = define("industry.entity_not_found", NotFound, "未找到经营主体:{key}", "No entity {key}")
HOUSEHOLD_NOT_FOUND = define("industry.household_not_found", NotFound, "未找到贫困户:{key}", "No household {key}")
MEMBERSHIP_NOT_FOUND = define("industry.membership_not_found", NotFound, "未找到成员记录:{key}", "No membership {key}")
CONTRACT_NOT_FOUND = define("industry.contract_not_found", NotFound, "未找到土地流转合同:{key}", "No land contract {key}")
RUN_NOT_FOUND = define("industry.run_not_found", NotFound, "未找到收益分配:{key}", "No distribution run {key}")
ORG_NOT_FOUND = define("industry.org_not_found", NotFound, "未找到党组织:{key}", "No Party organisation {key}")

# ---- input
REQUIRED = define("industry.required", Invalid, "请填写{label}", "{label_en} is required")
INVALID_CHOICE = define("industry.invalid_choice", Invalid, "{label}应为以下之一:{choices}", "{label_en} must be one of: {choices_en}")
CREDIT_CODE_LENGTH = define("industry.credit_code_length", Invalid, "统一社会信用代码应为18位(现为{length}位)", "The unified social credit code has 18 characters (this one has {length})")
CREDIT_CODE_FORMAT = define("industry.credit_code_format", Invalid, "统一社会信用代码格式不对:前8位应为数字,其余为数字或大写字母(不含I、O、Z、S、V)", "The unified social credit code is malformed: 8 digits, then digits or capitals (no I, O, Z, S, V)")
CREDIT_CODE_CHECKSUM = define("industry.credit_code_checksum", Invalid, "统一社会信用代码校验位不对(最后一位应为{expected}),请核对是否抄错", "The check character of the credit code is wrong (expected {expected})")
AMOUNT_INVALID = define("industry.amount_invalid", Invalid, "{label}应为0到999,999,999,999.99之间的数", "{label_en} must be a number from 0 to 999,999,999,999.99")
AMOUNT_POSITIVE = define("industry.amount_positive", Invalid, "{label}应大于0", "{label_en} must be above 0")
WHOLE_UNITS = define("industry.whole_units", Invalid, "实物分配的数量应为整数", "An in-kind total is a whole number")
AREA_NEGATIVE = define("industry.area_negative", Invalid, "流转面积应大于0亩", "The area must be above 0 mu")
END_BEFORE_START = define("industry.end_before_start", Invalid, "结束日期({ends_on})不能早于开始日期({starts_on})", "The end ({ends_on}) is before the start ({starts_on})")
LEFT_BEFORE_JOINED = define("industry.left_before_joined", Invalid, "退出日期不能早于加入日期({joined_on})", "The exit date is before the entry date ({joined_on})")
PERCENT_RANGE = define("industry.percent_range", Invalid, "企业分成比例应在0到100之间", "The enterprise's percentage must be between 0 and 100")
PERIOD_INVALID = define("industry.period_invalid", Invalid, "分配期间应以四位年份开头,如“2017”或“2017秋”", "The period starts with a four-digit year, e.g. 2017")
YEAR_RANGE = define("industry.year_range", Invalid, "年度应在2000到2100之间", "The year must be 2000–2100")
NO_VILLAGES = define("industry.no_villages", Invalid, "没有可分配的村:请选择村,或先登记主体的成员户", "No villages to share among: name them or register members first")
VILLAGE_NOT_FOUND = define("industry.village_not_found", Invalid, "不是您管辖范围内的村:{code}", "Not a village in your scope: {code}")
NOTHING_TO_SHARE_BY = define("industry.nothing_to_share_by", Invalid, "所选的村按“{basis}”都为0,无法分配", "Every village has 0 by {basis_en}; nothing to split by")
UPSTREAM_SELF = define("industry.upstream_self", Invalid, "主体不能以自己为上游", "An entity cannot supply itself")
MEMBER_TARGET = define("industry.member_target", Invalid, "成员应为一户贫困户或一个村集体(二选一)", "A member is either a household or a village collective")
COLLECTIVE_AREA = define("industry.collective_area", Invalid, "村集体应为村级区划代码", "A collective is a village")

FILE_EMPTY = define("industry.file_empty", Invalid, "上传的文件是空的", "The uploaded file is empty")
FILE_TOO_LARGE = define("industry.file_too_large", Invalid, "文件太大(最多{mb}MB)", "The file is too large (at most {mb} MB)")

# ---- conflicts
CREDIT_CODE_TAKEN = define("industry.credit_code_taken", Conflict, "统一社会信用代码{code}已被“{name}”使用", "The credit code {code} is already used by {name}")
RUN_CONFIRMED = define("industry.run_confirmed", Conflict, "该分配已于{confirmed_at}确认,不能再更改;如需更正,请新建一次分配", "This run was confirmed ({confirmed_at}) and cannot change; make a correcting run")
RUN_DISCARDED = define("industry.run_discarded", Conflict, "该分配试算已作废", "This preview was discarded")
MEMBER_EXISTS = define("industry.member_exists", Conflict, "该户已是本主体的成员(同一联结方式)", "This household is already a member with this link")
MEMBERSHIP_ENDED = define("industry.membership_ended", Conflict, "该成员已于{left_on}退出", "This member already left on {left_on}")
