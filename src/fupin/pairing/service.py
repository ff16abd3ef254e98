"""Pairing use cases: compute a plan, keep it for review, apply it in one audited transaction; org pairing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select, update

from fupin.core.audit import AuditAction
from fupin.core.db import bulk_insert, utcnow
from fupin.core.errors import Conflict, Invalid
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.orgs import queries as org_queries
from fupin.orgs.models import Cadre
from fupin.pairing import planner, queries
from fupin.pairing.models import OrgPair, OrgPairHelp, Pair, PairingPlan
from fupin.pairing.rules import configured_quotas, fingerprint, may_help

PLAN_FORMAT = 1
STALE_MESSAGE = "结对方案生成后数据已发生变化(农户、干部或现有结对有增减),为避免覆盖新数据,未写入任何内容。请重新生成方案后再审核应用。"


def _relocated_household_ids(scope: Scope) -> Any:
    """Relocated (allocated or moved-in) households, or None while the relocation capability is not built."""
    from fupin.orgs.coverage import _provider

    relocated_select = _provider("fupin.relocation.queries", "relocated_households_select")
    if relocated_select is None:
        return None
    relocated = relocated_select(scope).subquery("relocated")
    return select(relocated.c.household_id).where(relocated.c.status != "planned")


def load_inputs(session, scope: Scope, day: dt.date) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Everything the plan depends on, read set-based, with the fingerprint of it."""
    from fupin.registry.queries import households_subquery

    quotas = configured_quotas()
    relocated_stmt = _relocated_household_ids(scope)
    relocated = set(session.scalars(relocated_stmt)) if relocated_stmt is not None else set()
    in_scope = households_subquery(scope)
    households = [planner.HouseholdNeed(hid, area, hid in relocated)
                  for hid, area in session.execute(select(in_scope.c.id, in_scope.c.area_code).order_by(in_scope.c.id))]
    # Cadres assigned inside the scope, and cadres of a wider area that contains it (a county cadre may help
    # any household of the county); the pairs those have elsewhere count against their quota.
    ancestors = [scope.prefix[:n].ljust(12, "0") for n in (2, 4, 6, 9) if n < len(scope.prefix)]
    cadre_rows = session.execute(
        org_queries.cadres_select(scope, day).union_all(
            org_queries.cadres_select(Scope.everything(), day).where(Cadre.area_code.in_(ancestors or ["-"])))
    ).all()
    cadres = sorted((planner.CadreSlot(r.id, r.area_code, r.rank, r.is_party_member) for r in cadre_rows),
                    key=lambda c: c.id)
    existing = [planner.ExistingPair(r.id, r.household_id, r.cadre_id, r.started_on)
                for r in session.execute(queries.active_pairs_select(scope, day).order_by("id"))]
    wide = [c.id for c in cadres if not scope.contains(c.area_code)]
    used_elsewhere: dict[int, int] = {}
    if wide:
        outside = (select(Pair.cadre_id, func.count()).where(Pair.cadre_id.in_(wide), ~scope.condition(Pair.area_code),
                                                             queries.active_pair_condition(day))
                   .group_by(Pair.cadre_id))
        used_elsewhere = dict(session.execute(outside).all())
    print_ = fingerprint([
        (day.isoformat(), scope.prefix, sorted(quotas.items())),
        *((h.id, h.area_code, h.needs_party_member) for h in households),
        *(("c", c.id, c.area_code, c.rank, c.is_party_member) for c in cadres),
        *(("p", p.id, p.household_id, p.cadre_id) for p in existing),
        *(("e", k, v) for k, v in sorted(used_elsewhere.items())),
    ])
    return {"households": households, "cadres": cadres, "existing": existing, "quotas": quotas,
            "used_elsewhere": used_elsewhere, "fingerprint": print_}


def compute_plan(session, scope: Scope, area_code: str | None = None, day: dt.date | None = None  # type: ignore[no-untyped-def]
                 ) -> dict[str, Any]:
    """The proposal as a JSON-ready dict (what `fupin pairing plan` writes and the page shows)."""
    day = day or dt.date.today()
    scope = scope.narrowed_to(area_code)
    inputs = load_inputs(session, scope, day)
    plan = planner.plan_pairs(inputs["households"], inputs["cadres"], inputs["existing"], inputs["quotas"],
                              inputs["used_elsewhere"])
    return {
        "format": PLAN_FORMAT,
        "area_code": (area_code or scope.prefix.ljust(12, "0")) if scope.prefix else "",
        "scope_prefix": scope.prefix,
        "day": day.isoformat(),
        "fingerprint": inputs["fingerprint"],
        "quotas": inputs["quotas"],
        "households": len(inputs["households"]),
        "cadres": len(inputs["cadres"]),
        "cost": plan.cost(),
        "keep_count": len(plan.keep),
        "add": plan.add,
        "end": plan.end,
        "unpaired": plan.unpaired,
        "over_quota": plan.over_quota,
    }


def save_plan(uow: UnitOfWork, body: dict[str, Any]) -> PairingPlan:
    stored = PairingPlan(area_code=body["scope_prefix"].ljust(12, "0") if body["scope_prefix"] else "",
                         fingerprint=body["fingerprint"], body=body, created_by=uow.actor.name)
    uow.session.add(stored)
    uow.session.flush()
    uow.audit(AuditAction.create, "pairing_plan", stored.id, area_code=stored.area_code or None,
              detail={"cost": body["cost"], "fingerprint": body["fingerprint"]})
    return stored


def _validate_body(body: Any) -> None:
    required = ("format", "scope_prefix", "day", "fingerprint", "add", "end")
    if not isinstance(body, dict) or any(k not in body for k in required) or body.get("format") != PLAN_FORMAT:
        raise Invalid("结对方案文件格式不正确(请使用 fupin pairing plan 生成的文件)")


def apply_plan(uow: UnitOfWork, body: dict[str, Any], plan_id: int | None = None) -> dict[str, int]:
    """Commit a reviewed plan: end the pairs it ends, add the pairs it adds — or nothing when data changed."""
    _validate_body(body)
    scope = uow.scope.narrowed_to(body["scope_prefix"].ljust(12, "0") if body["scope_prefix"] else None)
    if scope.prefix != body["scope_prefix"]:
        raise Invalid("结对方案的区划范围无效")
    today = dt.date.today()
    if plan_id is not None:
        stored = queries.get_plan(uow.session, plan_id, uow.scope)
        if stored.applied_at is not None:
            raise Conflict(f"结对方案 #{plan_id} 已于{stored.applied_at:%Y-%m-%d %H:%M}应用过")
    if body["day"] != today.isoformat():
        raise Conflict(f"结对方案生成于{body['day']},今天数据可能已变化。{STALE_MESSAGE}")
    inputs = load_inputs(uow.session, scope, today)
    if inputs["fingerprint"] != body["fingerprint"]:
        raise Conflict(STALE_MESSAGE)
    cadres = {c.id: c for c in inputs["cadres"]}
    households = {h.id: h for h in inputs["households"]}
    rows = []
    for item in body["add"]:
        household = households.get(int(item["household_id"]))
        cadre = cadres.get(int(item["cadre_id"]))
        if household is None or cadre is None or not may_help(cadre.area_code, household.area_code):
            raise Invalid(f"结对方案含有越界的结对(农户{item['household_id']} — 干部{item['cadre_id']}),未写入任何内容")
        rows.append((household.id, cadre.id, household.area_code, today, plan_id, utcnow()))
    end_ids = [int(e["pair_id"]) for e in body["end"]]
    session = uow.session
    for start in range(0, len(end_ids), 5000):
        chunk = end_ids[start:start + 5000]
        reasons = {int(e["pair_id"]): e["reason"] for e in body["end"][start:start + 5000]}
        for reason in set(reasons.values()):
            ids = [i for i in chunk if reasons[i] == reason]
            session.execute(update(Pair).where(Pair.id.in_(ids), Pair.ended_on.is_(None))
                            .values(ended_on=today, end_reason=reason[:200]))
    bulk_insert(session.connection(), Pair.__table__,
                ["household_id", "cadre_id", "area_code", "started_on", "plan_id", "created_at"], rows)
    if plan_id is not None:
        stored.applied_at = utcnow()
    counts = {"added": len(rows), "ended": len(end_ids), "kept": int(body.get("keep_count", 0)),
              "unpaired": len(body.get("unpaired", []))}
    uow.audit(AuditAction.command, "pairing_plan", plan_id, area_code=body["scope_prefix"].ljust(12, "0") or None,
              detail={"applied": counts, "fingerprint": body["fingerprint"]})
    return counts


def pair(uow: UnitOfWork, household_id: int, cadre_id: int, day: dt.date | None = None) -> Pair:
    """Pair one household with one cadre by hand (the same rules as the plan)."""
    from fupin.registry.queries import get_household

    day = day or dt.date.today()
    household = get_household(uow.session, household_id, uow.scope)
    cadre = org_queries.get_cadre(uow.session, cadre_id, Scope.everything())
    if not may_help(cadre.area_code, household.area_code):
        raise Invalid(f"{cadre.name}派驻在{cadre.area_code},不能帮扶该区划以外的农户")
    if not (cadre.active_from <= day and (cadre.active_to is None or cadre.active_to > day)):
        raise Invalid(f"{cadre.name}不在岗")
    quota = configured_quotas().get(cadre.rank, 0)
    current = uow.session.scalar(select(func.count()).select_from(Pair).where(
        Pair.cadre_id == cadre.id, queries.active_pair_condition(day))) or 0
    if current >= quota:
        raise Conflict(f"{cadre.name}已结对{current}户,达到名额{quota}户")
    duplicate = uow.session.scalar(select(Pair.id).where(Pair.cadre_id == cadre.id, Pair.household_id == household.id,
                                                         queries.active_pair_condition(day)))
    if duplicate is not None:
        raise Conflict("该干部已与该户结对")
    new = Pair(household_id=household.id, cadre_id=cadre.id, area_code=household.area_code, started_on=day)
    uow.session.add(new)
    uow.session.flush()
    uow.audit(AuditAction.create, "pair", new.id, area_code=household.area_code,
              after={"household_id": household.id, "cadre_id": cadre.id, "started_on": day})
    return new


def end_pair(uow: UnitOfWork, pair_id: int, reason: str, day: dt.date | None = None) -> Pair:
    day = day or dt.date.today()
    found = uow.session.get(Pair, pair_id)
    if found is None or not uow.scope.contains(found.area_code):
        from fupin.core.errors import NotFound

        raise NotFound("结对", pair_id)
    if found.ended_on is not None:
        raise Conflict("该结对已结束")
    if not (reason or "").strip():
        raise Invalid("请填写结束结对的原因", field="reason")
    found.ended_on = day
    found.end_reason = reason.strip()[:200]
    uow.session.flush()
    uow.audit(AuditAction.update, "pair", found.id, area_code=found.area_code, before={"ended_on": None},
              after={"ended_on": day, "end_reason": found.end_reason})
    return found


ORG_PAIR_FORMS = {"1+1": "1+1 结对共建", "X+1": "X+1 联合共建"}


def create_org_pair(uow: UnitOfWork, helper_org_id: int, helped_org_id: int, form: str,
                    started_on: dt.date) -> OrgPair:
    if form not in ORG_PAIR_FORMS:
        raise Invalid("共建形式应为 1+1 或 X+1", field="form")
    if helper_org_id == helped_org_id:
        raise Invalid("不能与自己结对共建", field="helped_org_id")
    helper = org_queries.get_org(uow.session, helper_org_id, Scope.everything())
    helped = org_queries.get_org(uow.session, helped_org_id, uow.scope)
    record = OrgPair(helper_org_id=helper.id, helped_org_id=helped.id, form=form, area_code=helped.area_code,
                     started_on=started_on)
    uow.session.add(record)
    uow.session.flush()
    uow.audit(AuditAction.create, "org_pair", record.id, area_code=helped.area_code,
              after={"helper_org_id": helper.id, "helped_org_id": helped.id, "form": form, "started_on": started_on})
    return record


def record_org_help(uow: UnitOfWork, org_pair_id: int, delivered_on: dt.date, funds: str | Decimal,
                    project: str | None = None, note: str | None = None) -> OrgPairHelp:
    record = uow.session.get(OrgPair, org_pair_id)
    if record is None or not uow.scope.contains(record.area_code):
        from fupin.core.errors import NotFound

        raise NotFound("组织结对", org_pair_id)
    try:
        amount = Decimal(str(funds)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise Invalid(f"资金“{funds}”不是有效金额", field="funds") from None
    if amount < 0:
        raise Invalid("资金不能为负数", field="funds")
    help_row = OrgPairHelp(org_pair_id=record.id, delivered_on=delivered_on, funds=amount, project=project or None,
                           note=note or None)
    uow.session.add(help_row)
    uow.session.flush()
    uow.audit(AuditAction.create, "org_pair_help", help_row.id, area_code=record.area_code,
              after={"org_pair_id": record.id, "funds": amount, "project": project, "delivered_on": delivered_on})
    return help_row
