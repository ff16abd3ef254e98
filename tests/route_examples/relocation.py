"""A valid request for every write route of relocation (API and pages), on the demo resettlement site."""

from __future__ import annotations

from sqlalchemy import select

from fupin.relocation.models import HousingUnit, RelocatedHousehold, ResettlementSite, SiteGrid
from tests.route_examples import Call, Demo, Example

API = "/api/v1/relocation"
DAY = "2024-03-01"


def _site(demo: Demo) -> int:
    return demo.session.scalar(select(ResettlementSite.id).where(ResettlementSite.area_code == demo.site_code)
                               .order_by(ResettlementSite.id))


def _planned(demo: Demo) -> int:
    """A household of the site still waiting for a flat (the demo leaves some for the next round)."""
    return demo.session.scalar(select(RelocatedHousehold.id).where(RelocatedHousehold.site_id == _site(demo),
                                                                   RelocatedHousehold.status == "planned")
                               .order_by(RelocatedHousehold.id))


def _allocated(demo: Demo) -> int:
    """A household with a flat that has not moved in (else any housed one): move-in and 拆旧 can be recorded."""
    site = _site(demo)
    found = demo.session.scalar(select(RelocatedHousehold.id).where(RelocatedHousehold.site_id == site,
                                                                    RelocatedHousehold.status == "allocated")
                                .order_by(RelocatedHousehold.id))
    return found or demo.session.scalar(select(RelocatedHousehold.id).where(
        RelocatedHousehold.site_id == site, RelocatedHousehold.old_house_demolished.is_(False))
        .order_by(RelocatedHousehold.id))


def _housed(demo: Demo) -> tuple[int, int]:
    """A household in a grid and another grid of the same site."""
    site = _site(demo)
    row = demo.session.execute(select(RelocatedHousehold.id, RelocatedHousehold.grid_id).where(
        RelocatedHousehold.site_id == site, RelocatedHousehold.grid_id.is_not(None))
        .order_by(RelocatedHousehold.id)).first()
    other = demo.session.scalar(select(SiteGrid.id).where(SiteGrid.site_id == site, SiteGrid.id != row.grid_id)
                                .order_by(SiteGrid.id))
    return row.id, other or row.grid_id


def _grid(demo: Demo) -> int:
    return demo.session.scalar(select(SiteGrid.id).where(SiteGrid.site_id == _site(demo)).order_by(SiteGrid.id))


def _free_unit(demo: Demo) -> int:
    taken = select(RelocatedHousehold.unit_id).where(RelocatedHousehold.unit_id.is_not(None))
    return demo.session.scalar(select(HousingUnit.id).where(HousingUnit.site_id == _site(demo),
                                                            HousingUnit.id.not_in(taken)).order_by(HousingUnit.id))


def _household_to_list(demo: Demo) -> int:
    """A registered household of the demo village that is not on any list yet."""
    from fupin.registry.models import Household

    listed = select(RelocatedHousehold.household_id)
    return demo.session.scalar(select(Household.id).where(Household.area_code.startswith(demo.village_code),
                                                          Household.id.not_in(listed)).order_by(Household.id))


def _site_json(demo: Demo) -> dict[str, object]:
    return {"name": "分散安置点", "area_code": demo.site_code, "kind": "dispersed", "location": "central_village",
            "planned_households": 5, "planned_people": 18, "grid_size": 10}


CHECKLIST = {"job": "done", "schooling": "na"}

EXAMPLES: list[Example] = [
    # ---- API
    Example("POST", f"{API}/sites", "relocation.site.manage", lambda d: Call(f"{API}/sites", json=_site_json(d))),
    Example("POST", f"{API}/sites/{{site_id}}/buildings", "relocation.site.manage",
            lambda d: Call(f"{API}/sites/{_site(d)}/buildings",
                           json={"name": "示例幢", "floors": 2, "unit_areas": ["75", "100"]})),
    Example("POST", f"{API}/sites/{{site_id}}/households", "relocation.household.manage",
            lambda d: Call(f"{API}/sites/{_site(d)}/households", json={"household_id": _household_to_list(d)})),
    Example("POST", f"{API}/sites/{{site_id}}/lottery", "relocation.lottery.draw",
            lambda d: Call(f"{API}/sites/{_site(d)}/lottery", json={"seed": "示例", "dry_run": True})),
    Example("POST", f"{API}/sites/{{site_id}}/grids", "relocation.grid.manage",
            lambda d: Call(f"{API}/sites/{_site(d)}/grids", json={"grid_size": 10, "replace": True})),
    Example("PATCH", f"{API}/grids/{{grid_id}}", "relocation.grid.manage",
            lambda d: Call(f"{API}/grids/{_grid(d)}", json={"name": "和谐网格"})),
    Example("POST", f"{API}/households/{{relocated_id}}/grid", "relocation.grid.manage",
            lambda d: Call(f"{API}/households/{_housed(d)[0]}/grid", json={"grid_id": _housed(d)[1]})),
    Example("POST", f"{API}/households/{{relocated_id}}/unit", "relocation.household.manage",
            lambda d: Call(f"{API}/households/{_planned(d)}/unit", json={"unit_id": _free_unit(d)})),
    Example("POST", f"{API}/households/{{relocated_id}}/move-in", "relocation.household.manage",
            lambda d: Call(f"{API}/households/{_allocated(d)}/move-in", json={"on": DAY})),
    Example("POST", f"{API}/households/{{relocated_id}}/demolished", "relocation.household.manage",
            lambda d: Call(f"{API}/households/{_allocated(d)}/demolished", json={"on": DAY})),
    Example("PUT", f"{API}/households/{{relocated_id}}/checklist", "relocation.household.manage",
            lambda d: Call(f"{API}/households/{_allocated(d)}/checklist", json={"items": CHECKLIST})),
    Example("POST", f"{API}/households/export", "relocation.export",
            lambda d: Call(f"{API}/households/export", json={"site_id": _site(d)})),
    # ---- pages
    Example("POST", "/relocation/sites", "relocation.site.manage",
            lambda d: Call("/relocation/sites", data={k: str(v) for k, v in _site_json(d).items()})),
    Example("POST", "/relocation/export", "relocation.export",
            lambda d: Call("/relocation/export", data={"site_id": str(_site(d))})),
    Example("POST", "/relocation/sites/{site_id}/buildings", "relocation.site.manage",
            lambda d: Call(f"/relocation/sites/{_site(d)}/buildings",
                           data={"name": "示例幢", "floors": "2", "unit_areas": "75,100"})),
    Example("POST", "/relocation/sites/{site_id}/households", "relocation.household.manage",
            lambda d: Call(f"/relocation/sites/{_site(d)}/households",
                           data={"household_id": str(_household_to_list(d)), "priority_group": "0"})),
    Example("POST", "/relocation/sites/{site_id}/lottery", "relocation.lottery.draw",
            lambda d: Call(f"/relocation/sites/{_site(d)}/lottery", data={"seed": "示例", "dry_run": "1"})),
    Example("POST", "/relocation/sites/{site_id}/grids", "relocation.grid.manage",
            lambda d: Call(f"/relocation/sites/{_site(d)}/grids", data={"grid_size": "10", "replace": "1"})),
    Example("POST", "/relocation/grids/{grid_id}", "relocation.grid.manage",
            lambda d: Call(f"/relocation/grids/{_grid(d)}", data={"name": "和谐网格"})),
    Example("POST", "/relocation/households/{relocated_id}/grid", "relocation.grid.manage",
            lambda d: Call(f"/relocation/households/{_housed(d)[0]}/grid", data={"grid_id": str(_housed(d)[1])})),
    Example("POST", "/relocation/households/{relocated_id}/checklist", "relocation.household.manage",
            lambda d: Call(f"/relocation/households/{_allocated(d)}/checklist", data=CHECKLIST)),
    Example("POST", "/relocation/households/{relocated_id}/move-in", "relocation.household.manage",
            lambda d: Call(f"/relocation/households/{_allocated(d)}/move-in", data={"on": DAY})),
    Example("POST", "/relocation/households/{relocated_id}/demolished", "relocation.household.manage",
            lambda d: Call(f"/relocation/households/{_allocated(d)}/demolished", data={"on": DAY})),
]
