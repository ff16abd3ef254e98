"""Error codes of relocation (易地扶贫搬迁): one stable code per refusal, Chinese and English messages."""

from __future__ import annotations

from fupin.core.errors import Conflict, Invalid, NotFound, define

# ---- not found (also what a record outside the caller's area answers, so existence never leaks)
SITE_NOT_FOUND = define("relocation.site_not_found", NotFound, "未找到安置点:{key}", "No resettlement site {key}")
RELOCATED_NOT_FOUND = define("relocation.relocated_not_found", NotFound, "未找到搬迁户:{key}", "No relocated household {key}")
HOUSEHOLD_NOT_FOUND = define("relocation.household_not_found", NotFound, "未找到建档立卡户:{key}", "No registered household {key}")
GRID_NOT_FOUND = define("relocation.grid_not_found", NotFound, "未找到网格:{key}", "No grid {key}")
BUILDING_NOT_FOUND = define("relocation.building_not_found", NotFound, "未找到楼栋:{key}", "No building {key}")
UNIT_NOT_FOUND = define("relocation.unit_not_found", NotFound, "本安置点没有这套房屋:{key}", "No such flat at this site: {key}")
DRAW_NOT_FOUND = define("relocation.draw_not_found", NotFound, "未找到摇号记录:{key}", "No lottery draw {key}")
CHECKLIST_ITEM_NOT_FOUND = define("relocation.checklist_item_not_found", NotFound, "没有这项清单:{key}", "No checklist item {key}")

# ---- input
INVALID_CHOICE = define("relocation.invalid_choice", Invalid, "{label}应为以下之一:{choices}", "{label_en} must be one of: {choices_en}")
REQUIRED = define("relocation.required", Invalid, "请填写{label}", "{label_en} is required")
PLANNED_RANGE = define("relocation.planned_range", Invalid, "计划户数应在0到1,000,000之间、人数在0到10,000,000之间", "Planned households 0–1,000,000 and people 0–10,000,000")
GRID_SIZE_RANGE = define("relocation.grid_size_range", Invalid, "网格规模应在2到100户之间", "A grid has 2 to 100 households")
FLOORS_RANGE = define("relocation.floors_range", Invalid, "层数应在1到60之间", "Floors must be 1 to 60")
UNITS_PER_FLOOR_RANGE = define("relocation.units_per_floor_range", Invalid, "每层套数应在1到20之间", "1 to 20 flats per floor")
UNIT_AREA_NOT_NUMBER = define("relocation.unit_area_not_number", Invalid, "面积“{value}”不是数字", "The area “{value}” is not a number")
UNIT_AREA_RANGE = define("relocation.unit_area_range", Invalid, "面积{value}㎡不在10到500之间", "The area {value} m² is not between 10 and 500")
UNIT_AREAS_MISSING = define("relocation.unit_areas_missing", Invalid, "请填写每层各套的面积,如 75,100,125", "Give the area of each flat on a floor, e.g. 75,100,125")
SEED_INVALID = define("relocation.seed_invalid", Invalid, "摇号种子不能为空,最长64个字符", "The seed must be 1 to 64 characters")
WAITING_UNKNOWN = define("relocation.waiting_unknown", Invalid, "指定轮候的户不在本次摇号名单中:{ids}", "Households named to wait are not in this draw: {ids}")
WAITING_NOT_NUMBERS = define("relocation.waiting_not_numbers", Invalid, "轮候户编号应为数字,用逗号分隔", "Waiting households: numbers separated by commas")
TOO_FEW_UNITS = define("relocation.too_few_units", Invalid, "可分配房源{units}套少于参加摇号的{households}户:请指定{short}户以上轮候", "{units} free flats for {households} households: name at least {short} households to wait")
CHECKLIST_STATE_INVALID = define("relocation.checklist_state_invalid", Invalid, "{item}的状态应为:已落实、未落实或不适用", "{item}: done, open or not applicable")
LEADER_NOT_RESIDENT = define("relocation.leader_not_resident", Invalid, "网格长须是本网格住户的成员", "The grid leader must live in the grid")
GRID_OF_ANOTHER_SITE = define("relocation.grid_of_another_site", Invalid, "只能调入本安置点的网格", "Only a grid of the same site")

# ---- conflicts (a second attempt, or the loser of two at the same moment)
BUILDING_EXISTS = define("relocation.building_exists", Conflict, "安置点已有楼栋“{name}”", "The site already has a building “{name}”")
HOUSEHOLD_LISTED = define("relocation.household_listed", Conflict, "户{household_no}已列入搬迁名单", "Household {household_no} is already on a relocation list")
NOTHING_TO_DRAW = define("relocation.nothing_to_draw", Conflict, "没有待分房的搬迁户(或都已指定轮候),本次未摇号;如刚有人摇过号,请刷新查看结果", "No household waits for a flat (or all are named to wait); nothing was drawn")
DRAW_OVERTAKEN = define("relocation.draw_overtaken", Conflict, "摇号期间有户已被分房,本次未写入,请重新摇号", "A household got a flat during the draw; nothing was written, draw again")
HOUSEHOLD_HAS_UNIT = define("relocation.household_has_unit", Conflict, "该户已分得一套住房,一户只能分一套", "The household already holds a flat")
UNIT_TAKEN = define("relocation.unit_taken", Conflict, "房屋{number}已分给其他户", "Flat {number} is taken")
STATUS_TRANSITION = define("relocation.status_transition", Conflict, "状态不能从“{current}”变为“{target}”", "The status cannot go from “{current}” to “{target}”")
ALLOCATE_BEFORE_MOVE_IN = define("relocation.allocate_before_move_in", Conflict, "集中安置的户须先分房再入住", "A household of a concentrated site needs a flat before moving in")
ALREADY_MOVED_IN = define("relocation.already_moved_in", Conflict, "该户已于{on}登记入住,本次未作修改", "The household moved in on {on}; nothing was changed")
ALREADY_DEMOLISHED = define("relocation.already_demolished", Conflict, "旧房已于{on}登记拆除,本次未作修改", "The old house was recorded demolished on {on}; nothing was changed")
GRIDS_EXIST = define("relocation.grids_exist", Conflict, "安置点已有网格;如需按新方案重新划分,请选择“替换现有网格”", "The site has grids; choose “replace” to cut them anew")
NO_HOUSED_HOUSEHOLDS = define("relocation.no_housed_households", Conflict, "安置点还没有已分房的户,无法划分网格", "No household of the site has a flat yet")
