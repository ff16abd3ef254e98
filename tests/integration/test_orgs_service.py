import datetime as dt
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from fupin.core.audit import Actor, AuditEntry
from fupin.core.errors import Conflict, Invalid, NotFound
from fupin.core.importing import ImportMode
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.orgs import queries, service
from fupin.orgs.models import Cadre, PartyMember
from tests.factories import add_areas
from tests.factories_orgs import COUNTY, TOWNSHIP_1, TOWNSHIP_2, VILLAGE_A, add_org

COUNTY_ACTOR = Actor(user_id=None, name="county", role="county", scope_prefix="530326")


def test_moving_and_dissolving_keep_the_history_and_refuse_cycles(db):
    add_areas(db)
    county = add_org(db, name="县委", org_type="committee", area_code=COUNTY, base_kind="organ", base_name="县委")
    one = add_org(db, name="一镇党委", org_type="committee", area_code=TOWNSHIP_1, base_kind="township", parent_id=county)
    two = add_org(db, name="二镇党委", org_type="committee", area_code=TOWNSHIP_2, base_kind="township", parent_id=county)
    branch = add_org(db, area_code=VILLAGE_A, parent_id=one)
    with UnitOfWork(db, COUNTY_ACTOR) as uow:
        service.move_org(uow, branch, parent_id=two, note="区划调整")
    with pytest.raises(Invalid, match="下级"), UnitOfWork(db, COUNTY_ACTOR) as uow:
        service.move_org(uow, county, parent_id=branch)
    with pytest.raises(Conflict, match="下级组织"), UnitOfWork(db, COUNTY_ACTOR) as uow:
        service.dissolve_org(uow, two, day=dt.date(2024, 1, 1))
    with UnitOfWork(db, COUNTY_ACTOR) as uow:
        service.dissolve_org(uow, branch, day=dt.date(2024, 1, 1), note="撤并")
    with db.session_factory() as session:
        events = queries.org_events(session, branch)
        assert [e.kind for e in events] == ["founded", "moved", "dissolved"]
        assert (events[1].from_parent_id, events[1].to_parent_id) == (one, two)
        org = queries.get_org(session, branch, Scope(""))
        assert org.parent_id == two and org.dissolved_on == dt.date(2024, 1, 1)
        audits = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "party_org"))
        assert audits == 4 + 2


def test_an_org_outside_the_scope_is_not_found_and_bad_input_is_refused(db):
    add_areas(db)
    other = add_org(db, name="大庄村党支部", area_code="530321100200")
    with pytest.raises(NotFound), UnitOfWork(db, COUNTY_ACTOR) as uow:
        service.dissolve_org(uow, other, day=dt.date(2024, 1, 1))
    with pytest.raises(Invalid, match="务工地"), UnitOfWork(db, COUNTY_ACTOR) as uow:
        service.create_org(uow, name="驻外支部", org_type="branch", area_code=TOWNSHIP_1, base_kind="migrant",
                           founded_on=dt.date(2020, 1, 1), origin_county_code="530326")
    with pytest.raises(NotFound), UnitOfWork(db, COUNTY_ACTOR) as uow:
        service.create_org(uow, name="越界", org_type="branch", area_code="530321100200", base_kind="village",
                           founded_on=dt.date(2020, 1, 1))


def _xlsx(rows):  # type: ignore[no-untyped-def]
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CADRE_HEADER = ["姓名", "帮扶单位", "职级", "职务", "派驻区划代码", "是否党员", "到岗日期", "离岗日期"]


def test_cadre_import_reports_every_bad_row_and_writes_nothing_unless_asked(db):
    add_areas(db)
    data = _xlsx([CADRE_HEADER,
                  ["李明", "县财政局", "乡科级", "第一书记", VILLAGE_A, "是", dt.date(2021, 3, 1), None],
                  ["", "县教育局", "处长", "第一书记", "530321100200", "也许", "2021-13-01", None],
                  ["王芳", "县卫健局", "一般干部", "驻村工作队员", TOWNSHIP_1, "否", "2020-03-01", "2019-01-01"]])
    with UnitOfWork(db, COUNTY_ACTOR) as uow:
        report = service.import_cadres(uow, data)
    assert not report.committed
    assert {(e.line, e.column) for e in report.errors} == {
        (3, "姓名"), (3, "职级"), (3, "派驻区划代码"), (3, "是否党员"), (3, "到岗日期"), (4, "离岗日期")}
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Cadre)) == 0
    with UnitOfWork(db, COUNTY_ACTOR) as uow:
        report = service.import_cadres(uow, data, ImportMode.skip_invalid)
    assert report.committed and report.inserted == 1
    with db.session_factory() as session:
        cadre = session.scalars(select(Cadre)).one()
        assert (cadre.rank, cadre.post, cadre.is_party_member) == ("section", "first_secretary", True)


def test_member_import_links_floating_members_to_their_managing_branch(db):
    add_areas(db)
    branch = add_org(db, area_code=VILLAGE_A)
    header = ["姓名", "所属党组织编号", "区划代码", "流动党员", "现所在地", "管理党组织编号", "党员中心户"]
    data = _xlsx([header, ["张党员", branch, VILLAGE_A, "是", "安徽省芜湖市", branch, "否"],
                  ["赵中心户", branch, VILLAGE_A, "否", None, None, "是"],
                  ["坏行", 999, VILLAGE_A, "否", None, None, "否"]])
    with UnitOfWork(db, COUNTY_ACTOR) as uow:
        report = service.import_members(uow, data)
    assert [(e.line, e.column) for e in report.errors] == [(4, "所属党组织编号")] and not report.committed
    with UnitOfWork(db, COUNTY_ACTOR) as uow:
        assert service.import_members(uow, data, ImportMode.skip_invalid).inserted == 2
    with db.session_factory() as session:
        rows = {m.name: m for m in session.scalars(select(PartyMember))}
        assert rows["张党员"].is_floating and rows["张党员"].managing_org_id == branch
        assert rows["赵中心户"].is_central_household
        assert len(session.execute(queries.members_select(Scope("530326"))).all()) == 2
    with UnitOfWork(db, COUNTY_ACTOR) as uow:
        report = service.import_members(uow, b"not a spreadsheet")
    assert report.errors[0].reason.startswith("无法读取")
