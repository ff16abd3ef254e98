"""A large sheet is validated chunk by chunk in a forked process while this one writes each chunk: the outcome
is exactly the one-piece import's (rows written, counts, every error, the error report), and all-or-nothing
still writes nothing when the only error is in the last chunk, after earlier chunks were written."""

import datetime as dt
import os
import random

import pytest
from sqlalchemy import delete, select

from fupin.core.audit import Actor
from fupin.core.importing import ImportMode
from fupin.core.uow import UnitOfWork
from fupin.registry import importer, service
from fupin.registry.models import Household, HouseholdIncome, Person
from fupin.registry.spreadsheets import read_table
from tests.factories import add_areas
from tests.factories_registry import id_number

KEY = b"test-key"
TODAY = dt.date(2024, 6, 1)
HEADER = "户编号,所在村组区划代码,贫困户属性,主要致贫原因,识别年度,姓名,身份证号,与户主关系,性别,收入年度,工资性收入,健康状况,残疾等级"


def _sheet(households: int, seed: int, *, faults: float = 0.0, fault_in_last: bool = False, scatter: bool = False,
           duplicate_across: bool = False) -> bytes:
    rng = random.Random(seed)
    rows = []
    for h in range(households):
        number = f"H{h:05d}"
        for m in range(rng.randint(1, 4)):
            person = id_number(dt.date(1950 + rng.randint(0, 60), rng.randint(1, 12), rng.randint(1, 28)),
                               rng.choice("MF"))
            cells = [number, "530326100200" if h % 2 else "530326100201", "一般贫困户", "因病", "2016",
                     f"成员{h}-{m}", person, "户主" if m == 0 else "之子", "", "2020" if m == 0 else "",
                     str(8000 + h) if m == 0 else "", "", ""]
            if m:
                cells[1:5] = ["", "", "", ""]
            fault = rng.random() / max(faults, 1e-9)
            if fault < 0.2:
                cells[6] = person[:-1] + ("0" if person[-1] != "0" else "1")  # bad check digit
            elif fault < 0.4:
                cells[10] = "-5" if m == 0 else "abc"  # negative / non-numeric income
            elif fault < 0.6:
                cells[11], cells[12] = "残疾", ""  # disabled without a grade
            elif fault < 0.8:
                cells[8] = "女" if person[16] in "13579" else "男"  # sex contradicts the ID number
            elif fault < 1.0:
                cells[1] = "530326999999" if m == 0 else cells[1]  # an area that does not exist
            rows.append(cells)
        if rng.random() < 0.02:
            rows.append([""] * 13)  # an empty row in the middle
    if fault_in_last:
        rows[-1][6] = rows[-1][6][:-1] + ("0" if rows[-1][6][-1] != "0" else "1")
    if scatter:  # the first household's rows far apart: it lies in two chunks
        rows.append(["H00000", "", "", "", "", "迟到成员", id_number(dt.date(1990, 1, 2)), "之子", "", "", "", "", ""])
    if duplicate_across:  # the first row's person again, in another household at the end
        rows.append(["H99999", "530326100201", "一般贫困户", "因学", "2017", "重复者", rows[0][6], "户主",
                     "", "", "", "", ""])
    return ("\n".join([HEADER] + [",".join(r) for r in rows]) + "\n").encode("utf-8")


@pytest.fixture
def pipeline(monkeypatch):
    """Small chunks, so a test sheet of a few hundred households goes through the chunked path; returns a
    record of the chunks written (how many writes the pipelined path made)."""
    monkeypatch.setattr(importer, "PIPELINE_MIN_ROWS", 50)
    monkeypatch.setattr(importer, "FIRST_CHUNK_ROWS", 40)
    monkeypatch.setattr(importer, "CHUNK_ROWS", 150)
    record = {"forks": 0, "writes": 0}
    real_chunks, real_write = importer._chunks_from_child, importer._write

    def counting_chunks(*args):  # type: ignore[no-untyped-def]
        record["forks"] += 1
        return real_chunks(*args)

    def counting_write(*args):  # type: ignore[no-untyped-def]
        record["writes"] += 1
        return real_write(*args)

    monkeypatch.setattr(importer, "_chunks_from_child", counting_chunks)
    monkeypatch.setattr(importer, "_write", counting_write)
    return record


def _import(db, data: bytes, mode: ImportMode):
    result = service.import_registry(UnitOfWork(db, Actor.system("test")), "t.csv", data, mode=mode, key=KEY,
                                     today=TODAY)
    report = result.report
    return ((report.total, report.inserted, report.updated, report.unchanged, report.committed),
            [(e.line, e.column, e.value, e.reason) for e in report.errors], result.error_file)


def _snapshot(db):
    with db.session_factory() as session:
        households = sorted(session.execute(select(
            Household.household_no, Household.area_code, Household.head_name, Household.member_count,
            Household.main_cause, Household.registration_year, Household.status, Household.version)).all())
        persons = sorted(session.execute(select(
            Household.household_no, Person.id_hash, Person.name, Person.sex, Person.birth_date, Person.relation,
            Person.health, Person.disability_grade, Person.active, Person.version)
            .join(Household, Household.id == Person.household_id)).all())
        incomes = sorted(session.execute(select(
            Household.household_no, HouseholdIncome.year, HouseholdIncome.members, HouseholdIncome.wages,
            HouseholdIncome.net_income, HouseholdIncome.per_capita_net)
            .join(Household, Household.id == HouseholdIncome.household_id)).all())
    return households, persons, incomes


def _wipe(db):
    with db.engine.begin() as conn:
        for table in (HouseholdIncome, Person, Household):
            conn.execute(delete(table.__table__))


def _one_piece_then_chunked(db, data: bytes, mode: ImportMode, monkeypatch):
    """The outcome of importing `data` in one piece, and then (into the same, emptied database) chunked."""
    add_areas(db)
    with monkeypatch.context() as one_piece:
        one_piece.setattr(importer, "PIPELINE_MIN_ROWS", 10**9)
        single = (_import(db, data, mode), _snapshot(db))
    _wipe(db)
    chunked = (_import(db, data, mode), _snapshot(db))
    return single, chunked


@pytest.mark.parametrize("mode", [ImportMode.all_or_nothing, ImportMode.skip_invalid])
def test_a_clean_sheet_chunked_is_the_one_piece_import(db, pipeline, monkeypatch, mode):
    data = _sheet(300, seed=1)
    single, chunked = _one_piece_then_chunked(db, data, mode, monkeypatch)
    assert pipeline["forks"] == 1 and pipeline["writes"] >= 4, "written chunk by chunk"
    assert chunked == single
    (_total, inserted, _updated, _unchanged, committed), errors, _file = chunked[0]
    assert committed and not errors and inserted == 300
    assert len(chunked[1][1]) > 600
    # Importing the same file again, chunked, changes nothing.
    again = _import(db, data, mode)
    assert again[0][1:] == (0, 0, 300, True) and _snapshot(db) == chunked[1]


def test_skip_invalid_chunked_writes_the_same_households(db, pipeline, monkeypatch):
    data = _sheet(300, seed=2, faults=0.08)
    single, chunked = _one_piece_then_chunked(db, data, ImportMode.skip_invalid, monkeypatch)
    assert pipeline["forks"] == 1
    assert chunked == single
    (_total, inserted, *_rest), errors, error_file = chunked[0]
    assert 150 < inserted < 300 and len(errors) > 20 and error_file
    reasons = " ".join(e[3] for e in errors)
    for expected in ("校验位错误", "不能为负数", "不是数字", "残疾等级", "性别与身份证号不符", "区划代码530326999999不存在"):
        assert expected in reasons


def test_all_or_nothing_rolls_back_chunks_written_before_a_late_error(db, pipeline, monkeypatch):
    data = _sheet(300, seed=3, fault_in_last=True)
    single, chunked = _one_piece_then_chunked(db, data, ImportMode.all_or_nothing, monkeypatch)
    assert pipeline["writes"] >= 3, "earlier chunks were written before the error showed up"
    assert chunked == single
    (_total, inserted, updated, unchanged, committed), errors, _file = chunked[0]
    assert not committed and (inserted, updated, unchanged) == (0, 0, 0)
    assert len(errors) == 1 and "校验位错误" in errors[0][3]
    assert chunked[1] == ([], [], []), "nothing written"


@pytest.mark.parametrize(("scatter", "duplicate_across"), [(True, False), (False, True)])
def test_a_household_or_person_in_two_chunks_is_imported_in_one_piece(db, pipeline, monkeypatch, scatter,
                                                                       duplicate_across):
    data = _sheet(300, seed=4, scatter=scatter, duplicate_across=duplicate_across)
    single, chunked = _one_piece_then_chunked(db, data, ImportMode.skip_invalid, monkeypatch)
    assert pipeline["forks"] == 1, "the chunked path was tried"
    assert chunked == single
    households, persons, _incomes = chunked[1]
    if scatter:
        assert any(p[2] == "迟到成员" and p[0] == "H00000" for p in persons)
    else:
        assert any("身份证号与第2行重复" in e[3] for e in chunked[0][1])
        assert "H99999" not in {h[0] for h in households}


def test_a_refused_fork_or_a_dying_child_falls_back_to_one_process(db, pipeline, monkeypatch):
    data = _sheet(200, seed=5, faults=0.05)
    single, _chunked = _one_piece_then_chunked(db, data, ImportMode.skip_invalid, monkeypatch)

    def refuse():  # type: ignore[no-untyped-def]
        raise OSError("Resource temporarily unavailable")

    with monkeypatch.context() as no_fork:
        no_fork.setattr(importer.os, "fork", refuse)
        _wipe(db)
        assert (_import(db, data, ImportMode.skip_invalid), _snapshot(db)) == single

    parent, real_validate = os.getpid(), importer.validate_rows

    def dies_in_the_child(*args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != parent and args[1] > 0:
            raise MemoryError
        return real_validate(*args, **kwargs)

    monkeypatch.setattr(importer, "validate_rows", dies_in_the_child)
    _wipe(db)
    assert (_import(db, data, ImportMode.skip_invalid), _snapshot(db)) == single
    assert pipeline["forks"] == 3, "both fallbacks came from the chunked path"


def test_chunks_end_where_the_household_number_changes(pipeline):
    table = read_table("t.csv", _sheet(200, seed=6))
    bounds = importer._chunk_bounds(table)
    numbers = [row[0] for row in table.rows]
    assert len(bounds) >= 3 and bounds[0][0] == 0 and bounds[-1][1] == len(numbers)
    for (_start, stop), (next_start, _stop) in zip(bounds, bounds[1:], strict=False):
        assert stop == next_start and numbers[stop] != numbers[stop - 1]
    chunks = [set(numbers[a:b]) - {""} for a, b in bounds]
    assert all(chunks[i].isdisjoint(chunks[j]) for i in range(len(chunks)) for j in range(i + 1, len(chunks)))


def test_the_validating_process_checks_the_database_only_when_it_sees_what_this_transaction_sees(db, pipeline,
                                                                                                   tmp_path):
    """A household written earlier in the same, uncommitted unit of work is invisible to another connection:
    then this process does the look-ups, and the sheet's row for it is an update, not a second insert."""
    add_areas(db)
    record = tmp_path / "lookups.txt"
    real_validate = importer._validate_against_database

    def recording(session, *args):  # type: ignore[no-untyped-def]
        with record.open("a") as out:  # a file: the child's memory is its own
            out.write(f"{os.getpid()}\n")
        return real_validate(session, *args)

    def lookups() -> set[int]:
        return {int(line) for line in record.read_text().split()} if record.exists() else set()

    data = _sheet(200, seed=7)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(importer, "_validate_against_database", recording)
        with UnitOfWork(db, Actor.system("test")) as uow:
            uow.session.add(Household(county_code="530326", area_code="530326100201", household_no="H00000",
                                      head_name="旧户主", poverty_attribute="general", main_cause="illness",
                                      registration_year=2015, status="identified", member_count=0))
            uow.session.flush()
            result = service.import_registry(uow, "t.csv", data, mode=ImportMode.all_or_nothing, key=KEY,
                                             today=TODAY)
    assert pipeline["forks"] == 1 and lookups() == {os.getpid()}, "looked up here, inside the transaction"
    assert result.report.committed and result.report.inserted == 199 and result.report.updated == 1
    households, _persons, _incomes = _snapshot(db)
    assert [h for h in households if h[0] == "H00000"][0][2] != "旧户主"

    # A fresh unit of work: the child looks the chunks up over its own connection (none of them here).
    record.unlink()
    _wipe(db)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(importer, "_validate_against_database", recording)
        assert _import(db, data, ImportMode.all_or_nothing)[0][1] == 200
    assert lookups() and os.getpid() not in lookups()


def test_uncommitted_writes_are_told_apart_from_reads(db):
    from fupin.core.db import has_uncommitted_writes, is_in_memory

    add_areas(db)
    with db.session_factory() as session:
        assert not has_uncommitted_writes(session)
        session.execute(select(Household.id)).all()
        assert not has_uncommitted_writes(session), "a read writes nothing"
        session.execute(Household.__table__.insert().values(
            county_code="530326", area_code="530326100201", household_no="X1", head_name="甲",
            poverty_attribute="general", main_cause="illness", registration_year=2015, status="identified",
            member_count=0, created_at=dt.datetime.now(dt.UTC), updated_at=dt.datetime.now(dt.UTC), version=1))
        assert has_uncommitted_writes(session)
        session.rollback()
        assert not has_uncommitted_writes(session)
    assert is_in_memory("sqlite://") and is_in_memory("sqlite:///:memory:") and not is_in_memory(db.url)
