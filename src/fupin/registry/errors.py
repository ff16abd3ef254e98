"""Error codes of the registry: one declaration per code, with its Chinese and English message.

Rules, the service, the import and the pages raise or report these codes; tests assert the codes, never the text.
Messages about records outside the caller's scope say that a conflict exists, never where.
"""

from __future__ import annotations

from fupin.core.errors import Conflict, Invalid, NotFound, define

# ---- a value as typed (form, API body or spreadsheet cell)
REQUIRED = define("registry.required", Invalid, "{label}不能为空", "{label} is required")
TOO_LONG = define("registry.too_long", Invalid, "{label}超过{max_length}个字", "{label}: at most {max_length} characters")
CONTROL_CHARACTERS = define("registry.control_characters", Invalid, "{label}含有不可见的控制字符(如 NUL),请删除后重新填写", "{label} contains control characters (such as NUL); remove them")
BAD_CODE = define("registry.bad_code", Invalid, "“{value}”不是有效的{label}(可选:{options})", "“{value}” is not a valid {label} (one of: {options})")
BAD_CAUSE = define("registry.bad_cause", Invalid, "“{value}”不是有效的致贫原因", "“{value}” is not a cause of poverty")
NOT_INTEGER = define("registry.not_integer", Invalid, "{label}“{value}”不是整数", "{label} “{value}” is not a whole number")
BAD_BOOL = define("registry.bad_bool", Invalid, "{label}应填“是”或“否”", "{label}: yes or no")
BAD_DATE = define("registry.bad_date", Invalid, "{label}“{value}”不是有效日期(例:1990-03-07)", "{label} “{value}” is not a date (e.g. 1990-03-07)")
DATE_IN_FUTURE = define("registry.date_in_future", Invalid, "{label}{value}晚于今天", "{label} {value} is after today")
AREA_CODE_FORMAT = define("registry.area_code_format", Invalid, "区划代码“{value}”应为12位数字(组/屯为15位)", "Area code “{value}” must be 12 digits (15 for a group)")
YEAR_RANGE = define("registry.year_range", Invalid, "{label}应在{low}年至{high}年之间", "{label} must lie between {low} and {high}")

# ---- money
MONEY_NOT_NUMBER = define("registry.money_not_number", Invalid, "{label}“{value}”不是数字", "{label} “{value}” is not a number")
MONEY_NEGATIVE = define("registry.money_negative", Invalid, "{label}不能为负数", "{label} cannot be negative")
MONEY_TOO_LARGE = define("registry.money_too_large", Invalid, "{label}超过1亿元,请核实", "{label} is over 100,000,000 yuan; check it")
MONEY_PLACES = define("registry.money_places", Invalid, "{label}最多两位小数", "{label}: at most two decimal places")

# ---- ID numbers
ID_REQUIRED = define("registry.id_required", Invalid, "身份证号不能为空", "The ID number is required")
ID_15_DIGITS = define("registry.id_15_digits", Invalid, "15位身份证号应全为数字", "A 15-digit ID number has digits only")
ID_LENGTH = define("registry.id_length", Invalid, "身份证号应为18位(现为{length}位)", "An ID number has 18 characters (this one {length})")
ID_FORMAT = define("registry.id_format", Invalid, "身份证号前17位应为数字,最后一位为数字或X", "An ID number is 17 digits and a digit or X")
ID_BIRTH_DATE = define("registry.id_birth_date", Invalid, "身份证号中的出生日期{value}不存在", "The birth date {value} in the ID number does not exist")
ID_BIRTH_FUTURE = define("registry.id_birth_future", Invalid, "身份证号中的出生日期晚于今天", "The birth date in the ID number is after today")
ID_BIRTH_TOO_EARLY = define("registry.id_birth_too_early", Invalid, "身份证号中的出生年份早于1900年", "The birth year in the ID number is before 1900")
ID_CHECK_DIGIT = define("registry.id_check_digit", Invalid, "身份证号校验位错误(最后一位应为{expected})", "Wrong check digit in the ID number (expected {expected})")
ID_REGION = define("registry.id_region", Invalid, "身份证号前6位地区码{value}不存在", "The region {value} of the ID number does not exist")

# ---- a member
SEX_MISMATCH = define("registry.sex_mismatch", Invalid, "性别与身份证号不符(身份证号显示为{sex})", "The sex does not match the ID number ({sex})")
BIRTH_MISMATCH = define("registry.birth_mismatch", Invalid, "出生日期与身份证号不符", "The birth date does not match the ID number")
DISABILITY_GRADE_RANGE = define("registry.disability_grade_range", Invalid, "残疾等级应为1-4级", "The disability grade is 1 to 4")
DISABILITY_GRADE_MISSING = define("registry.disability_grade_missing", Invalid, "健康状况为残疾时应填写残疾等级", "A disabled member needs a disability grade")
MONTHS_WORKED_RANGE = define("registry.months_worked_range", Invalid, "务工时间应为0-12个月", "Months worked: 0 to 12")
HEAD_EXISTS = define("registry.head_exists", Invalid, "本户已有户主;更换户主请修改成员关系", "The household has a head; change relations to replace the head")
CANNOT_REMOVE_HEAD = define("registry.cannot_remove_head", Invalid, "不能移除户主;请先变更户主", "The head cannot be removed; change the head first")
REMOVAL_REASON = define("registry.removal_reason", Invalid, "请填写移除原因", "Give the reason of the removal")

# ---- a household (the same codes from the form, the API and the import)
ONE_HEAD = define("registry.one_head", Invalid, "每户应有且只有一名户主(现有{count}名)", "A household has exactly one head (this one {count})")
AREA_LEVEL = define("registry.area_level", Invalid, "所在区划应为村(社区)或村民小组", "The area must be a village (community) or a village group")
AREA_NOT_AVAILABLE = define("registry.area_not_available", Invalid, "区划代码{area}不存在或不在您的管辖范围内", "Area {area} does not exist or lies outside your area")
ID_REPEATED_IN_HOUSEHOLD = define("registry.id_repeated_in_household", Invalid, "同一户中身份证号重复", "The same ID number twice in one household")
ID_REGISTERED_IN = define("registry.id_registered_in", Conflict, "此人已在户{household_no}中登记,不能重复登记", "This person is already registered in household {household_no}")
ID_REGISTERED_ELSEWHERE = define("registry.id_registered_elsewhere", Conflict, "此身份证号已在其他地区登记", "This ID number is registered in another area")
HOUSEHOLD_NO_TAKEN = define("registry.household_no_taken", Conflict, "户编号{household_no}已存在", "Household number {household_no} exists")
HOUSEHOLD_NO_ELSEWHERE = define("registry.household_no_elsewhere", Conflict, "户编号已在其他地区登记", "The household number is registered in another area")
HOUSEHOLD_FIELD_MISSING = define("registry.household_field_missing", Invalid, "该户缺少{label}", "The household has no {label}")

# ---- rows of an import that disagree
ROWS_DISAGREE = define("registry.rows_disagree", Invalid, "同一户(户编号{household_no})的{label}前后不一致", "The rows of household {household_no} disagree on {label}")
INCOMES_DISAGREE = define("registry.incomes_disagree", Invalid, "同一户填写了不同的收入数据", "The rows of one household give different incomes")
ID_REPEATED_IN_FILE = define("registry.id_repeated_in_file", Invalid, "身份证号与第{line}行重复", "The ID number repeats line {line}")
INCOME_YEAR_MISSING = define("registry.income_year_missing", Invalid, "填写了收入,但缺少收入年度", "Income given without its year")
HOUSEHOLD_SKIPPED = "同户有错误行,整户未导入"

# ---- files
FILE_EMPTY = define("registry.file_empty", Invalid, "文件为空", "The file is empty")
FILE_TOO_LARGE = define("registry.file_too_large", Invalid, "文件超过{mb}MB,请分批导入", "The file is over {mb} MB; import it in parts")
FILE_TYPE = define("registry.file_type", Invalid, "文件类型不支持:请上传 .xlsx 或 .csv 文件", "Unsupported file: upload .xlsx or .csv")
FILE_NOT_WORKBOOK = define("registry.file_not_workbook", Invalid, "文件是压缩包但不是Excel工作簿(.xlsx)", "A zip file but not an Excel workbook")
FILE_CORRUPT = define("registry.file_corrupt", Invalid, "Excel文件已损坏,无法打开", "The workbook is damaged")
FILE_BOMB = define("registry.file_bomb", Invalid, "Excel文件解压后过大(疑似压缩炸弹),已拒绝", "The workbook unpacks to too much data (a zip bomb?); refused")
FILE_TOO_MANY_ROWS = define("registry.file_too_many_rows", Invalid, "行数超过{limit}行,请分批导入", "More than {limit} rows; import in parts")
FILE_ENCODING = define("registry.file_encoding", Invalid, "CSV文件编码无法识别(应为UTF-8或GBK)", "Unknown CSV encoding (UTF-8 or GBK)")
FILE_UNREADABLE = define("registry.file_unreadable", Invalid, "Excel文件无法读取:{kind}", "The workbook cannot be read: {kind}")
NO_HEADER = define("registry.no_header", Invalid, "未找到表头:第一行应为列名(如 户编号、姓名、身份证号),请使用导入模板", "No header row found; use the import template")
DUPLICATE_COLUMN = define("registry.duplicate_column", Invalid, "列“{column}”与另一列重复", "Column “{column}” appears twice")
MISSING_COLUMNS = define("registry.missing_columns", Invalid, "缺少必填列:{columns}", "Required columns missing: {columns}")
NO_ROWS = define("registry.no_rows", Invalid, "文件中没有数据行", "The file has no data rows")

# ---- the ledger
MEASURE_TYPE = define("registry.measure_type", Invalid, "“{value}”不是有效的帮扶措施类型", "“{value}” is not a help measure type")
VISIT_EMPTY = define("registry.visit_empty", Invalid, "请至少填写“发现的问题”或“做了什么”", "Write what was found or what was done")
VISIT_CADRE = define("registry.visit_cadre", Invalid, "走访干部不存在或不在您的管辖范围内", "The visiting cadre does not exist or lies outside your area")
EXIT_STEP_UNKNOWN = define("registry.exit_step_unknown", Invalid, "未知的退出步骤:{step}", "Unknown exit step {step}")
EXIT_COMPLETE = define("registry.exit_complete", Conflict, "退出程序已完成", "The exit procedure is complete")
EXIT_STEP_ORDER = define("registry.exit_step_order", Conflict, "应先完成“{expected}”", "First record “{expected}”")
EXIT_NOT_ELIGIBLE = define("registry.exit_not_eligible", Invalid, "尚不符合退出条件,不能启动退出程序", "The household does not meet the exit conditions yet")
EXIT_STEP_DATE = define("registry.exit_step_date", Invalid, "日期不能早于上一步", "The date is before the previous step's")
EXIT_PUBLICITY_DAYS = define("registry.exit_publicity_days", Invalid, "村内公示不少于{days}天(公示开始于{since})", "The village publicity lasts at least {days} days (since {since})")
ALREADY_EXITED = define("registry.already_exited", Conflict, "该户已脱贫退出", "The household has exited")
STATUS_UNKNOWN = define("registry.status_unknown", Invalid, "未知状态:{status}", "Unknown status {status}")
STATUS_MOVE = define("registry.status_move", Conflict, "不能从“{current}”直接改为“{target}”", "Cannot go from “{current}” to “{target}”")
EXIT_BY_PROCEDURE = define("registry.exit_by_procedure", Invalid, "脱贫退出须走完退出程序(民主评议→村内公示→乡镇审核→县级公告→销号)", "Exit only through the exit procedure")
NOT_MONITORED = define("registry.not_monitored", Conflict, "该户不在监测中", "The household is not monitored")
POVERTY_LINE_SCOPE = define("registry.poverty_line_scope", Invalid, "只能设置本省或全国的扶贫标准", "Only your province's line (or, as administrator, the national one)")
POVERTY_LINE_POSITIVE = define("registry.poverty_line_positive", Invalid, "扶贫标准应为正数", "A poverty line is positive")
POVERTY_LINE_BELOW_NATIONAL = define("registry.poverty_line_below_national", Invalid, "省定标准不能低于国家标准{amount}元", "A provincial line cannot be below the national {amount} yuan")

# ---- reading
BAD_CURSOR = define("registry.bad_cursor", Invalid, "分页游标无效,请从第一页重新开始", "Invalid page cursor; start again")
BAD_AREA_FILTER = define("registry.bad_area_filter", Invalid, "区划代码“{value}”应为数字", "Area code “{value}” must be digits")
HOUSEHOLD_NOT_FOUND = define("registry.household_not_found", NotFound, "未找到户:{key}", "No household {key}")
PERSON_NOT_FOUND = define("registry.person_not_found", NotFound, "未找到人员:{key}", "No person {key}")
JOIN_REASON = define("registry.join_reason", Invalid, "加入原因应为:出生、婚入、迁入或其他", "Reason for joining: birth, marriage, moving in or other")
LEFT_BEFORE_JOINED = define("registry.left_before_joined", Invalid, "离开日期不能早于加入日期({joined})", "The leaving date cannot be before the joining date ({joined})")

# ---- national layouts (issue 18)
AREA_NAME_MISSING = define("registry.area_name_missing", Invalid, "请填写{level}名称", "The {level} name is missing")
AREA_NAME_UNKNOWN = define("registry.area_name_unknown", Invalid, "{level}“{name}”在{parent}中不存在或不在您的管辖范围内(可选:{options})", "{level} “{name}” is not in {parent} or outside your area (one of: {options})")
AREA_NAME_AMBIGUOUS = define("registry.area_name_ambiguous", Invalid, "{level}“{name}”在{parent}中有多个:{options},请填写全称", "{level} “{name}” matches several in {parent}: {options}; write the full name")
NATIONAL_BAD_VALUE = define("registry.national_bad_value", Invalid, "“{value}”不是有效的{label}(可选:{options})", "“{value}” is not a valid {label} (one of: {options})")
NATIONAL_ID_TYPE = define("registry.national_id_type", Invalid, "证件类型“{value}”:本系统按居民身份证号码登记,请核实后改填身份证号码", "ID type “{value}”: fupin registers resident ID numbers only")
NATIONAL_RISK_REQUIRED = define("registry.national_risk_required", Invalid, "监测户应至少填写一项致贫/返贫风险", "A monitored household needs at least one risk")
NATIONAL_MONITOR_TYPE_REQUIRED = define("registry.national_monitor_type_required", Invalid, "监测户应填写监测对象类别", "A monitored household needs its category")
NATIONAL_HOUSEHOLD_UNKNOWN = define("registry.national_household_unknown", Invalid, "户编号{household_no}尚未登记或不在您的管辖范围内,请先导入监测对象信息(成员表)", "Household {household_no} is not registered in your area; import the member sheet first")
NATIONAL_PERSON_UNKNOWN = define("registry.national_person_unknown", Invalid, "此证件号码尚未登记或不在您的管辖范围内,请先导入监测对象信息(成员表)", "This ID number is not registered in your area; import the member sheet first")

# ---- issue 17: transfer income in parts, the national form's fields, ID numbers as typed
TRANSFER_PARTS_SUM = define("registry.transfer_parts_sum", Invalid, "转移性收入{total}元与各项之和{parts}元不一致", "Transfer income {total} yuan does not equal the sum of its parts, {parts} yuan")
NUMBER_RANGE = define("registry.number_range", Invalid, "{label}应在{low}到{high}之间", "{label} must be between {low} and {high}")
IRRIGATED_ABOVE_ARABLE = define("registry.irrigated_above_arable", Invalid, "有效灌溉面积不能大于耕地面积", "Irrigated land cannot exceed the arable land")
CERTIFICATE_FORMAT = define("registry.certificate_format", Invalid, "残疾证号应为身份证号加残疾类别和等级(20位数字或字母)", "A disability certificate number is the ID number plus category and grade (20 characters)")
ID_ORIGINAL_MISMATCH = define("registry.id_original_mismatch", Invalid, "原15位身份证号与身份证号不对应", "The original 15-digit number does not match the ID number")
