"""Page forms parsed by the same Pydantic schemas as the API, and re-rendered with what the user typed.

    @router.post("/registry/new")
    def create(request: Request, uow: PageUow, form: Annotated[FormResult[HouseholdCreate],
                                                              Depends(form_of(HouseholdCreate))]):
        return submit(form, lambda data: service.create_household(uow, data),
                      lambda household: redirect_back(f"/registry/households/{household.id}", ok="已建档"),
                      lambda status: render(request, "registry/new.html", {"form": form}, status_code=status))

Field names follow the schema, nested lists as `members.0.name`. Blank inputs count as not given, an unticked
checkbox of a `bool` field as False, repeated names of a `list[str]` field as the list. Errors are translated once
(core.validation) and kept per field, so each is shown beside its input (templates: `_forms.html`).
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, TypeVar, get_args, get_origin
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from fupin.core.errors import Conflict, Forbidden, FupinError, Invalid, NotFound, Unauthenticated, Unavailable
from fupin.core.validation import FieldError, describe

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")
_INDEXED = re.compile(r"^(?P<head>[A-Za-z_][A-Za-z0-9_]*)\.(?P<index>\d{1,3})\.(?P<rest>.+)$")
MAX_ROWS = 200  # nested rows a form may send (members of a household, lines of a redemption …)


def _unwrap(annotation: Any) -> Any:
    origin = get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        inner = [a for a in get_args(annotation) if a is not type(None)]
        return inner[0] if len(inner) == 1 else annotation
    if origin is typing.Annotated:
        return _unwrap(get_args(annotation)[0])
    return annotation


def _is_bool(annotation: Any) -> bool:
    return _unwrap(annotation) is bool


def _is_list(annotation: Any) -> bool:
    return get_origin(_unwrap(annotation)) in (list, set, tuple)


def _item_model(annotation: Any) -> type[BaseModel] | None:
    unwrapped = _unwrap(annotation)
    if get_origin(unwrapped) in (list, tuple):
        args = get_args(unwrapped)
        if args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
            return args[0]
    return None


def _shape(flat: Mapping[str, Any], lists: Mapping[str, list[str]], model: type[BaseModel]) -> dict[str, Any]:
    """Plain form values → the dict the schema validates (nested rows, checkboxes, lists, blanks dropped)."""
    data: dict[str, Any] = {}
    nested: dict[str, dict[int, dict[str, Any]]] = {}
    for name, value in flat.items():
        match = _INDEXED.match(name)
        if match:
            index = int(match["index"])
            if index < MAX_ROWS:
                nested.setdefault(match["head"], {}).setdefault(index, {})[match["rest"]] = value
            continue
        info = model.model_fields.get(name)
        if info is not None and _is_list(info.annotation) and _item_model(info.annotation) is None:
            values = [v.strip() for v in lists.get(name, [value]) if isinstance(v, str) and v.strip()]
            if values:
                data[name] = values
            continue
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                continue
        data[name] = value
    for head, rows in nested.items():
        info = model.model_fields.get(head)
        item = _item_model(info.annotation) if info is not None else None
        shaped = []
        for _index, row in sorted(rows.items()):
            if all(not str(v).strip() for v in row.values()):
                continue  # an empty row of a repeated block is not a row
            shaped.append(_shape(row, {}, item) if item is not None else row)
        data[head] = shaped
    for name, info in model.model_fields.items():
        if _is_bool(info.annotation) and name not in data:
            if name in flat:
                continue
            data[name] = False
        if name in data and _is_bool(info.annotation) and isinstance(data[name], str):
            data[name] = data[name].lower() in ("on", "true", "1", "yes", "是")
    return data


@dataclass
class FormResult(Generic[M]):
    data: M | None
    values: dict[str, Any]  # what the user sent, by the inputs' names (for re-rendering)
    errors: dict[str, str] = field(default_factory=dict)  # input name → message; "_" for the whole form
    details: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.errors

    def value(self, name: str, default: Any = "") -> Any:
        return self.values.get(name, default)

    def error(self, name: str) -> str | None:
        return self.errors.get(name)

    def add_error(self, error: FupinError) -> None:
        """A problem with what was typed goes beside its field; a refusal (not allowed, not found, busy) is not
        a form error and is raised on, to be answered as such."""
        if isinstance(error, Forbidden | NotFound | Unauthenticated | Unavailable):
            raise error
        self.errors[error.field or "_"] = error.message
        self.details.append(FieldError(error.field or "", "", error.message))

    def summary(self) -> list[str]:
        return [d.sentence() for d in self.details]


def parse(flat: Mapping[str, Any], model: type[M], lists: Mapping[str, list[str]] | None = None,
          extra: Mapping[str, Any] | None = None) -> FormResult[M]:
    values = {k: v for k, v in flat.items() if k != "csrf_token"}
    try:
        data = _shape(values, lists or {}, model) | dict(extra or {})
        parsed = model.model_validate(data)
    except ValidationError as error:
        details = describe(list(error.errors()), model)
        errors: dict[str, str] = {}
        for detail in details:
            errors.setdefault(detail.field or "_", detail.sentence())
        return FormResult(None, values, errors, details)
    return FormResult(parsed, values)


class PageForm:
    """`form: PageForm[Schema]` in a page handler: the request's form parsed with `Schema`, a `FormResult` (short for
    `Annotated[FormResult[Schema], Depends(form_of(Schema))]`)."""

    def __class_getitem__(cls, model: type[BaseModel]) -> Any:
        return Annotated[FormResult[model], Depends(form_of(model))]  # type: ignore[valid-type]


def form_of(model: type[M], **extra: Callable[[Request], Any]) -> Callable[..., Any]:
    """A dependency that parses the request's form with `model`; `extra` adds values taken from the request
    (e.g. a path parameter the schema needs)."""

    async def dependency(request: Request) -> FormResult[M]:
        form = await request.form()
        flat = {k: v for k, v in form.items() if isinstance(v, str)}
        lists = {k: [v for v in form.getlist(k) if isinstance(v, str)] for k in form.keys()}
        return parse(flat, model, lists, {k: fn(request) for k, fn in extra.items()})

    return dependency


# ---------------------------------------------------------------- post/redirect/get helpers


def redirect_back(url: str, *, error: str | None = None, ok: str | None = None) -> RedirectResponse:
    """303 to `url` with ?error= or ?ok= for the page to show (post/redirect/get)."""
    for key, value in (("error", error), ("ok", ok)):
        if value:
            url += ("&" if "?" in url else "?") + f"{key}=" + quote(value)
    return RedirectResponse(url, status_code=303)


def keep_or_raise(form: FormResult[Any], error: FupinError) -> None:
    """A page handler's answer to a refused use case: what the user can correct goes beside the field (the form
    re-renders, 422); a refusal of the caller or of the record itself (403, a missing record in the path, 503)
    is the app's error page."""
    if isinstance(error, Invalid | Conflict) or (isinstance(error, NotFound) and error.field is not None):
        form.errors[error.field or "_"] = error.message
        form.details.append(FieldError(error.field or "", "", error.message))
        return
    raise error


def keep_fixable(form: FormResult[Any], error: FupinError) -> None:
    """Only what the user can correct here (invalid, in conflict) goes beside the field; every other refusal,
    a missing record named by a field included, is the app's error page."""
    if isinstance(error, Invalid | Conflict):
        form.add_error(error)
        return
    raise error


def keep_with_status(form: FormResult[Any], error: FupinError) -> int:
    """Like `FormResult.add_error`, and the status to answer with: 409 when the record's state is in the way,
    422 for what was typed."""
    form.add_error(error)
    return 409 if isinstance(error, Conflict) else 422


Keep = Callable[[FormResult[Any], FupinError], int | None]


def submit(form: FormResult[M], action: Callable[[M], R], done: Callable[[R], Response],
           again: Callable[[int], Response], keep: Keep = keep_or_raise) -> Response:
    """The page POST: a parsed form goes to one use case (`action`), its result to the answer (`done`, usually
    a post/redirect/get); a form that does not parse, or a refusal `keep` puts beside its field, renders the page
    again (`again(status)`, 422 unless `keep` names another status) with what was typed."""
    status = 422
    if form.ok:
        assert form.data is not None
        try:
            result = action(form.data)
        except FupinError as error:
            status = keep(form, error) or 422
        else:
            return done(result)
    return again(status)


def fold_item_errors(form: FormResult[Any], *names: str) -> FormResult[Any]:
    """A list typed into one box ("75,100,abc"): an error of its third item is shown beside the box."""
    folded: dict[str, str] = {}
    for key, message in form.errors.items():
        head = key.split(".", 1)[0]
        folded.setdefault(head if head in names else key, message)
    form.errors = folded
    return form

