"""Registry pages: household list, the household ledger page, forms, import with progress, export."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fupin.core.errors import FupinError, Invalid, NotFound
from fupin.core.importing import ImportMode
from fupin.registry import exporter, queries, schemas, service, vocab
from fupin.registry.importer import import_registry
from fupin.registry.rules import EXIT_STEP_NAMES, EXIT_STEPS, next_exit_step
from fupin.registry.spreadsheets import MAX_FILE_BYTES
from fupin.web.deps import DbDep, PageUser, SessionDep, uow_for, verify_csrf
from fupin.web.templating import current_area_code, render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

VOCABS = {
    "attributes": vocab.POVERTY_ATTRIBUTES, "causes": vocab.CAUSES, "statuses": vocab.HOUSEHOLD_STATUSES,
    "relations": vocab.RELATIONS, "health": vocab.HEALTH, "labour": vocab.LABOUR_CAPACITY,
    "work_places": vocab.WORK_PLACES, "schooling": vocab.SCHOOLING, "education": vocab.EDUCATION,
    "measure_types": vocab.MEASURE_TYPES, "sexes": vocab.SEXES, "exit_steps": EXIT_STEP_NAMES,
}


def _ctx(**extra: Any) -> dict[str, Any]:
    return {"v": VOCABS, "label": vocab.label, "today": dt.date.today(), **extra}


@router.get("/registry")
def household_list(request: Request, session: SessionDep, user: PageUser,
                   q: str = "", status: str = "", cause: str = "", attribute: str = "", cursor: str | None = None):
    area = current_area_code(request)
    scope = user.scope.narrowed_to(area)
    rows, next_cursor = queries.list_households(
        session, scope, queries.HouseholdFilters(q or None, status or None, cause or None, attribute or None),
        key=service.pii_key(), cursor=cursor, limit=30)
    template = "registry/_rows.html" if request.headers.get("HX-Request") and not request.headers.get(
        "HX-Boosted") and request.headers.get("HX-Target") == "household-rows" else "registry/list.html"
    return render(request, template, _ctx(rows=rows, next_cursor=next_cursor, q=q, status=status, cause=cause,
                                          attribute=attribute, total=queries.count_households(session, scope)))


@router.get("/registry/households/{household_id}")
def household_page(request: Request, household_id: int, session: SessionDep, user: PageUser,
                   year: int | None = None, saved: str | None = None):
    queries.get_household(session, household_id, user.scope)
    year = year or queries.default_year(session, household_id)
    ledger = queries.ledger(session, household_id, user.scope, year)
    done = [s for s, _ in ledger.steps_done]
    return render(request, "registry/household.html", _ctx(
        l=ledger, year=year, saved=saved, next_step=next_exit_step(done), steps=EXIT_STEPS,
        chart={"years": [i.year for i in ledger.incomes],
               "per_capita": [float(i.per_capita_net) for i in ledger.incomes],
               "line": [float(queries.line_for(queries.poverty_lines(session), i.year, ledger.household.area_code[:2])
                              or 0) for i in ledger.incomes]}))


def _form_errors(error: Exception) -> dict[str, str]:
    if isinstance(error, FupinError):
        return {error.field or "_": error.message}
    if isinstance(error, ValidationError):
        out: dict[str, str] = {}
        for item in error.errors():
            field_name = ".".join(str(p) for p in item["loc"])
            out[field_name] = "填写有误:" + _pydantic_zh(item)
        return out
    raise error


def _pydantic_zh(item: dict[str, Any]) -> str:
    kind = item.get("type", "")
    if "missing" in kind:
        return "必填"
    if kind.startswith("date"):
        return "日期格式应为 2024-01-31"
    if kind.startswith(("int", "decimal", "float")):
        return "应为数字"
    if kind.startswith("greater_than"):
        return "不能为负数"
    return item.get("msg", "")


def _blank_to_none(form: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if isinstance(v, str) and not v.strip() else v) for k, v in form.items()}


@router.get("/registry/new")
def new_household_form(request: Request, user: PageUser):
    return render(request, "registry/new.html", _ctx(form={}, errors={}, members=2))


@router.post("/registry/new")
async def create_household(request: Request, db: DbDep, user: PageUser):
    form = _blank_to_none(dict(await request.form()))
    members = []
    for index in range(30):
        if not form.get(f"m{index}_id_number") and not form.get(f"m{index}_name"):
            continue
        members.append({key: form.get(f"m{index}_{key}") for key in
                        ("id_number", "name", "relation", "health", "labour_capacity", "schooling",
                         "disability_grade")})
    try:
        data = schemas.HouseholdCreate(
            area_code=form.get("area_code") or "", poverty_attribute=form.get("poverty_attribute") or "",
            main_cause=form.get("main_cause") or "", registration_year=form.get("registration_year") or 0,
            address=form.get("address"), phone=form.get("phone"), members=members)
        with uow_for(db, user) as uow:
            household = service.create_household(uow, data)
            household_id = household.id
    except (FupinError, ValidationError) as error:
        if isinstance(error, NotFound):
            raise
        return render(request, "registry/new.html", _ctx(form=form, errors=_form_errors(error),
                                                          members=max(2, len(members))), status_code=422)
    return RedirectResponse(f"/registry/households/{household_id}?saved=created", status_code=303)


async def _ledger_write(request: Request, db: Any, user: Any, household_id: int, action: str) -> Response:
    form = _blank_to_none(dict(await request.form()))
    form.pop("csrf_token", None)
    try:
        with uow_for(db, user) as uow:
            queries.get_household(uow.session, household_id, uow.scope)
            if action == "income":
                service.record_income(uow, household_id, schemas.IncomeCreate(**{k: v for k, v in form.items()
                                                                                   if v is not None}))
            elif action == "check":
                booleans = ("food_ok", "clothing_ok", "education_ok", "medical_ok", "housing_ok", "water_quality_ok",
                            "water_short_area")
                values = {k: v for k, v in form.items() if v is not None and k not in booleans}
                values.update({k: form.get(k) == "on" for k in booleans})
                service.record_check(uow, household_id, schemas.CheckCreate(**values))
            elif action == "measure":
                service.add_measure(uow, household_id, schemas.MeasureCreate(**{k: v for k, v in form.items()
                                                                                 if v is not None}))
            elif action == "visit":
                service.add_visit(uow, household_id, schemas.VisitCreate(**{k: v for k, v in form.items()
                                                                             if v is not None}))
            elif action == "exit-step":
                year = int(form.pop("year"))
                service.record_exit_step(uow, household_id, schemas.ExitStepCreate(**form), year)
            else:
                raise NotFound("操作", action)
    except (FupinError, ValidationError) as error:
        if isinstance(error, NotFound):
            raise
        messages = "; ".join(f"{v}" for v in _form_errors(error).values())
        target = f"/registry/households/{household_id}?error={quote(messages)}#{action}"
        return RedirectResponse(target, status_code=303)
    return RedirectResponse(f"/registry/households/{household_id}?saved={action}#{action}", status_code=303)


@router.post("/registry/households/{household_id}/{action}")
async def ledger_write(request: Request, household_id: int, action: str, db: DbDep, user: PageUser):
    return await _ledger_write(request, db, user, household_id, action)


# ---------------------------------------------------------------- import with progress, export


@dataclass
class ImportJob:
    id: str
    user_id: int
    filename: str
    phase: str = "排队"
    done: int = 0
    total: int = 1
    finished: bool = False
    report: dict[str, Any] | None = None
    error: str | None = None
    error_file: bytes | None = None
    error_filename: str | None = None
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


# In-process job table: an import runs in a thread of the process that received it (single-process
# deployments; a multi-process deployment routes a county's cadres to one worker or uses the CLI).
_JOBS: dict[str, ImportJob] = {}
_JOBS_LOCK = threading.Lock()


def _run_import(job: ImportJob, db: Any, user: Any, data: bytes, mode: ImportMode) -> None:
    def progress(phase: str, done: int, total: int) -> None:
        job.phase, job.done, job.total = phase, done, max(total, 1)

    try:
        with uow_for(db, user) as uow:
            result = import_registry(uow, job.filename, data, mode=mode, key=service.pii_key(), progress=progress)
        job.report = result.report.as_dict()
        job.error_file, job.error_filename = result.error_file, result.error_filename
        if result.report.committed:
            from fupin.registry import quality

            job.phase = "数据质量核查"
            with db.session_factory() as session:
                findings = quality.run_checks(session, user.scope)
            job.report["quality"] = [{"rule": c, "name": n, "count": k} for c, n, k in quality.summary(findings) if k]
    except FupinError as error:
        job.error = error.message
    except Exception as error:  # noqa: BLE001 - shown to the user, never a half-written import (rolled back)
        job.error = f"导入失败,未写入任何数据({type(error).__name__})"
    finally:
        job.finished = True


@router.get("/registry/import")
def import_page(request: Request, user: PageUser):
    return render(request, "registry/import.html", _ctx(max_mb=MAX_FILE_BYTES // 1024 // 1024))


@router.post("/registry/import")
async def start_import(request: Request, db: DbDep, user: PageUser,
                       file: Annotated[UploadFile, File()], mode: Annotated[str, Form()] = "all-or-nothing"):
    if not user.can_write:
        raise Invalid("当前角色为只读,不能导入")
    data = await file.read(MAX_FILE_BYTES + 1)
    job = ImportJob(id=uuid.uuid4().hex, user_id=user.id, filename=file.filename or "upload")
    with _JOBS_LOCK:
        _JOBS[job.id] = job
    if len(data) > MAX_FILE_BYTES:
        job.error, job.finished = f"文件超过{MAX_FILE_BYTES // 1024 // 1024}MB,请分批导入", True
    else:
        import_mode = ImportMode.skip_invalid if mode == "skip-invalid" else ImportMode.all_or_nothing
        threading.Thread(target=_run_import, args=(job, db, user, data, import_mode), daemon=True).start()
    return render(request, "registry/_import_status.html", {"job": job})


def _job(job_id: str, user: Any) -> ImportJob:
    job = _JOBS.get(job_id)
    if job is None or job.user_id != user.id:
        raise NotFound("导入任务", job_id)
    return job


@router.get("/registry/import/{job_id}")
def import_status(request: Request, job_id: str, user: PageUser):
    return render(request, "registry/_import_status.html", {"job": _job(job_id, user)})


@router.get("/registry/import/{job_id}/errors")
def import_errors(job_id: str, user: PageUser):
    job = _job(job_id, user)
    if job.error_file is None:
        raise NotFound("错误报告", job_id)
    media = "text/csv" if (job.error_filename or "").endswith(".csv") else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(job.error_file, media_type=media, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(job.error_filename or 'errors.xlsx')}"})


@router.get("/registry/export")
def export(request: Request, session: SessionDep, user: PageUser, fmt: Annotated[str, Query(pattern="^(xlsx|csv)$")] = "xlsx"):
    area = current_area_code(request)
    scope = user.scope.narrowed_to(area)
    data = exporter.export_file(session, scope, can_view_pii=user.can_view_pii, fmt=fmt)
    name = f"建档立卡_{area or 'all'}_{dt.date.today().isoformat()}.{fmt}"
    media = "text/csv" if fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@router.get("/registry/template.xlsx")
def template(user: PageUser):
    import io

    from fupin.registry.spreadsheets import template_workbook

    buffer = io.BytesIO()
    template_workbook().save(buffer)
    return Response(buffer.getvalue(),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote('建档立卡导入模板.xlsx')}"})


@router.get("/registry/quality")
def quality_page(request: Request, session: SessionDep, user: PageUser, rule: str = ""):
    from fupin.registry import quality

    scope = user.scope.narrowed_to(current_area_code(request))
    findings = quality.run_checks(session, scope)
    shown = [f for f in findings if not rule or f.rule == rule]
    return render(request, "registry/quality.html", _ctx(summary=quality.summary(findings), findings=shown[:500],
                                                          total=len(shown), rule=rule))
