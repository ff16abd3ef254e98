"""Employment pages: figures with the list behind each number, workers, jobs, openings, courses, stations.

Reads use the request's session; each form is parsed by the API's schema (`form_of`) and handed to one use
case; a refused form comes back (422) with what was typed and each message beside its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from fupin.core.areacodes import LEVEL_ORDER, AreaLevel, level_of
from fupin.core.identity import CurrentUser
from fupin.core.scoping import Scope
from fupin.employment import queries, schemas, service
from fupin.employment.rules import CLASSIFICATIONS, COURSE_TYPES, EMPLOYER_KINDS, SOURCES, WISHES, WORK_PLACES
from fupin.registry.vocab import HEALTH
from fupin.web.deps import PageUow, PageUser, SessionDep, verify_csrf, viewer_of
from fupin.web.forms import FormResult, PageForm, redirect_back, submit
from fupin.web.jobs import to_job
from fupin.web.record_forms import RecordForm, RecordPage, add_page, add_record_forms
from fupin.web.templating import current_area_code, render
from fupin.web.workyear import work_year

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

VOCAB = {"classifications": CLASSIFICATIONS, "wishes": WISHES, "sources": SOURCES, "places": WORK_PLACES,
         "employer_kinds": EMPLOYER_KINDS, "course_types": COURSE_TYPES, "figures": queries.FIGURES}
PAGE_SIZE = 50


def _ctx(request: Request, **values: Any) -> dict[str, Any]:
    return {"vocab": VOCAB, "ok": request.query_params.get("ok"), "today": dt.date.today().isoformat(), **values}


def _year(request: Request) -> int:
    return work_year(request)


# ---------------------------------------------------------------- figures


@router.get("/employment")
def figures_page(request: Request, session: SessionDep, user: PageUser):
    area = current_area_code(request) or ""
    year = _year(request)
    total = queries.figures_for_area(session, user.scope, area, year) if area else None
    children = []
    names: dict[str, str] = {}
    if area and level_of(area) != AreaLevel.group:
        from fupin.areas.queries import children as child_areas

        below = LEVEL_ORDER[LEVEL_ORDER.index(level_of(area)) + 1]
        children = queries.employment_figures(session, user.scope.narrowed_to(area), year, below)
        names = {a.code: a.name for a in child_areas(session, area, user.scope)}
    return render(request, "employment/figures.html", _ctx(
        request, area=area, year=year, total=total, children=children, names=names,
        training=queries.trained_then_placed(session, user.scope.narrowed_to(area) if area else user.scope)))


@router.get("/employment/figures/list")
def figure_list_page(request: Request, session: SessionDep, user: PageUser,
                     figure: Annotated[str, Query(max_length=40)] = "employed",
                     area: Annotated[str | None, Query(max_length=15)] = None):
    area = area or current_area_code(request) or ""
    year = _year(request)
    rows = queries.figure_members(session, user.scope, area, year, figure)
    from fupin.areas.queries import names_of

    area_names = names_of(session, [area, *(str(r.get("area_code") or "") for r in rows)])
    return render(request, "employment/figure_list.html", _ctx(request, area=area, year=year, figure=figure,
                                                                rows=rows, columns=FIGURE_LIST_COLUMNS,
                                                                area_names=area_names))


FIGURE_LIST_COLUMNS = {"person_id": "人员编号", "household_id": "户ID", "name": "姓名", "area_code": "区划",
                       "classification": "劳动力分类", "workers": "劳动力人数", "employed": "就业人数",
                       "place_rank": "就业地"}


# ---------------------------------------------------------------- workers


def _workers_page(request: Request, session: Session, user: CurrentUser,
                  form: FormResult[schemas.WorkerCreate] | None = None, export_form: FormResult[Any] | None = None,
                  status_code: int = 200):
    classification = request.query_params.get("classification") or None
    q = request.query_params.get("q", "")[:30]
    raw_page = request.query_params.get("page", "1")
    page = min(int(raw_page), 100_000) if raw_page.isdigit() and len(raw_page) < 7 else 1
    page = max(page, 1)
    workers = queries.list_workers(session, user.scope, classification=classification, q=q, limit=PAGE_SIZE,
                                   offset=(page - 1) * PAGE_SIZE)
    current = queries.current_placement_by_worker(session, [w.id for w in workers])
    return render(request, "employment/workers.html", _ctx(
        request, workers=workers, current=current, classification=classification, q=q, page=page, form=form,
        export_form=export_form, default_area=current_area_code(request) or ""), status_code=status_code)


@router.get("/employment/workers")
def workers_page(request: Request, session: SessionDep, user: PageUser):
    return _workers_page(request, session, user)


@router.post("/employment/workers")
def register_worker(request: Request, uow: PageUow, session: SessionDep, user: PageUser,
                    form: PageForm[schemas.WorkerCreate]):
    return submit(form, lambda data: service.register_worker(uow, **data.model_dump()),
                  lambda worker: redirect_back(f"/employment/workers/{worker.id}", ok="已登记劳动力"),
                  lambda status: _workers_page(request, session, user, form=form, status_code=status))


@router.post("/employment/workers/export")
def export_workers(request: Request, uow: PageUow, session: SessionDep, user: PageUser,
                   form: PageForm[schemas.ExportRequest]):
    return submit(form, lambda data: service.start_worker_export(uow, data.area_code), to_job,
                  lambda status: _workers_page(request, session, user, export_form=form, status_code=status))


def _worker_page(request: Request, session: Session, user: CurrentUser, worker_id: int,
                 placement_form: FormResult[schemas.PlacementCreate] | None = None,
                 edit_form: FormResult[schemas.WorkerEditForm] | None = None,
                 end_form: FormResult[schemas.EndBody] | None = None, status_code: int = 200):
    worker = queries.worker_detail(session, worker_id, user.scope, viewer_of(user))
    return render(request, "employment/worker.html", _ctx(
        request, worker=worker, placements=queries.placements_of_worker(session, worker.id),
        training=queries.training_of_worker(session, worker.id), placement_form=placement_form,
        health_names=HEALTH,
        edit_form=edit_form, end_form=end_form), status_code=status_code)


add_page(router, "/employment/workers/{worker_id}", _worker_page, [
    RecordForm("", schemas.WorkerEditForm, "edit_form", "已保存",
               lambda uow, worker_id, d: service.update_worker(uow, worker_id, **d.model_dump())),
    RecordForm("placements", schemas.PlacementCreate, "placement_form", "已登记就业",
               lambda uow, worker_id, d: service.add_placement(uow, worker_id, **d.model_dump()))])


add_record_forms(router, "/employment/placements/{placement_id}", [
    RecordForm("end", schemas.EndBody, "end_form", "已登记离岗",
               lambda uow, placement_id, d: service.end_placement(uow, placement_id, d.ended_on),
               to=lambda placement: f"/employment/workers/{placement.worker_id}",
               page_of=lambda session, user, placement_id: queries.get_placement(
                   session, placement_id, user.scope).worker_id)], _worker_page)


@router.get("/employment/placements")
def placements_page(request: Request, session: SessionDep, user: PageUser):
    source = request.query_params.get("source") or None
    open_only = request.query_params.get("open") == "1"
    rows = queries.list_placements(session, user.scope, source=source if source in SOURCES else None,
                                   open_only=open_only, limit=200)
    return render(request, "employment/placements.html", _ctx(request, rows=rows, source=source,
                                                               open_only=open_only))


# ---------------------------------------------------------------- openings


def _openings_page(request: Request, session: Session, user: CurrentUser,
                   form: FormResult[schemas.OpeningCreate] | None = None, status_code: int = 200):
    stations = queries.list_stations(session, user.scope)
    return render(request, "employment/openings.html", _ctx(
        request, openings=queries.list_openings(session, user.scope), stations=stations,
        station_options={str(s.id): s.name for s in stations}, default_area=current_area_code(request) or "",
        form=form), status_code=status_code)


add_page(router, "/employment/openings", _openings_page, [
    RecordForm("", schemas.OpeningCreate, "form", "岗位已发布",
               lambda uow, d: service.create_opening(uow, **d.model_dump()),
               to=lambda opening: f"/employment/openings/{opening.id}")])


def _opening_page(request: Request, session: Session, user: CurrentUser, opening_id: int,
                  form: FormResult[schemas.AcceptForm] | None = None, status_code: int = 200):
    opening = queries.get_opening(session, opening_id, user.scope)
    return render(request, "employment/opening.html", _ctx(
        request, opening=opening, filled=queries.filled_positions(session, opening.id), form=form,
        matches=queries.propose_matches(session, user.scope, opening) if opening.status == "open" else []),
        status_code=status_code)


add_page(router, "/employment/openings/{opening_id}", _opening_page, [
    RecordForm("accept", schemas.AcceptForm, "form", "已安排上岗",
               lambda uow, opening_id, d: service.accept_match(uow, opening_id, d.worker_id, d.started_on))])


# ---------------------------------------------------------------- courses


def _listing(template: str, name: str, rows: Callable[[Session, Scope], list[Any]]) -> RecordPage:
    """A list page (courses, stations) with its "new" form, which starts in the chosen area."""

    def page(request: Request, session: Session, user: CurrentUser, form: FormResult[Any] | None = None,
             status_code: int = 200):
        return render(request, template, _ctx(request, **{name: rows(session, user.scope)}, form=form,
                                              default_area=current_area_code(request) or ""), status_code=status_code)

    return page


_courses_page = _listing("employment/courses.html", "courses", queries.list_courses)


add_page(router, "/employment/courses", _courses_page, [
    RecordForm("", schemas.CourseCreate, "form", "培训班已登记", lambda uow, d: service.create_course(uow, **d.model_dump()),
               to=lambda course: f"/employment/courses/{course.id}")])


def _course_page(request: Request, session: Session, user: CurrentUser, course_id: int,
                 form: FormResult[Any] | None = None, status_code: int = 200):
    course = queries.get_course(session, course_id, user.scope)
    return render(request, "employment/course.html", _ctx(
        request, course=course, attendance=queries.attendance_of_course(session, course.id), form=form),
        status_code=status_code)


add_page(router, "/employment/courses/{course_id}", _course_page, [
    RecordForm("attendance", schemas.EnrolBody, "form", "已报名",
               lambda uow, course_id, d: service.enrol(uow, course_id, d.worker_id))])


add_record_forms(router, "/employment/attendance/{attendance_id}", [
    RecordForm("complete", schemas.CompleteBody, "form", "已结业",
               lambda uow, attendance_id, d: service.complete_attendance(uow, attendance_id, certified=d.certified),
               to=lambda attendance: f"/employment/courses/{attendance.course_id}",
               page_of=lambda session, user, attendance_id: queries.get_attendance(
                   session, attendance_id, user.scope).course_id)], _course_page)


# ---------------------------------------------------------------- stations


_stations_page = _listing("employment/stations.html", "stations", queries.list_stations)


add_page(router, "/employment/stations", _stations_page, [
    RecordForm("", schemas.StationCreate, "form", "服务站已登记",
               lambda uow, d: service.create_station(uow, **d.model_dump()))])
