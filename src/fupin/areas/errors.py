"""Error codes of areas."""

from __future__ import annotations

from fupin.core.errors import Conflict, Invalid, NotFound, define

AREA_NOT_FOUND = define("areas.not_found", NotFound, "区划不存在或不在您的管辖范围内:{code}", "No area {code} in your scope")
NOT_A_VILLAGE = define("areas.not_a_village", Invalid, "村民小组只能建在村(社区)之下", "Groups belong to villages")
GROUP_NAME_TAKEN = define("areas.group_name_taken", Conflict, "本村已有名为“{name}”的村民小组", "The village already has a group named {name}")
GROUP_NAME_EMPTY = define("areas.group_name_empty", Invalid, "请填写村民小组名称", "Give the group a name")
TOO_MANY_GROUPS = define("areas.too_many_groups", Invalid, "一个村最多999个村民小组", "At most 999 groups per village")
