"""Pairing use cases: compute a plan (a background job), keep it for review, apply it in one audited
transaction; pair and end pairs by hand; organisation pairing.

Race-freedom: every use case that checks and then writes pairs holds the rows of the cadres it counts on
(`orgs.queries.cadre_in_scope(..., lock=True)` / `cadres_serving_select(...).with_for_update()`), so on PostgreSQL
two writers touching the same cadre take turns and the second sees what the first committed; SQLite writers
already take turns (BEGIN IMMEDIATE). A plan is claimed by its own row (FOR UPDATE, `applied_at`), and a
partial unique index on active (cadre, household) pairs backs it all up (`uow.flush()` → 409).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select, update

from fupin.core import jobs
from fupin.core.audit import AuditAction
from fupin.core.db import bulk_insert, utcnow
from fupin.core.errors import CONCURRENT_WRITE
from fupin.core.scoping import Scope
from fupin.core.sql import chunks
from fupin.core.uow import UnitOfWork
from fupin.orgs import queries as org_queries
from fupin.orgs.coverage import lent_select
from fupin.pairing import errors, planner, queries
from fupin.pairing.models import OrgPair, OrgPairHelp, Pair, PairingPlan
from fupin.pairing.rules import cadre_active_on, configured_quotas, fingerprint, may_help
from fupin.registry import queries as registry_queries

PLAN_FORMAT = 1
SUMMARY_ITEMS = 500
MAX_FUNDS = Decimal("999999999999.99")  # Numeric(14, 2)
ORG_PAIR_FORMS = {"1+1": "1+1 结对共建", "X+1": "X+1 联合共建"}
Progress = Callable[[str, int, int], None]


def _relocated_household_ids(scope: Scope) -> Any:
    """Relocated (allocated or moved-in) households, or None while the relocation capability is not built."""
    relocated_select = lent_select("relocation.relocated_households_select", "搬迁户(搬迁模块)")
    if isinstance(relocated_select, str):
        return None
    relocated = relocated_select(scope).subquery("relocated")
    return select(relocated.c.household_id).where(relocated.c.status != "planned")


def load_inputs(session, scope: Scope, day: dt.date) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Everything the plan depends on, read set-based, with the fingerprint of it."""
    quotas = configured_quotas()
    relocated_stmt = _relocated_household_ids(scope)
    relocated = set(session.scalars(relocated_stmt)) if relocated_stmt is not None else set()
    in_scope = registry_queries.households_subquery(scope)
    households = [planner.HouseholdNeed(hid, area, hid in relocated)
                  for hid, area in session.execute(select(in_scope.c.id, in_scope.c.area_code).order_by(in_scope.c.id))]
    # Cadres assigned inside the scope, and cadres of a wider area that contains it (a county cadre may help
    # any household of the county); the pairs those have elsewhere count against their quota.
    cadre_rows = session.execute(org_queries.cadres_serving_select(scope, day)).all()
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
        used_elsewhere = dict(session.execute(outside).tuples().all())
    print_ = fingerprint([
        (day.isoformat(), scope.prefix, sorted(quotas.items())),
        *((h.id, h.area_code, h.needs_party_member) for h in households),
        *(("c", c.id, c.area_code, c.rank, c.is_party_member) for c in cadres),
        *(("p", p.id, p.household_id, p.cadre_id) for p in existing),
        *(("e", k, v) for k, v in sorted(used_elsewhere.items())),
    ])
    return {"households": households, "cadres": cadres, "existing": existing, "quotas": quotas,
            "used_elsewhere": used_elsewhere, "fingerprint": print_}


def compute_plan(uow: UnitOfWork, area_code: str | None = None, day: dt.date | None = None,
                 progress: Progress | None = None) -> dict[str, Any]:
    """The proposal for the area (the caller's own when None) as a JSON-ready dict; nothing is written."""
    day = day or dt.date.today()
    with uow.reading():
        uow.require("pairing.plan.compute", area_code=area_code)
        scope = uow.scope.narrowed_to(area_code)
        if progress:
            progress("读取农户、干部和现有结对", 0, 1)
        inputs = load_inputs(uow.session, scope, day)
    plan = planner.plan_pairs(inputs["households"], inputs["cadres"], inputs["existing"], inputs["quotas"],
                              inputs["used_elsewhere"],
                              progress=(lambda done, total: progress("计算方案", done, total)) if progress else None)
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


def plan_summary(plan_id: int, body: dict[str, Any]) -> dict[str, Any]:
    return {"plan_id": plan_id, "area_code": body["area_code"], "day": body["day"], "cost": body["cost"],
            "households": body.get("households"), "cadres": body.get("cadres"), "over_quota": body["over_quota"],
            "unpaired": body["unpaired"][:SUMMARY_ITEMS], "end": body["end"][:SUMMARY_ITEMS],
            "add": body["add"][:SUMMARY_ITEMS]}


def save_plan(uow: UnitOfWork, body: dict[str, Any]) -> PairingPlan:
    area = body["scope_prefix"].ljust(12, "0") if body["scope_prefix"] else ""
    with uow:
        uow.require("pairing.plan.compute", area_code=area or None)
        stored = PairingPlan(area_code=area, fingerprint=body["fingerprint"], body=body, created_by=uow.actor.name)
        uow.session.add(stored)
        uow.flush()
        uow.audit(AuditAction.create, "pairing_plan", stored.id, area_code=stored.area_code or None,
                  detail={"cost": body["cost"], "fingerprint": body["fingerprint"]})
        return stored


def request_plan(uow: UnitOfWork, area_code: str | None = None) -> str:
    """Queue the computation of a plan for the area as a background job (its result names the saved plan)."""
    with uow:
        uow.require("pairing.plan.compute", area_code=area_code)
        scope = uow.scope.narrowed_to(area_code)
        code = area_code or (scope.prefix.ljust(12, "0") if scope.prefix else "")
        return jobs.submit(uow, "pairing.plan", f"计算结对方案 {code or '全国'}", {"area": area_code},
                           area_code=code or None)


def run_plan_job(ctx: jobs.JobContext) -> dict[str, Any]:
    """The job handler of "pairing.plan": read, solve (progress per component), save the plan for review."""
    uow = ctx.uow()
    body = compute_plan(uow, ctx.params.get("area"), progress=ctx.progress)
    ctx.progress("保存方案", 1, 1, force=True)
    stored = save_plan(uow, body)
    return plan_summary(stored.id, body)


# ---- applying a plan

def _validate_body(body: Any) -> None:
    required = ("format", "scope_prefix", "day", "fingerprint", "add", "end")
    if (not isinstance(body, dict) or any(k not in body for k in required) or body.get("format") != PLAN_FORMAT
            or not isinstance(body["scope_prefix"], str) or not isinstance(body["add"], list)
            or not isinstance(body["end"], list)):
        raise errors.PLAN_MALFORMED()


def _ids(items: list[Any], *keys: str) -> list[tuple[int, ...]]:
    try:
        values = [tuple(int(item[k]) for k in keys) for item in items]
    except (TypeError, ValueError, KeyError):
        raise errors.PLAN_MALFORMED() from None
    if any(not 0 < v < 2**63 for row in values for v in row):
        raise errors.PLAN_MALFORMED()
    return values


def _hold_cadres(uow: UnitOfWork, scope: Scope, day: dt.date) -> None:
    """Take the rows of every cadre serving the scope (in id order) until the transaction ends: a concurrent
    apply, pairing or ending that counts on the same cadres waits, then sees what this one wrote."""
    uow.session.execute(uow.locked(org_queries.cadres_serving_select(scope, day).order_by("id"))).all()


def _apply_body(uow: UnitOfWork, body: Any, plan_id: int | None) -> dict[str, int]:
    _validate_body(body)
    prefix: str = body["scope_prefix"]
    area = prefix.ljust(12, "0") if prefix else None
    if area is not None and (not area.isdigit() or Scope.of_area(area).prefix != prefix):
        raise errors.PLAN_SCOPE_INVALID()
    uow.require("pairing.plan.apply", area_code=area)
    scope = Scope(prefix)
    today = dt.date.today()
    if body["day"] != today.isoformat():
        raise errors.PLAN_OF_ANOTHER_DAY(day=str(body["day"])[:10])
    adds = _ids(body["add"], "household_id", "cadre_id")
    ends = _ids(body["end"], "pair_id")
    _hold_cadres(uow, scope, today)
    inputs = load_inputs(uow.session, scope, today)
    if inputs["fingerprint"] != body["fingerprint"]:
        raise errors.PLAN_STALE()
    cadres = {c.id: c for c in inputs["cadres"]}
    households = {h.id: h for h in inputs["households"]}
    now = utcnow()
    rows = []
    for household_id, cadre_id in adds:
        household, cadre = households.get(household_id), cadres.get(cadre_id)
        if household is None or cadre is None or not may_help(cadre.area_code, household.area_code):
            raise errors.PLAN_OUT_OF_BOUNDS()
        rows.append((household.id, cadre.id, household.area_code, today, plan_id, now))
    reasons = {int(e["pair_id"]): str(e.get("reason") or "")[:200] for e in body["end"]}
    session = uow.session
    by_reason: dict[str, list[int]] = {}
    for (pair_id,) in ends:
        by_reason.setdefault(reasons[pair_id], []).append(pair_id)
    ended = 0
    for reason, pair_ids in by_reason.items():
        for chunk in chunks(pair_ids, 5000):
            ended += session.execute(update(Pair).where(Pair.id.in_(chunk), Pair.ended_on.is_(None),
                                                        scope.condition(Pair.area_code))
                                     .values(ended_on=today, end_reason=reason)).rowcount
    if ended != len({pair_id for (pair_id,) in ends}):
        raise errors.PLAN_STALE()
    _insert_pairs(uow, rows)
    counts = {"added": len(rows), "ended": len(ends), "kept": int(body.get("keep_count", 0) or 0),
              "unpaired": len(body.get("unpaired", []) or [])}
    uow.audit(AuditAction.command, "pairing_plan", plan_id, area_code=area,
              detail={"applied": counts, "fingerprint": body["fingerprint"]})
    return counts


PAIR_COLUMNS = ("household_id", "cadre_id", "area_code", "started_on", "plan_id", "created_at")


def _insert_pairs(uow: UnitOfWork, rows: list[tuple[Any, ...]]) -> None:
    """COPY on PostgreSQL (a plan adds up to hundreds of thousands of pairs); the driver's own error for a pair
    that is already open (the unique index) is the usual 409."""
    uow.flush()
    try:
        bulk_insert(uow.session.connection(), Pair.__table__, PAIR_COLUMNS, rows)
    except Exception as error:  # COPY and sqlite3's executemany raise the driver's errors, not SQLAlchemy's
        text = str(error).lower()
        if "unique" in text or "duplicate" in text:
            raise CONCURRENT_WRITE() from error
        raise


def apply_plan(uow: UnitOfWork, plan_id: int) -> dict[str, int]:
    """Commit a reviewed plan exactly once: end the pairs it ends, add the pairs it adds — or nothing (409) when
    it was applied already or the data changed since it was computed."""
    with uow:
        uow.require("pairing.plan.apply")
        stored = queries.get_plan(uow.session, plan_id, uow.scope, lock=True)
        if stored.applied_at is not None:
            raise errors.PLAN_ALREADY_APPLIED(at=f"{stored.applied_at:%Y-%m-%d %H:%M}")
        counts = _apply_body(uow, stored.body, stored.id)
        stored.applied_at = utcnow()
        uow.flush()
        return counts


def apply_plan_file(uow: UnitOfWork, body: Any) -> dict[str, int]:
    """Commit a plan written by `fupin pairing plan` (the same checks; the fingerprint makes it once only)."""
    with uow:
        uow.require("pairing.plan.apply")
        return _apply_body(uow, body, None)


# ---- one pair by hand

def pair(uow: UnitOfWork, household_id: int, cadre_id: int, day: dt.date | None = None) -> Pair:
    """Pair one household with one cadre by hand (the same rules as the plan)."""
    with uow:
        uow.require("pairing.pair.manage")
        day = day or dt.date.today()
        household = registry_queries.get_household(uow.session, household_id, uow.scope)
        cadre = org_queries.cadre_in_scope(uow.session, uow.scope, cadre_id, lock=True)
        if cadre is None:
            raise errors.CADRE_NOT_FOUND(field="cadre_id", key=cadre_id)
        if not may_help(cadre.area_code, household.area_code):
            raise errors.CADRE_OUTSIDE_HOUSEHOLD_AREA(field="cadre_id")
        if not cadre_active_on(cadre.active_from, cadre.active_to, day):
            raise errors.CADRE_NOT_IN_POST(field="cadre_id")
        if queries.active_pair_exists(uow.session, cadre.id, household.id, day):
            raise errors.ALREADY_PAIRED()
        quota = configured_quotas().get(cadre.rank, 0)
        if queries.active_pairs_of_cadre(uow.session, cadre.id, day) >= quota:
            raise errors.QUOTA_FULL(quota=quota)
        new = Pair(household_id=household.id, cadre_id=cadre.id, area_code=household.area_code, started_on=day)
        uow.session.add(new)
        uow.flush()
        uow.audit(AuditAction.create, "pair", new.id, area_code=household.area_code,
                  after={"household_id": household.id, "cadre_id": cadre.id, "started_on": day})
        return new


def end_pair(uow: UnitOfWork, pair_id: int, reason: str, day: dt.date | None = None) -> Pair:
    """End an active pair (a dated row stays); ending it again is a 409."""
    with uow:
        uow.require("pairing.pair.manage")
        day = day or dt.date.today()
        reason = (reason or "").strip()
        if not reason:
            raise errors.REASON_REQUIRED(field="reason")
        found = queries.get_pair(uow.session, pair_id, uow.scope)
        if day < found.started_on:
            raise errors.END_BEFORE_START(field="day")
        # The cadre's row first (as a plan apply or a new pair of his would take it), then the pair's.
        org_queries.cadre_in_scope(uow.session, Scope.everything(), found.cadre_id, lock=True)
        changed = uow.session.execute(update(Pair).where(Pair.id == found.id, Pair.ended_on.is_(None))
                                      .values(ended_on=day, end_reason=reason[:200])).rowcount
        if changed != 1:
            raise errors.PAIR_ALREADY_ENDED()
        uow.session.refresh(found)
        uow.audit(AuditAction.update, "pair", found.id, area_code=found.area_code, before={"ended_on": None},
                  after={"ended_on": day, "end_reason": found.end_reason})
        return found


# ---- organisation pairing

def create_org_pair(uow: UnitOfWork, helper_org_id: int, helped_org_id: int, form: str,
                    started_on: dt.date) -> OrgPair:
    """Both organisations lie in the caller's scope (an organisation elsewhere reads as not existing)."""
    with uow:
        uow.require("pairing.org_pair.manage")
        if form not in ORG_PAIR_FORMS:
            raise errors.ORG_PAIR_FORM_UNKNOWN(field="form")
        if helper_org_id == helped_org_id:
            raise errors.ORG_PAIR_SELF(field="helped_org_id")
        helper = org_queries.get_org(uow.session, helper_org_id, uow.scope)
        helped = org_queries.get_org(uow.session, helped_org_id, uow.scope, lock=True)
        if queries.active_org_pair_exists(uow.session, helper.id, helped.id):
            raise errors.ORG_PAIR_EXISTS()
        record = OrgPair(helper_org_id=helper.id, helped_org_id=helped.id, form=form, area_code=helped.area_code,
                         started_on=started_on)
        uow.session.add(record)
        uow.flush()
        uow.audit(AuditAction.create, "org_pair", record.id, area_code=helped.area_code,
                  after={"helper_org_id": helper.id, "helped_org_id": helped.id, "form": form,
                         "started_on": started_on})
        return record


def _amount(funds: str | Decimal) -> Decimal:
    try:
        amount = Decimal(str(funds)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise errors.FUNDS_INVALID(field="funds", value=str(funds)[:30]) from None
    if not amount.is_finite() or amount > MAX_FUNDS:
        raise errors.FUNDS_INVALID(field="funds", value=str(funds)[:30])
    if amount < 0:
        raise errors.FUNDS_NEGATIVE(field="funds")
    return amount


def record_org_help(uow: UnitOfWork, org_pair_id: int, delivered_on: dt.date, funds: str | Decimal,
                    project: str | None = None, note: str | None = None) -> OrgPairHelp:
    with uow:
        uow.require("pairing.org_help.record")
        record = queries.get_org_pair(uow.session, org_pair_id, uow.scope)
        amount = _amount(funds)
        help_row = OrgPairHelp(org_pair_id=record.id, delivered_on=delivered_on, funds=amount,
                               project=project or None, note=note or None)
        uow.session.add(help_row)
        uow.flush()
        uow.audit(AuditAction.create, "org_pair_help", help_row.id, area_code=record.area_code,
                  after={"org_pair_id": record.id, "funds": amount, "project": project,
                         "delivered_on": delivered_on})
        return help_row
