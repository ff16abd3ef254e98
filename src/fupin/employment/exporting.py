"""County-sized exports of employment as background jobs, masked for the caller's role and audited.

`xlsx_bytes` and `safe_cell` are shared with relocation's export: every cell of a file that leaves the system
is text a spreadsheet will not run (`= + - @` at the start neutralised with a leading apostrophe) and carries no
control characters (which would also break the xlsx file itself).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin.core.jobs import JobContext
from fupin.core.personal_data import PersonalField, Viewer
from fupin.core.scoping import Scope
from fupin.employment.models import JobPlacement, Worker
from fupin.employment.rules import CLASSIFICATIONS, SOURCES, WISHES, WORK_PLACES

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SEXES = {"M": "男", "F": "女"}


def safe_cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, Decimal)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = _CONTROL.sub("", str(value))
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text


def xlsx_bytes(sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[bytes, int]:
    """A one-sheet workbook written row by row (openpyxl's write-only mode); returns (content, data rows)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.append([safe_cell(h) for h in headers])
    count = 0
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def worker_headers(viewer: Viewer) -> list[str]:
    headers = ["劳动力编号", "人员编号", "户编号(系统ID)", "姓名", "性别",
               "出生日期" if viewer.full(PersonalField.birth_date) else "出生年份", "所在区划", "劳动力分类",
               "技能", "就业意愿"]
    if viewer.shows(PersonalField.health):
        headers.append("健康状况")
    if viewer.shows(PersonalField.disability):
        headers.append("残疾等级")
    return headers + ["当前就业渠道", "用工单位", "务工地点", "输出目的地", "上岗日期", "月工资(元)"]


def worker_rows(session: Session, scope: Scope, viewer: Viewer) -> Iterator[list[Any]]:
    """One row per worker of the scope, in id order, with the current (latest open) job if any."""
    from fupin.registry.queries import persons_subquery

    persons = persons_subquery(scope, active_only=False)
    current = (select(JobPlacement.worker_id, func.max(JobPlacement.id).label("placement_id"))
               .where(scope.condition(JobPlacement.area_code), JobPlacement.ended_on.is_(None))
               .group_by(JobPlacement.worker_id).subquery("current_jobs"))
    stmt = (select(Worker.id, Worker.person_id, Worker.household_id, Worker.name, persons.c.sex, persons.c.birth_date,
                   Worker.area_code, Worker.classification, Worker.skills, Worker.wish, persons.c.health,
                   persons.c.disability_grade, JobPlacement.source, JobPlacement.employer_name,
                   JobPlacement.work_place, JobPlacement.destination, JobPlacement.started_on,
                   JobPlacement.monthly_wage)
            .join(persons, persons.c.id == Worker.person_id, isouter=True)
            .join(current, current.c.worker_id == Worker.id, isouter=True)
            .join(JobPlacement, JobPlacement.id == current.c.placement_id, isouter=True)
            .where(scope.condition(Worker.area_code)).order_by(Worker.id))
    full_birth = viewer.full(PersonalField.birth_date)
    health, disability = viewer.shows(PersonalField.health), viewer.shows(PersonalField.disability)
    for r in session.execute(stmt.execution_options(yield_per=2_000)):
        row: list[Any] = [r.id, r.person_id, r.household_id, r.name, SEXES.get(r.sex or "", r.sex),
                          (r.birth_date if full_birth else viewer.birth_year(r.birth_date)), r.area_code,
                          CLASSIFICATIONS.get(r.classification, r.classification), r.skills,
                          WISHES.get(r.wish, r.wish)]
        if health:
            row.append(r.health)
        if disability:
            row.append(r.disability_grade)
        row += [SOURCES.get(r.source, r.source) if r.source else None, r.employer_name,
                WORK_PLACES.get(r.work_place, r.work_place) if r.work_place else None, r.destination,
                r.started_on, r.monthly_wage]
        yield row


def run_worker_export(ctx: JobContext) -> dict[str, Any]:
    """Job `employment.export_workers`: the labour registry of an area as xlsx (masked per role), audited."""
    uow = ctx.uow()
    area_code = ctx.params.get("area_code")
    viewer = uow.viewer
    with uow.reading():
        uow.require("employment.export")
        scope = uow.scope.narrowed_to(area_code) if area_code else uow.scope
        total = int(uow.session.scalar(select(func.count()).select_from(Worker)
                                       .where(scope.condition(Worker.area_code))) or 0)
        ctx.progress("读取劳动力台账", 0, total, force=True)

        content, count = xlsx_bytes("劳动力台账", worker_headers(viewer),
                                    ctx.counted(worker_rows(uow.session, scope, viewer), total))
    return ctx.deliver_personal_workbook(uow, "workers", None, area_code, f"劳动力台账-{area_code or '全部'}.xlsx",
                                         content, count)
