"""A row bomb (a ~10 MB workbook of 2,000,000 rows) is refused while its sheet XML streams through the zip's
decompressor, before any row is built: the row-limit code, and the reading process stays small."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from fupin.registry.spreadsheets import MAX_ROWS

ROWS = 2_000_000
READER = """
import sys
from fupin.core.errors import FupinError
from fupin.registry.spreadsheets import read_table

data = open(sys.argv[1], "rb").read()
try:
    read_table("bomb.xlsx", data)
    code = "accepted"
except FupinError as error:
    code = error.code
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(code, peak_kb)
"""


def _bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", '<workbook><sheets><sheet name="建档立卡" r:id="rId1"/></sheets></workbook>')
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>\xe6\x88\xb7\xe7\xbc\x96'
                        b'\xe5\x8f\xb7</t></is></c></row>')
            for start in range(2, ROWS + 2, 10_000):
                sheet.write(b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n % 9973)
                                     for n in range(start, min(start + 10_000, ROWS + 2))))
            sheet.write(b"</sheetData></worksheet>")


def test_a_row_bomb_is_refused_while_streaming_and_memory_stays_bounded(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    _bomb(bomb)
    assert bomb.stat().st_size < 25 * 1024 * 1024 and ROWS > MAX_ROWS
    with zipfile.ZipFile(bomb) as archive:  # the declared sizes alone would let it through
        assert sum(i.file_size for i in archive.infolist()) < 600 * 1024 * 1024
    answer = subprocess.run([sys.executable, "-c", READER, str(bomb)], capture_output=True, text=True, timeout=300,
                            check=True)
    code, peak_kb = answer.stdout.split()
    assert code == "registry.file_too_many_rows"
    assert int(peak_kb) < 300 * 1024, f"peak resident memory {int(peak_kb) // 1024} MB"
