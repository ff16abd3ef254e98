"""Write routes of industry (产业扶贫), one concrete request each, for the route × role permission test. The demo
county holds seed 001 as data (天福菌业, its members and land, two confirmed runs and one preview)."""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import select

from fupin.industry.models import DistributionRun, IndustryEntity, LandContract, Membership
from fupin.registry.models import Household
from tests.route_examples import Call, Demo, Example

TODAY = dt.date.today().isoformat()


def _enterprise(demo: Demo) -> int:
    return demo.session.scalar(select(IndustryEntity.id).where(IndustryEntity.kind == "enterprise")
                               .order_by(IndustryEntity.id))


def _household(demo: Demo) -> int:
    """A household of the demo village that is not yet a member of the enterprise (so a join can succeed)."""
    members = select(Membership.household_id).where(Membership.entity_id == _enterprise(demo),
                                                    Membership.household_id.is_not(None))
    found = demo.session.scalar(select(Household.id).where(Household.area_code.startswith(demo.village_code),
                                                           Household.id.not_in(members)).order_by(Household.id))
    return found or demo.session.scalar(select(Household.id).where(
        Household.area_code.startswith(demo.village_code)).order_by(Household.id))


def _membership(demo: Demo) -> int:
    return demo.session.scalar(select(Membership.id).where(Membership.left_on.is_(None)).order_by(Membership.id))


def _contract(demo: Demo) -> int:
    return demo.session.scalar(select(LandContract.id).order_by(LandContract.id))


def _preview(demo: Demo) -> int:
    found = demo.session.scalar(select(DistributionRun.id).where(DistributionRun.status == "preview")
                                .order_by(DistributionRun.id))
    return found or demo.session.scalar(select(DistributionRun.id).order_by(DistributionRun.id))


def _entity_body(demo: Demo) -> dict[str, object]:
    return {"name": "演示蔬菜种植专业合作社", "kind": "cooperative", "industry": "vegetables", "area_code": demo.village_code}


def _member_body(demo: Demo) -> dict[str, object]:
    return {"household_id": _household(demo), "link_kind": "labour", "shares": "0", "joined_on": "2018-03-01"}


def _land_body(demo: Demo) -> dict[str, object]:
    return {"household_id": _household(demo), "plots": "演示地块", "area_mu": "1.50", "rent_per_mu": "500",
            "starts_on": "2018-03-01", "ends_on": "2026-12-31"}


def _job_body(_demo: Demo) -> dict[str, object]:
    return {"title": "菌棒装袋工", "positions": 5, "monthly_wage": "2200.00"}


def _run_body(_demo: Demo) -> dict[str, object]:
    return {"period": "2019", "total": "1000.00", "unit": "yuan", "enterprise_percent": "40",
            "village_basis": "member_households", "inside_village": "below_first", "household_cap": "100",
            "income_field": "property_income"}


def _collective_body(demo: Demo) -> dict[str, object]:
    return {"area_code": demo.village_code, "year": 2019, "source": "operation", "amount": "1000.00"}


def _xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "经营主体"
    sheet.append(["名称", "区划代码"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


EXAMPLES = [
    Example("POST", "/api/v1/industry/entities", "industry.entity.manage",
            lambda d: Call("/api/v1/industry/entities", json=_entity_body(d))),
    Example("PATCH", "/api/v1/industry/entities/{entity_id}", "industry.entity.manage",
            lambda d: Call(f"/api/v1/industry/entities/{_enterprise(d)}", json={"note": "演示备注"})),
    Example("POST", "/api/v1/industry/entities/{entity_id}/members", "industry.membership.manage",
            lambda d: Call(f"/api/v1/industry/entities/{_enterprise(d)}/members", json=_member_body(d))),
    Example("POST", "/api/v1/industry/members/{membership_id}/end", "industry.membership.manage",
            lambda d: Call(f"/api/v1/industry/members/{_membership(d)}/end", json={"left_on": TODAY})),
    Example("POST", "/api/v1/industry/entities/{entity_id}/jobs", "industry.entity.manage",
            lambda d: Call(f"/api/v1/industry/entities/{_enterprise(d)}/jobs", json=_job_body(d))),
    Example("POST", "/api/v1/industry/entities/{entity_id}/land", "industry.land.manage",
            lambda d: Call(f"/api/v1/industry/entities/{_enterprise(d)}/land", json=_land_body(d))),
    Example("POST", "/api/v1/industry/land/{contract_id}/rent", "industry.land.manage",
            lambda d: Call(f"/api/v1/industry/land/{_contract(d)}/rent",
                           json={"year": 2018, "paid": "100.00", "paid_on": "2018-03-15"})),
    Example("POST", "/api/v1/industry/entities/{entity_id}/runs", "industry.distribution.preview",
            lambda d: Call(f"/api/v1/industry/entities/{_enterprise(d)}/runs", json=_run_body(d))),
    Example("POST", "/api/v1/industry/runs/{run_id}/confirm", "industry.distribution.confirm",
            lambda d: Call(f"/api/v1/industry/runs/{_preview(d)}/confirm")),
    Example("POST", "/api/v1/industry/runs/{run_id}/discard", "industry.distribution.preview",
            lambda d: Call(f"/api/v1/industry/runs/{_preview(d)}/discard")),
    Example("POST", "/api/v1/industry/collective-income", "industry.collective_income.record",
            lambda d: Call("/api/v1/industry/collective-income", json=_collective_body(d))),
    Example("POST", "/api/v1/industry/imports", "industry.import",
            lambda d: Call("/api/v1/industry/imports", files={"file": ("主体.xlsx", _xlsx(), "application/octet-stream")})),
    Example("POST", "/industry/entities", "industry.entity.manage",
            lambda d: Call("/industry/entities", data=_entity_body(d))),
    Example("POST", "/industry/entities/{entity_id}/members", "industry.membership.manage",
            lambda d: Call(f"/industry/entities/{_enterprise(d)}/members", data=_member_body(d))),
    Example("POST", "/industry/entities/{entity_id}/jobs", "industry.entity.manage",
            lambda d: Call(f"/industry/entities/{_enterprise(d)}/jobs", data=_job_body(d))),
    Example("POST", "/industry/entities/{entity_id}/land", "industry.land.manage",
            lambda d: Call(f"/industry/entities/{_enterprise(d)}/land", data=_land_body(d))),
    Example("POST", "/industry/entities/{entity_id}/runs", "industry.distribution.preview",
            lambda d: Call(f"/industry/entities/{_enterprise(d)}/runs", data=_run_body(d))),
    Example("POST", "/industry/runs/{run_id}/confirm", "industry.distribution.confirm",
            lambda d: Call(f"/industry/runs/{_preview(d)}/confirm")),
    Example("POST", "/industry/runs/{run_id}/discard", "industry.distribution.preview",
            lambda d: Call(f"/industry/runs/{_preview(d)}/discard")),
    Example("POST", "/industry/collective", "industry.collective_income.record",
            lambda d: Call("/industry/collective", data=_collective_body(d))),
    Example("POST", "/industry/import", "industry.import",
            lambda d: Call("/industry/import", files={"file": ("主体.xlsx", _xlsx(), "application/octet-stream")})),
]
