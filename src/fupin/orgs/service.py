"""Use cases of organisations, members and cadres: the only code that writes their tables."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from fupin.areas import queries as area_queries
from fupin.core.audit import AuditAction
from fupin.core.errors import Conflict, Invalid
from fupin.core.importing import ImportMode, ImportReport, RowError
from fupin.core.uow import UnitOfWork
from fupin.orgs import queries
from fupin.orgs.models import Cadre, PartyMember, PartyOrg, PartyOrgEvent
from fupin.orgs.rules import creates_cycle, org_problems
from fupin.orgs.vocab import CADRE_POSTS, CADRE_RANKS, code_for_label

ORG_FIELDS = ("name", "org_type", "parent_id", "area_code", "base_kind", "base_name", "site_id", "destination",
              "origin_county_code", "founded_on", "dissolved_on", "secretary_name")


def org_as_dict(org: PartyOrg) -> dict[str, Any]:
    return {f: getattr(org, f) for f in ("id", *ORG_FIELDS)}


def _event(uow: UnitOfWork, org: PartyOrg, kind: str, day: dt.date, note: str | None = None, **changes: Any
           ) -> None:
    uow.session.add(PartyOrgEvent(org_id=org.id, kind=kind, happened_on=day, note=note,
                                  actor_name=uow.actor.name, **changes))


def _check_parent(uow: UnitOfWork, parent_id: int | None) -> PartyOrg | None:
    if parent_id is None:
        return None
    parent = queries.get_org(uow.session, parent_id, uow.scope)
    if parent.dissolved_on is not None:
        raise Invalid(f"上级党组织“{parent.name}”已撤销", field="parent_id")
    return parent


def create_org(uow: UnitOfWork, *, name: str, org_type: str, area_code: str, base_kind: str,
               founded_on: dt.date, parent_id: int | None = None, base_name: str | None = None,
               site_id: int | None = None, destination: str | None = None, origin_county_code: str | None = None,
               secretary_name: str | None = None) -> PartyOrg:
    name = (name or "").strip()
    if not name:
        raise Invalid("请填写党组织名称", field="name")
    problems = org_problems(org_type, base_kind, base_name, destination, origin_county_code, founded_on)
    if problems:
        field, reason = problems[0]
        raise Invalid(reason, field=field)
    area_queries.get_area(uow.session, area_code, uow.scope)
    _check_parent(uow, parent_id)
    org = PartyOrg(name=name, org_type=org_type, parent_id=parent_id, area_code=area_code, base_kind=base_kind,
                   base_name=(base_name or None), site_id=site_id, destination=(destination or None),
                   origin_county_code=(origin_county_code or None), founded_on=founded_on,
                   secretary_name=(secretary_name or None))
    uow.session.add(org)
    uow.session.flush()
    _event(uow, org, "founded", founded_on, to_parent_id=parent_id, to_area_code=area_code)
    uow.audit(AuditAction.create, "party_org", org.id, area_code=area_code, after=org_as_dict(org))
    return org


def move_org(uow: UnitOfWork, org_id: int, *, parent_id: int | None, area_code: str | None = None,
             day: dt.date | None = None, note: str | None = None) -> PartyOrg:
    """Change the parent (and optionally the area); the old place stays in the organisation's history."""
    day = day or dt.date.today()
    org = queries.get_org(uow.session, org_id, uow.scope)
    if org.dissolved_on is not None:
        raise Conflict(f"党组织“{org.name}”已撤销,不能调整隶属关系")
    _check_parent(uow, parent_id)
    parent_of = dict(uow.session.execute(select(PartyOrg.id, PartyOrg.parent_id)).all())
    if creates_cycle(org.id, parent_id, parent_of):
        raise Invalid("不能把党组织调整到它自己或它的下级组织之下", field="parent_id")
    new_area = area_code or org.area_code
    area_queries.get_area(uow.session, new_area, uow.scope)
    before = org_as_dict(org)
    _event(uow, org, "moved", day, note=note, from_parent_id=org.parent_id, to_parent_id=parent_id,
           from_area_code=org.area_code, to_area_code=new_area)
    org.parent_id = parent_id
    org.area_code = new_area
    uow.session.flush()
    uow.audit(AuditAction.update, "party_org", org.id, area_code=new_area, before=before, after=org_as_dict(org))
    return org


def dissolve_org(uow: UnitOfWork, org_id: int, *, day: dt.date, note: str | None = None) -> PartyOrg:
    org = queries.get_org(uow.session, org_id, uow.scope)
    if org.dissolved_on is not None:
        raise Conflict(f"党组织“{org.name}”已于{org.dissolved_on}撤销")
    if day < org.founded_on:
        raise Invalid("撤销日期不能早于成立日期", field="day")
    open_children = uow.session.scalar(select(PartyOrg.id).where(PartyOrg.parent_id == org.id,
                                                                 PartyOrg.dissolved_on.is_(None)).limit(1))
    if open_children is not None:
        raise Conflict(f"党组织“{org.name}”还有未撤销的下级组织,请先调整或撤销下级组织")
    before = org_as_dict(org)
    org.dissolved_on = day
    _event(uow, org, "dissolved", day, note=note, from_parent_id=org.parent_id, from_area_code=org.area_code)
    uow.session.flush()
    uow.audit(AuditAction.update, "party_org", org.id, area_code=org.area_code, before=before,
              after=org_as_dict(org), detail={"dissolved": True, "note": note})
    return org


def add_member(uow: UnitOfWork, *, name: str, org_id: int, area_code: str | None = None,
               person_id: int | None = None, is_floating: bool = False, current_location: str | None = None,
               managing_org_id: int | None = None, is_central_household: bool = False,
               joined_on: dt.date | None = None) -> PartyMember:
    org = queries.get_org(uow.session, org_id, uow.scope)
    if person_id is not None:
        from fupin.registry.queries import get_person

        get_person(uow.session, person_id, uow.scope)
    if managing_org_id is not None:
        queries.get_org(uow.session, managing_org_id, uow.scope)
    if not (name or "").strip():
        raise Invalid("请填写党员姓名", field="name")
    member = PartyMember(name=name.strip(), org_id=org.id, area_code=area_code or org.area_code,
                         person_id=person_id, is_floating=is_floating, current_location=current_location,
                         managing_org_id=managing_org_id, is_central_household=is_central_household,
                         joined_on=joined_on)
    uow.session.add(member)
    uow.session.flush()
    uow.audit(AuditAction.create, "party_member", member.id, area_code=member.area_code,
              after={"name": member.name, "org_id": org.id, "is_floating": is_floating,
                     "managing_org_id": managing_org_id, "is_central_household": is_central_household})
    return member


def set_member_manager(uow: UnitOfWork, member_id: int, managing_org_id: int | None) -> PartyMember:
    member = uow.session.get(PartyMember, member_id)
    if member is None or not uow.scope.contains(member.area_code):
        from fupin.core.errors import NotFound

        raise NotFound("党员", member_id)
    if managing_org_id is not None:
        queries.get_org(uow.session, managing_org_id, uow.scope)
    before = {"managing_org_id": member.managing_org_id}
    member.managing_org_id = managing_org_id
    uow.session.flush()
    uow.audit(AuditAction.update, "party_member", member.id, area_code=member.area_code, before=before,
              after={"managing_org_id": managing_org_id})
    return member


def _cadre_problems(name: str, work_unit: str, rank: str, post: str, active_from: dt.date | None,
                    active_to: dt.date | None) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not (name or "").strip():
        problems.append(("name", "请填写干部姓名"))
    if not (work_unit or "").strip():
        problems.append(("work_unit", "请填写帮扶单位"))
    if rank not in CADRE_RANKS:
        problems.append(("rank", f"职级应为:{'、'.join(CADRE_RANKS.values())}"))
    if post not in CADRE_POSTS:
        problems.append(("post", f"职务应为:{'、'.join(CADRE_POSTS.values())}"))
    if active_from is None:
        problems.append(("active_from", "请填写到岗日期"))
    elif active_to is not None and active_to < active_from:
        problems.append(("active_to", "离岗日期不能早于到岗日期"))
    return problems


def add_cadre(uow: UnitOfWork, *, name: str, work_unit: str, rank: str, post: str, area_code: str,
              active_from: dt.date, active_to: dt.date | None = None, is_party_member: bool = True,
              phone: str | None = None) -> Cadre:
    problems = _cadre_problems(name, work_unit, rank, post, active_from, active_to)
    if problems:
        field, reason = problems[0]
        raise Invalid(reason, field=field)
    area_queries.get_area(uow.session, area_code, uow.scope)
    cadre = Cadre(name=name.strip(), work_unit=work_unit.strip(), rank=rank, post=post, area_code=area_code,
                  active_from=active_from, active_to=active_to, is_party_member=is_party_member, phone=phone)
    uow.session.add(cadre)
    uow.session.flush()
    uow.audit(AuditAction.create, "cadre", cadre.id, area_code=area_code,
              after={"name": cadre.name, "work_unit": cadre.work_unit, "rank": rank, "post": post,
                     "area_code": area_code, "active_from": active_from, "active_to": active_to, "phone": phone})
    return cadre


def end_cadre(uow: UnitOfWork, cadre_id: int, day: dt.date) -> Cadre:
    cadre = queries.get_cadre(uow.session, cadre_id, uow.scope)
    if day < cadre.active_from:
        raise Invalid("离岗日期不能早于到岗日期", field="day")
    before = {"active_to": cadre.active_to}
    cadre.active_to = day
    uow.session.flush()
    uow.audit(AuditAction.update, "cadre", cadre.id, area_code=cadre.area_code, before=before,
              after={"active_to": day})
    return cadre


# ---- spreadsheet import (干部 / 党员), the registry's habits: header row, row-by-row Chinese report ----------

CADRE_COLUMNS = {"姓名": "name", "帮扶单位": "work_unit", "职级": "rank", "职务": "post", "派驻区划代码": "area_code",
                 "是否党员": "is_party_member", "到岗日期": "active_from", "离岗日期": "active_to", "联系电话": "phone"}
MEMBER_COLUMNS = {"姓名": "name", "所属党组织编号": "org_id", "区划代码": "area_code", "人员编号": "person_id",
                  "流动党员": "is_floating", "现所在地": "current_location", "管理党组织编号": "managing_org_id",
                  "党员中心户": "is_central_household", "入党日期": "joined_on"}
YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0", ""}


def read_sheet(data: bytes, columns: dict[str, str]) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """(line number, {field: cell}) for every non-empty row; file-level problems as RowErrors on line 1."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable upload is the same answer to the user
        return [], [RowError(1, "文件", "", "无法读取该文件,请上传 .xlsx 格式的表格")]
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return [], [RowError(1, "文件", "", "表格是空的")]
    names = [str(h).strip() if h is not None else "" for h in header]
    missing = [c for c in columns if c not in names and c not in ("离岗日期", "联系电话", "人员编号", "现所在地",
                                                                  "管理党组织编号", "入党日期")]
    if missing:
        return [], [RowError(1, "表头", ",".join(names), f"缺少列:{'、'.join(missing)}")]
    index = {columns[n]: i for i, n in enumerate(names) if n in columns}
    out: list[tuple[int, dict[str, Any]]] = []
    for line, row in enumerate(rows, start=2):
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        out.append((line, {f: (row[i] if i < len(row) else None) for f, i in index.items()}))
    workbook.close()
    return out, []


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


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


def import_cadres(uow: UnitOfWork, data: bytes, mode: ImportMode = ImportMode.all_or_nothing) -> ImportReport:
    rows, errors = read_sheet(data, CADRE_COLUMNS)
    report = ImportReport(total=len(rows), errors=list(errors), mode=mode)
    if errors:
        return report
    label = {v: k for k, v in CADRE_COLUMNS.items()}
    valid: list[dict[str, Any]] = []
    known_areas: dict[str, bool] = {}
    for line, cells in rows:
        row_errors: list[RowError] = []
        values: dict[str, Any] = {"name": _text(cells.get("name")), "work_unit": _text(cells.get("work_unit")),
                                  "phone": _text(cells.get("phone")) or None}
        values["rank"] = code_for_label(CADRE_RANKS, _text(cells.get("rank"))) or _text(cells.get("rank"))
        values["post"] = code_for_label(CADRE_POSTS, _text(cells.get("post"))) or _text(cells.get("post"))
        area = _text(cells.get("area_code"))
        if area not in known_areas:
            try:
                area_queries.get_area(uow.session, area, uow.scope)
                known_areas[area] = True
            except Exception:  # noqa: BLE001 - NotFound: outside scope or unknown, same message
                known_areas[area] = False
        if not known_areas[area]:
            row_errors.append(RowError(line, "派驻区划代码", area, "区划不存在或不在您的管辖范围内"))
        values["area_code"] = area
        party = _flag(cells.get("is_party_member"))
        if party is None:
            row_errors.append(RowError(line, "是否党员", _text(cells.get("is_party_member")), "应填“是”或“否”"))
        values["is_party_member"] = bool(party)
        for field in ("active_from", "active_to"):
            try:
                values[field] = _date(cells.get(field))
            except ValueError:
                values[field] = None
                row_errors.append(RowError(line, label[field], _text(cells.get(field)),
                                           "日期格式应为 2024-01-31"))
        for field, reason in _cadre_problems(values["name"], values["work_unit"], values["rank"], values["post"],
                                             values["active_from"], values["active_to"]):
            if not any(e.column == label.get(field) for e in row_errors):
                row_errors.append(RowError(line, label.get(field, field), _text(cells.get(field)), reason))
        if row_errors:
            report.errors.extend(row_errors)
        else:
            valid.append(values)
    if report.errors and mode == ImportMode.all_or_nothing:
        return report
    for values in valid:
        uow.session.add(Cadre(**values))
    uow.session.flush()
    report.inserted = len(valid)
    report.committed = True
    uow.audit(AuditAction.imported, "cadres", None, area_code=uow.scope.prefix or None,
              detail={"inserted": len(valid), "invalid_lines": report.invalid_lines, "mode": mode.value})
    return report


def import_members(uow: UnitOfWork, data: bytes, mode: ImportMode = ImportMode.all_or_nothing) -> ImportReport:
    rows, errors = read_sheet(data, MEMBER_COLUMNS)
    report = ImportReport(total=len(rows), errors=list(errors), mode=mode)
    if errors:
        return report
    org_ids: Sequence[int] = list(uow.session.scalars(
        select(PartyOrg.id).where(uow.scope.condition(PartyOrg.area_code))))
    known_orgs = {o: None for o in org_ids}
    valid: list[dict[str, Any]] = []
    for line, cells in rows:
        row_errors: list[RowError] = []
        values: dict[str, Any] = {"name": _text(cells.get("name")),
                                  "current_location": _text(cells.get("current_location")) or None}
        if not values["name"]:
            row_errors.append(RowError(line, "姓名", "", "请填写党员姓名"))
        for field, column in (("org_id", "所属党组织编号"), ("managing_org_id", "管理党组织编号")):
            text = _text(cells.get(field))
            if not text:
                values[field] = None
                if field == "org_id":
                    row_errors.append(RowError(line, column, "", "请填写所属党组织编号"))
                continue
            if not text.isdigit() or int(text) not in known_orgs:
                row_errors.append(RowError(line, column, text, "党组织不存在或不在您的管辖范围内"))
                values[field] = None
            else:
                values[field] = int(text)
        person = _text(cells.get("person_id"))
        values["person_id"] = int(person) if person.isdigit() else None
        if person and not person.isdigit():
            row_errors.append(RowError(line, "人员编号", person, "人员编号应为数字"))
        elif values["person_id"] is not None:
            from fupin.registry.queries import get_person

            try:
                get_person(uow.session, values["person_id"], uow.scope)
            except Exception:  # noqa: BLE001 - NotFound
                row_errors.append(RowError(line, "人员编号", person, "建档立卡人员不存在或不在您的管辖范围内"))
        area = _text(cells.get("area_code"))
        if not area or not area.isdigit() or not uow.scope.contains(area):
            row_errors.append(RowError(line, "区划代码", area, "区划代码应为您管辖范围内的12位代码"))
        values["area_code"] = area
        for field, column in (("is_floating", "流动党员"), ("is_central_household", "党员中心户")):
            flag = _flag(cells.get(field))
            if flag is None:
                row_errors.append(RowError(line, column, _text(cells.get(field)), "应填“是”或“否”"))
            values[field] = bool(flag)
        try:
            values["joined_on"] = _date(cells.get("joined_on"))
        except ValueError:
            row_errors.append(RowError(line, "入党日期", _text(cells.get("joined_on")), "日期格式应为 2024-01-31"))
        if row_errors:
            report.errors.extend(row_errors)
        else:
            valid.append(values)
    if report.errors and mode == ImportMode.all_or_nothing:
        return report
    for values in valid:
        uow.session.add(PartyMember(**values))
    uow.session.flush()
    report.inserted = len(valid)
    report.committed = True
    uow.audit(AuditAction.imported, "party_members", None, area_code=uow.scope.prefix or None,
              detail={"inserted": len(valid), "invalid_lines": report.invalid_lines, "mode": mode.value})
    return report
