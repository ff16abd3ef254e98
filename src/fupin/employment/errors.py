"""Error codes of employment (就业扶贫): one stable code per refusal, Chinese and English messages."""

from __future__ import annotations

from fupin.core.errors import Conflict, Invalid, NotFound, define

# ---- not found (also what a record outside the caller's area answers, so existence never leaks)
PERSON_NOT_FOUND = define("employment.person_not_found", NotFound, "未找到人员:{key}", "No person {key}")
WORKER_NOT_FOUND = define("employment.worker_not_found", NotFound, "未找到劳动力:{key}", "No worker {key}")
PLACEMENT_NOT_FOUND = define("employment.placement_not_found", NotFound, "未找到就业记录:{key}", "No job record {key}")
STATION_NOT_FOUND = define("employment.station_not_found", NotFound, "未找到就业服务站:{key}", "No employment station {key}")
OPENING_NOT_FOUND = define("employment.opening_not_found", NotFound, "未找到招聘岗位:{key}", "No job opening {key}")
COURSE_NOT_FOUND = define("employment.course_not_found", NotFound, "未找到培训班:{key}", "No course {key}")
ATTENDANCE_NOT_FOUND = define("employment.attendance_not_found", NotFound, "未找到培训记录:{key}", "No course attendance {key}")
SITE_NOT_FOUND = define("employment.site_not_found", NotFound, "未找到安置点:{key}", "No resettlement site {key}")
FIGURE_NOT_FOUND = define("employment.figure_not_found", NotFound, "没有这项就业指标:{key}", "No employment figure {key}")

# ---- input
INVALID_CHOICE = define("employment.invalid_choice", Invalid, "{label}应为以下之一:{choices}", "{label_en} must be one of: {choices_en}")
REQUIRED = define("employment.required", Invalid, "请填写{label}", "{label_en} is required")
NOT_IN_LABOUR_REGISTRY = define("employment.not_in_labour_registry", Invalid, "{name}不是有劳动能力的劳动年龄人口(16–60岁、非在校生),不能登记为劳动力", "{name} is not of working age with labour capacity (16–60, not a student)")
WAGE_INVALID = define("employment.wage_invalid", Invalid, "月工资应为0到99,999,999.99元之间的金额", "The monthly wage must be an amount from 0 to 99,999,999.99 yuan")
DESTINATION_REQUIRED = define("employment.destination_required", Invalid, "劳务输转须填写输出目的地", "Labour export needs a destination")
PUBLIC_WELFARE_IN_COUNTY = define("employment.public_welfare_in_county", Invalid, "公益性岗位只在县内", "Public-welfare posts are in the county")
END_BEFORE_START = define("employment.end_before_start", Invalid, "离岗日期不能早于上岗日期({started_on})", "The end date is before the start date ({started_on})")
COURSE_ENDS_BEFORE_START = define("employment.course_ends_before_start", Invalid, "结束日期不能早于开始日期", "The course ends before it starts")
POSITIONS_RANGE = define("employment.positions_range", Invalid, "招聘人数应在1到100,000之间", "Positions must be between 1 and 100,000")
HOURS_RANGE = define("employment.hours_range", Invalid, "课时应在1到2000之间", "Hours must be between 1 and 2000")

# ---- conflicts (a second attempt, or the loser of two at the same moment)
WORKER_EXISTS = define("employment.worker_exists", Conflict, "{name}已在劳动力台账中", "{name} is already in the labour registry")
PLACEMENT_OPEN_SAME = define("employment.placement_open_same", Conflict, "{name}在该单位已有在岗记录", "{name} already holds an open job with this employer")
PLACEMENT_ENDED = define("employment.placement_ended", Conflict, "该就业记录已于{ended_on}离岗,本次未作修改", "This job already ended on {ended_on}; nothing was changed")
OPENING_CLOSED = define("employment.opening_closed", Conflict, "该岗位已招满或已关闭", "The opening is filled or closed")
ALREADY_ENROLLED = define("employment.already_enrolled", Conflict, "{name}已报名该培训班", "{name} is already enrolled in this course")
