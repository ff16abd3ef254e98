"""Write routes of pairing (API and pages), each with a valid request inside the demo village."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from fupin.orgs.models import Cadre, PartyOrg
from fupin.pairing.models import OrgPair, Pair, PairingPlan
from fupin.registry.models import Household
from tests.route_examples import Call, Demo, Example


def _household(demo: Demo) -> int:
    return demo.session.scalar(select(Household.id).where(Household.area_code.startswith(demo.village_code))
                               .order_by(Household.id).limit(1))


def _cadre(demo: Demo) -> int:
    return demo.session.scalar(select(Cadre.id).where(Cadre.area_code.startswith(demo.village_code))
                               .order_by(Cadre.id.desc()).limit(1)) or demo.session.scalar(select(Cadre.id).limit(1))


def _open_pair(demo: Demo) -> int:
    return demo.session.scalar(select(Pair.id).where(Pair.area_code.startswith(demo.village_code),
                                                     Pair.ended_on.is_(None)).order_by(Pair.id).limit(1)) or 1


def _plan(demo: Demo) -> int:
    """A stored plan when there is one (the demo keeps none: allowed roles then get 404, which is fine)."""
    return demo.session.scalar(select(PairingPlan.id).order_by(PairingPlan.id).limit(1)) or 1


def _orgs(demo: Demo) -> tuple[int, int]:
    """Two organisations of the demo village (the demo has its branch and a dissolved one), to pair."""
    ids = list(demo.session.scalars(select(PartyOrg.id).where(PartyOrg.area_code.startswith(demo.village_code))
                                    .order_by(PartyOrg.id).limit(2)))
    return ids[0], ids[-1]


def _org_pair(demo: Demo) -> int:
    return demo.session.scalar(select(OrgPair.id).where(OrgPair.area_code.startswith(demo.village_code))
                               .order_by(OrgPair.id).limit(1)) or demo.session.scalar(select(OrgPair.id).limit(1)) or 1


TODAY = dt.date.today().isoformat()

EXAMPLES = [
    Example("POST", "/api/v1/pairing/pairs", "pairing.pair.manage", lambda d: Call(
        "/api/v1/pairing/pairs", json={"household_id": _household(d), "cadre_id": _cadre(d)})),
    Example("POST", "/api/v1/pairing/pairs/{pair_id}/end", "pairing.pair.manage", lambda d: Call(
        f"/api/v1/pairing/pairs/{_open_pair(d)}/end", json={"reason": "示例:干部调离"})),
    Example("POST", "/api/v1/pairing/plans", "pairing.plan.compute", lambda d: Call(
        "/api/v1/pairing/plans", json={"area": d.village_code})),
    Example("POST", "/api/v1/pairing/plans/{plan_id}/apply", "pairing.plan.apply", lambda d: Call(
        f"/api/v1/pairing/plans/{_plan(d)}/apply")),
    Example("POST", "/api/v1/pairing/org-pairs", "pairing.org_pair.manage", lambda d: Call(
        "/api/v1/pairing/org-pairs", json={"helper_org_id": _orgs(d)[1], "helped_org_id": _orgs(d)[0],
                                           "form": "1+1", "started_on": TODAY})),
    Example("POST", "/pairing/org-pairs", "pairing.org_pair.manage", lambda d: Call(
        "/pairing/org-pairs", data={"helper_org_id": str(_orgs(d)[1]), "helped_org_id": str(_orgs(d)[0]),
                                    "form": "1+1", "started_on": TODAY})),
    Example("POST", "/api/v1/pairing/org-pairs/{org_pair_id}/help", "pairing.org_help.record", lambda d: Call(
        f"/api/v1/pairing/org-pairs/{_org_pair(d)}/help", json={"delivered_on": TODAY, "funds": "100.00",
                                                                "project": "示例项目"})),
    Example("POST", "/pairing/plans", "pairing.plan.compute", lambda d: Call("/pairing/plans", data={})),
    Example("POST", "/pairing/plans/{plan_id:int}/apply", "pairing.plan.apply", lambda d: Call(
        f"/pairing/plans/{_plan(d)}/apply", data={})),
]
