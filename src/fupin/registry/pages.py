"""Registry pages: household list, the household ledger page, forms (parsed by the API's schemas), import, export
and the quality checks as background jobs where they can take long.

Handlers are plain `def`s on the request's one session: reads through `queries` with `SessionDep`, writes through
one use case with `PageUow`. A rejected form re-renders (422) with what was typed and each error beside its field.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from fupin.core import jobs
from fupin.core.cache import shown
from fupin.core.identity import CurrentUser
from fupin.core.personal_data import PersonalField, Viewer, birth_shown
from fupin.core.uow import UnitOfWork
from fupin.registry import queries, schemas, service, vocab
from fupin.registry.api import submit_import
from fupin.registry.fields import DISABILITY_KEYS, FIELD_BY_KEY, NATIONAL_HOUSEHOLD_KEYS, NATIONAL_PERSON_KEYS
from fupin.registry.rules import EXIT_STEP_NAMES, EXIT_STEPS, next_exit_step
from fupin.registry.spreadsheets import MAX_FILE_BYTES
from fupin.web.deps import PageUow, PageUser, SessionDep, record_full_view, verify_csrf, viewer_of
from fupin.web.forms import FormResult, PageForm, form_of, redirect_back, submit
from fupin.web.jobs import to_job
from fupin.web.templating import current_area_code, render
from fupin.web.workyear import work_year

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=queries.MAX_ID)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_INLINE_HOUSEHOLDS = 2000  # a larger scope is exported by a background job
QUALITY_INLINE_HOUSEHOLDS = 5000  # a larger scope's full quality run is a background job

VOCABS = {
    "attributes": vocab.POVERTY_ATTRIBUTES, "causes": vocab.CAUSES, "statuses": vocab.HOUSEHOLD_STATUSES,
    "relations": vocab.RELATIONS, "health": vocab.HEALTH, "labour": vocab.LABOUR_CAPACITY,
    "work_places": vocab.WORK_PLACES, "schooling": vocab.SCHOOLING, "education": vocab.EDUCATION,
    "measure_types": vocab.MEASURE_TYPES, "sexes": vocab.SEXES, "exit_steps": EXIT_STEP_NAMES,
    "join_reasons": vocab.JOIN_REASONS, "leave_reasons": vocab.LEAVE_REASONS,
    "political": vocab.POLITICAL_STATUSES, "disability_categories": vocab.DISABILITY_CATEGORIES,
}


class PeopleView:
    """What a page may show of a person to this viewer (core.personal_data)."""

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.health = viewer.shows(PersonalField.health)
        self.disability = viewer.shows(PersonalField.disability)

    def id_number(self, number: str | None) -> str:
        return self.viewer.id_number(number) or ""

    def birth(self, birth: dt.date | None) -> str:
        return birth_shown(birth, self.viewer.full(PersonalField.birth_date))

    def phone(self, phone: str | None) -> str:
        return self.viewer.phone(phone) or ""

    def certificate(self, number: str | None) -> str:
        return self.viewer.disability_certificate(number) or ""


NATIONAL_HOUSEHOLD = [FIELD_BY_KEY[k] for k in NATIONAL_HOUSEHOLD_KEYS]
NATIONAL_PERSON = [FIELD_BY_KEY[k] for k in NATIONAL_PERSON_KEYS if k not in DISABILITY_KEYS]
NATIONAL_DISABILITY = [FIELD_BY_KEY[k] for k in ("disability_category",)]


def _ctx(user: CurrentUser | None = None, **extra: Any) -> dict[str, Any]:
    people = PeopleView(viewer_of(user)) if user is not None else None
    return {"v": VOCABS, "label": vocab.label, "today": dt.date.today(), "people": people,
            "national_household": NATIONAL_HOUSEHOLD, "national_person": NATIONAL_PERSON,
            "national_disability": NATIONAL_DISABILITY, "transfer_share": schemas.income_transfer_share, **extra}


def _scope(request: Request, user: CurrentUser):  # type: ignore[no-untyped-def]
    return queries.area_filter_scope(user.scope, current_area_code(request))


@router.get("/registry")
def household_list(request: Request, session: SessionDep, user: PageUser,
                   q: Annotated[str, Query(max_length=40)] = "", status: Annotated[str, Query(max_length=20)] = "",
                   cause: Annotated[str, Query(max_length=20)] = "", attribute: Annotated[str, Query(max_length=20)] = "",
                   cursor: Annotated[str | None, Query(max_length=200)] = None):
    scope = _scope(request, user)
    rows, next_cursor = queries.list_households(
        session, scope, queries.HouseholdFilters(q or None, status or None, cause or None, attribute or None),
        key=service.pii_key(), cursor=cursor, limit=30)
    if request.headers.get("HX-Request") and not request.headers.get(
            "HX-Boosted") and request.headers.get("HX-Target") == "household-rows":  # the next rows only
        return render(request, "registry/_rows.html", _ctx(user, rows=rows, next_cursor=next_cursor, q=q,
                                                           status=status, cause=cause, attribute=attribute))
    total = shown(("registry.count_households", scope.prefix), lambda: queries.count_households(session, scope))
    return render(request, "registry/list.html", _ctx(user, rows=rows, next_cursor=next_cursor, q=q, status=status,
                                                      cause=cause, attribute=attribute, total=total))


def _household_page(request: Request, session: Session, user: CurrentUser, household_id: int, *,
                    year: int | None = None, saved: str | None = None, forms: dict[str, FormResult] | None = None,
                    status_code: int = 200) -> Response:
    queries.get_household(session, household_id, user.scope)
    year = year or work_year(request)
    ledger = queries.ledger(session, household_id, user.scope, year)
    done = [s for s, _ in ledger.steps_done]
    lines = queries.poverty_lines(session)
    record_full_view(request, user, "household", household_id, area_code=ledger.household.area_code,
                     rows=len(ledger.members))
    own, helpers = service.visiting_cadres(session, household_id, user.scope, user.id)
    visitors = {c.id: f"{c.name}(本人)" for c in [own] if c is not None}
    visitors.update({p["cadre_id"]: f"{p['cadre_name']}(帮扶责任人)" for p in helpers if p["cadre_id"] not in visitors})
    return render(request, "registry/household.html", _ctx(
        user, l=ledger, year=year, saved=saved, next_step=next_exit_step(done), steps=EXIT_STEPS, forms=forms or {},
        visitors=visitors, own_cadre=own, pairs=_pair_history(session, household_id, user),
        chart={"years": [i.year for i in ledger.incomes],
               "per_capita": [float(i.per_capita_net) for i in ledger.incomes],
               "line": [float(queries.line_for(lines, i.year, ledger.household.area_code[:2]) or 0)
                        for i in ledger.incomes]}), status_code=status_code)


def _pair_history(session: Session, household_id: int, user: CurrentUser) -> list[dict[str, Any]]:
    """The household's helpers, ended pairs too (pairing lends them), newest first."""
    from fupin.core.capability import provided

    return list(reversed(provided("pairing.household_pair_history")(session, household_id, user.scope)))


@router.get("/registry/households/{household_id}")
def household_page(request: Request, household_id: Id, session: SessionDep, user: PageUser,
                   year: Annotated[int | None, Query(ge=2013, le=2100)] = None,
                   saved: Annotated[str | None, Query(max_length=20)] = None):
    return _household_page(request, session, user, household_id, year=year, saved=saved)


# ---------------------------------------------------------------- the new-household form

MEMBER_ROWS = 2


def _area_choices(request: Request, session: Session, user: CurrentUser) -> Any:
    """The villages and groups the new-household form offers (picked from the tree, not typed as a code)."""
    from fupin.areas.queries import area_choices

    return area_choices(session, user.scope.narrowed_to(current_area_code(request)))


@router.get("/registry/new")
def new_household_form(request: Request, session: SessionDep, user: PageUser):
    return render(request, "registry/new.html", _ctx(user, form=None, members=MEMBER_ROWS,
                                                     area_choices=_area_choices(request, session, user)))


def _member_rows(form: FormResult) -> int:
    indexes = [int(name.split(".")[1]) for name in form.values if name.startswith("members.")
               and name.split(".")[1].isdigit()]
    return max(MEMBER_ROWS, max(indexes, default=0) + 1)


@router.post("/registry/new")
def create_household(request: Request, uow: PageUow, user: PageUser, form: PageForm[schemas.HouseholdCreate]):
    return submit(form, lambda data: service.create_household(uow, data),
                  lambda household: redirect_back(f"/registry/households/{household.id}?saved=created"),
                  lambda status: render(request, "registry/new.html", _ctx(
                      user, form=form, members=_member_rows(form),
                      area_choices=_area_choices(request, uow.session, user)),
                      status_code=status), FormResult.add_error)


# ---------------------------------------------------------------- ledger forms on the household page


def _ledger_answer(request: Request, uow: UnitOfWork, user: CurrentUser, household_id: int, name: str,
                   form: FormResult, write: Any) -> Response:
    """Run the use case for a parsed form; on success back to the page (post/redirect/get), otherwise the page
    again with this form's values and errors (422)."""
    year = form.value("year") if name in ("income", "check", "exit") else None
    year = int(year) if isinstance(year, str) and year.isdigit() and 2013 <= int(year) <= 2100 else None
    # back on the year just written (and kept as the session's working year), not the default one
    shown = f"&year={year}" if year else ""
    back = f"/registry/households/{household_id}?saved={name}{shown}#{name}"
    return submit(form, write, lambda _: redirect_back(back),
                  lambda status: _household_page(request, uow.session, user, household_id, year=year,
                                                 forms={name: form}, status_code=status), FormResult.add_error)


# The ledger's forms on the household page (path, the page's name for the form, schema, use case).
LEDGER_FORMS = (
    ("income", "income", schemas.IncomeCreate, service.record_income),
    ("check", "check", schemas.CheckCreate, service.record_check),
    ("measure", "measure", schemas.MeasureCreate, service.add_measure),
    ("visit", "visit", schemas.VisitCreate, service.add_visit),
    ("exit-step", "exit", schemas.ExitStepCreate, service.record_exit_step),
    ("members", "members", schemas.PersonCreate, service.add_person),
)


def _ledger_route(path: str, name: str, schema: type[Any], write: Any) -> None:
    def answer(request: Request, household_id: Id, uow: PageUow, user: PageUser,
               form: FormResult[Any] = Depends(form_of(schema))):
        return _ledger_answer(request, uow, user, household_id, name, form,
                              lambda data: write(uow, household_id, data))

    answer.__name__ = write.__name__
    router.post(f"/registry/households/{{household_id}}/{path}")(answer)


for _ledger_form in LEDGER_FORMS:
    _ledger_route(*_ledger_form)


# ---------------------------------------------------------------- edit pages: household, member


@router.get("/registry/households/{household_id}/edit")
def household_edit_form(request: Request, household_id: Id, session: SessionDep, user: PageUser):
    household = queries.get_household(session, household_id, user.scope)
    return render(request, "registry/household_edit.html", _ctx(user, h=household, form=None))


@router.post("/registry/households/{household_id}/edit")
def update_household(request: Request, household_id: Id, uow: PageUow, user: PageUser,
                     form: PageForm[schemas.HouseholdUpdate]):
    return submit(form, lambda data: service.update_household(uow, household_id, data),
                  lambda _: redirect_back(f"/registry/households/{household_id}?saved=household"),
                  lambda status: render(request, "registry/household_edit.html", _ctx(
                      user, h=queries.get_household(uow.session, household_id, user.scope), form=form),
                      status_code=status), FormResult.add_error)


@router.get("/registry/persons/{person_id}/edit")
def person_edit_form(request: Request, person_id: Id, session: SessionDep, user: PageUser):
    person = queries.get_person(session, person_id, user.scope)
    return render(request, "registry/person_edit.html", _ctx(user, p=person, form=None, removal=None))


def _back_to_household(person: Any) -> Response:
    return redirect_back(f"/registry/households/{person.household_id}?saved=member")


def _person_again(request: Request, uow: UnitOfWork, user: CurrentUser, person_id: int, **forms: FormResult | None):
    """The member's page again with the refused form (edit or removal)."""
    return lambda status: render(request, "registry/person_edit.html", _ctx(
        user, p=queries.get_person(uow.session, person_id, user.scope), **forms), status_code=status)


@router.post("/registry/persons/{person_id}/edit")
def update_person(request: Request, person_id: Id, uow: PageUow, user: PageUser,
                  form: PageForm[schemas.PersonUpdate]):
    return submit(form, lambda data: service.update_person(uow, person_id, data), _back_to_household,
                  _person_again(request, uow, user, person_id, form=form, removal=None), FormResult.add_error)


@router.post("/registry/persons/{person_id}/remove")
def remove_person(request: Request, person_id: Id, uow: PageUow, user: PageUser,
                  form: PageForm[schemas.PersonRemoval]):
    return submit(form, lambda d: service.remove_person(uow, person_id, d.reason, d.version, d.left_on, d.note),
                  _back_to_household, _person_again(request, uow, user, person_id, form=None, removal=form),
                  FormResult.add_error)


# ---------------------------------------------------------------- import, export, quality (jobs)

IMPORT_PANEL = "registry/_import_job.html"
QUALITY_PANEL = "registry/_quality_job.html"


@router.get("/registry/import")
def import_page(request: Request, user: PageUser):
    return render(request, "registry/import.html", _ctx(user, max_mb=MAX_FILE_BYTES // 1024 // 1024))


@router.post("/registry/import")
def start_import(request: Request, uow: PageUow, file: Annotated[UploadFile, File()],
                 mode: Annotated[str, Form(pattern="^(all-or-nothing|skip-invalid)$")] = "all-or-nothing"):
    """Queue the import (a persisted job any worker runs) and answer with its status panel, which polls itself."""
    job_id = submit_import(uow, file, mode)
    job = jobs.get(uow, job_id)
    return render(request, IMPORT_PANEL, {"job": job, "panel": IMPORT_PANEL})


@router.get("/registry/export")
def export(request: Request, session: SessionDep, uow: PageUow, user: PageUser,
           fmt: Annotated[str, Query(pattern="^(xlsx|csv)$")] = "xlsx",
           layout: Annotated[str, Query(pattern="^(fupin|national)$")] = "fupin"):
    """A village-sized scope downloads at once; a larger one offers a background export (never a blocked request).
    `layout=national`: the monitoring system's member and household sheets."""
    area = current_area_code(request)
    scope = queries.area_filter_scope(user.scope, area)
    if queries.count_households(session, scope) > EXPORT_INLINE_HOUSEHOLDS:
        return render(request, "registry/export.html", _ctx(user, fmt=fmt, area=area, layout=layout))
    if layout == "national":
        content, _rows = service.export_registry_national(uow, area)
        return _download(f"全国系统格式_{area or 'all'}_{dt.date.today().isoformat()}.xlsx", XLSX, content)
    content, _rows = service.export_registry(uow, area, fmt)
    name = f"建档立卡_{area or 'all'}_{dt.date.today().isoformat()}.{fmt}"
    return _download(name, "text/csv" if fmt == "csv" else XLSX, content)


@router.post("/registry/export")
def start_export(request: Request, uow: PageUow, user: PageUser,
                 fmt: Annotated[str, Form(pattern="^(xlsx|csv)$")] = "xlsx",
                 layout: Annotated[str, Form(pattern="^(fupin|national)$")] = "fupin"):
    area = current_area_code(request)
    with uow:
        uow.require("registry.export")
        scope = queries.area_filter_scope(uow.scope, area)
        job_id = jobs.submit(uow, "registry.export", f"导出建档立卡数据({area or '全部'})",
                             {"area": area, "fmt": fmt, "layout": layout},
                             area_code=scope.prefix.ljust(12, "0") if scope.prefix else None)
    return to_job(job_id)


RECONCILE_PANEL = "registry/_reconcile_job.html"


@router.get("/registry/reconcile")
def reconcile_page(request: Request, user: PageUser):
    return render(request, "registry/reconcile.html", _ctx(user, max_mb=MAX_FILE_BYTES // 1024 // 1024))


@router.post("/registry/reconcile")
def start_reconcile(request: Request, uow: PageUow, user: PageUser, file: Annotated[UploadFile, File()]):
    """Queue the comparison of a national export with fupin's records of the current area (a job)."""
    from fupin.registry.api import read_upload

    area = current_area_code(request)
    with uow:
        uow.require("registry.export")
        scope = queries.area_filter_scope(uow.scope, area)
        name, media, data = read_upload(file)
        job_id = jobs.submit(uow, "registry.reconcile", f"全国系统数据比对:{name}", {"area": area},
                             area_code=scope.prefix.ljust(12, "0") if scope.prefix else None,
                             input_file=(name, media, data))
    job = jobs.get(uow, job_id)
    return render(request, RECONCILE_PANEL, {"job": job, "panel": RECONCILE_PANEL})


def _download(name: str, media_type: str, content: bytes) -> Response:
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@router.get("/registry/template.xlsx")
def template(user: PageUser):
    from fupin.registry.spreadsheets import template_workbook

    buffer = io.BytesIO()
    template_workbook().save(buffer)
    return _download("建档立卡导入模板.xlsx", XLSX, buffer.getvalue())


@router.get("/registry/quality")
def quality_page(request: Request, session: SessionDep, user: PageUser,
                 rule: Annotated[str, Query(max_length=60)] = ""):
    from fupin.registry import quality

    scope = _scope(request, user)
    if queries.count_households(session, scope) > QUALITY_INLINE_HOUSEHOLDS:
        return render(request, "registry/quality.html", _ctx(user, summary=None, findings=[], total=0, rule=rule,
                                                              as_job=True))
    findings = quality.run_checks(session, scope)
    shown = [f for f in findings if not rule or f.rule == rule]
    return render(request, "registry/quality.html", _ctx(user, summary=quality.summary(findings), findings=shown[:500],
                                                          total=len(shown), rule=rule, as_job=False))


@router.post("/registry/quality")
def start_quality(request: Request, uow: PageUow, user: PageUser):
    area = current_area_code(request)
    with uow:
        uow.require("registry.export")  # the findings name households and members: read like an export
        scope = queries.area_filter_scope(uow.scope, area)
        job_id = jobs.submit(uow, "registry.quality", f"数据质量核查({area or '全部'})", {"area": area},
                             area_code=scope.prefix.ljust(12, "0") if scope.prefix else None)
    return to_job(job_id, quote(QUALITY_PANEL))
