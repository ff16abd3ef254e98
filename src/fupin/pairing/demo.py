"""Demo pairs: most households paired years ago under the quotas, a share left unpaired, two cadres gone;
one organisation pairing (机关支部 ↔ 村支部) with the help it delivered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from fupin.core.audit import Actor, AuditAction
from fupin.core.db import bulk_insert, utcnow
from fupin.core.demo import DemoContext
from fupin.core.scoping import Scope
from fupin.core.sql import bump_sequences
from fupin.core.uow import UnitOfWork
from fupin.orgs import queries as org_queries
from fupin.pairing import planner
from fupin.pairing.models import OrgPair, OrgPairHelp, Pair
from fupin.pairing.service import load_inputs

PAIRED_SHARE = 0.8


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("pairing")
    with UnitOfWork(ctx.db, Actor.system("demo")) as uow:
        session = uow.session
        # The pairs are as they stood in 2019, before two cadres left: plan on that day, then keep most of it.
        then = dt.date(2019, 6, 1)
        inputs = load_inputs(session, Scope.of_area(ctx.county_code), then)
        proposal = planner.plan_pairs(inputs["households"], inputs["cadres"], [], inputs["quotas"])
        area_of = {h.id: h.area_code for h in inputs["households"]}
        rows = []
        for item in proposal.add:
            if rng.random() < PAIRED_SHARE:
                started = dt.date(rng.randint(2016, 2019), rng.randint(1, 5), 1)
                rows.append((item["household_id"], item["cadre_id"], area_of[item["household_id"]], started,
                             utcnow()))
        connection = session.connection()
        bulk_insert(connection, Pair.__table__, ["household_id", "cadre_id", "area_code", "started_on",
                                                 "created_at"], rows)
        org_ids = ctx.facts.get("org_ids", {})
        helped = next(iter(org_ids.get("village_branches", {}).values()), None)
        if org_ids.get("organ_branch") and helped:
            record = OrgPair(helper_org_id=org_ids["organ_branch"], helped_org_id=helped, form="1+1",
                             area_code=ctx.facts["village_codes"][0], started_on=dt.date(2018, 3, 1))
            session.add(record)
            session.flush()
            session.add_all([
                OrgPairHelp(org_pair_id=record.id, delivered_on=dt.date(2018, 6, 1), funds=Decimal("50000.00"),
                            project="村集体苹果园滴灌设施"),
                OrgPairHelp(org_pair_id=record.id, delivered_on=dt.date(2019, 9, 1), funds=Decimal("12800.50"),
                            project="党员活动室修缮"),
            ])
        bump_sequences(connection, ["pairs"])
        uow.audit(AuditAction.imported, "pairs", None, area_code=ctx.county_code,
                  detail={"source": "demo", "seed": ctx.seed, "pairs": len(rows)})
    ctx.facts["pairs"] = len(rows)
    # The cadre with most households in the first village: the demo's village login is linked to him (accounts).
    first_village = ctx.facts.get("village_codes", [""])[0]
    with ctx.db.session_factory() as session:
        in_post = set(session.scalars(select(org_queries.cadres_select(Scope.of_area(ctx.county_code),
                                                                       dt.date.today()).subquery().c.id)))
    loads: dict[int, int] = {}
    for _household, cadre_id, area_code, _started, _at in rows:
        if area_code.startswith(first_village) and cadre_id in in_post:
            loads[cadre_id] = loads.get(cadre_id, 0) + 1
    if loads:
        ctx.facts["demo_cadre_id"] = max(sorted(loads), key=lambda c: loads[c])
    unpaired = len(inputs["households"]) - len(rows)
    ctx.summary.append(f"结对帮扶:{len(rows)}对,{unpaired}户尚无帮扶责任人(供“全覆盖”页面发现)")
