"""Monitoring pages: the list of monitored households, one household's procedure and help, the proposal list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from fupin.core.errors import FupinError, Invalid
from fupin.core.security_text import mask_phone
from fupin.monitoring import queries, rules, service
from fupin.registry import queries as registry_queries
from fupin.registry.schemas import MeasureCreate
from fupin.registry.vocab import MEASURE_TYPES
from fupin.web.deps import DbDep, PageUser, SessionDep, uow_for, verify_csrf
from fupin.web.templating import render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

VOCAB = {"types": rules.MONITOR_TYPES, "risks": rules.RISK_TYPES, "channels": rules.CHANNELS,
         "statuses": rules.STATUSES, "steps": rules.STEP_NAMES, "measures": MEASURE_TYPES,
         "rules": rules.WARNING_RULES}


def _back(url: str, *, error: str | None = None, ok: str | None = None) -> RedirectResponse:
    for key, value in (("error", error), ("ok", ok)):
        if value:
            url += ("&" if "?" in url else "?") + f"{key}=" + quote(value)
    return RedirectResponse(url, status_code=303)


def _date(form, name: str) -> dt.date:  # type: ignore[no-untyped-def]
    raw = str(form.get(name) or "").strip()
    if not raw:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Invalid(f"日期“{raw}”格式应为 YYYY-MM-DD", field=name) from None


def _text(form, name: str) -> str | None:  # type: ignore[no-untyped-def]
    return str(form.get(name) or "").strip() or None


def _ctx(request: Request, **values):  # type: ignore[no-untyped-def]
    return {"vocab": VOCAB, "error": request.query_params.get("error"), "ok": request.query_params.get("ok"),
            "today": dt.date.today().isoformat(), **values}


def _digits(raw: str | None) -> str | None:
    return raw if raw and raw.isdigit() and len(raw) < 13 else None


def _choice(request: Request, name: str, allowed: dict[str, str]) -> str | None:
    value = request.query_params.get(name) or None
    return value if value in allowed else None


@router.get("/monitoring")
def list_page(request: Request, session: SessionDep, user: PageUser):
    status = _choice(request, "status", rules.STATUSES)
    monitor_type = _choice(request, "type", rules.MONITOR_TYPES)
    risk = _choice(request, "risk", rules.RISK_TYPES)
    raw_page = request.query_params.get("page", "1")
    page = max(int(raw_page), 1) if raw_page.isdigit() and len(raw_page) < 6 else 1
    rows = queries.list_monitored(session, user.scope, status=status, monitor_type=monitor_type, risk=risk,
                                  limit=50, offset=(page - 1) * 50)
    counts = queries.counts_by_status(session, user.scope)
    return render(request, "monitoring/list.html", _ctx(request, rows=rows, counts=counts, status=status,
                                                        monitor_type=monitor_type, risk=risk, page=page,
                                                        household_id=_digits(request.query_params.get("household_id")),
                                                        channel="department_alert" if request.query_params.get(
                                                            "household_id") else None))


@router.post("/monitoring")
async def start(request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        raw_id = str(form.get("household_id") or "").strip()
        if not raw_id.isdigit() or len(raw_id) > 12:
            raise Invalid(f"“{raw_id}”不是有效的户ID", field="household_id")
        with uow_for(db, user) as uow:
            record = service.start_monitoring(uow, int(raw_id), monitor_type=str(form.get("monitor_type") or ""),
                                              risk_types=[str(v) for v in form.getlist("risk_types")],
                                              channel=str(form.get("channel") or ""), clue_on=_date(form, "clue_on"),
                                              note=_text(form, "note"))
    except FupinError as error:
        return _back("/monitoring", error=error.message)
    return _back(f"/monitoring/{record.id}", ok="已纳入认定程序,请在15日内完成认定")


@router.get("/monitoring/warnings")
def warnings_page(request: Request, session: SessionDep, user: PageUser):
    raw = request.query_params.get("factor", "1.0")
    try:
        factor = Decimal(raw)
    except InvalidOperation:
        factor = Decimal("1.0")
    if not factor.is_finite() or not Decimal("0.5") <= factor <= Decimal("3"):
        factor = Decimal("1.0")
    proposals = queries.warnings(session, user.scope, as_of=dt.date.today(), factor=factor, limit=500)
    return render(request, "monitoring/warnings.html", _ctx(request, proposals=proposals, factor=factor))


@router.get("/monitoring/publicity")
def publicity_page(request: Request, session: SessionDep, user: PageUser):
    """The notice posted in the village: names, types and risks only — no ID number, phone or bank account."""
    return render(request, "monitoring/publicity.html", _ctx(request, rows=queries.in_publicity(session, user.scope),
                                                             days=rules.PUBLICITY_DAYS))


@router.get("/monitoring/{monitored_id}")
def household_page(monitored_id: int, request: Request, session: SessionDep, user: PageUser):
    record = queries.get_monitored(session, monitored_id, user.scope)
    household = registry_queries.get_household(session, record.household_id, user.scope)
    done = queries.steps_done(session, record.id)
    refusals = rules.clearing_refusals(queries.clearing_facts(session, record), dt.date.today()) \
        if record.status == "monitored" else []
    return render(request, "monitoring/household.html", _ctx(
        request, record=record, household=household, steps=queries.steps_of(session, record.id),
        next_step=rules.next_step([s for s, _ in done]) if record.status == "identifying" else None,
        deadline=rules.deadline(record.clue_on),
        overdue=record.status == "identifying" and rules.overdue(record.clue_on, None, dt.date.today()),
        measures=queries.measures_of(session, record.household_id), refusals=refusals,
        phone=household.phone if user.can_view_pii else mask_phone(household.phone)))


@router.post("/monitoring/{monitored_id}/steps")
async def record_step(monitored_id: int, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        with uow_for(db, user) as uow:
            service.record_step(uow, monitored_id, str(form.get("step") or ""), _date(form, "happened_on"),
                                _text(form, "note"))
    except FupinError as error:
        return _back(f"/monitoring/{monitored_id}", error=error.message)
    return _back(f"/monitoring/{monitored_id}", ok="已记录")


@router.post("/monitoring/{monitored_id}/measures")
async def add_measure(monitored_id: int, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        raw_amount = _text(form, "amount")
        try:
            amount = None if raw_amount is None else Decimal(raw_amount)
        except InvalidOperation:
            raise Invalid(f"金额“{raw_amount}”不是数字", field="amount") from None
        if amount is not None and (not amount.is_finite() or amount < 0 or amount > Decimal("1e9")):
            raise Invalid("金额应为0至10亿元", field="amount")
        data = MeasureCreate(measure_type=str(form.get("measure_type") or ""), delivered_on=_date(form, "delivered_on"),
                             description=(_text(form, "description") or "")[:500] or None, amount=amount)
        with uow_for(db, user) as uow:
            service.add_measure(uow, monitored_id, data)
    except FupinError as error:
        return _back(f"/monitoring/{monitored_id}", error=error.message)
    return _back(f"/monitoring/{monitored_id}", ok="已记录帮扶措施")


@router.post("/monitoring/{monitored_id}/clear")
async def clear(monitored_id: int, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        raw_version = str(form.get("version") or "")
        with uow_for(db, user) as uow:
            service.clear_risk(uow, monitored_id, _date(form, "cleared_on"),
                               int(raw_version) if raw_version.isdigit() and len(raw_version) < 9 else None,
                               _text(form, "note"))
    except FupinError as error:
        return _back(f"/monitoring/{monitored_id}", error=error.message)
    return _back(f"/monitoring/{monitored_id}", ok="已标注风险消除")
