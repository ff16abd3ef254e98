"""Error codes of Party organisations, members and cadres (Chinese for the user, English for the switch)."""

from __future__ import annotations

from fupin.core.errors import Conflict, Invalid, NotFound, define

# ---- not found (outside the caller's scope reads the same as not existing)
ORG_NOT_FOUND = define("orgs.org_not_found", NotFound, "未找到党组织:{key}", "Party organisation {key} not found")
MEMBER_NOT_FOUND = define("orgs.member_not_found", NotFound, "未找到党员:{key}", "Party member {key} not found")
CADRE_NOT_FOUND = define("orgs.cadre_not_found", NotFound, "未找到帮扶干部:{key}", "Cadre {key} not found")
AREA_UNKNOWN = define("orgs.area_unknown", Invalid, "区划代码“{area}”不存在,请填写已登记的区划", "Area {area} does not exist")

# ---- an organisation's description
NAME_REQUIRED = define("orgs.name_required", Invalid, "请填写名称", "Enter a name")
ORG_TYPE_UNKNOWN = define("orgs.org_type_unknown", Invalid, "组织类型“{value}”无效,应为:{allowed}", "Unknown organisation type {value}; one of: {allowed}")
BASE_KIND_UNKNOWN = define("orgs.base_kind_unknown", Invalid, "组建依托“{value}”无效,应为:{allowed}", "Unknown base {value}; one of: {allowed}")
BASE_NAME_REQUIRED = define("orgs.base_name_required", Invalid, "建在{kind}上的党组织须写明依托的名称", "An organisation built on a {kind} names it")
DESTINATION_REQUIRED = define("orgs.destination_required", Invalid, "外出务工集中地党组织须写明务工地", "A migrant-worker branch names the destination")
ORIGIN_COUNTY_REQUIRED = define("orgs.origin_county_required", Invalid, "外出务工集中地党组织须写明党员来源县(6位代码)", "A migrant-worker branch names the origin county (6 digits)")
DISSOLVED_BEFORE_FOUNDED = define("orgs.dissolved_before_founded", Invalid, "撤销日期不能早于成立日期", "Dissolved before it was founded")

# ---- the tree and its history
PARENT_DISSOLVED = define("orgs.parent_dissolved", Invalid, "上级党组织“{name}”已撤销", "The parent organisation {name} is dissolved")
ORG_DISSOLVED = define("orgs.org_dissolved", Conflict, "该党组织已撤销,不能调整隶属关系", "The organisation is dissolved and cannot move")
ORG_DISSOLVED_EDIT = define("orgs.org_dissolved_edit", Conflict, "该党组织已撤销,不能修改", "The organisation is dissolved and cannot be changed")
ALREADY_DISSOLVED = define("orgs.already_dissolved", Conflict, "该党组织已于{day}撤销", "The organisation was dissolved on {day}")
MOVE_CYCLE = define("orgs.move_cycle", Invalid, "不能把党组织调整到它自己或它的下级组织之下", "An organisation cannot move under itself or its descendants")
OPEN_CHILDREN = define("orgs.open_children", Conflict, "该党组织还有未撤销的下级组织,请先调整或撤销下级组织", "Move or dissolve its sub-organisations first")

# ---- cadres
WORK_UNIT_REQUIRED = define("orgs.work_unit_required", Invalid, "请填写帮扶单位", "Enter the work unit")
RANK_UNKNOWN = define("orgs.rank_unknown", Invalid, "职级应为:{allowed}", "Rank: one of {allowed}")
POST_UNKNOWN = define("orgs.post_unknown", Invalid, "职务应为:{allowed}", "Post: one of {allowed}")
ACTIVE_FROM_REQUIRED = define("orgs.active_from_required", Invalid, "请填写到岗日期", "Enter the start date")
ACTIVE_TO_BEFORE_FROM = define("orgs.active_to_before_from", Invalid, "离岗日期不能早于到岗日期", "The end date is before the start date")
CADRE_ALREADY_ENDED = define("orgs.cadre_already_ended", Conflict, "该干部已于{day}离岗", "The cadre left the post on {day}")

# ---- spreadsheet imports (row reasons reuse the codes above)
FILE_UNREADABLE = define("orgs.file_unreadable", Invalid, "无法读取该文件,请上传 .xlsx 格式的表格", "The file cannot be read; upload an .xlsx workbook")
FILE_EMPTY = define("orgs.file_empty", Invalid, "表格是空的", "The sheet is empty")
FILE_TOO_LARGE = define("orgs.file_too_large", Invalid, "文件超过{megabytes}MB,请分批导入", "The file is larger than {megabytes} MB; import it in parts")
TOO_MANY_ROWS = define("orgs.too_many_rows", Invalid, "表格超过{limit}行,请分批导入", "More than {limit} rows; import in parts")
HEADER_MISSING = define("orgs.header_missing", Invalid, "缺少列:{columns}", "Missing columns: {columns}")
IMPORT_KIND_UNKNOWN = define("orgs.import_kind_unknown", Invalid, "导入内容应为帮扶干部或党员", "Import cadres or members")
TEXT_TOO_LONG = define("orgs.text_too_long", Invalid, "至多{longest}个字符", "At most {longest} characters")
FLAG_INVALID = define("orgs.flag_invalid", Invalid, "应填“是”或“否”", "Yes or no")
DATE_INVALID = define("orgs.date_invalid", Invalid, "日期格式应为 2024-01-31", "Date as 2024-01-31")
AREA_NOT_IN_SCOPE = define("orgs.area_not_in_scope", Invalid, "区划不存在或不在您的管辖范围内", "No such area in your scope")
ORG_NOT_IN_SCOPE = define("orgs.org_not_in_scope", Invalid, "党组织不存在或不在您的管辖范围内", "No such organisation in your scope")
ORG_ID_REQUIRED = define("orgs.org_id_required", Invalid, "请填写所属党组织编号", "Enter the organisation number")
PERSON_ID_INVALID = define("orgs.person_id_invalid", Invalid, "人员编号应为数字", "The person number is a number")
PERSON_NOT_IN_SCOPE = define("orgs.person_not_in_scope", Invalid, "建档立卡人员不存在或不在您的管辖范围内", "No such registered person in your scope")
ACCOUNT_UNKNOWN = define("orgs.account_unknown", Invalid, "登录账号“{username}”不存在、已停用或不在您的管辖范围内", "Login account {username} not found, disabled or outside your area")
ACCOUNT_TAKEN = define("orgs.account_taken", Conflict, "登录账号“{username}”已关联干部{name}", "Login account {username} is already linked to cadre {name}")
