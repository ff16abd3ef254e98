from sqlalchemy import func, select

from fupin.areas.models import Area
from fupin.areas.service import import_areas, load_package_map, read_area_csv
from fupin.core.audit import Actor, AuditEntry
from fupin.core.importing import ImportMode
from fupin.core.uow import UnitOfWork
from tests.factories import add_areas


def _import(db, text: str, mode=ImportMode.all_or_nothing):
    lines, errors = read_area_csv(text.encode("utf-8"))
    with UnitOfWork(db, Actor.system("test")) as uow:
        return import_areas(uow, lines, mode=mode, prior_errors=errors)


def _count(db):
    with db.session_factory() as s:
        return s.scalar(select(func.count()).select_from(Area))


def test_import_infers_parents_and_reports_every_bad_line(db):
    text = "code,name\n530000000000,云南省\n530300000000,曲靖市\n530326,会泽县\n5303261000,坏代码\n" \
           "530326100000,\n530326999200,没有上级的村\n530326000000,重复\n"
    report = _import(db, text)
    assert not report.committed
    assert [(e.line, e.column) for e in report.errors] == [(5, "code"), (6, "name"), (7, "code"), (8, "code")]
    reasons = " ".join(e.reason for e in report.errors)
    assert "12位" in reasons and "不能为空" in reasons and "上级区划530326999000不存在" in reasons
    assert "重复" in reasons
    assert _count(db) == 0, "all-or-nothing writes nothing"

    report = _import(db, text, mode=ImportMode.skip_invalid)
    assert report.committed and report.inserted == 3
    with db.session_factory() as s:
        county = s.get(Area, "530326000000")
        assert county.parent_code == "530300000000" and county.level == "county" and county.region == "west"


def test_reimport_is_a_no_op_and_renames_are_audited(db):
    add_areas(db)
    before = _count(db)
    report = _import(db, "530326000000,会泽县\n")
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 1)
    report = _import(db, "530326000000,会泽县(改)\n")
    assert report.updated == 1
    assert _count(db) == before
    with db.session_factory() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "areas", AuditEntry.action == "update")).one()
        assert entry.changes == {"name": {"before": "会泽县", "after": "会泽县(改)"}}


def test_empty_and_garbage_files(db):
    assert "为空" in _import(db, "").errors[0].reason
    report = _import(db, "code,name\n")
    assert "没有数据行" in report.errors[0].reason
    report = _import(db, "\x00\x01binary,\n")
    assert not report.committed and report.errors


def test_package_map_is_the_real_map_of_china(db):
    with UnitOfWork(db, Actor.system("test")) as uow:
        report = load_package_map(uow)
    assert report.committed and report.inserted > 3000
    with db.session_factory() as s:
        levels = dict(s.execute(select(Area.level, func.count()).group_by(Area.level)).all())
        assert levels["province"] == 31
        assert levels["prefecture"] > 330 and levels["county"] > 2800
        assert s.get(Area, "530326000000").name == "会泽县"
        assert s.get(Area, "530300000000").name == "曲靖市"
        orphans = s.scalar(select(func.count()).select_from(Area).where(
            Area.parent_code.is_not(None), ~Area.parent_code.in_(select(Area.code))))
        assert orphans == 0


def test_a_township_creates_a_village_group_and_a_village_user_cannot(db):
    from fastapi.testclient import TestClient

    from fupin.web.app import create_app
    from tests.factories import PASSWORD, add_areas, add_user

    add_areas(db)
    add_user(db, "township_a", "township", "530326100000")
    add_user(db, "village_b", "village", "530326100200")
    with TestClient(create_app(db=db)) as client:
        def token(name: str) -> dict[str, str]:
            answer = client.post("/api/v1/auth/token", json={"username": name, "password": PASSWORD})
            return {"Authorization": f"Bearer {answer.json()['access_token']}"}

        township = token("township_a")
        created = client.post("/api/v1/areas/530326100200/groups", headers=township, json={"name": "第二村民小组"})
        assert created.status_code == 201, created.text
        assert created.json()["code"] == "530326100200002", "numbered after the village's existing group 001"
        again = client.post("/api/v1/areas/530326100200/groups", headers=township, json={"name": "第二村民小组"})
        assert again.status_code == 409 and again.json()["error"] == "areas.group_name_taken"
        elsewhere = client.post("/api/v1/areas/530321100200/groups", headers=township, json={"name": "外县小组"})
        assert elsewhere.status_code == 403 and elsewhere.json()["error"] == "core.out_of_scope"
        denied = client.post("/api/v1/areas/530326100200/groups", headers=token("village_b"), json={"name": "x"})
        assert denied.status_code == 403 and denied.json()["error"] == "core.forbidden_action"
        not_village = client.post("/api/v1/areas/530326100000/groups", headers=township, json={"name": "y"})
        assert not_village.status_code == 422 and not_village.json()["error"] == "areas.not_a_village"
