"""Background jobs as every capability shows them: a status panel that polls itself, the JSON view, the files."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from fupin.core import jobs
from fupin.web.deps import ApiUow, PageUow, verify_csrf
from fupin.web.templating import render

pages_router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)
api_router = APIRouter(prefix="/jobs", tags=["jobs 后台任务"])


def to_job(job_id: str, panel: str | None = None) -> RedirectResponse:
    """303 to the page of a queued job (it polls itself), shown with `panel` once the job is done."""
    return RedirectResponse(f"/jobs/{job_id}" + (f"?panel={panel}" if panel else ""), status_code=303)


def download(name: str, media_type: str, content: bytes) -> Response:
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@pages_router.get("/jobs")
def my_jobs(request: Request, uow: PageUow):
    return render(request, "jobs.html", {"jobs": jobs.list_own(uow, limit=50)})


@pages_router.get("/jobs/{job_id}")
def job_panel(request: Request, job_id: Annotated[str, Path(max_length=32)], uow: PageUow,
              panel: Annotated[str | None, Query(max_length=80)] = None):
    """The status panel (HTMX polls it until the job is finished; a capability may name its own result panel,
    a template `<capability>/_<name>.html` extending `_job.html`); opened directly, the same inside the layout."""
    job = jobs.get(uow, job_id)
    template = panel if panel and panel.endswith(".html") and "/_" in panel and ".." not in panel else "_job.html"
    if request.headers.get("HX-Request"):
        return render(request, template, {"job": job, "panel": panel})
    return render(request, "job_page.html", {"job": job, "panel": panel, "panel_template": template})


@pages_router.get("/jobs/{job_id}/files/{file_id}")
def job_file_page(job_id: Annotated[str, Path(max_length=32)], file_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
                  uow: PageUow):
    return download(*jobs.read_file(uow, job_id, file_id))


@api_router.get("")
def list_jobs(uow: ApiUow, limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[dict]:
    return [j.as_dict() for j in jobs.list_own(uow, limit=limit)]


@api_router.get("/{job_id}")
def get_job(job_id: Annotated[str, Path(max_length=32)], uow: ApiUow) -> dict:
    return jobs.get(uow, job_id).as_dict()


@api_router.get("/{job_id}/files/{file_id}")
def job_file(job_id: Annotated[str, Path(max_length=32)], file_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
             uow: ApiUow) -> Response:
    return download(*jobs.read_file(uow, job_id, file_id))
