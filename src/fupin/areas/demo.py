"""Demo areas: synthetic townships, villages, groups and a resettlement community under 会泽县."""

from __future__ import annotations

import math

from sqlalchemy import select

from fupin.areas.models import Area
from fupin.core.areacodes import AreaLevel, region_of
from fupin.core.audit import Actor, AuditAction
from fupin.core.db import bulk_insert
from fupin.core.demo import DemoContext, DemoExists
from fupin.core.uow import UnitOfWork

# Real township names of 会泽县 (used in order; synthetic codes).
TOWNSHIP_NAMES = (
    "钟屏街道", "古城街道", "宝云街道", "金钟街道", "以礼街道", "娜姑镇", "迤车镇", "乐业镇", "待补镇", "者海镇",
    "大井镇", "矿山镇", "马路乡", "火红乡", "雨碌乡", "大海乡", "老厂乡", "纸厂乡", "上村乡", "驾车乡", "田坝乡",
    "鲁纳乡",
)
_FIRST = "大小新老上下中东西南北金银石松竹花桃杨马龙凤黄白红青云山水"
_SECOND = "河沟坪坝营箐塘寨哨铺厂湾冲田坡岩林村庄屯坎梁塆地场桥"
VILLAGES_PER_TOWNSHIP = 15
HOUSEHOLDS_PER_VILLAGE = 250
GROUPS_PER_VILLAGE = 6
SITE_COMMUNITY_NAME = "以礼社区(易地扶贫搬迁安置点)"


_ORDINALS = "一二三四五六七八九十"


def _unique_name(stem: str, used: set[str]) -> str:
    """A village name not used yet in the county: 大河村, then 大河二村, 大河三村, …, then numbered."""
    candidates = [f"{stem}村", *(f"{stem}{o}村" for o in _ORDINALS[1:])]
    name = next((c for c in candidates if c not in used), None)
    if name is None:
        name = f"{stem}{len(used) + 1}村"
    used.add(name)
    return name


def plan_sizes(households: int) -> tuple[int, int]:
    villages = max(4, math.ceil(households / HOUSEHOLDS_PER_VILLAGE))
    townships = max(2, math.ceil(villages / VILLAGES_PER_TOWNSHIP))
    return townships, villages


def build(ctx: DemoContext) -> None:
    county = ctx.county_code
    prefix = county[:6]
    rng = ctx.rng("areas")
    with UnitOfWork(ctx.db, Actor.system("demo")) as uow:
        session = uow.session
        if session.get(Area, county) is None:
            raise RuntimeError(f"区划{county}不存在:请先运行 fupin init 载入全国区划")
        taken = session.scalar(select(Area.code).where(Area.parent_code == county).limit(1))
        if taken is not None:
            raise DemoExists(f"演示县 {county} 已有下级区划,演示数据已存在(用新的数据库重新生成)")
        townships, villages = plan_sizes(ctx.households)
        region = region_of(county)
        rows: list[tuple] = []
        village_codes: list[str] = []
        used_names: set[str] = set()
        remaining = villages
        for t in range(townships):
            township_code = f"{prefix}{100 + t:03d}000"
            name = TOWNSHIP_NAMES[t] if t < len(TOWNSHIP_NAMES) else f"第{t + 1}乡"
            rows.append((township_code, name, AreaLevel.township.value, county, region))
            count = min(remaining, math.ceil(villages / townships))
            remaining -= count
            for v in range(count):
                village_code = f"{township_code[:9]}{200 + v:03d}"
                village_name = _unique_name(rng.choice(_FIRST) + rng.choice(_SECOND), used_names)
                rows.append((village_code, village_name, AreaLevel.village.value, township_code, region))
                village_codes.append(village_code)
                for g in range(GROUPS_PER_VILLAGE):
                    rows.append((f"{village_code}{g + 1:03d}", f"第{g + 1}村民小组", AreaLevel.group.value,
                                 village_code, region))
        site_code = f"{prefix}100001"
        rows.append((site_code, SITE_COMMUNITY_NAME, AreaLevel.village.value, f"{prefix}100000", region))
        bulk_insert(session.connection(), Area.__table__, ["code", "name", "level", "parent_code", "region"],
                    [(c, n, lvl, p, r.value if r else None) for c, n, lvl, p, r in rows])
        uow.audit(AuditAction.imported, "areas", county, area_code=county,
                  detail={"source": "demo", "seed": ctx.seed, "rows": len(rows)})
    ctx.facts["village_codes"] = village_codes
    ctx.facts["site_code"] = site_code
    ctx.facts["first_township_code"] = f"{prefix}100000"
    ctx.summary.append(f"区划:{townships}个乡镇、{len(village_codes)}个行政村、1个安置社区")
