"""Services fixtures: households of the test county, a resettlement site at a community with two grids and
their households, Party members who claim wishes, and grid-leader logins bound to a grid."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.uow import UnitOfWork
from fupin.relocation.models import RelocatedHousehold, ResettlementSite, SiteGrid
from fupin.services import service
from tests.factories import add_areas, add_user
from tests.factories_orgs import add_household, add_org

VILLAGE, OTHER_VILLAGE, TOWNSHIP, COUNTY = "530326100200", "530326101200", "530326100000", "530326000000"
COMMUNITY = "530326100201"  # the resettlement community (石坝村 in the test areas) under 钟屏街道
NOW = dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC)


def admin() -> Actor:
    return Actor.system("测试")


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), dt.UTC)


@dataclass
class Site:
    grid_a: int
    grid_b: int
    a_households: list[int]
    b_households: list[int]


def add_site_with_grids(db: Database) -> Site:
    """A site at the community, households from two villages, three in grid A and two in grid B."""
    with db.session_factory() as session:
        site = ResettlementSite(county_code="530326", area_code=COMMUNITY, name="测试安置点", planned_households=5,
                                planned_people=15)
        session.add(site)
        session.flush()
        a = SiteGrid(site_id=site.id, number=1, name="第1网格", leader_name="网格长甲")
        b = SiteGrid(site_id=site.id, number=2, name="第2网格", leader_name="网格长乙")
        session.add_all([a, b])
        session.commit()
        site_id, grid_a, grid_b = site.id, a.id, b.id
    a_households = [add_household(db, VILLAGE, head_name=f"甲{i}") for i in range(3)]
    b_households = [add_household(db, OTHER_VILLAGE, head_name=f"乙{i}") for i in range(2)]
    with db.session_factory() as session:
        for grid, households in ((grid_a, a_households), (grid_b, b_households)):
            for household in households:
                session.add(RelocatedHousehold(household_id=household, site_id=site_id, county_code="530326",
                                               origin_area_code=VILLAGE, site_area_code=COMMUNITY, members=3,
                                               status="moved_in", grid_id=grid))
        session.commit()
    return Site(grid_a, grid_b, a_households, b_households)


def add_grid_leader(db: Database, username: str, grid_id: int | None) -> int:
    user_id = add_user(db, username, "grid", COMMUNITY)
    if grid_id is not None:
        service.bind_grid_leader(UnitOfWork(db, admin()), username, grid_id)
    return user_id


def add_members(db: Database, count: int, area_code: str = VILLAGE) -> list[int]:
    from fupin.orgs import service as org_service

    org = add_org(db, name=f"党支部{area_code[-3:]}", area_code=area_code)
    ids = []
    for i in range(count):
        with UnitOfWork(db, admin()) as uow:
            ids.append(org_service.add_member(uow, name=f"党员{i + 1}", org_id=org).id)
    return ids


def county(db: Database) -> None:
    add_areas(db)
