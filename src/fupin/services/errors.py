"""Error codes of services (便民服务)."""

from __future__ import annotations

from fupin.core.errors import Conflict, Forbidden, Invalid, NotFound, define

# ---- requests
REQUEST_NOT_FOUND = define("services.request_not_found", NotFound, "未找到诉求:{key}", "No request {key}")
HOUSEHOLD_NOT_FOUND = define("services.household_not_found", NotFound, "未找到该户,或该户不在您的网格或管辖范围内:{key}", "No household {key} in your grid or scope")
UNKNOWN_CATEGORY = define("services.unknown_category", Invalid, "“{value}”不是有效的诉求类别", "{value} is not a request category")
UNKNOWN_VIA = define("services.unknown_via", Invalid, "“{value}”不是有效的诉求来源", "{value} is not a way of filing")
UNKNOWN_MOVE = define("services.unknown_move", Invalid, "未知的办理操作:{move}", "Unknown move {move}")
REQUEST_CLOSED = define("services.request_closed", Conflict, "诉求已经群众确认办结,不能再{move}", "The request is closed; it cannot be {move}")
MOVE_OUT_OF_ORDER = define("services.move_out_of_order", Conflict, "诉求当前为“{status}”,应先{expected}才能{move}", "The request is {status}; {expected} comes before {move}")
HANDLER_REQUIRED = define("services.handler_required", Invalid, "请填写承办人或承办单位", "Name who handles it")
SATISFACTION_REQUIRED = define("services.satisfaction_required", Invalid, "群众确认时请选择满意度", "Choose the household's satisfaction")
UNKNOWN_SATISFACTION = define("services.unknown_satisfaction", Invalid, "“{value}”不是有效的满意度", "{value} is not a satisfaction")
TEXT_REQUIRED = define("services.text_required", Invalid, "请填写{what}", "Fill in {what}")
REASON_REQUIRED = define("services.reason_required", Invalid, "重新办理请说明原因", "Say why it is reopened")
DATE_IN_FUTURE = define("services.date_in_future", Invalid, "日期不能晚于今天", "The date cannot be after today")
DATE_BEFORE_FILED = define("services.date_before_filed", Invalid, "日期不能早于诉求登记日期{day}", "The date cannot be before the request was filed ({day})")
STALE = define("services.stale_version", Conflict, "诉求已被他人修改(版本{sent},当前版本{current}),请刷新后重新操作", "Changed by someone else (version {sent}, now {current}); reload and try again")

# ---- categories and settings
CATEGORY_CODE = define("services.category_code", Invalid, "类别代码应为1至24位小写字母、数字或下划线", "A category code is 1–24 lower-case letters, digits or underscores")
DEADLINE_RANGE = define("services.deadline_range", Invalid, "办理时限应在{low}至{high}天之间", "The deadline lies in {low}–{high} days")
CLAIM_LIMIT_RANGE = define("services.claim_limit_range", Invalid, "每名党员同时认领的心愿数应在1至20之间", "A member's open claims limit lies in 1–20")

# ---- wishes
WISH_NOT_FOUND = define("services.wish_not_found", NotFound, "未找到微心愿:{key}", "No wish {key}")
WISH_TAKEN = define("services.wish_taken", Conflict, "该心愿已被认领", "The wish has been claimed already")
WISH_NOT_CLAIMED = define("services.wish_not_claimed", Conflict, "该心愿尚未认领或已经实现", "The wish is not claimed, or is fulfilled already")
CLAIM_LIMIT = define("services.claim_limit", Conflict, "{name}已认领{count}个未完成的心愿,每人同时最多认领{limit}个", "{name} holds {count} open claims; at most {limit} at once")
CLAIMER_REQUIRED = define("services.claimer_required", Invalid, "请选择认领的党员,或填写结对单位", "Choose the claiming Party member or name the paired unit")
MEMBER_NOT_FOUND = define("services.member_not_found", NotFound, "未找到党员,或不在您的管辖范围内:{key}", "No Party member {key} in your scope")
EVIDENCE_REQUIRED = define("services.evidence_required", Invalid, "请填写实现情况(照片编号、收据或说明)", "Give the evidence of fulfilment")

# ---- mutual aid
TEAM_NOT_FOUND = define("services.team_not_found", NotFound, "未找到互助组:{key}", "No mutual-aid team {key}")
DUTY_NOT_FOUND = define("services.duty_not_found", NotFound, "未找到互助事项:{key}", "No duty {key}")
UNKNOWN_DUTY_KIND = define("services.unknown_duty_kind", Invalid, "“{value}”不是有效的互助事项类别", "{value} is not a kind of duty")
HELPER_NOT_IN_TEAM = define("services.helper_not_in_team", Invalid, "承担人不是本互助组成员", "The helper is not a member of the team")
DUTY_CLOSED = define("services.duty_closed", Conflict, "该互助事项已登记结果", "The duty's outcome is recorded already")
UNKNOWN_OUTCOME = define("services.unknown_outcome", Invalid, "结果应为“已完成”或“未完成”", "The outcome is done or not done")
ORG_NOT_FOUND = define("services.org_not_found", NotFound, "未找到党组织,或不在您的管辖范围内:{key}", "No Party organisation {key} in your scope")
TEAM_MEMBER_TWICE = define("services.team_member_twice", Conflict, "{name}已是本互助组成员", "{name} is a member of the team already")

# ---- the grid leader
NO_GRID = define("services.no_grid", Forbidden, "您的账号尚未绑定网格,请联系乡镇或社区管理员", "Your account serves no grid yet; ask the township or community")
GRID_NOT_FOUND = define("services.grid_not_found", NotFound, "未找到网格,或不在您的管辖范围内:{key}", "No grid {key} in your scope")
USER_NOT_GRID_LEADER = define("services.user_not_grid_leader", Invalid, "账号“{username}”不是网格长账号", "{username} is not a grid leader's login")
USER_NOT_FOUND = define("services.user_not_found", NotFound, "未找到账号:{username}", "No login {username}")
GRID_OUTSIDE_USER = define("services.grid_outside_user", Invalid, "该网格不在账号“{username}”的管辖范围内", "The grid lies outside {username}'s area")
DATE_FORMAT = define("services.date_format", Invalid, "日期“{value}”格式应为 YYYY-MM-DD", "Date {value}: use YYYY-MM-DD")
