"""Employment pages: figures with the list behind each number, workers, jobs, openings, courses, stations."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request

from fupin.core.areacodes import LEVEL_ORDER, AreaLevel, level_of
from fupin.core.errors import FupinError
from fupin.employment import queries, service
from fupin.employment.rules import (
    CLASSIFICATIONS,
    COURSE_TYPES,
    EMPLOYER_KINDS,
    SOURCES,
    WISHES,
    WORK_PLACES,
)
from fupin.web.deps import DbDep, PageUser, SessionDep, uow_for, verify_csrf
from fupin.web.forms import form_date as _date
from fupin.web.forms import form_int as _int
from fupin.web.forms import form_text as _text
from fupin.web.forms import redirect_back as _back
from fupin.web.templating import current_area_code, render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

VOCAB = {"classifications": CLASSIFICATIONS, "wishes": WISHES, "sources": SOURCES, "places": WORK_PLACES,
         "employer_kinds": EMPLOYER_KINDS, "course_types": COURSE_TYPES, "figures": queries.FIGURES}










def _ctx(request: Request, **values):  # type: ignore[no-untyped-def]
    return {"vocab": VOCAB, "error": request.query_params.get("error"), "ok": request.query_params.get("ok"),
            "today": dt.date.today().isoformat(), **values}


def _year(request: Request) -> int:
    raw = request.query_params.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else dt.date.today().year


@router.get("/employment")
def figures_page(request: Request, session: SessionDep, user: PageUser):
    area = current_area_code(request) or ""
    year = _year(request)
    total = queries.figures_for_area(session, user.scope, area, year) if area else None
    children = []
    if area and level_of(area) != AreaLevel.group:
        below = LEVEL_ORDER[LEVEL_ORDER.index(level_of(area)) + 1]
        children = queries.employment_figures(session, user.scope.narrowed_to(area), year, below)
    if area:
        from fupin.areas.queries import children as child_areas

        names = {a.code: a.name for a in child_areas(session, area, user.scope)}
    else:
        names = {}
    return render(request, "employment/figures.html", _ctx(
        request, area=area, year=year, total=total, children=children, names=names,
        training=queries.trained_then_placed(session, user.scope.narrowed_to(area) if area else user.scope)))


@router.get("/employment/figures/list")
def figure_list_page(request: Request, session: SessionDep, user: PageUser):
    area = request.query_params.get("area") or current_area_code(request) or ""
    figure = request.query_params.get("figure", "employed")
    year = _year(request)
    rows = queries.figure_members(session, user.scope, area, year, figure)
    return render(request, "employment/figure_list.html", _ctx(request, area=area, year=year, figure=figure,
                                                                rows=rows))


@router.get("/employment/workers")
def workers_page(request: Request, session: SessionDep, user: PageUser):
    classification = request.query_params.get("classification") or None
    q = request.query_params.get("q", "")[:30]
    page = int(request.query_params.get("page", "1")) if request.query_params.get("page", "1").isdigit() else 1
    workers = queries.list_workers(session, user.scope, classification=classification, q=q, limit=50,
                                   offset=(max(page, 1) - 1) * 50)
    current = queries.current_placement_by_worker(session, [w.id for w in workers])
    return render(request, "employment/workers.html", _ctx(
        request, workers=workers, current=current, classification=classification, q=q, page=max(page, 1)))


@router.post("/employment/workers")
async def register_worker(request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        with uow_for(db, user) as uow:
            worker = service.register_worker(uow, _int(form, "person_id"),
                                             classification=_text(form, "classification"),
                                             skills=_text(form, "skills"), wish=_text(form, "wish") or "local")
    except FupinError as error:
        return _back("/employment/workers", error=error.message)
    return _back(f"/employment/workers/{worker.id}", ok="已登记劳动力")


@router.get("/employment/workers/{worker_id}")
def worker_page(worker_id: int, request: Request, session: SessionDep, user: PageUser):
    worker = queries.get_worker(session, worker_id, user.scope)
    return render(request, "employment/worker.html", _ctx(
        request, worker=worker, placements=queries.placements_of_worker(session, worker.id),
        training=queries.training_of_worker(session, worker.id)))


@router.post("/employment/workers/{worker_id}")
async def update_worker(worker_id: int, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        with uow_for(db, user) as uow:
            service.update_worker(uow, worker_id, classification=_text(form, "classification"),
                                  skills=str(form.get("skills") or ""), wish=_text(form, "wish"))
    except FupinError as error:
        return _back(f"/employment/workers/{worker_id}", error=error.message)
    return _back(f"/employment/workers/{worker_id}", ok="已保存")


@router.post("/employment/workers/{worker_id}/placements")
async def add_placement(worker_id: int, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        with uow_for(db, user) as uow:
            service.add_placement(uow, worker_id, source=str(form.get("source") or ""),
                                  work_place=str(form.get("work_place") or "in_county"),
                                  destination=_text(form, "destination"), employer_name=_text(form, "employer_name"),
                                  employer_kind=_text(form, "employer_kind"),
                                  started_on=_date(form, "started_on", dt.date.today()),
                                  monthly_wage=_text(form, "monthly_wage"))
    except FupinError as error:
        return _back(f"/employment/workers/{worker_id}", error=error.message)
    return _back(f"/employment/workers/{worker_id}", ok="已登记就业")


@router.post("/employment/placements/{placement_id}/end")
async def end_placement(placement_id: int, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        with uow_for(db, user) as uow:
            placement = service.end_placement(uow, placement_id, _date(form, "ended_on", dt.date.today()))
            worker_id = placement.worker_id
    except FupinError as error:
        return _back("/employment/workers", error=error.message)
    return _back(f"/employment/workers/{worker_id}", ok="已登记离岗")


@router.get("/employment/placements")
def placements_page(request: Request, session: SessionDep, user: PageUser):
    source = request.query_params.get("source") or None
    open_only = request.query_params.get("open") == "1"
    rows = queries.list_placements(session, user.scope, source=source if source in SOURCES else None,
                                   open_only=open_only, limit=200)
    return render(request, "employment/placements.html", _ctx(request, rows=rows, source=source,
                                                               open_only=open_only))


@router.get("/employment/openings")
def openings_page(request: Request, session: SessionDep, user: PageUser):
    return render(request, "employment/openings.html", _ctx(
        request, openings=queries.list_openings(session, user.scope),
        stations=queries.list_stations(session, user.scope), default_area=current_area_code(request) or ""))


@router.post("/employment/openings")
async def create_opening(request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        station = _text(form, "station_id")
        with uow_for(db, user) as uow:
            opening = service.create_opening(
                uow, title=str(form.get("title") or ""), area_code=str(form.get("area_code") or "").strip(),
                source=str(form.get("source") or ""), employer_name=str(form.get("employer_name") or ""),
                employer_kind=str(form.get("employer_kind") or "enterprise"),
                work_place=str(form.get("work_place") or "in_county"), destination=_text(form, "destination"),
                skill=_text(form, "skill"), positions=_int(form, "positions", 1),
                monthly_wage=_text(form, "monthly_wage"), station_id=int(station) if station and station.isdigit()
                else None)
    except FupinError as error:
        return _back("/employment/openings", error=error.message)
    return _back(f"/employment/openings/{opening.id}", ok="岗位已发布")


@router.get("/employment/openings/{opening_id}")
def opening_page(opening_id: int, request: Request, session: SessionDep, user: PageUser):
    opening = queries.get_opening(session, opening_id, user.scope)
    return render(request, "employment/opening.html", _ctx(
        request, opening=opening, filled=queries.filled_positions(session, opening.id),
        matches=queries.propose_matches(session, user.scope, opening) if opening.status == "open" else []))


@router.post("/employment/openings/{opening_id}/accept")
async def accept_match(opening_id: int, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        with uow_for(db, user) as uow:
            service.accept_match(uow, opening_id, _int(form, "worker_id"), _date(form, "started_on", dt.date.today()))
    except FupinError as error:
        return _back(f"/employment/openings/{opening_id}", error=error.message)
    return _back(f"/employment/openings/{opening_id}", ok="已安排上岗")


@router.get("/employment/courses")
def courses_page(request: Request, session: SessionDep, user: PageUser):
    return render(request, "employment/courses.html", _ctx(
        request, courses=queries.list_courses(session, user.scope), default_area=current_area_code(request) or ""))


@router.post("/employment/courses")
async def create_course(request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        with uow_for(db, user) as uow:
            course = service.create_course(
                uow, title=str(form.get("title") or ""), course_type=str(form.get("course_type") or ""),
                area_code=str(form.get("area_code") or "").strip(), hours=_int(form, "hours"),
                provider=str(form.get("provider") or ""), starts_on=_date(form, "starts_on"),
                ends_on=_date(form, "ends_on"))
    except FupinError as error:
        return _back("/employment/courses", error=error.message)
    return _back(f"/employment/courses/{course.id}", ok="培训班已登记")


@router.get("/employment/courses/{course_id}")
def course_page(course_id: int, request: Request, session: SessionDep, user: PageUser):
    course = queries.get_course(session, course_id, user.scope)
    return render(request, "employment/course.html", _ctx(
        request, course=course, attendance=queries.attendance_of_course(session, course.id)))


@router.post("/employment/courses/{course_id}/attendance")
async def enrol(course_id: int, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        with uow_for(db, user) as uow:
            service.enrol(uow, course_id, _int(form, "worker_id"))
    except FupinError as error:
        return _back(f"/employment/courses/{course_id}", error=error.message)
    return _back(f"/employment/courses/{course_id}", ok="已报名")


@router.post("/employment/attendance/{attendance_id}/complete")
async def complete(attendance_id: int, request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        with uow_for(db, user) as uow:
            attendance = service.complete_attendance(uow, attendance_id, certified=form.get("certified") == "1")
            course_id = attendance.course_id
    except FupinError as error:
        return _back("/employment/courses", error=error.message)
    return _back(f"/employment/courses/{course_id}", ok="已结业")


@router.get("/employment/stations")
def stations_page(request: Request, session: SessionDep, user: PageUser):
    return render(request, "employment/stations.html", _ctx(
        request, stations=queries.list_stations(session, user.scope), default_area=current_area_code(request) or ""))


@router.post("/employment/stations")
async def create_station(request: Request, db: DbDep, user: PageUser):
    form = await request.form()
    try:
        site = _text(form, "site_id")
        with uow_for(db, user) as uow:
            service.create_station(uow, name=str(form.get("name") or ""),
                                   area_code=str(form.get("area_code") or "").strip(),
                                   site_id=int(site) if site and site.isdigit() else None,
                                   serves=_text(form, "serves"), phone=_text(form, "phone"))
    except FupinError as error:
        return _back("/employment/stations", error=error.message)
    return _back("/employment/stations", ok="服务站已登记")
