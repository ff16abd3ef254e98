"""Registry import speed: 100,000 people (~30,000 households) with full validation.

    python -m bench.bench_registry_import [--households 30000] [--baseline-households N] [--repeat 2]

Measured side by side in one run, on SQLite and PostgreSQL:
- import from .xlsx (read with calamine, every row validated, ID numbers checked and hashed, bulk upsert), of a
  workbook as Excel and WPS save it (shared strings, numbers in numeric cells) and, for comparison, of the same
  rows as openpyxl writes them (inline strings: fupin's own exports);
- the naive import of the same rows: the same reading and validation, then one ORM object at a time (look up,
  add, flush); by default all of the file's rows, compared as rows per second (`--baseline-households` takes
  the first N households only, for a quick run);
- from .csv on PostgreSQL against a raw COPY of the same rows into the same tables (no validation);
- on both, the raw bulk write of the same rows (COPY / executemany): the ceiling of any import's gain.
Each import is timed before and after the naive run (best of those), so a slow spell of the shared virtual
machine does not land on one side of the ratio only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import time
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import text

from bench.common import fresh_database, machine
from fupin.core.audit import Actor
from fupin.core.demo import DemoContext
from fupin.core.uow import UnitOfWork
from fupin.registry import demo as registry_demo
from fupin.registry.fields import FIELDS
from fupin.registry.models import Household, Person
from fupin.registry.service import import_registry
from fupin.registry.vocab import CAUSES, POVERTY_ATTRIBUTES, RELATIONS

KEY = b"bench-key"
HEADERS = [f.header for f in FIELDS]


def generate(households: int) -> tuple[list[list[str]], list[tuple], list[tuple]]:
    """Template rows plus the demo's own household/person tuples (for the COPY and ORM baselines)."""
    db = fresh_database("sqlite", "registry_gen")
    ctx = DemoContext(db=db, seed=7, households=households)
    from fupin.areas import demo as areas_demo

    areas_demo.build(ctx)
    rows: list[list[str]] = []
    house_rows: list[tuple] = []
    person_rows: list[tuple] = []
    index = {f.key: i for i, f in enumerate(FIELDS)}
    for batch_h, batch_p in registry_demo.generate(ctx, 1, 1):
        house_rows.extend(batch_h)
        person_rows.extend(batch_p)
    by_id = {h[0]: h for h in house_rows}
    for p in person_rows:
        h = by_id[p[1]]
        row = [""] * len(FIELDS)
        row[index["household_no"]] = h[3]
        row[index["area_code"]] = h[2]
        row[index["poverty_attribute"]] = POVERTY_ATTRIBUTES[h[7]]
        row[index["main_cause"]] = CAUSES[h[8]]
        row[index["registration_year"]] = str(h[10])
        row[index["name"]] = p[6]
        row[index["id_number"]] = p[4]
        row[index["relation"]] = RELATIONS[p[9]]
        row[index["income_year"]] = "2020"
        row[index["wages"]] = str(8000 + p[1] % 5000)
        row[index["transfer_income"]] = "600.50"
        rows.append(row)
    db.dispose()
    return rows, house_rows, person_rows


def to_xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("建档立卡")
    sheet.append(HEADERS)
    for row in rows:
        # Empty cells are absent, as in a workbook saved by Excel or WPS (not cells holding "").
        sheet.append([cell if cell != "" else None for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


NUMERIC_KEYS = {"registration_year", "income_year", "wages", "production_income", "property_income",
                "transfer_income", "production_costs", "months_worked", "disability_grade"}


def to_excel_xlsx(rows: list[list[str]]) -> bytes:
    """The workbook as Excel or WPS saves it: text in the shared-strings table, years and amounts as numbers,
    ID and household numbers as text (the template formats those columns as text), empty cells absent."""
    import xlsxwriter

    numeric = {i for i, f in enumerate(FIELDS) if f.key in NUMERIC_KEYS}
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("建档立卡")
    sheet.write_row(0, 0, HEADERS)
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row):
            if cell == "":
                continue
            if c in numeric:
                sheet.write_number(r, c, float(cell))
            else:
                sheet.write_string(r, c, cell)
    workbook.close()
    return buffer.getvalue()


def to_csv(rows: list[list[str]]) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _demo_areas(kind: str, name: str):  # type: ignore[no-untyped-def]
    db = fresh_database(kind, name)
    from fupin.areas import demo as areas_demo

    ctx = DemoContext(db=db, seed=7, households=HOUSEHOLDS)
    areas_demo.build(ctx)
    return db


def timed_import(kind: str, name: str, data: bytes, filename: str) -> tuple[float, int]:
    db = _demo_areas(kind, name)
    start = time.perf_counter()
    result = import_registry(UnitOfWork(db, Actor.system("bench")), filename, data, key=KEY, today=dt.date(2024, 6, 1))
    elapsed = time.perf_counter() - start
    assert result.report.committed, result.report.errors[:5]
    db.dispose()
    return elapsed, result.report.total


def _income_rows(house_rows: list[tuple]) -> list[tuple]:
    """The file's income rows (one per household, as in the import), so the raw write writes the same rows."""
    rows = []
    for h in house_rows:
        wages = Decimal(8000 + h[0] % 5000)
        net = wages + Decimal("600.50")
        rows.append((h[0], h[1], h[2], 2020, h[13], wages, Decimal(0), Decimal(0), Decimal("600.50"), Decimal(0),
                     net, (net / h[13]).quantize(Decimal("0.01")), 1, *([Decimal(0)] * 5)))  # + the transfer parts
    return rows


def raw_write(kind: str, house_rows: list[tuple], person_rows: list[tuple]) -> float:
    """The same rows, already typed, written the fastest way the database takes them: COPY on PostgreSQL,
    one prepared executemany on SQLite — no file, no validation, no look-ups."""
    from fupin.core.db import bulk_insert
    from fupin.registry.models import HouseholdIncome

    db = _demo_areas(kind, "registry_raw")
    incomes = _income_rows(house_rows)
    start = time.perf_counter()
    with db.engine.begin() as conn:
        bulk_insert(conn, Household.__table__, registry_demo.HOUSEHOLD_COLUMNS, house_rows)
        bulk_insert(conn, Person.__table__, registry_demo.PERSON_COLUMNS, person_rows)
        bulk_insert(conn, HouseholdIncome.__table__, registry_demo.INCOME_COLUMNS, incomes)
    elapsed = time.perf_counter() - start
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM persons")).scalar() == len(person_rows)
    db.dispose()
    return elapsed


def naive_orm(kind: str, rows: list[list[str]], households: int | None) -> tuple[float, int]:
    """The import a first version would be: same reading and validation, then for every household and every
    member a look-up of the existing row and one ORM object added and flushed at a time (one transaction, as
    all-or-nothing requires)."""
    from sqlalchemy import select

    from fupin.registry.importer import (
        MEMBER_ID_NUMBER,
        MEMBER_NAME,
        MEMBER_RELATION,
        MEMBER_VALUES,
        validate_rows,
    )
    from fupin.registry.models import HouseholdIncome
    from fupin.registry.queries import PERSON_COLUMNS
    from fupin.registry.rules import IncomeFigures
    from fupin.registry.spreadsheets import read_table

    if households is None:
        subset = rows
    else:
        wanted = set(sorted({r[0] for r in rows})[:households])
        subset = [r for r in rows if r[0] in wanted]
    data = to_excel_xlsx(subset)
    db = _demo_areas(kind, "registry_naive")
    start = time.perf_counter()
    table = read_table("naive.xlsx", data)
    parsed = validate_rows(table, 0, len(table.rows), dt.date(2024, 6, 1)).households
    from fupin.registry.idnumbers import id_hash

    with db.session_factory() as session:
        for household in parsed.values():
            values = household.values
            existing = session.scalar(select(Household).where(Household.household_no == household.household_no))
            if existing is None:
                head = next(m[MEMBER_NAME] for m in household.members if m[MEMBER_RELATION] == "head")
                existing = Household(county_code=values["area_code"][:6], area_code=values["area_code"],
                                     household_no=household.household_no, head_name=head,
                                     poverty_attribute=values["poverty_attribute"], main_cause=values["main_cause"],
                                     registration_year=values["registration_year"], status="identified",
                                     member_count=len(household.members))
                session.add(existing)
                session.flush()
            for member in household.members:
                digest = id_hash(KEY, member[MEMBER_ID_NUMBER])
                person = session.scalar(select(Person).where(Person.id_hash == digest, Person.active))
                if person is None:
                    session.add(Person(household_id=existing.id, county_code=existing.county_code,
                                       area_code=existing.area_code, id_number=member[MEMBER_ID_NUMBER],
                                       id_hash=digest, active=True,
                                       **dict(zip(PERSON_COLUMNS, member[MEMBER_VALUES:], strict=True))))
                    session.flush()
            if household.income:
                amounts = [household.income.get(k) or Decimal(0) for k in
                           ("wages", "production_income", "property_income", "transfer_income", "production_costs")]
                figures = IncomeFigures(*amounts, members=len(household.members))
                session.add(HouseholdIncome(household_id=existing.id, county_code=existing.county_code,
                                            area_code=existing.area_code, year=household.income["income_year"],
                                            members=len(household.members), wages=amounts[0],
                                            production_income=amounts[1], property_income=amounts[2],
                                            transfer_income=amounts[3], production_costs=amounts[4],
                                            net_income=figures.net, per_capita_net=figures.per_capita))
                session.flush()
        session.commit()
    elapsed = time.perf_counter() - start
    db.dispose()
    return elapsed, len(subset)


HOUSEHOLDS = 30_000


def main() -> int:
    global HOUSEHOLDS
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=30_000)
    parser.add_argument("--baseline-households", type=int, default=None,
                        help="naive baseline on the first N households only (default: all the file's rows)")
    parser.add_argument("--repeat", type=int, default=2, help="imports timed per database (best is kept)")
    args = parser.parse_args()
    HOUSEHOLDS = args.households
    print(machine())
    rows, house_rows, person_rows = generate(args.households)
    excel, openpyxl_xlsx, csv_data = to_excel_xlsx(rows), to_xlsx(rows), to_csv(rows)
    print(f"file: {len(rows):,} people in {args.households:,} households; xlsx as Excel saves it "
          f"{len(excel) / 1e6:.1f} MB, as openpyxl writes it {len(openpyxl_xlsx) / 1e6:.1f} MB, "
          f"csv {len(csv_data) / 1e6:.1f} MB")
    for kind in ("sqlite", "postgresql"):
        before = [timed_import(kind, "registry_xlsx", excel, "bench.xlsx") for _ in range(max(1, args.repeat // 2))]
        naive_s, naive_people = naive_orm(kind, rows, args.baseline_households)
        after = [timed_import(kind, "registry_xlsx", excel, "bench.xlsx")
                 for _ in range(max(1, args.repeat - len(before)))]
        seconds, total = min(before + after)
        rate, naive_rate = total / seconds, naive_people / naive_s
        print(f"[{kind}] xlsx import (as Excel saves it): {total:,} rows in {seconds:.2f} s ({rate:,.0f} rows/s)"
              f" — target < 10 s: {'OK' if seconds < 10 else 'MISSED'}"
              f" (runs: {', '.join(f'{s:.2f}' for s, _ in before + after)})")
        print(f"[{kind}] naive ORM loop: {naive_people:,} people in {naive_s:.2f} s ({naive_rate:,.0f} rows/s);"
              f" import/naive = {rate / naive_rate:.1f}x (target ≥ 20x)")
        openpyxl_s, _ = timed_import(kind, "registry_openpyxl", openpyxl_xlsx, "bench.xlsx")
        print(f"[{kind}] xlsx import of the same rows as openpyxl writes them (inline strings): {openpyxl_s:.2f} s")
        raw_s = raw_write(kind, house_rows, person_rows)
        print(f"[{kind}] raw bulk write of the same rows (no file, no validation): {raw_s:.2f} s — the most any "
              f"import writing them could gain over the naive loop: {total / raw_s / naive_rate:.1f}x")
    csv_s, total = timed_import("postgresql", "registry_csv", csv_data, "bench.csv")
    copy_s = raw_write("postgresql", house_rows, person_rows)
    print(f"[postgresql] csv import: {total:,} rows in {csv_s:.2f} s; raw COPY of the same rows: {copy_s:.2f} s;"
          f" ratio {csv_s / copy_s:.2f}x (target ≤ 3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
