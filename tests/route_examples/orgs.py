"""Write routes of orgs (API and pages), each with a valid request inside the demo village."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from sqlalchemy import select

from fupin.orgs.models import Cadre, PartyMember, PartyOrg
from tests.route_examples import Call, Demo, Example


def _village_branch(demo: Demo) -> int:
    """The demo village's own branch (the demo gives every village but one in 17 a branch or general branch;
    the first village has one). The examples never dissolve it: moving it under its own parent changes nothing."""
    return demo.session.scalar(select(PartyOrg.id).where(
        PartyOrg.area_code == demo.village_code, PartyOrg.base_kind == "village",
        PartyOrg.org_type.in_(["branch", "general_branch"])).order_by(PartyOrg.id).limit(1))


def _dissolved_org(demo: Demo) -> int:
    """The demo's branch of a merged village (dissolved in 2020, in the first village): dissolving it again is a
    409 for the roles that may, a 403 for the others, and changes nothing either way."""
    return demo.session.scalar(select(PartyOrg.id).where(
        PartyOrg.area_code.startswith(demo.village_code), PartyOrg.dissolved_on.is_not(None))
        .order_by(PartyOrg.id).limit(1)) or _village_branch(demo)


def _cadre(demo: Demo) -> int:
    return demo.session.scalar(select(Cadre.id).where(Cadre.area_code.startswith(demo.village_code))
                               .order_by(Cadre.id).limit(1)) or demo.session.scalar(select(Cadre.id).limit(1))


def _cadre_form(demo: Demo) -> dict[str, str]:
    """The cadre's own values sent back (nothing changes; a racing role may get 409 on the version)."""
    cadre = demo.session.get(Cadre, _cadre(demo))
    return {"version": str(cadre.version), "name": cadre.name, "work_unit": cadre.work_unit, "rank": cadre.rank,
            "post": cadre.post, **({"is_party_member": "on"} if cadre.is_party_member else {})}


def _org_form(demo: Demo) -> dict[str, str]:
    """The village branch's own values sent back (nothing changes; a racing role may get 409 on the version)."""
    org = demo.session.get(PartyOrg, _village_branch(demo))
    demo.session.refresh(org)
    return {"version": str(org.version), "name": org.name, "org_type": org.org_type, "base_kind": org.base_kind,
            "founded_on": org.founded_on.isoformat(), "base_name": org.base_name or "",
            "destination": org.destination or "", "origin_county_code": org.origin_county_code or "",
            "secretary_name": org.secretary_name or ""}


def _member(demo: Demo) -> tuple[int, int, str]:
    """A member in the demo village (a floating one when there is), his branch and his managing organisation sent
    back unchanged."""
    member = demo.session.scalars(select(PartyMember).where(PartyMember.area_code.startswith(demo.village_code))
                                  .order_by(PartyMember.is_floating.desc(), PartyMember.id).limit(1)).one()
    return member.id, member.org_id, str(member.managing_org_id or "")


def _parent_of(demo: Demo, org_id: int) -> int | None:
    return demo.session.scalar(select(PartyOrg.parent_id).where(PartyOrg.id == org_id))


def _cadres_sheet() -> bytes:
    workbook = Workbook()
    workbook.active.append(["姓名", "帮扶单位", "职级", "职务", "派驻区划代码", "是否党员", "到岗日期"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


TODAY = dt.date.today().isoformat()

EXAMPLES = [
    Example("POST", "/api/v1/orgs", "orgs.org.manage", lambda d: Call(
        "/api/v1/orgs", json={"name": "示例产业党支部", "org_type": "branch", "area_code": d.village_code,
                              "base_kind": "industry_chain", "base_name": "示例产业链", "founded_on": "2024-01-01"})),
    Example("POST", "/api/v1/orgs/{org_id}/move", "orgs.org.manage", lambda d: Call(
        f"/api/v1/orgs/{_village_branch(d)}/move", json={"parent_id": _parent_of(d, _village_branch(d)),
                                                          "note": "示例:原处不动"})),
    Example("PATCH", "/api/v1/orgs/{org_id}", "orgs.org.manage", lambda d: Call(
        f"/api/v1/orgs/{_village_branch(d)}", json={**_org_form(d), "version": int(_org_form(d)["version"])})),
    Example("POST", "/api/v1/orgs/{org_id}/dissolve", "orgs.org.manage", lambda d: Call(
        f"/api/v1/orgs/{_dissolved_org(d)}/dissolve", json={"day": TODAY, "note": "示例"})),
    Example("POST", "/api/v1/party-members", "orgs.member.manage", lambda d: Call(
        "/api/v1/party-members", json={"name": "示例党员", "org_id": _village_branch(d)})),
    Example("POST", "/api/v1/cadres", "orgs.cadre.manage", lambda d: Call(
        "/api/v1/cadres", json={"name": "示例干部", "work_unit": "县扶贫办", "rank": "general", "post": "work_team",
                                "area_code": d.village_code, "active_from": "2024-01-01"})),
    Example("PUT", "/api/v1/cadres/{cadre_id}", "orgs.cadre.manage", lambda d: Call(
        f"/api/v1/cadres/{_cadre(d)}", json={**_cadre_form(d), "version": int(_cadre_form(d)["version"]),
                                             "is_party_member": "is_party_member" in _cadre_form(d)})),
    Example("POST", "/api/v1/cadres/{cadre_id}/end", "orgs.cadre.manage", lambda d: Call(
        f"/api/v1/cadres/{_cadre(d)}/end", json={"day": TODAY})),
    Example("POST", "/api/v1/cadres/export", "orgs.export", lambda d: Call(
        "/api/v1/cadres/export", json={"area": d.village_code})),
    Example("POST", "/api/v1/coverage/export", "orgs.export", lambda d: Call(
        "/api/v1/coverage/export", json={"area": d.village_code})),
    Example("POST", "/orgs/coverage/export", "orgs.export", lambda d: Call("/orgs/coverage/export", data={})),
    Example("POST", "/orgs/cadres/export", "orgs.export", lambda d: Call("/orgs/cadres/export", data={})),
    Example("POST", "/orgs/{org_id:int}/move", "orgs.org.manage", lambda d: Call(
        f"/orgs/{_village_branch(d)}/move", data={"parent_id": str(_parent_of(d, _village_branch(d)) or ""),
                                                   "note": "示例:原处不动"})),
    Example("POST", "/orgs/{org_id:int}/dissolve", "orgs.org.manage", lambda d: Call(
        f"/orgs/{_dissolved_org(d)}/dissolve", data={"day": TODAY, "note": "示例"})),
    Example("POST", "/orgs/new", "orgs.org.manage", lambda d: Call(
        "/orgs/new", data={"name": "示例产业党支部", "org_type": "branch", "area_code": d.village_code,
                           "base_kind": "industry_chain", "base_name": "示例产业链", "founded_on": "2024-01-01"})),
    Example("POST", "/orgs/{org_id:int}/members", "orgs.member.manage", lambda d: Call(
        f"/orgs/{_village_branch(d)}/members", data={"name": "示例党员"})),
    Example("POST", "/orgs/{org_id:int}/edit", "orgs.org.manage", lambda d: Call(
        f"/orgs/{_village_branch(d)}/edit", data=_org_form(d))),
    Example("POST", "/orgs/{org_id:int}/members/{member_id:int}/manager", "orgs.member.manage", lambda d: Call(
        f"/orgs/{_member(d)[1]}/members/{_member(d)[0]}/manager", data={"managing_org_id": _member(d)[2]})),
    Example("POST", "/orgs/cadres/new", "orgs.cadre.manage", lambda d: Call(
        "/orgs/cadres/new", data={"name": "示例干部", "work_unit": "县扶贫办", "rank": "general", "post": "work_team",
                                  "area_code": d.village_code, "active_from": "2024-01-01"})),
    Example("POST", "/orgs/cadres/{cadre_id:int}/edit", "orgs.cadre.manage", lambda d: Call(
        f"/orgs/cadres/{_cadre(d)}/edit", data=_cadre_form(d))),
    Example("POST", "/orgs/import", "orgs.import", lambda d: Call(
        "/orgs/import", data={"kind": "cadres", "mode": "all-or-nothing"},
        files={"file": ("cadres.xlsx", _cadres_sheet(),
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})),
]
