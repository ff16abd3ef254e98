"""Demo organisation tree, members and cadres of the demo county, with gaps for the coverage page to find."""

from __future__ import annotations

import datetime as dt

from faker.providers.person.zh_CN import Provider as ChineseNames
from sqlalchemy import func, select

from fupin.core.audit import Actor, AuditAction
from fupin.core.db import bulk_insert
from fupin.core.demo import DEMO_TIMESTAMP, DemoContext
from fupin.core.sql import bump_sequences
from fupin.core.uow import UnitOfWork
from fupin.orgs.models import Cadre, PartyMember, PartyOrg, PartyOrgEvent

SURNAMES = list(ChineseNames.last_names.keys())[:60]
GIVEN = list(ChineseNames.first_names_male) + list(ChineseNames.first_names_female)
CADRES_PER_HOUSEHOLD = 70 / 300  # the benchmark's province: 70,000 cadres for 300,000 households
WORK_UNITS = ("县委组织部", "县扶贫办", "县财政局", "县农业农村局", "县教育局", "县卫健局", "县人社局", "县住建局",
              "县水务局", "县林草局", "曲靖市烟草公司", "会泽县农商银行", "乡镇人民政府")
ORG_COLUMNS = ["id", "name", "org_type", "parent_id", "area_code", "base_kind", "base_name", "site_id", "destination",
               "origin_county_code", "founded_on", "dissolved_on", "secretary_name", "created_at", "version"]
EVENT_COLUMNS = ["org_id", "kind", "happened_on", "to_parent_id", "to_area_code", "actor_name", "created_at"]
MEMBER_COLUMNS = ["id", "person_id", "name", "org_id", "area_code", "is_floating", "current_location",
                  "managing_org_id", "is_central_household", "joined_on", "active", "version"]
CADRE_COLUMNS = ["id", "name", "work_unit", "rank", "post", "area_code", "is_party_member", "phone", "active_from",
                 "active_to", "version"]
FLOATING_PLACES = ("安徽省芜湖市", "浙江省宁波市", "广东省东莞市", "江苏省苏州市", "云南省昆明市")


def _name(rng) -> str:  # type: ignore[no-untyped-def]
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("orgs")
    county = ctx.county_code
    villages: list[str] = ctx.facts["village_codes"]
    townships = sorted({v[:9] + "000" for v in villages})
    site_code: str = ctx.facts["site_code"]
    orgs: list[tuple] = []
    with UnitOfWork(ctx.db, Actor.system("demo")) as uow:
        session = uow.session
        next_id = (session.scalar(select(func.max(PartyOrg.id))) or 0) + 1

        def org(name: str, org_type: str, parent: int | None, area: str, kind: str, founded: dt.date,
                base_name: str | None = None, destination: str | None = None, origin: str | None = None,
                dissolved: dt.date | None = None) -> int:
            nonlocal next_id
            orgs.append((next_id, name, org_type, parent, area, kind, base_name, None, destination, origin, founded,
                         dissolved, _name(rng), DEMO_TIMESTAMP, 1))
            next_id += 1
            return next_id - 1

        county_org = org("中共会泽县委员会", "committee", None, county, "organ", dt.date(1950, 3, 1),
                         base_name="会泽县")
        organ_branch = org("县扶贫办机关党支部", "branch", county_org, county, "organ", dt.date(2001, 7, 1),
                           base_name="县扶贫办")
        org("会泽县网上党支部", "branch", county_org, county, "online", dt.date(2018, 7, 1), base_name="“云岭先锋”微信群")
        first_township = townships[0]
        township_orgs: dict[str, int] = {}
        for index, township in enumerate(townships):
            township_orgs[township] = org(f"中共第{index + 1}乡镇委员会" if index else "中共钟屏街道工作委员会",
                                          "committee" if index else "working_committee", county_org, township,
                                          "township", dt.date(1984, 1, 1))
        site_committee = org("以礼社区临时党工委", "temporary_working_committee", township_orgs[first_township],
                             site_code, "site", dt.date(2018, 6, 1), base_name="以礼社区易地扶贫搬迁安置点")
        org("以礼社区第一党支部", "branch", site_committee, site_code, "site", dt.date(2018, 9, 1),
            base_name="以礼社区易地扶贫搬迁安置点")
        migrant = org("泼机镇驻芜湖流动党员党支部", "branch", township_orgs[first_township], first_township, "migrant",
                      dt.date(2017, 3, 1), destination="安徽省芜湖市", origin=county[:6])
        village_branch: dict[str, int] = {}
        for index, village in enumerate(villages):
            township_org = township_orgs[village[:9] + "000"]
            # One village in 17 (the 4th, so even the smallest demo has one) has no branch: a gap to find.
            if index % 17 != 3:
                village_branch[village] = org(f"{village[-3:]}村党总支" if index % 5 == 0 else f"{village[-3:]}村党支部",
                                              "general_branch" if index % 5 == 0 else "branch", township_org, village,
                                              "village", dt.date(1990 + index % 20, 7, 1))
            # Roughly two villages in five have a branch on an industry chain or a cooperative (seeds 001, 004).
            roll = rng.random()
            parent = village_branch.get(village, township_org)
            if roll < 0.15:
                org("苹果产业党支部", "branch", township_org, village, "industry_chain", dt.date(2019, 4, 1),
                    base_name="苹果产业链")
            elif roll < 0.40:
                org(f"{village[-3:]}村种植专业合作社党小组", "group", parent, village, "cooperative",
                    dt.date(2018, 5, 1), base_name=f"{village[-3:]}村种植专业合作社")
        # A branch dissolved when its village was merged: kept, with its history.
        org("原撤并村党支部", "branch", township_orgs[first_township], villages[0], "village", dt.date(1995, 7, 1),
            dissolved=dt.date(2020, 12, 31))
        connection = session.connection()
        bulk_insert(connection, PartyOrg.__table__, ORG_COLUMNS, orgs)
        bulk_insert(connection, PartyOrgEvent.__table__, EVENT_COLUMNS,
                    [(row[0], "founded", row[10], row[3], row[4], "demo", DEMO_TIMESTAMP) for row in orgs])
        members, floating = _members(ctx, rng, village_branch, migrant, session)
        bulk_insert(connection, PartyMember.__table__, MEMBER_COLUMNS, members)
        cadres = _cadres(ctx, rng, villages, townships, session)
        bulk_insert(connection, Cadre.__table__, CADRE_COLUMNS, cadres)
        bump_sequences(connection, ["party_orgs", "party_members", "cadres", "party_org_events"])
        uow.audit(AuditAction.imported, "party_orgs", None, area_code=county,
                  detail={"source": "demo", "seed": ctx.seed, "orgs": len(orgs), "members": len(members),
                          "cadres": len(cadres)})
    ctx.facts["org_ids"] = {"county": county_org, "organ_branch": organ_branch, "migrant": migrant,
                            "village_branches": village_branch}
    ctx.facts["cadres"] = len(cadres)
    ctx.summary.append(f"党组织:{len(orgs)}个(含产业链、安置点、驻外务工和网上党支部),党员{len(members)}名"
                       f"(流动党员{floating}名),帮扶干部{len(cadres)}名")


def _members(ctx: DemoContext, rng, village_branch: dict[str, int], migrant: int, session
             ) -> tuple[list[tuple], int]:  # type: ignore[no-untyped-def]
    next_id = (session.scalar(select(func.max(PartyMember.id))) or 0) + 1
    rows: list[tuple] = []
    floating = 0
    per_village = max(3, round(ctx.households / max(1, len(ctx.facts["village_codes"])) * 0.12))
    for village, branch in village_branch.items():
        for _ in range(per_village):
            is_floating = rng.random() < 0.12
            managing = None
            location = None
            if is_floating:
                floating += 1
                location = rng.choice(FLOATING_PLACES)
                # Most floating members in 芜湖 are managed by the branch there; one in five is not yet (a gap).
                roll = rng.random()
                managing = migrant if location == "安徽省芜湖市" and roll < 0.8 else (branch if roll < 0.8 else None)
            rows.append((next_id, None, _name(rng), branch, village + "001", is_floating, location, managing,
                         rng.random() < 0.08, dt.date(rng.randint(1975, 2020), rng.randint(1, 12), 1), True, 1))
            next_id += 1
    return rows, floating


def _cadres(ctx: DemoContext, rng, villages: list[str], townships: list[str], session) -> list[tuple]:  # type: ignore[no-untyped-def]
    next_id = (session.scalar(select(func.max(Cadre.id))) or 0) + 1
    count = max(12, round(ctx.households * CADRES_PER_HOUSEHOLD))
    rows: list[tuple] = []
    for index in range(count):
        rank = rng.choices(["county", "section", "general"], weights=[4, 21, 75])[0]
        roll = rng.random()
        if rank == "county" or roll < 0.05:
            area, post = ctx.county_code, "village_contact"
        elif roll < 0.40:
            area, post = rng.choice(townships), rng.choice(["village_contact", "helper"])
        else:
            area = rng.choice(villages)
            post = rng.choice(["first_secretary", "work_team", "work_team", "village_committee", "grid", "helper"])
        # Two cadres left their post at the end of 2023: their open pairs must be handed over.
        active_to = dt.date(2023, 12, 31) if index in (3, 7) else None
        rows.append((next_id, _name(rng), rng.choice(WORK_UNITS), rank, post, area, rng.random() < 0.85,
                     f"1{rng.choice('35789')}{rng.randrange(10**9):09d}", dt.date(rng.randint(2015, 2021), 3, 1),
                     active_to, 1))
        next_id += 1
    return rows
