"""Issue 18 from the command line: a national export imported without a flag, handed back with
`export --layout national`, reconciled with `reconcile`."""

from __future__ import annotations

from openpyxl import load_workbook
from typer.testing import CliRunner

from fupin.cli import app
from tests import national_workbooks as nw
from tests.factories_registry import lend_pairing_hook

runner = CliRunner()


def test_import_export_and_reconcile_in_the_national_layout(tmp_path, monkeypatch):
    lend_pairing_hook(monkeypatch)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert runner.invoke(app, ["init", "--db", url]).exit_code == 0
    areas = tmp_path / "areas.csv"
    areas.write_text("code,name\n530326000000,会泽县\n530326100000,钟屏街道\n530326100200,北坎村\n"
                     "530326100200001,第1村民小组\n", encoding="utf-8")
    assert runner.invoke(app, ["areas", "import", str(areas), "--db", url]).exit_code == 0
    rows = [r for r in nw.good_member_rows() if r[nw.MEMBER_HEADER.index("户编号")] == "N001"]
    sheet = tmp_path / "监测对象信息.xlsx"
    sheet.write_bytes(nw.member_workbook(rows))
    result = runner.invoke(app, ["registry", "import", str(sheet), "--db", url])
    assert result.exit_code == 0, result.output
    assert '"inserted": 1' in result.output and "识别为全国系统格式:监测对象信息" in result.output
    assert "本系统暂不保存的列(未导入):享受特困供养政策情况、风险消除方式、是否危房户" in result.output

    out = tmp_path / "back.xlsx"
    result = runner.invoke(app, ["registry", "export", str(out), "--area", "530326", "--layout", "national",
                                 "--db", url])
    assert result.exit_code == 0, result.output
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["监测对象信息", "户信息"]
    members = [list(r) for r in book["监测对象信息"].iter_rows(values_only=True)]
    assert members[2][:5] == ["县", "乡", "村", "组", "户编号"] and len(members) == 3 + 3
    assert members[3][:5] == ["会泽县", "钟屏街道", "北坎村", "第1村民小组", "N001"]
    result = runner.invoke(app, ["registry", "export", str(out), "--area", "530326", "--layout", "nation",
                                 "--db", url])
    assert result.exit_code == 1 and "未知的格式" in result.output

    rows[1][nw.MEMBER_HEADER.index("文化程度")] = "高中"
    changed = tmp_path / "changed.xlsx"
    changed.write_bytes(nw.member_workbook(rows))
    report = tmp_path / "report.xlsx"
    result = runner.invoke(app, ["registry", "reconcile", str(changed), "--area", "530326", "--out", str(report),
                                 "--db", url])
    assert result.exit_code == 0, result.output
    assert "字段不一致 1 处" in result.output and "[文化程度] 全国系统“高中” 本系统“小学”" in result.output
    assert load_workbook(report, read_only=True).sheetnames[0] == "字段不一致"
