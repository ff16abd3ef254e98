from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from fupin.areas import queries, service
from fupin.areas.schemas import AreaPublic, GroupCreate
from fupin.web.deps import ApiUow, ApiUser, SessionDep

router = APIRouter(prefix="/areas", tags=["areas 行政区划"])


@router.get("", response_model=list[AreaPublic])
def search_areas(session: SessionDep, user: ApiUser, q: Annotated[str, Query(max_length=50)] = "",
                 limit: Annotated[int, Query(ge=1, le=200)] = 20) -> list[AreaPublic]:
    """Areas in the caller's scope whose name contains `q` or whose code starts with it."""
    return [AreaPublic.model_validate(a) for a in queries.search(session, q, user.scope, limit)]


@router.get("/{code}", response_model=AreaPublic)
def get_area(code: Annotated[str, Path(max_length=15)], session: SessionDep, user: ApiUser) -> AreaPublic:
    return AreaPublic.model_validate(queries.get_area(session, code, user.scope))


@router.get("/{code}/children", response_model=list[AreaPublic])
def get_children(code: Annotated[str, Path(max_length=15)], session: SessionDep, user: ApiUser) -> list[AreaPublic]:
    return [AreaPublic.model_validate(a) for a in queries.children(session, code, user.scope)]


@router.post("/{code}/groups", response_model=AreaPublic, status_code=201)
def create_group(code: Annotated[str, Path(max_length=15)], body: GroupCreate, uow: ApiUow) -> AreaPublic:
    """A new village group (组) under the village `code`."""
    return AreaPublic.model_validate(service.create_group(uow, code, body.name))
