"""Validating a sheet in two processes gives exactly the one-process result, errors included."""

import datetime as dt
import random

import pytest

from fupin.registry import importer
from fupin.registry.importer import _Errors, parse_table
from fupin.registry.spreadsheets import read_table
from tests.factories_registry import id_number

TODAY = dt.date(2024, 6, 1)
HEADER = "户编号,所在村组区划代码,贫困户属性,主要致贫原因,识别年度,姓名,身份证号,与户主关系,性别,收入年度,工资性收入,健康状况,残疾等级"


def _sheet(households: int, seed: int, *, scatter: bool = False, duplicate_across: bool = False) -> bytes:
    rng = random.Random(seed)
    lines = [HEADER]
    rows = []
    for h in range(households):
        number = f"H{h:05d}"
        for m in range(rng.randint(1, 4)):
            person = id_number(dt.date(1950 + rng.randint(0, 60), rng.randint(1, 12), rng.randint(1, 28)),
                               rng.choice("MF"))
            cells = [number, "530326100200" if m == 0 else "", "一般贫困户" if m == 0 else "",
                     "因病" if m == 0 else "", "2016" if m == 0 else "", f"成员{h}-{m}", person,
                     "户主" if m == 0 else "子女", "", "2020" if m == 0 else "", str(8000 + h) if m == 0 else "",
                     "", ""]
            fault = rng.random()
            if fault < 0.02:
                cells[6] = person[:-1] + ("0" if person[-1] != "0" else "1")  # bad check digit
            elif fault < 0.04:
                cells[10] = "-5" if m == 0 else "abc"  # negative / non-numeric income
            elif fault < 0.05:
                cells[11], cells[12] = "残疾", ""  # disabled without a grade
            elif fault < 0.06:
                cells[8] = "女" if person[16] in "13579" else "男"  # sex contradicts the ID number
            elif fault < 0.07:
                cells[1] = "5303261002" if m == 0 else cells[1]  # malformed area code
            rows.append(cells)
        if rng.random() < 0.02:
            rows.append([""] * 13)  # an empty row in the middle
    if scatter:  # one household's rows far apart: it lies in both halves
        rows.append(["H00001", "", "", "", "", "迟到成员", id_number(dt.date(1990, 1, 2)), "子女", "", "", "", "", ""])
    if duplicate_across:  # the first row's person again at the end
        rows.append(["H99999", "530326100201", "一般贫困户", "因学", "2017", "重复者", rows[0][6], "户主",
                     "", "", "", "", ""])
    lines += [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _parse(data: bytes, workers: int):
    table = read_table("t.csv", data)
    errors = _Errors()
    households = parse_table(table, TODAY, errors, lambda *_: None, workers=workers, key=b"k")
    shape = {number: (h.lines, h.values, h.income, h.members) for number, h in households.items()}
    return shape, sorted((e.line, e.column, e.value, e.reason) for e in errors.items), \
        {line: sorted(reasons) for line, reasons in errors.by_line.items()}


@pytest.mark.parametrize(("scatter", "duplicate_across"), [(False, False), (True, False), (False, True)])
def test_two_processes_give_the_one_process_result(scatter, duplicate_across, monkeypatch):
    data = _sheet(400, seed=3, scatter=scatter, duplicate_across=duplicate_across)
    calls = []
    real = importer._parse_in_two
    monkeypatch.setattr(importer, "_parse_in_two", lambda *a: calls.append(1) or real(*a))
    single = _parse(data, workers=1)
    double = _parse(data, workers=2)
    assert calls, "the two-process path ran"
    assert double == single
    households, errors, _by_line = single
    assert len(households) > 350 and len(errors) > 20, "the sheet has real households and every kind of error"
    reasons = " ".join(e[3] for e in errors)
    for expected in ("校验位错误", "不能为负数", "不是数字", "残疾等级", "性别与身份证号不符", "区划代码"):
        assert expected in reasons
    if duplicate_across:
        assert any("身份证号与第2行重复" in e[3] for e in errors)
    if scatter:
        assert households["H00001"][0][-1] == max(max(h[0]) for h in households.values())


def test_the_split_falls_on_a_household_boundary():
    table = read_table("t.csv", _sheet(50, seed=5))
    numbers = [row[0] for row in table.rows]
    split = importer._split_point(table, len(numbers) // 2)
    assert split is not None and numbers[split] != numbers[split - 1]
    assert not set(numbers[:split]) & set(numbers[split:]) - {""}


def test_a_refused_fork_validates_in_one_process(monkeypatch):
    data = _sheet(120, seed=9)
    single = _parse(data, workers=1)

    def refuse():  # type: ignore[no-untyped-def]
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(importer.os, "fork", refuse)
    assert _parse(data, workers=2) == single
