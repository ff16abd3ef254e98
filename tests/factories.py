"""Small, explicit fixtures: a slice of 云南 with two counties, and users of each role."""

from __future__ import annotations

from fupin.accounts.service import create_user
from fupin.areas.service import import_areas
from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.importing import ImportMode
from fupin.core.uow import UnitOfWork

AREAS = [
    ("530000000000", "云南省"),
    ("530300000000", "曲靖市"),
    ("530326000000", "会泽县"),
    ("530326100000", "钟屏街道"),
    ("530326100200", "北坎村"),
    ("530326100201", "石坝村"),
    ("530326100200001", "第1村民小组"),
    ("530326101000", "娜姑镇"),
    ("530326101200", "白雾村"),
    ("530321000000", "马龙区"),
    ("530321100000", "通泉街道"),
    ("530321100200", "大庄村"),
]

PASSWORD = "test-password-123"


def add_areas(db: Database, rows: list[tuple[str, str]] | None = None) -> None:
    lines = [(i + 1, code, name) for i, (code, name) in enumerate(rows or AREAS)]
    with UnitOfWork(db, Actor.system("test")) as uow:
        report = import_areas(uow, lines, mode=ImportMode.all_or_nothing)
    assert report.committed, report.errors


def add_user(db: Database, username: str, role: str, area_code: str | None, **unit: int) -> int:
    """A user of `role`; clerks act for an entity or shop (`entity_id=` / `shop_id=`, 1 when not given)."""
    if role == "entity_clerk":
        unit.setdefault("entity_id", 1)
    if role == "shop_clerk":
        unit.setdefault("shop_id", 1)
    with UnitOfWork(db, Actor.system("test")) as uow:
        return create_user(uow, username=username, password=PASSWORD, role=role, area_code=area_code, **unit).id
