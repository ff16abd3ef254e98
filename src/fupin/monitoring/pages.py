"""Monitoring pages: the list of monitored households, one household's procedure and help, the proposal list,
the publicity notice. Handlers read on the request's session and write through one use case; every form parses
with the API's schema, and a rejected form comes back (422) with what was typed and each message beside its
field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from fupin.core.capability import provided
from fupin.core.identity import CurrentUser
from fupin.monitoring import queries, rules, schemas, service
from fupin.registry import queries as registry_queries
from fupin.registry import service as registry_service
from fupin.registry.vocab import MEASURE_TYPES
from fupin.web.deps import PageUow, PageUser, SessionDep, verify_csrf, viewer_of
from fupin.web.forms import FormResult, PageForm, keep_fixable, redirect_back, submit
from fupin.web.record_forms import RecordForm, add_page, add_record_forms, rendered
from fupin.web.templating import render
from fupin.web.workyear import work_year

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

MonitoredId = Annotated[int, Path(ge=1, le=schemas.MAX_ID)]
PAGE_SIZE = 50


def _vocab() -> dict[str, Any]:
    return {"types": rules.MONITOR_TYPES, "risks": rules.RISK_TYPES, "channels": rules.CHANNELS,
            "statuses": rules.STATUSES, "steps": rules.STEP_NAMES, "measures": MEASURE_TYPES,
            "rules": queries.warning_names()}


def _ctx(request: Request, **values: Any) -> dict[str, Any]:
    return {"vocab": _vocab(), "ok": request.query_params.get("ok"), "today": dt.date.today().isoformat(),
            "missing_threshold_years": _missing_years(request), **values}


def _missing_years(request: Request) -> list[int]:
    """Monitoring years up to this one (or the working year, if later) with no threshold for the caller's
    province: flagged on every monitoring page, never filled with an earlier year's value."""
    session, user = getattr(request.state, "db_session", None), getattr(request.state, "user", None)
    if session is None or user is None:
        return []
    last = max(dt.date.today().year, work_year(request))
    return queries.missing_threshold_years(session, queries.province_of(user.scope), last)


def _digits(raw: str | None) -> str | None:
    return raw if raw and raw.isdigit() and len(raw) < 13 else None


def _choice(request: Request, name: str, allowed: dict[str, str]) -> str | None:
    value = request.query_params.get(name) or None
    return value if value in allowed else None


def _list_context(request: Request, session: Any, user: CurrentUser, start_form: FormResult[Any] | None = None
                  ) -> dict[str, Any]:
    status = _choice(request, "status", rules.STATUSES)
    monitor_type = _choice(request, "type", rules.MONITOR_TYPES)
    risk = _choice(request, "risk", rules.RISK_TYPES)
    raw_page = request.query_params.get("page", "1")
    page = max(int(raw_page), 1) if raw_page.isdigit() and len(raw_page) < 6 else 1
    rows = queries.list_monitored(session, user.scope, status=status, monitor_type=monitor_type, risk=risk,
                                  limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    household_id = _digits(request.query_params.get("household_id"))
    if start_form is not None:
        household_id = _digits(str(start_form.value("household_id") or "")) or household_id
    return _ctx(request, chosen_household=_chosen(session, user, household_id), rows=rows, counts=queries.counts_by_status(session, user.scope), status=status,
                monitor_type=monitor_type, risk=risk, page=page, page_size=PAGE_SIZE, household_id=household_id,
                channel="department_alert" if household_id else "cadre_check", start_form=start_form)


def _chosen(session: Any, user: CurrentUser, household_id: str | None) -> Any:
    """The household preselected in the start form (a warning's link, or the form sent back), if in scope."""
    if household_id is None:
        return None
    found = registry_queries.households_subquery(user.scope)
    return session.execute(found.select().where(found.c.id == int(household_id))).one_or_none()


@router.get("/monitoring/household-search")
def household_search(request: Request, session: SessionDep, user: PageUser,
                     q: Annotated[str, Query(max_length=40)] = ""):
    """Households matching what the cadre typed (name, household number, ID number — the registry's search),
    as choices for the start form: found by name, never by an internal id."""
    rows: list[Any] = []
    if q.strip():
        rows, _next = registry_queries.list_households(session, user.scope, registry_queries.HouseholdFilters(q),
                                                       key=registry_service.pii_key(), limit=10)
    return render(request, "monitoring/_household_choices.html", {"rows": rows, "q": q, "chosen": None})


add_page(router, "/monitoring", rendered("monitoring/list.html", _list_context), [
    RecordForm("", schemas.MonitoredCreate, "start_form", "已纳入认定程序,请在15日内完成认定",
               lambda uow, d: service.start_monitoring(uow, **d.model_dump()),
               to=lambda record: f"/monitoring/{record.id}")],
    keep=keep_fixable)


@router.get("/monitoring/warnings")
def warnings_page(request: Request, session: SessionDep, user: PageUser):
    raw = request.query_params.get("factor", "1.0")[:8]
    try:
        factor = Decimal(raw)
    except InvalidOperation:
        factor = rules.DEFAULT_WARNING_FACTOR
    if not factor.is_finite() or not Decimal("0.5") <= factor <= Decimal("3"):
        factor = rules.DEFAULT_WARNING_FACTOR
    proposals = queries.warnings(session, user.scope, as_of=dt.date.today(), factor=factor, limit=500)
    return render(request, "monitoring/warnings.html", _ctx(request, proposals=proposals, factor=factor))


@router.get("/monitoring/publicity")
def publicity_page(request: Request, session: SessionDep, user: PageUser):
    """The notice posted in the village: names, types and risks only — no ID number, phone or bank account."""
    return render(request, "monitoring/publicity.html", _ctx(request, rows=queries.in_publicity(session, user.scope),
                                                             days=rules.PUBLICITY_DAYS))


def _thresholds_context(request: Request, session: Any, user: CurrentUser, **forms: FormResult[Any]
                        ) -> dict[str, Any]:
    province = queries.province_of(user.scope)
    last = max(dt.date.today().year + 1, work_year(request))
    return _ctx(request, rows=queries.threshold_years(session, province, last), province=province,
                province_name=_province_name(session, province), work_year=work_year(request),
                threshold_form=forms.get("threshold_form"), line_form=forms.get("line_form"))


def _province_name(session: Any, province: str | None) -> str | None:
    if province is None:
        return None
    names = provided("areas.path_names")(session, province.ljust(12, "0"))
    return names[-1].name if names else None


def _thresholds_again(request: Request, session: Any, user: CurrentUser, **forms: FormResult[Any]):
    """The thresholds page again with the refused form (422)."""
    return lambda status: render(request, "monitoring/thresholds.html",
                                 _thresholds_context(request, session, user, **forms), status_code=status)


@router.get("/monitoring/thresholds")
def thresholds_page(request: Request, session: SessionDep, user: PageUser):
    """Monitoring thresholds and poverty lines by year, national and the province's: what is in force, every
    year without one flagged; the county (or admin) sets them here (`monitoring.threshold.set`,
    `registry.poverty_line.set`)."""
    return render(request, "monitoring/thresholds.html", _thresholds_context(request, session, user))


@router.post("/monitoring/thresholds")
def set_threshold(request: Request, session: SessionDep, user: PageUser, uow: PageUow,
                  form: PageForm[schemas.ThresholdForm]):
    return submit(form, lambda data: service.set_threshold(uow, data.year, data.amount, data.province_code, data.note),
                  lambda _: redirect_back("/monitoring/thresholds", ok=f"已设置{form.data.year}年监测标准"),
                  _thresholds_again(request, session, user, threshold_form=form), keep_fixable)


@router.post("/monitoring/poverty-lines")
def set_poverty_line(request: Request, session: SessionDep, user: PageUser, uow: PageUow,
                     form: PageForm[schemas.PovertyLineForm]):
    return submit(form, lambda data: registry_service.set_poverty_line(uow, data.year, data.province_code, data.amount,
                                                                       data.note),
                  lambda _: redirect_back("/monitoring/thresholds", ok=f"已设置{form.data.year}年扶贫标准"),
                  _thresholds_again(request, session, user, line_form=form), keep_fixable)


def _household_context(request: Request, session: Any, user: CurrentUser, monitored_id: int,
                       **forms: FormResult[Any]) -> dict[str, Any]:
    record = queries.get_monitored(session, monitored_id, user.scope)
    household = registry_queries.get_household(session, record.household_id, user.scope)
    done = queries.steps_done(session, record.id)
    today = dt.date.today()
    refusals = rules.clearing_refusals(queries.clearing_facts(session, record), today) \
        if record.status == "monitored" else []
    return _ctx(request, record=record, household=household, steps=queries.steps_of(session, record.id),
                next_step=rules.next_step([s for s, _ in done]) if record.status == "identifying" else None,
                deadline=rules.deadline(record.clue_on),
                overdue=record.status == "identifying" and rules.overdue(record.clue_on, None, today),
                measures=queries.measures_of(session, record.household_id), refusals=refusals,
                phone=viewer_of(user).phone(household.phone),
                step_form=forms.get("step_form"), measure_form=forms.get("measure_form"),
                clear_form=forms.get("clear_form"))


_household_page = rendered("monitoring/household.html", _household_context)


@router.get("/monitoring/{monitored_id}")
def household_page(monitored_id: MonitoredId, request: Request, session: SessionDep, user: PageUser):
    return _household_page(request, session, user, monitored_id)


add_record_forms(router, "/monitoring/{monitored_id}", (
    RecordForm("steps", schemas.StepCreate, "step_form", "已记录",
               lambda uow, monitored_id, d: service.record_step(uow, monitored_id, d.step, d.happened_on, d.note)),
    RecordForm("measures", schemas.MeasureForm, "measure_form", "已记录帮扶措施", service.add_measure),
    RecordForm("clear", schemas.ClearBody, "clear_form", "已标注风险消除",
               lambda uow, monitored_id, d: service.clear_risk(uow, monitored_id, d.cleared_on, d.version, d.note)),
), _household_page, keep=keep_fixable)
