import datetime as dt
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from fupin.core.audit import Actor, AuditEntry
from fupin.core.capability import provided
from fupin.core.errors import Conflict, Forbidden, Invalid, NotFound
from fupin.core.importing import ImportMode
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.orgs import errors, queries, service
from fupin.orgs.models import Cadre, PartyMember, PartyOrg
from tests.factories import add_areas
from tests.factories_orgs import COUNTY, TOWNSHIP_1, TOWNSHIP_2, VILLAGE_A, VILLAGE_B, add_cadre, add_org

COUNTY_ACTOR = Actor(user_id=None, name="county", role="county", scope_prefix="530326")


def test_moving_and_dissolving_keep_the_history_and_refuse_cycles(db):
    add_areas(db)
    county = add_org(db, name="县委", org_type="committee", area_code=COUNTY, base_kind="organ", base_name="县委")
    one = add_org(db, name="一镇党委", org_type="committee", area_code=TOWNSHIP_1, base_kind="township", parent_id=county)
    two = add_org(db, name="二镇党委", org_type="committee", area_code=TOWNSHIP_2, base_kind="township", parent_id=county)
    branch = add_org(db, area_code=VILLAGE_A, parent_id=one)
    service.move_org(UnitOfWork(db, COUNTY_ACTOR), branch, parent_id=two, note="区划调整")
    with pytest.raises(Invalid) as refused:
        service.move_org(UnitOfWork(db, COUNTY_ACTOR), county, parent_id=branch)
    assert (refused.value.code, refused.value.field) == ("orgs.move_cycle", "parent_id")
    with pytest.raises(Conflict) as refused:
        service.dissolve_org(UnitOfWork(db, COUNTY_ACTOR), two, day=dt.date(2024, 1, 1))
    assert refused.value.code == "orgs.open_children"
    service.dissolve_org(UnitOfWork(db, COUNTY_ACTOR), branch, day=dt.date(2024, 1, 1), note="撤并")
    with pytest.raises(Conflict) as refused:
        service.dissolve_org(UnitOfWork(db, COUNTY_ACTOR), branch, day=dt.date(2024, 1, 2))
    assert refused.value.code == "orgs.already_dissolved"
    with pytest.raises(Conflict) as refused:
        service.move_org(UnitOfWork(db, COUNTY_ACTOR), branch, parent_id=one)
    assert refused.value.code == "orgs.org_dissolved"
    with db.session_factory() as session:
        events = queries.org_events(session, branch)
        assert [e.kind for e in events] == ["founded", "moved", "dissolved"]
        assert (events[1].from_parent_id, events[1].to_parent_id) == (one, two)
        org = queries.get_org(session, branch, Scope(""))
        assert org.parent_id == two and org.dissolved_on == dt.date(2024, 1, 1)
        audits = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "party_org"))
        assert audits == 4 + 2


def test_an_org_outside_the_scope_is_not_found_and_bad_input_is_refused_with_codes(db):
    add_areas(db)
    other = add_org(db, name="大庄村党支部", area_code="530321100200")
    with pytest.raises(NotFound) as refused:
        service.dissolve_org(UnitOfWork(db, COUNTY_ACTOR), other, day=dt.date(2024, 1, 1))
    assert refused.value.code == "orgs.org_not_found"
    with pytest.raises(Invalid) as refused:
        service.create_org(UnitOfWork(db, COUNTY_ACTOR), name="驻外支部", org_type="branch", area_code=TOWNSHIP_1,
                           base_kind="migrant", founded_on=dt.date(2020, 1, 1), origin_county_code="530326")
    assert (refused.value.code, refused.value.field) == ("orgs.destination_required", "destination")
    with pytest.raises(Forbidden) as refused:
        service.create_org(UnitOfWork(db, COUNTY_ACTOR), name="越界", org_type="branch", area_code="530321100200",
                           base_kind="village", founded_on=dt.date(2020, 1, 1))
    assert refused.value.code == "core.out_of_scope"
    with pytest.raises(Invalid) as refused:
        service.create_org(UnitOfWork(db, COUNTY_ACTOR), name="无此村", org_type="branch", area_code="530326100299",
                           base_kind="village", founded_on=dt.date(2020, 1, 1))
    assert (refused.value.code, refused.value.field) == ("orgs.area_unknown", "area_code")
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(PartyOrg)) == 1


def test_a_village_user_may_not_build_organisations_and_nothing_is_written(db):
    add_areas(db)
    village = Actor(user_id=None, name="village", role="village", scope_prefix="530326100200")
    with pytest.raises(Forbidden) as refused:
        service.create_org(UnitOfWork(db, village), name="北坎村党支部", org_type="branch", area_code=VILLAGE_A,
                           base_kind="village", founded_on=dt.date(2020, 1, 1))
    assert refused.value.code == "core.forbidden_action"
    with pytest.raises(Forbidden) as refused:
        service.import_cadres(UnitOfWork(db, village), b"")
    assert refused.value.code == "core.forbidden_action"
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(PartyOrg)) == 0


def test_a_member_needs_an_existing_area_inside_the_callers_scope(db):
    """The scope hole of issue 12: members were written into other villages and into areas that do not exist."""
    add_areas(db)
    branch = add_org(db, area_code=VILLAGE_A)
    village = Actor(user_id=None, name="village", role="village", scope_prefix="530326100200")
    member = service.add_member(UnitOfWork(db, village), name="王党员", org_id=branch)
    assert member.area_code == VILLAGE_A
    service.add_member(UnitOfWork(db, village), name="李党员", org_id=branch, area_code="530326100200001")
    with pytest.raises(Forbidden) as refused:
        service.add_member(UnitOfWork(db, village), name="越界", org_id=branch, area_code=VILLAGE_B)
    assert refused.value.code == "core.out_of_scope"
    with pytest.raises(Invalid) as refused:
        service.add_member(UnitOfWork(db, village), name="无此组", org_id=branch, area_code="530326100200009")
    assert (refused.value.code, refused.value.field) == ("orgs.area_unknown", "area_code")
    with db.session_factory() as session:
        assert sorted(session.scalars(select(PartyMember.area_code))) == [VILLAGE_A, "530326100200001"]


def test_a_cadre_ends_once(db):
    add_areas(db)
    cadre = add_cadre(db, VILLAGE_A)
    ended = service.end_cadre(UnitOfWork(db, COUNTY_ACTOR), cadre, dt.date(2024, 6, 30))
    assert ended.active_to == dt.date(2024, 6, 30)
    with pytest.raises(Conflict) as refused:
        service.end_cadre(UnitOfWork(db, COUNTY_ACTOR), cadre, dt.date(2024, 7, 1))
    assert refused.value.code == "orgs.cadre_already_ended"
    with pytest.raises(Invalid) as refused:
        service.end_cadre(UnitOfWork(db, COUNTY_ACTOR), add_cadre(db, VILLAGE_A), dt.date(2000, 1, 1))
    assert refused.value.code == "orgs.active_to_before_from"
    other = add_cadre(db, "530321100200")
    with pytest.raises(NotFound) as refused:
        service.end_cadre(UnitOfWork(db, COUNTY_ACTOR), other, dt.date(2024, 7, 1))
    assert refused.value.code == "orgs.cadre_not_found"


def test_cadre_in_scope_is_provided_and_knows_only_cadres_serving_the_scope(db):
    """`orgs.cadre_in_scope` (the registry refuses visits by unknown or foreign cadres with it)."""
    add_areas(db)
    village, township, county = add_cadre(db, VILLAGE_A), add_cadre(db, TOWNSHIP_1), add_cadre(db, COUNTY)
    neighbour, elsewhere = add_cadre(db, VILLAGE_B), add_cadre(db, "530321100200")
    cadre_in_scope = provided("orgs.cadre_in_scope")
    with db.session_factory() as session:
        found = cadre_in_scope(session, Scope("530326100200"), village)
        assert (found.id, found.name, found.area_code) == (village, "李干部", VILLAGE_A)
        serving = [c for c in (village, township, county, neighbour, elsewhere)
                   if cadre_in_scope(session, Scope("530326100200"), c) is not None]
        assert serving == [village, township, county], "posted in the village or above it"
        assert cadre_in_scope(session, Scope("530326"), neighbour) is not None
        assert cadre_in_scope(session, Scope("530326"), elsewhere) is None
        assert cadre_in_scope(session, Scope(""), elsewhere) is not None
        for missing in (999_999, 2**63, -1, 0):
            assert cadre_in_scope(session, Scope("530326"), missing) is None


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
    report = service.import_cadres(UnitOfWork(db, COUNTY_ACTOR), data)
    assert not report.committed
    assert {(e.line, e.column) for e in report.errors} == {
        (3, "姓名"), (3, "职级"), (3, "派驻区划代码"), (3, "是否党员"), (3, "到岗日期"), (4, "离岗日期")}
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Cadre)) == 0
    report = service.import_cadres(UnitOfWork(db, COUNTY_ACTOR), data, ImportMode.skip_invalid)
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
    report = service.import_members(UnitOfWork(db, COUNTY_ACTOR), data)
    assert [(e.line, e.column) for e in report.errors] == [(4, "所属党组织编号")] and not report.committed
    assert service.import_members(UnitOfWork(db, COUNTY_ACTOR), data, ImportMode.skip_invalid).inserted == 2
    with db.session_factory() as session:
        rows = {m.name: m for m in session.scalars(select(PartyMember))}
        assert rows["张党员"].is_floating and rows["张党员"].managing_org_id == branch
        assert rows["赵中心户"].is_central_household
        assert len(session.execute(queries.members_select(Scope("530326"))).all()) == 2
    report = service.import_members(UnitOfWork(db, COUNTY_ACTOR), b"not a spreadsheet")
    assert report.errors[0].reason == errors.FILE_UNREADABLE().message


def test_an_import_stops_reading_at_the_row_limit(db, monkeypatch):
    add_areas(db)
    monkeypatch.setattr(service, "MAX_IMPORT_ROWS", 5)
    data = _xlsx([CADRE_HEADER] + [[None] * 8] * 3 + [["李明", "县财政局", "乡科级", "第一书记", VILLAGE_A, "是",
                                                        "2021-03-01", None]] * 3)
    report = service.import_cadres(UnitOfWork(db, COUNTY_ACTOR), data)
    assert not report.committed and report.errors[0].reason == errors.TOO_MANY_ROWS(limit=5).message
    assert service.import_cadres(UnitOfWork(db, COUNTY_ACTOR), _xlsx([CADRE_HEADER] + [[None] * 8] * 3 + [
        ["李明", "县财政局", "乡科级", "第一书记", VILLAGE_A, "是", "2021-03-01", None]])).inserted == 1
