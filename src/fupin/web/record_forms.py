"""The forms on one record's page, declared as a table: each is a POST route under the record's path that parses
its schema, runs one use case on the record and goes back to the page (or shows the page again with the refused
form). Pages with several small forms on one record (a household's steps, an entity's members and land …) list
them instead of writing one handler each:

    add_record_forms(router, "/monitoring/{monitored_id}", (
        RecordForm("measures", schemas.MeasureForm, "measure_form", "已记录帮扶措施", service.add_measure),
    ), _household_page)
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from fupin.core.identity import CurrentUser
from fupin.core.sql import MAX_ID
from fupin.core.uow import UnitOfWork
from fupin.web.deps import PageUow, PageUser, SessionDep
from fupin.web.forms import FormResult, Keep, form_of, keep_or_raise, redirect_back, submit
from fupin.web.templating import render

RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
_PATH_PARAMETER = re.compile(r"{(\w+)(?::int)?}")


@dataclass(frozen=True)
class RecordForm:
    """One form on a record's page and the use case it runs: POST `<record path>/<path>` parses `schema` and
    runs `write(uow, record_id, data)`; the page names the form `name` (to show it again with its errors)."""

    path: str
    schema: type[BaseModel]
    name: str
    done_message: str | Callable[[Any], str]  # or made from the use case's result
    write: Callable[[UnitOfWork, int, Any], object]


RecordPage = Callable[..., Response]  # page(request, session, user, record_id, status_code=…, **{name: form})


def rendered(template: str, context: Callable[..., dict[str, Any]]) -> RecordPage:
    """A record's page made of its template and its context, `context(request, session, user, record_id, **forms)`."""

    def page(request: Request, session: Session, user: CurrentUser, record_id: int, status_code: int = 200,
             **forms: FormResult[Any]) -> Response:
        return render(request, template, context(request, session, user, record_id, **forms), status_code=status_code)

    return page


def add_record_forms(router: APIRouter, record_path: str, forms: Iterable[RecordForm], page: RecordPage, *,
                     back: Callable[[int, RecordForm], str] | None = None, keep: Keep = keep_or_raise) -> None:
    """The POST routes of the forms on the page at `record_path` (e.g. "/monitoring/{monitored_id}"): each answers
    through `submit`, back to the page (or to `back(record_id, form)`) with its message, or the page again with
    the refused form."""
    match = _PATH_PARAMETER.search(record_path)
    assert match is not None, record_path
    id_name = match[1]
    for spec in forms:
        router.add_api_route(f"{record_path}/{spec.path}", _record_form_endpoint(record_path, id_name, spec, page,
                                                                                 back, keep), methods=["POST"])


def _record_form_endpoint(record_path: str, id_name: str, spec: RecordForm, page: RecordPage,
                          back: Callable[[int, RecordForm], str] | None, keep: Keep) -> Callable[..., Response]:
    def answer(request: Request, session: Session, user: CurrentUser, uow: UnitOfWork, form: FormResult[Any],
               **path: int) -> Response:
        record_id = path[id_name]
        url = back(record_id, spec) if back else _PATH_PARAMETER.sub(str(record_id), record_path)
        message = spec.done_message
        return submit(form, lambda data: spec.write(uow, record_id, data),
                      lambda result: redirect_back(url, ok=message(result) if callable(message) else message),
                      lambda status: page(request, session, user, record_id, status_code=status, **{spec.name: form}),
                      keep)

    # FastAPI reads the parameters from the signature: the record's id is named as in the path.
    parameter = inspect.Parameter
    answer.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
        parameter(id_name, parameter.KEYWORD_ONLY, annotation=RecordId),
        parameter("request", parameter.KEYWORD_ONLY, annotation=Request),
        parameter("session", parameter.KEYWORD_ONLY, annotation=SessionDep),
        parameter("user", parameter.KEYWORD_ONLY, annotation=PageUser),
        parameter("uow", parameter.KEYWORD_ONLY, annotation=PageUow),
        parameter("form", parameter.KEYWORD_ONLY,
                  annotation=Annotated[FormResult[Any], Depends(form_of(spec.schema))]),
    ])
    answer.__name__ = spec.write.__name__ if spec.write.__name__ != "<lambda>" else spec.path.replace("-", "_")
    return answer
