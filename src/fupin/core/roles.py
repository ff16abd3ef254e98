"""The roles of DESIGN §1 and the area levels each may be given (pure)."""

from __future__ import annotations

from enum import StrEnum

from fupin.core.areacodes import AreaLevel


class Role(StrEnum):
    admin = "admin"
    county = "county"
    township = "township"
    village = "village"
    grid = "grid"
    entity_clerk = "entity_clerk"
    shop_clerk = "shop_clerk"
    auditor = "auditor"


ROLE_NAMES_ZH: dict[Role, str] = {
    Role.admin: "系统管理员",
    Role.county: "县级(组织部/乡村振兴局)",
    Role.township: "乡镇干部",
    Role.village: "村干部/第一书记",
    Role.grid: "网格长/楼栋长",
    Role.entity_clerk: "企业/合作社填报员",
    Role.shop_clerk: "爱心超市管理员",
    Role.auditor: "审计(只读)",
}
ROLE_NAMES_EN: dict[Role, str] = {
    Role.admin: "administrator",
    Role.county: "county",
    Role.township: "township",
    Role.village: "village cadre",
    Role.grid: "grid leader",
    Role.entity_clerk: "enterprise / cooperative clerk",
    Role.shop_clerk: "love-supermarket clerk",
    Role.auditor: "auditor (read-only)",
}

# Which area levels a role's scope may be set to.
ROLE_AREA_LEVELS: dict[Role, frozenset[AreaLevel] | None] = {
    Role.admin: None,
    Role.county: frozenset({AreaLevel.province, AreaLevel.prefecture, AreaLevel.county}),
    Role.township: frozenset({AreaLevel.township}),
    Role.village: frozenset({AreaLevel.village}),
    Role.grid: frozenset({AreaLevel.village, AreaLevel.group}),
    Role.entity_clerk: frozenset({AreaLevel.county, AreaLevel.township, AreaLevel.village}),
    Role.shop_clerk: frozenset({AreaLevel.township, AreaLevel.village}),
    Role.auditor: frozenset(set(AreaLevel)),
}

# Clerks act for one entity (cooperative, enterprise …) or one love supermarket: their user row names it.
ENTITY_ROLES = frozenset({Role.entity_clerk})
SHOP_ROLES = frozenset({Role.shop_clerk})


def role_name(role: str, locale: str = "zh") -> str:
    try:
        member = Role(role)
    except ValueError:
        return role
    return (ROLE_NAMES_EN if locale == "en" else ROLE_NAMES_ZH)[member]
