"""The .xlsx import of entities, members and land contracts: all rows or none, every refused row reported by
sheet, row and column in Chinese; run as a job through the API."""

from __future__ import annotations

import io
import time

from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import func, select

from fupin.core.audit import Actor
from fupin.core.uow import UnitOfWork
from fupin.industry.importing import import_workbook
from fupin.industry.models import IndustryEntity, LandContract, Membership
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_user
from tests.factories_industry import COUNTY, TOWNSHIP, VILLAGES, add_township


def workbook(entities, members, land) -> bytes:  # type: ignore[no-untyped-def]
    book = Workbook()
    sheets = (("经营主体", ["名称", "主体类型", "产业", "区划代码", "统一社会信用代码", "成立日期"], entities),
              ("成员", ["主体名称", "户编号", "联结方式", "股份", "加入日期"], members),
              ("土地流转", ["主体名称", "户编号", "地块", "面积(亩)", "每亩年租金", "开始日期", "结束日期"], land))
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD_ENTITY = ["天福菌业有限公司", "龙头企业", "食用菌", TOWNSHIP, "91210423MA0U4K2X1H", "2016-05-01"]
COOP = ["绿森木椴木耳合作社", "合作社", "木耳", VILLAGES[0], "", ""]


def _county(db) -> UnitOfWork:  # type: ignore[no-untyped-def]
    return UnitOfWork(db, Actor(user_id=None, name="county", role="county", scope_prefix="210423"))


def _counts(db) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with db.session_factory() as session:
        return tuple(session.scalar(select(func.count()).select_from(m))  # type: ignore[return-value]
                     for m in (IndustryEntity, Membership, LandContract))


def test_a_workbook_with_one_bad_row_writes_nothing_and_says_why(db):
    add_township(db)
    number = f"{VILLAGES[0]}0001"
    data = workbook([GOOD_ENTITY, ["坏代码社", "合作社", "木耳", VILLAGES[1], "91210423MA0U4K2X1J", ""]],
                    [["天福菌业有限公司", number, "生产合作", 1, "2017-03-01"],
                     ["天福菌业有限公司", "不存在的户", "股份合作", 1, "2017-03-01"]],
                    [["天福菌业有限公司", number, "地块1", -3, 500, "2017-03-01", "2029-12-31"],
                     ["天福菌业有限公司", number, "地块2", 3, 500, "2017-03-01", "2016-12-31"]])
    report = import_workbook(_county(db), data)
    assert not report.committed and report.inserted == 0
    found = {(e.line, e.column): e.reason for e in report.errors}
    assert "校验位不对" in found[(3, "经营主体·统一社会信用代码")]
    assert "没有这个户编号" in found[(3, "成员·户编号")]
    assert "大于0亩" in found[(2, "土地流转·面积(亩)")]
    assert "不能早于开始日期" in found[(3, "土地流转·结束日期")]
    assert _counts(db) == (0, 0, 0)


def test_a_good_workbook_is_imported_as_a_job(db):
    add_township(db)
    add_user(db, "county_a", "county", COUNTY)
    number = f"{VILLAGES[0]}0001"
    data = workbook([GOOD_ENTITY, COOP], [["绿森木椴木耳合作社", number, "股份合作", 2, "2017-03-01"]],
                    [["天福菌业有限公司", number, "地块1", 3.5, 500, "2017-03-01", "2029-12-31"]])
    with TestClient(create_app(db=db)) as client:
        token = client.post("/api/v1/auth/token", json={"username": "county_a", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        started = client.post("/api/v1/industry/imports", headers=headers,
                              files={"file": ("主体.xlsx", data, "application/octet-stream")})
        assert started.status_code == 202, started.text
        for _ in range(100):
            job = client.get(started.json()["url"], headers=headers).json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.1)
        assert job["status"] == "done", job
        assert job["result"]["committed"] is True and job["result"]["inserted"] == 4
        empty = client.post("/api/v1/industry/imports", headers=headers, files={"file": ("x.xlsx", b"", "x")})
        assert empty.status_code == 422 and empty.json()["error"] == "industry.file_empty"
    assert _counts(db) == (2, 1, 1)
