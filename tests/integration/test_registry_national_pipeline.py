"""Issue 18: a national sheet large enough for the chunked (forked) import gives exactly the one-piece outcome,
the translation's own row problems included (they travel with the table into the validating child)."""

import datetime as dt

import pytest

from fupin.core.identity import Actor
from fupin.core.importing import ImportMode
from fupin.core.uow import UnitOfWork
from fupin.registry import service
from tests import national_workbooks as nw
from tests.factories_registry import id_number
from tests.integration.test_registry_import_pipeline import _one_piece_then_chunked, pipeline  # noqa: F401

KEY = b"test-key"
TODAY = dt.date(2024, 6, 1)


def _rows(households: int) -> list[list]:
    rows = []
    villages = [("钟屏街道", "北坎村", "第1村民小组"), ("钟屏街道", "石坝村", None), ("娜姑", "白雾村", None)]
    for i in range(households):
        township, village, group = villages[i % 3]
        base = dict(县="会泽县", 乡=township, 村=village, 组=group, 户编号=f"P{i:04d}", 户类型="脱贫户",
                    工资性收入=str(5000 + i), 转移性收入="300.5")
        if i == 7:
            base["村"] = "不存在村"  # early: an unknown village
        head = nw.member_row(**base, 姓名=f"户主{i}", 证件号码=id_number(dt.date(1950, 1, 1) + dt.timedelta(days=i)),
                             与户主关系="户主", 文化程度="初中", 健康状况="健康")
        wife = nw.member_row(**base, 姓名=f"配偶{i}",
                             证件号码=id_number(dt.date(1952, 1, 1) + dt.timedelta(days=i), "F"),
                             与户主关系="之表哥" if i == households - 3 else "配偶",  # late: a bad relation
                             文化程度="小学", 健康状况="患有大病")
        rows += [head, wife]
    return rows


def _import(db, data, mode):
    result = service.import_registry(UnitOfWork(db, Actor.system("test")), "n.xlsx", data, mode=mode, key=KEY,
                                     today=TODAY)
    report = result.report
    return ((report.total, report.inserted, report.updated, report.unchanged, report.committed),
            [(e.line, e.column, e.value, e.reason) for e in report.errors], result.error_file)


@pytest.mark.parametrize("mode", [ImportMode.all_or_nothing, ImportMode.skip_invalid])
def test_a_national_sheet_chunked_is_the_one_piece_import(db, pipeline, monkeypatch, mode):  # noqa: F811
    import tests.integration.test_registry_import_pipeline as base

    monkeypatch.setattr(base, "_import", _import)
    data = nw.member_workbook(_rows(200))
    single, chunked = _one_piece_then_chunked(db, data, mode, monkeypatch)
    assert pipeline["forks"] == 1  # the chunked path ran (an early error in all-or-nothing mode: no write)
    assert pipeline["writes"] >= (2 if mode == ImportMode.skip_invalid else 0)
    assert chunked[0][:2] == single[0][:2]
    assert chunked[1] == single[1]
    assert [(line, column) for line, column, _v, _r in single[0][1]] == [(18, "村"), (19, "村"), (399, "与户主关系")]
    if mode == ImportMode.skip_invalid:
        assert single[0][0][1] == 198 and len(chunked[1][0]) == 198
    else:
        assert single[0][0][4] is False and chunked[1][0] == []
