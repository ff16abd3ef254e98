"""Use cases of organisations, members and cadres: the only code that writes their tables.

Each use case opens the unit of work it is given (`with uow:`) and asks the permission table first. Check-then-
write holds the rows it checked (`lock=True` reads take them FOR UPDATE on PostgreSQL; SQLite writers already
take turns), so two clerks moving, dissolving or ending the same record at once get one success and one 409.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import select

from fupin.areas import queries as area_queries
from fupin.core import errors as core_errors
from fupin.core import jobs
from fupin.core.audit import AuditAction
from fupin.core.errors import FupinError, NotFound
from fupin.core.importing import ImportMode, ImportReport, RowError
from fupin.core.personal_data import PersonalField
from fupin.core.sql import rows_in
from fupin.core.uow import UnitOfWork
from fupin.orgs import coverage, errors, queries
from fupin.orgs.export import XLSX, cadres_workbook, coverage_workbook
from fupin.orgs.models import Cadre, PartyMember, PartyOrg, PartyOrgEvent
from fupin.orgs.rules import cadre_problems, creates_cycle, org_problems
from fupin.orgs.vocab import CADRE_POSTS, CADRE_RANKS, code_for_label
from fupin.registry import queries as registry_queries

ORG_FIELDS = ("name", "org_type", "parent_id", "area_code", "base_kind", "base_name", "site_id", "destination",
              "origin_county_code", "founded_on", "dissolved_on", "secretary_name")


def org_as_dict(org: PartyOrg) -> dict[str, Any]:
    return {f: getattr(org, f) for f in ("id", *ORG_FIELDS)}


def _event(uow: UnitOfWork, org: PartyOrg, kind: str, day: dt.date, note: str | None = None, **changes: Any
           ) -> None:
    uow.session.add(PartyOrgEvent(org_id=org.id, kind=kind, happened_on=day, note=note,
                                  actor_name=uow.actor.name, **changes))


def _set_audited(uow: UnitOfWork, entity: str, row: Any, field: str, value: Any) -> Any:
    """One field of a held row changed, written (a unique key broken: 409) and audited with its old value."""
    before = {field: getattr(row, field)}
    setattr(row, field, value)
    uow.flush()
    uow.audit(AuditAction.update, entity, row.id, area_code=row.area_code, before=before, after={field: value})
    return row


def _known_area(uow: UnitOfWork, area_code: str, field: str = "area_code") -> None:
    """The area exists (the permission check before has put it inside the caller's scope)."""
    try:
        area_queries.get_area(uow.session, area_code, uow.scope)
    except NotFound:
        raise errors.AREA_UNKNOWN(field=field, area=area_code) from None


def _living_parent(uow: UnitOfWork, parent_id: int | None) -> PartyOrg | None:
    """The parent, held until the end of the transaction so that it cannot be dissolved under the new child."""
    if parent_id is None:
        return None
    parent = queries.get_org(uow.session, parent_id, uow.scope, lock=True)
    if parent.dissolved_on is not None:
        raise errors.PARENT_DISSOLVED(field="parent_id", name=parent.name)
    return parent


def create_org(uow: UnitOfWork, *, name: str, org_type: str, area_code: str, base_kind: str,
               founded_on: dt.date, parent_id: int | None = None, base_name: str | None = None,
               site_id: int | None = None, destination: str | None = None, origin_county_code: str | None = None,
               secretary_name: str | None = None) -> PartyOrg:
    with uow:
        uow.require("orgs.org.manage", area_code=area_code)
        name = (name or "").strip()
        if not name:
            raise errors.NAME_REQUIRED(field="name")
        problems = org_problems(org_type, base_kind, base_name, destination, origin_county_code, founded_on)
        if problems:
            raise problems[0]
        _known_area(uow, area_code)
        _living_parent(uow, parent_id)
        org = PartyOrg(name=name, org_type=org_type, parent_id=parent_id, area_code=area_code, base_kind=base_kind,
                       base_name=(base_name or None), site_id=site_id, destination=(destination or None),
                       origin_county_code=(origin_county_code or None), founded_on=founded_on,
                       secretary_name=(secretary_name or None))
        uow.session.add(org)
        uow.flush()
        _event(uow, org, "founded", founded_on, to_parent_id=parent_id, to_area_code=area_code)
        uow.audit(AuditAction.create, "party_org", org.id, area_code=area_code, after=org_as_dict(org))
        return org


def update_org(uow: UnitOfWork, org_id: int, data: Any) -> PartyOrg:
    """Correct or change an organisation's description (name, type, base, founding date, secretary). Its place in
    the tree and its area change through `move_org`, its end through `dissolve_org`. `data` is an `OrgUpdate`;
    a stale version is a 409. A new name or secretary is kept in the history."""
    with uow:
        uow.require("orgs.org.manage")
        org = uow.locked_in_scope(PartyOrg, org_id, errors.ORG_NOT_FOUND)
        if data.version != org.version:
            raise core_errors.STALE_VERSION(sent=data.version, current=org.version)
        if org.dissolved_on is not None:
            raise errors.ORG_DISSOLVED_EDIT()
        name = (data.name or "").strip()
        if not name:
            raise errors.NAME_REQUIRED(field="name")
        problems = org_problems(data.org_type, data.base_kind, data.base_name, data.destination,
                                data.origin_county_code, data.founded_on)
        if problems:
            raise problems[0]
        before = org_as_dict(org)
        changes = {"name": name, "org_type": data.org_type, "base_kind": data.base_kind,
                   "base_name": data.base_name or None, "destination": data.destination or None,
                   "origin_county_code": data.origin_county_code or None, "founded_on": data.founded_on,
                   "secretary_name": data.secretary_name or None}
        for key, value in changes.items():
            setattr(org, key, value)
        notes = [f"{before['name']} → {name}" if before["name"] != name else "",
                 f"书记 {before['secretary_name'] or '—'} → {org.secretary_name or '—'}"
                 if before["secretary_name"] != org.secretary_name else ""]
        if any(notes):
            _event(uow, org, "renamed" if notes[0] else "secretary", dt.date.today(),
                   note=";".join(n for n in notes if n)[:500])
        uow.flush()
        uow.audit(AuditAction.update, "party_org", org.id, area_code=org.area_code, before=before,
                  after=org_as_dict(org))
        return org


def move_org(uow: UnitOfWork, org_id: int, *, parent_id: int | None, area_code: str | None = None,
             day: dt.date | None = None, note: str | None = None) -> PartyOrg:
    """Change the parent (and optionally the area); the old place stays in the organisation's history."""
    with uow:
        uow.require("orgs.org.manage", area_code=area_code)
        day = day or dt.date.today()
        # Both rows in id order, so that two opposite moves wait for each other instead of deadlocking.
        held = {i: queries.get_org(uow.session, i, uow.scope, lock=True)
                for i in sorted({org_id, *([parent_id] if parent_id is not None else [])})}
        org = held[org_id]
        if org.dissolved_on is not None:
            raise errors.ORG_DISSOLVED()
        _living_parent(uow, parent_id)
        if creates_cycle(org.id, parent_id, queries.parent_of_every_org(uow.session)):
            raise errors.MOVE_CYCLE(field="parent_id")
        new_area = area_code or org.area_code
        _known_area(uow, new_area)
        before = org_as_dict(org)
        _event(uow, org, "moved", day, note=note, from_parent_id=org.parent_id, to_parent_id=parent_id,
               from_area_code=org.area_code, to_area_code=new_area)
        org.parent_id = parent_id
        org.area_code = new_area
        uow.flush()
        uow.audit(AuditAction.update, "party_org", org.id, area_code=new_area, before=before,
                  after=org_as_dict(org))
        return org


def dissolve_org(uow: UnitOfWork, org_id: int, *, day: dt.date, note: str | None = None) -> PartyOrg:
    with uow:
        uow.require("orgs.org.manage")
        org = queries.get_org(uow.session, org_id, uow.scope, lock=True)
        if org.dissolved_on is not None:
            raise errors.ALREADY_DISSOLVED(day=org.dissolved_on.isoformat())
        if day < org.founded_on:
            raise errors.DISSOLVED_BEFORE_FOUNDED(field="day")
        if queries.has_open_children(uow.session, org.id):
            raise errors.OPEN_CHILDREN()
        before = org_as_dict(org)
        org.dissolved_on = day
        _event(uow, org, "dissolved", day, note=note, from_parent_id=org.parent_id, from_area_code=org.area_code)
        uow.flush()
        uow.audit(AuditAction.update, "party_org", org.id, area_code=org.area_code, before=before,
                  after=org_as_dict(org), detail={"dissolved": True, "note": note})
        return org


def add_member(uow: UnitOfWork, *, name: str, org_id: int, area_code: str | None = None,
               person_id: int | None = None, is_floating: bool = False, current_location: str | None = None,
               managing_org_id: int | None = None, is_central_household: bool = False,
               joined_on: dt.date | None = None) -> PartyMember:
    """A member of a branch in the caller's scope, living in an existing area of that scope (the branch's own
    area when none is given)."""
    with uow:
        uow.require("orgs.member.manage", area_code=area_code)
        if not (name or "").strip():
            raise errors.NAME_REQUIRED(field="name")
        org = queries.get_org(uow.session, org_id, uow.scope)
        if area_code:
            _known_area(uow, area_code)
        if person_id is not None:
            registry_queries.get_person(uow.session, person_id, uow.scope)
        if managing_org_id is not None:
            queries.get_org(uow.session, managing_org_id, uow.scope)
        member = PartyMember(name=name.strip(), org_id=org.id, area_code=area_code or org.area_code,
                             person_id=person_id, is_floating=is_floating, current_location=current_location,
                             managing_org_id=managing_org_id, is_central_household=is_central_household,
                             joined_on=joined_on)
        uow.session.add(member)
        uow.flush()
        uow.audit(AuditAction.create, "party_member", member.id, area_code=member.area_code,
                  after={"name": member.name, "org_id": org.id, "is_floating": is_floating,
                         "managing_org_id": managing_org_id, "is_central_household": is_central_household})
        return member


def set_member_manager(uow: UnitOfWork, member_id: int, managing_org_id: int | None) -> PartyMember:
    with uow:
        uow.require("orgs.member.manage")
        member = queries.get_member(uow.session, member_id, uow.scope, lock=True)
        if managing_org_id is not None:
            queries.get_org(uow.session, managing_org_id, uow.scope)
        return _set_audited(uow, "party_member", member, "managing_org_id", managing_org_id)


def add_cadre(uow: UnitOfWork, *, name: str, work_unit: str, rank: str, post: str, area_code: str,
              active_from: dt.date, active_to: dt.date | None = None, is_party_member: bool = True,
              phone: str | None = None) -> Cadre:
    with uow:
        uow.require("orgs.cadre.manage", area_code=area_code)
        problems = cadre_problems(name, work_unit, rank, post, active_from, active_to)
        if problems:
            raise problems[0]
        _known_area(uow, area_code)
        cadre = Cadre(name=name.strip(), work_unit=work_unit.strip(), rank=rank, post=post, area_code=area_code,
                      active_from=active_from, active_to=active_to, is_party_member=is_party_member,
                      phone=phone or None)
        uow.session.add(cadre)
        uow.flush()
        uow.audit(AuditAction.create, "cadre", cadre.id, area_code=area_code,
                  after={"name": cadre.name, "work_unit": cadre.work_unit, "rank": rank, "post": post,
                         "area_code": area_code, "active_from": active_from, "active_to": active_to,
                         "phone": phone})  # the audit log redacts phones
        return cadre


def _account_id(uow: UnitOfWork, cadre: Cadre, username: str | None) -> int | None:
    """The login account named for the cadre (None clears the link); one account belongs to one cadre."""
    from fupin.core.capability import provided

    username = (username or "").strip()
    if not username:
        return None
    user_id = provided("accounts.user_id_of")(uow.session, username, uow.scope)
    if user_id is None:
        raise errors.ACCOUNT_UNKNOWN(field="account", username=username[:64])
    holder = uow.session.scalars(uow.locked(select(Cadre).where(Cadre.user_id == user_id, Cadre.id != cadre.id))
                                 ).one_or_none()
    if holder is not None:
        raise errors.ACCOUNT_TAKEN(field="account", username=username[:64], name=holder.name)
    return user_id


def update_cadre(uow: UnitOfWork, cadre_id: int, *, version: int, name: str, work_unit: str, rank: str, post: str,
                 is_party_member: bool = False, phone: str | None = None, account: str | None = None) -> Cadre:
    """Correct a cadre's record and link the login account he uses (visits he logs are then his by default).
    A stale version is a 409; an account linked to another cadre is a 409 too (a unique key backs it)."""
    with uow:
        uow.require("orgs.cadre.manage")
        cadre = queries.get_cadre(uow.session, cadre_id, uow.scope, lock=True)
        if version != cadre.version:
            raise core_errors.STALE_VERSION(sent=version, current=cadre.version)
        problems = cadre_problems(name, work_unit, rank, post, cadre.active_from, cadre.active_to)
        if problems:
            raise problems[0]
        user_id = _account_id(uow, cadre, account)
        keys = ("name", "work_unit", "rank", "post", "is_party_member", "phone", "user_id")
        before = {k: getattr(cadre, k) for k in keys}
        cadre.name, cadre.work_unit, cadre.rank, cadre.post = name.strip(), work_unit.strip(), rank, post
        cadre.is_party_member, cadre.user_id = is_party_member, user_id
        if phone:  # a blank phone leaves the stored one (pages do not show it to every role)
            cadre.phone = phone
        uow.flush()
        uow.audit(AuditAction.update, "cadre", cadre.id, area_code=cadre.area_code, before=before,
                  after={k: getattr(cadre, k) for k in keys})  # the audit log redacts phones
        return cadre


def link_cadre_account(uow: UnitOfWork, cadre_id: int, user_id: int | None) -> Cadre:
    """Link a cadre to a login account by its id (the demo links its village login; pages name the account).
    Provided as `orgs.link_cadre_account`."""
    with uow:
        uow.require("orgs.cadre.manage")
        cadre = queries.get_cadre(uow.session, cadre_id, uow.scope, lock=True)
        return _set_audited(uow, "cadre", cadre, "user_id", user_id)  # linked to another cadre: 409 (unique key)


def end_cadre(uow: UnitOfWork, cadre_id: int, day: dt.date) -> Cadre:
    """The cadre leaves his post on `day`; ending him again (or on a later day) is a 409. His open pairs stay
    until a pairing plan hands them over (the plan ends pairs of cadres no longer in post)."""
    with uow:
        uow.require("orgs.cadre.manage")
        cadre = queries.get_cadre(uow.session, cadre_id, uow.scope, lock=True)
        if cadre.active_to is not None and cadre.active_to <= day:
            raise errors.CADRE_ALREADY_ENDED(day=cadre.active_to.isoformat())
        if day < cadre.active_from:
            raise errors.ACTIVE_TO_BEFORE_FROM(field="day")
        return _set_audited(uow, "cadre", cadre, "active_to", day)


# ---- exports of personal data: audited, per role (phones through the Viewer) ------------------------------

def _area_of_request(uow: UnitOfWork, area_code: str | None) -> str:
    """The area an export or computation covers: the one asked for (inside the scope), else the caller's own."""
    scope = uow.scope.narrowed_to(area_code)
    return area_code or (scope.prefix.ljust(12, "0") if scope.prefix else "")


def export_coverage(uow: UnitOfWork, area_code: str | None,
                    progress: Callable[[str, int, int], None] | None = None) -> tuple[str, bytes, int]:
    """Every coverage rule with all its gaps as .xlsx (file name, content, gap rows); the export is audited."""
    with uow.reading():
        uow.require("orgs.export", area_code=area_code)
        code = _area_of_request(uow, area_code)
        if progress:
            progress("核查各项覆盖规则", 0, 2)
        results = coverage.evaluate(uow.session, uow.scope.narrowed_to(code or None), gap_limit=None)
    if progress:
        progress("生成表格", 1, 2)
    content, rows = coverage_workbook(code, results)
    with uow:
        uow.audit(AuditAction.exported, "coverage", None, area_code=code or None,
                  detail={"rows": rows, "rules": len(results), "format": "xlsx"})
    return f"全覆盖核查_{code or '全国'}.xlsx", content, rows


def export_cadres(uow: UnitOfWork, area_code: str | None) -> tuple[str, bytes, int]:
    """The cadres of the area as .xlsx, phones as the caller may see them; the export is audited."""
    with uow.reading():
        uow.require("orgs.export", area_code=area_code)
        code = _area_of_request(uow, area_code)
        rows = uow.session.execute(queries.cadres_for_export_select(uow.scope.narrowed_to(code or None))).all()
    viewer = uow.viewer
    content = cadres_workbook(rows, viewer)
    with uow:
        uow.audit(AuditAction.exported, "cadres", None, area_code=code or None,
                  detail={"rows": len(rows), "format": "xlsx", "phones_in_full": viewer.full(PersonalField.phone)})
    return f"帮扶干部_{code or '全国'}.xlsx", content, len(rows)


def _request_export(uow: UnitOfWork, area_code: str | None, kind: str, title: str) -> str:
    """The export of an area as a job (`kind`, titled `title` and the area); the job's id."""
    with uow:
        uow.require("orgs.export", area_code=area_code)
        code = _area_of_request(uow, area_code)
        return jobs.submit(uow, kind, f"{title} {code}", {"area": code or None}, area_code=code or None)


def request_coverage_export(uow: UnitOfWork, area_code: str | None) -> str:
    return _request_export(uow, area_code, "orgs.coverage_export", "导出全覆盖核查表")


def request_cadres_export(uow: UnitOfWork, area_code: str | None) -> str:
    return _request_export(uow, area_code, "orgs.cadres_export", "导出帮扶干部名单")


def run_coverage_export(ctx: jobs.JobContext) -> dict[str, Any]:
    name, content, rows = export_coverage(ctx.uow(), ctx.params.get("area"), ctx.progress)
    ctx.add_file("result", name, XLSX, content, personal=True, rows=rows)
    return {"rows": rows}


def run_cadres_export(ctx: jobs.JobContext) -> dict[str, Any]:
    ctx.progress("读取干部名单", 0, 1)
    name, content, rows = export_cadres(ctx.uow(), ctx.params.get("area"))
    ctx.add_file("result", name, XLSX, content, personal=True, rows=rows)
    return {"rows": rows}


# ---- spreadsheet import (干部 / 党员), the registry's habits: header row, row-by-row Chinese report ----------

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 100_000
REPORTED_ERRORS = 500
CADRE_COLUMNS = {"姓名": "name", "帮扶单位": "work_unit", "职级": "rank", "职务": "post", "派驻区划代码": "area_code",
                 "是否党员": "is_party_member", "到岗日期": "active_from", "离岗日期": "active_to", "联系电话": "phone"}
MEMBER_COLUMNS = {"姓名": "name", "所属党组织编号": "org_id", "区划代码": "area_code", "人员编号": "person_id",
                  "流动党员": "is_floating", "现所在地": "current_location", "管理党组织编号": "managing_org_id",
                  "党员中心户": "is_central_household", "入党日期": "joined_on"}
OPTIONAL_COLUMNS = ("离岗日期", "联系电话", "人员编号", "现所在地", "管理党组织编号", "入党日期")
YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0", ""}


def _file_error(error: FupinError, column: str = "文件", value: str = "") -> RowError:
    return RowError(1, column, value, error.message)


def read_sheet(data: bytes, columns: dict[str, str]) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """(line number, {field: cell}) for every non-empty row; file-level problems as RowErrors on line 1. Reading
    stops at MAX_IMPORT_ROWS, before more rows are built."""
    from openpyxl import load_workbook

    if len(data) > MAX_IMPORT_BYTES:
        return [], [_file_error(errors.FILE_TOO_LARGE(megabytes=MAX_IMPORT_BYTES // (1024 * 1024)))]
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable upload is the same answer to the user
        return [], [_file_error(errors.FILE_UNREADABLE())]
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return [], [_file_error(errors.FILE_EMPTY())]
        names = [str(h).strip() if h is not None else "" for h in header]
        missing = [c for c in columns if c not in names and c not in OPTIONAL_COLUMNS]
        if missing:
            return [], [_file_error(errors.HEADER_MISSING(columns="、".join(missing)), "表头", ",".join(names))]
        index = {columns[n]: i for i, n in enumerate(names) if n in columns}
        out: list[tuple[int, dict[str, Any]]] = []
        for line, row in enumerate(rows, start=2):
            if line > MAX_IMPORT_ROWS + 1:  # blank rows count too: a sheet of millions of empty rows stops here
                return [], [_file_error(errors.TOO_MANY_ROWS(limit=MAX_IMPORT_ROWS))]
            if row is None or all(v is None or str(v).strip() == "" for v in row):
                continue
            out.append((line, {f: (row[i] if i < len(row) else None) for f, i in index.items()}))
        return out, []
    except Exception:  # noqa: BLE001 - a damaged sheet inside a readable zip
        return [], [_file_error(errors.FILE_UNREADABLE())]
    finally:
        workbook.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "".join(c for c in str(value) if ord(c) >= 32 or c in "\t").strip()


def _date(value: Any) -> dt.date | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(_text(value).replace("/", "-").replace(".", "-"))


def _flag(value: Any) -> bool | None:
    text = _text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def _known_areas(uow: UnitOfWork, codes: Iterable[str]) -> set[str]:
    """Which of `codes` are areas of the caller's scope (one set-based look-up, in chunks)."""
    wanted = [c for c in set(codes) if c and c.isdigit() and len(c) <= 15 and uow.scope.contains(c)]
    in_scope = area_queries.areas_select(uow.scope).subquery("areas_in_scope")
    return {row.code for row in rows_in(uow.session, lambda chunk: in_scope.select().where(
        in_scope.c.code.in_(chunk)), wanted)}


def _known_persons(uow: UnitOfWork, person_ids: Iterable[int]) -> set[int]:
    people = registry_queries.persons_subquery(uow.scope, active_only=False)
    return {row.id for row in rows_in(uow.session, lambda chunk: people.select().with_only_columns(people.c.id)
                                      .where(people.c.id.in_(chunk)), [p for p in person_ids if p < 2**63])}


def _finish_import(uow: UnitOfWork, report: ImportReport, table: type, valid: list[dict[str, Any]], entity: str
                   ) -> ImportReport:
    if report.errors and report.mode == ImportMode.all_or_nothing:
        return report
    uow.session.add_all([table(**values) for values in valid])
    uow.flush()
    report.inserted = len(valid)
    report.committed = True
    uow.audit(AuditAction.imported, entity, None, area_code=uow.scope.prefix or None,
              detail={"inserted": len(valid), "invalid_lines": report.invalid_lines, "mode": report.mode.value})
    return report


def _import_sheet(uow: UnitOfWork, data: bytes, mode: ImportMode, columns: dict[str, str], table: type,
                  entity: str, checked_rows: Callable[[UnitOfWork, list[tuple[int, dict[str, Any]]]],
                                                      Iterable[tuple[dict[str, Any], list[RowError]]]]
                  ) -> ImportReport:
    """An upload of `table` rows: the file read, every row checked by `checked_rows` (its problems into the
    report), the valid ones written as `mode` says."""
    with uow:
        uow.require("orgs.import")
        rows, file_errors = read_sheet(data, columns)
        report = ImportReport(total=len(rows), errors=list(file_errors), mode=mode)
        if file_errors:
            return report
        valid: list[dict[str, Any]] = []
        for values, row_errors in checked_rows(uow, rows):
            if row_errors:
                report.errors.extend(row_errors)
            else:
                valid.append(values)
        return _finish_import(uow, report, table, valid, entity)


def import_cadres(uow: UnitOfWork, data: bytes, mode: ImportMode = ImportMode.all_or_nothing) -> ImportReport:
    return _import_sheet(uow, data, mode, CADRE_COLUMNS, Cadre, "cadres", _checked_cadres)


def _checked_cadres(uow: UnitOfWork, rows: list[tuple[int, dict[str, Any]]]
                    ) -> Iterator[tuple[dict[str, Any], list[RowError]]]:
    """Each row of a cadres upload as the values to insert and its problems."""
    label = {v: k for k, v in CADRE_COLUMNS.items()}
    known_areas = _known_areas(uow, (_text(cells.get("area_code")) for _line, cells in rows))
    for line, cells in rows:
        row_errors: list[RowError] = []
        values: dict[str, Any] = {"name": _text(cells.get("name")), "work_unit": _text(cells.get("work_unit")),
                                  "phone": _text(cells.get("phone"))[:20] or None}
        values["rank"] = code_for_label(CADRE_RANKS, _text(cells.get("rank"))) or _text(cells.get("rank"))
        values["post"] = code_for_label(CADRE_POSTS, _text(cells.get("post"))) or _text(cells.get("post"))
        area = _text(cells.get("area_code"))
        if area not in known_areas:
            row_errors.append(RowError(line, "派驻区划代码", area, errors.AREA_NOT_IN_SCOPE().message))
        values["area_code"] = area
        party = _flag(cells.get("is_party_member"))
        if party is None:
            row_errors.append(RowError(line, "是否党员", _text(cells.get("is_party_member")),
                                       errors.FLAG_INVALID().message))
        values["is_party_member"] = bool(party)
        for field in ("active_from", "active_to"):
            try:
                values[field] = _date(cells.get(field))
            except ValueError:
                values[field] = None
                row_errors.append(RowError(line, label[field], _text(cells.get(field)),
                                           errors.DATE_INVALID().message))
        for problem in cadre_problems(values["name"], values["work_unit"], values["rank"], values["post"],
                                      values["active_from"], values["active_to"]):
            column = label.get(problem.field or "", problem.field or "")
            if not any(e.column == column for e in row_errors):
                row_errors.append(RowError(line, column, _text(cells.get(problem.field or "")), problem.message))
        for field, longest in (("name", 60), ("work_unit", 120)):
            if len(values[field]) > longest:
                row_errors.append(RowError(line, label[field], values[field][:longest],
                                           errors.TEXT_TOO_LONG(longest=longest).message))
        yield values, row_errors


def import_members(uow: UnitOfWork, data: bytes, mode: ImportMode = ImportMode.all_or_nothing) -> ImportReport:
    return _import_sheet(uow, data, mode, MEMBER_COLUMNS, PartyMember, "party_members", _checked_members)


def _checked_members(uow: UnitOfWork, rows: list[tuple[int, dict[str, Any]]]
                     ) -> Iterator[tuple[dict[str, Any], list[RowError]]]:
    """Each row of a members upload as the values to insert and its problems."""
    known_orgs = queries.org_ids_in(uow.session, uow.scope)
    known_areas = _known_areas(uow, (_text(cells.get("area_code")) for _line, cells in rows))
    person_texts = [_text(cells.get("person_id")) for _line, cells in rows]
    known_persons = _known_persons(uow, (int(p) for p in person_texts if p.isdigit()))
    for line, cells in rows:
        row_errors: list[RowError] = []
        values: dict[str, Any] = {"name": _text(cells.get("name"))[:60],
                                  "current_location": _text(cells.get("current_location"))[:120] or None}
        if not values["name"]:
            row_errors.append(RowError(line, "姓名", "", errors.NAME_REQUIRED().message))
        for field, column in (("org_id", "所属党组织编号"), ("managing_org_id", "管理党组织编号")):
            text = _text(cells.get(field))
            values[field] = None
            if not text:
                if field == "org_id":
                    row_errors.append(RowError(line, column, "", errors.ORG_ID_REQUIRED().message))
            elif not text.isdigit() or int(text) not in known_orgs:
                row_errors.append(RowError(line, column, text, errors.ORG_NOT_IN_SCOPE().message))
            else:
                values[field] = int(text)
        person = _text(cells.get("person_id"))
        values["person_id"] = int(person) if person.isdigit() else None
        if person and not person.isdigit():
            row_errors.append(RowError(line, "人员编号", person, errors.PERSON_ID_INVALID().message))
        elif values["person_id"] is not None and values["person_id"] not in known_persons:
            row_errors.append(RowError(line, "人员编号", person, errors.PERSON_NOT_IN_SCOPE().message))
        area = _text(cells.get("area_code"))
        if area not in known_areas:
            row_errors.append(RowError(line, "区划代码", area, errors.AREA_NOT_IN_SCOPE().message))
        values["area_code"] = area
        for field, column in (("is_floating", "流动党员"), ("is_central_household", "党员中心户")):
            flag = _flag(cells.get(field))
            if flag is None:
                row_errors.append(RowError(line, column, _text(cells.get(field)), errors.FLAG_INVALID().message))
            values[field] = bool(flag)
        try:
            values["joined_on"] = _date(cells.get("joined_on"))
        except ValueError:
            row_errors.append(RowError(line, "入党日期", _text(cells.get("joined_on")),
                                       errors.DATE_INVALID().message))
        yield values, row_errors


IMPORTERS = {"cadres": import_cadres, "members": import_members}


def request_import(uow: UnitOfWork, kind: str, mode: ImportMode, file_name: str, data: bytes) -> str:
    """Queue an import of the uploaded workbook as a job (its report is the job's result)."""
    with uow:
        uow.require("orgs.import")
        if kind not in IMPORTERS:
            raise errors.IMPORT_KIND_UNKNOWN(field="kind")
        if len(data) > MAX_IMPORT_BYTES:
            raise errors.FILE_TOO_LARGE(field="file", megabytes=MAX_IMPORT_BYTES // (1024 * 1024))
        title = "导入帮扶干部" if kind == "cadres" else "导入党员"
        return jobs.submit(uow, "orgs.import", f"{title}:{file_name[:80]}", {"kind": kind, "mode": mode.value},
                           area_code=uow.scope.prefix.ljust(12, "0") if uow.scope.prefix else None,
                           input_file=(file_name or "upload.xlsx", XLSX, data))


def run_import(ctx: jobs.JobContext) -> dict[str, Any]:
    kind = ctx.params.get("kind", "cadres")
    if kind not in IMPORTERS:
        raise errors.IMPORT_KIND_UNKNOWN(field="kind")
    _name, data = ctx.input_file()
    ctx.progress("读取并核对表格", 0, 1)
    report = IMPORTERS[kind](ctx.uow(), data, ImportMode(ctx.params.get("mode", ImportMode.all_or_nothing.value)))
    result = report.as_dict()
    result["kind"] = kind
    result["errors"] = result["errors"][:REPORTED_ERRORS]
    result["error_count"] = len(report.errors)
    return result
