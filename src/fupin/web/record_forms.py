"""A page and its forms, declared as a table: the page is a GET route (a list, or one record when its path names
the record's id), each form a POST route at or below it that parses its schema, runs one use case and goes back
(post/redirect/get) or shows the page again with the refused form. Pages whose forms are only that (a household's
steps, an entity's members and land, a list with its "new" form …) list them instead of writing one handler each:

    add_record_forms(router, "/monitoring/{monitored_id}", (
        RecordForm("measures", schemas.MeasureForm, "measure_form", "已记录帮扶措施", service.add_measure),
    ), _household_page)

The page function is `page(request, session, user[, record_id], status_code=…, **{form name: form})`.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from fupin.core.identity import CurrentUser
from fupin.core.sql import MAX_ID
from fupin.core.uow import UnitOfWork
from fupin.web.deps import PageUow, PageUser, SessionDep
from fupin.web.forms import FormResult, Keep, PageForm, keep_or_raise, redirect_back, submit
from fupin.web.templating import render

RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
_PATH_PARAMETER = re.compile(r"{(\w+)(?::int)?}")
_PARAMETER = inspect.Parameter


@dataclass(frozen=True)
class RecordForm:
    """One form on a page and the use case it runs: POST `<page path>/<path>` (the page's own path when `path` is
    empty) parses `schema` and runs `write(uow[, record_id], data)`; then to `to(result)` if given, else back to
    the page, with `done_message`. The page names the form `name` (to show it again with its errors)."""

    path: str
    schema: type[BaseModel]
    name: str
    done_message: str | Callable[[Any], str]  # or made from the use case's result
    write: Callable[..., Any]
    to: Callable[[Any], str] | None = None
    # a form on a record shown on another's page (a placement on its worker's): that page's record id
    page_of: Callable[[Session, CurrentUser, int], int] | None = None


RecordPage = Callable[..., Response]


def rendered(template: str, context: Callable[..., dict[str, Any]]) -> RecordPage:
    """A page made of its template and its context, `context(request, session, user[, record_id], **forms)`."""

    def page(request: Request, session: Session, user: CurrentUser, *record_id: int, status_code: int = 200,
             **forms: FormResult[Any]) -> Response:
        return render(request, template, context(request, session, user, *record_id, **forms), status_code=status_code)

    return page


def add_page(router: APIRouter, path: str, page: RecordPage, forms: Iterable[RecordForm] = (), *,
             back: Callable[[int, RecordForm], str] | None = None, keep: Keep = keep_or_raise) -> None:
    """GET `path` shows `page`; then the routes of its `forms` (see `add_record_forms`)."""
    id_name = _id_name(path)

    def show(request: Request, session: Session, user: CurrentUser, **record: int) -> Response:
        return page(request, session, user, *record.values())

    show.__signature__ = _signature(  # type: ignore[attr-defined]
        id_name, ("request", Request), ("session", SessionDep), ("user", PageUser))
    show.__name__ = page.__name__.lstrip("_")
    router.add_api_route(path, show, methods=["GET"])
    add_record_forms(router, path, forms, page, back=back, keep=keep)


def add_record_forms(router: APIRouter, record_path: str, forms: Iterable[RecordForm], page: RecordPage, *,
                     back: Callable[[int, RecordForm], str] | None = None, keep: Keep = keep_or_raise) -> None:
    """The POST routes of the forms on the page at `record_path` (e.g. "/monitoring/{monitored_id}"): each answers
    through `submit`, to `form.to(result)`, `back(record_id, form)` or the page itself with its message, or shows
    the page again with the refused form."""
    id_name = _id_name(record_path)
    for spec in forms:
        router.add_api_route(record_path + (f"/{spec.path}" if spec.path else ""),
                             _form_endpoint(record_path, id_name, spec, page, back, keep), methods=["POST"])


def _id_name(path: str) -> str | None:
    match = _PATH_PARAMETER.search(path)
    return match[1] if match else None


def _signature(id_name: str | None, *named: tuple[str, Any]) -> inspect.Signature:
    """FastAPI reads a route's parameters from its signature: the record's id, if any, is named as in the path."""
    record = [_PARAMETER(id_name, _PARAMETER.KEYWORD_ONLY, annotation=RecordId)] if id_name else []
    return inspect.Signature(record + [_PARAMETER(name, _PARAMETER.KEYWORD_ONLY, annotation=annotation)
                                       for name, annotation in named])


def _form_endpoint(page_path: str, id_name: str | None, spec: RecordForm, page: RecordPage,
                   back: Callable[[int, RecordForm], str] | None, keep: Keep) -> Callable[..., Response]:
    def answer(request: Request, session: Session, user: CurrentUser, uow: UnitOfWork, form: FormResult[Any],
               **record: int) -> Response:
        ids = tuple(record.values())
        message = spec.done_message

        def done(result: Any) -> Response:
            if spec.to is not None:
                url = spec.to(result)
            elif back is not None:
                url = back(*ids, spec)
            else:
                url = _PATH_PARAMETER.sub(lambda _: str(ids[0]), page_path)
            return redirect_back(url, ok=message(result) if callable(message) else message)

        def again(status: int) -> Response:
            page_ids = (spec.page_of(session, user, *ids),) if spec.page_of else ids
            return page(request, session, user, *page_ids, status_code=status, **{spec.name: form})

        return submit(form, lambda data: spec.write(uow, *ids, data), done, again, keep)

    answer.__signature__ = _signature(  # type: ignore[attr-defined]
        id_name, ("request", Request), ("session", SessionDep), ("user", PageUser), ("uow", PageUow),
        ("form", PageForm[spec.schema]))
    named = spec.write.__name__ != "<lambda>"
    answer.__name__ = spec.write.__name__ if named else spec.path.replace("-", "_") or spec.name
    return answer
