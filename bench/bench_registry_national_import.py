"""Import of a national export (issue 18): 100,000 people in the monitoring system's member-sheet layout (title
row, export line, header on the third row, areas by name, national wordings, columns fupin does not hold) against
fupin's own template holding the same people, the naive ORM loop and the raw bulk write — all in one run.

    python -m bench.bench_registry_national_import [--households 30000] [--monitored-every 50] [--repeat 2]
        [--baseline-households N] [--skip-naive]

The rows are bench_registry_import's (the demo county's households and members); the national file names each
area by its county, township, village and group names and writes relations, education and the rest in the
national wording; one household in `--monitored-every` is a 监测户 (category, date, two risks), which the import
hands to the monitoring capability (one record each, through its service).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import time

from bench.bench_registry_import import _demo_areas, generate, naive_orm, raw_write, to_excel_xlsx
from bench.common import machine
from fupin.core.audit import Actor
from fupin.core.uow import UnitOfWork
from fupin.registry.fields import FIELDS
from fupin.registry.national.vocab import EXPORT_WORDING
from fupin.registry.service import import_registry
from fupin.registry.vocab import RELATIONS

KEY = b"bench-key"
TODAY = dt.date(2024, 6, 1)
HEADER = ["县", "乡", "村", "组", "户编号", "姓名", "证件类型", "证件号码", "与户主关系", "民族", "政治面貌",
          "文化程度", "健康状况", "劳动技能", "是否参加城乡居民基本医疗保险", "是否参加大病保险", "户类型", "监测对象类别",
          "识别监测时间", "致贫/返贫风险1", "致贫/返贫风险2", "风险是否已消除", "工资性收入", "转移性收入", "收入年度"]
NUMERIC = {"工资性收入", "转移性收入", "收入年度"}


def national_rows(rows: list[list[str]], monitored_every: int) -> list[list[object]]:
    index = {f.key: i for i, f in enumerate(FIELDS)}
    db = _demo_areas("sqlite", "national_names")
    with db.engine.connect() as conn:
        from sqlalchemy import text

        names = dict(conn.execute(text("SELECT code, name FROM areas WHERE code LIKE '5303%'")).all())
    db.dispose()
    by_label = {label: code for code, label in RELATIONS.items()}
    out = []
    households: dict[str, int] = {}
    for row in rows:
        code = row[index["area_code"]]
        number = row[index["household_no"]]
        order = households.setdefault(number, len(households))
        monitored = order % monitored_every == 0
        relation = EXPORT_WORDING["relation"][by_label[row[index["relation"]]]]
        values = {"县": names[code[:6].ljust(12, "0")], "乡": names[code[:9].ljust(12, "0")], "村": names[code[:12]],
                  "组": names.get(code) if len(code) == 15 else None, "户编号": number, "姓名": row[index["name"]],
                  "证件类型": "居民身份证", "证件号码": row[index["id_number"]], "与户主关系": relation, "民族": "汉族",
                  "政治面貌": "群众", "文化程度": "初中", "健康状况": "健康", "劳动技能": "普通劳动力",
                  "是否参加城乡居民基本医疗保险": "是", "是否参加大病保险": "是",
                  "户类型": "监测户" if monitored else "脱贫户",
                  "监测对象类别": "脱贫不稳定户" if monitored else None,
                  "识别监测时间": "2023-04-01" if monitored else None,
                  "致贫/返贫风险1": "因病" if monitored else None, "致贫/返贫风险2": "因学" if monitored else None,
                  "风险是否已消除": "否" if monitored else None,
                  "工资性收入": row[index["wages"]], "转移性收入": row[index["transfer_income"]],
                  "收入年度": row[index["income_year"]]}
        out.append([values[h] for h in HEADER])
    return out


def to_national_xlsx(rows: list[list[object]]) -> bytes:
    """As the national system's export is saved by Excel/WPS: shared strings, numbers numeric, empty cells absent;
    a title row and an export line above the header."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("监测对象信息")
    sheet.write_row(0, 0, ["全国防返贫监测信息系统 监测对象信息"])
    sheet.write_row(1, 0, ["导出时间:2024-05-31 10:00:00", "", "导出单位:县乡村振兴局"])
    sheet.write_row(2, 0, HEADER)
    numeric = {i for i, h in enumerate(HEADER) if h in NUMERIC}
    for r, row in enumerate(rows, start=3):
        for c, cell in enumerate(row):
            if cell is None or cell == "":
                continue
            if c in numeric:
                sheet.write_number(r, c, float(cell))  # type: ignore[arg-type]
            else:
                sheet.write_string(r, c, str(cell))
    workbook.close()
    return buffer.getvalue()


def timed(kind: str, data: bytes, filename: str) -> tuple[float, int, dict | None]:
    db = _demo_areas(kind, "national_import")
    start = time.perf_counter()
    result = import_registry(UnitOfWork(db, Actor.system("bench")), filename, data, key=KEY, today=TODAY)
    elapsed = time.perf_counter() - start
    assert result.report.committed, result.report.errors[:5]
    db.dispose()
    return elapsed, result.report.total, result.national


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=30_000)
    parser.add_argument("--monitored-every", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--skip-naive", action="store_true", help="no naive loop (quick run)")
    parser.add_argument("--baseline-households", type=int, default=None,
                        help="naive baseline on the first N households only (default: all the file's rows)")
    args = parser.parse_args()
    import bench.bench_registry_import as base

    base.HOUSEHOLDS = args.households
    from fupin.core.capability import provided

    provided("monitoring.start_monitoring_many")  # the plugins loaded once, as `fupin` and `fupin serve` do at start
    print(machine())
    rows, house_rows, person_rows = generate(args.households)
    # fupin's template holding the same facts the national sheet holds (民族, 文化程度, 健康状况, 劳动技能, 医保), so both
    # files give the importer the same work; the naive loop imports these rows too.
    index = {f.key: i for i, f in enumerate(FIELDS)}
    for row in rows:
        row[index["ethnicity"]], row[index["education"]], row[index["health"]] = "汉族", "初中", "健康"
        row[index["labour_capacity"]], row[index["medical_insurance"]] = "普通劳动力", "是"
    fupin_file = to_excel_xlsx(rows)
    national_file = to_national_xlsx(national_rows(rows, args.monitored_every))
    print(f"file: {len(rows):,} people in {args.households:,} households; fupin template {len(fupin_file) / 1e6:.1f} MB,"
          f" national member sheet {len(national_file) / 1e6:.1f} MB ({len(HEADER)} columns)")
    for kind in ("sqlite", "postgresql"):
        fupin_runs, national_runs = [], []
        summary = None
        for _ in range(args.repeat):
            fupin_runs.append(timed(kind, fupin_file, "fupin.xlsx")[0])
            seconds, total, summary = timed(kind, national_file, "national.xlsx")
            national_runs.append(seconds)
        fupin_s, national_s = min(fupin_runs), min(national_runs)
        assert summary is not None
        print(f"[{kind}] fupin template: {total:,} rows in {fupin_s:.2f} s; national layout: {national_s:.2f} s "
              f"(runs {', '.join(f'{s:.2f}' for s in national_runs)}); national/fupin = {national_s / fupin_s:.2f}x; "
              f"monitoring records started: {summary['monitoring_started']}; not held: "
              f"{'、'.join(summary['columns_not_held'])}")
        raw_s = raw_write(kind, house_rows, person_rows)
        print(f"[{kind}] raw bulk write of the same rows: {raw_s:.2f} s; national/raw = {national_s / raw_s:.2f}x, "
              f"fupin/raw = {fupin_s / raw_s:.2f}x")
        if not args.skip_naive:
            naive_s, naive_people = naive_orm(kind, rows, args.baseline_households)
            naive_rate = naive_people / naive_s
            print(f"[{kind}] naive ORM loop: {naive_people:,} people in {naive_s:.2f} s; "
                  f"national import/naive = {total / national_s / naive_rate:.1f}x, "
                  f"fupin import/naive = {total / fupin_s / naive_rate:.1f}x (target ≥ 20x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
