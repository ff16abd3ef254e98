"""The registry's commands: template, import (with the quality run), masked export, poverty lines."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from fupin.cli import app
from tests.factories_registry import id_number, lend_pairing_hook

runner = CliRunner()


def test_template_import_export_and_lines_from_the_command_line(tmp_path, monkeypatch):
    lend_pairing_hook(monkeypatch)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert runner.invoke(app, ["init", "--db", url]).exit_code == 0
    areas = tmp_path / "areas.csv"
    areas.write_text("code,name\n530326100000,钟屏街道\n530326100200,北坎村\n", encoding="utf-8")
    assert runner.invoke(app, ["areas", "import", str(areas), "--db", url]).exit_code == 0
    assert runner.invoke(app, ["registry", "template", str(tmp_path / "t.xlsx")]).exit_code == 0
    head = id_number(dt.date(1971, 3, 4))
    sheet = tmp_path / "h.csv"
    sheet.write_text("户编号,所在村组区划代码,贫困户属性,主要致贫原因,识别年度,姓名,身份证号,与户主关系,联系电话\n"
                     f"C1,530326100200,一般贫困户,因病,2016,命令行户主,{head},户主,13900001111\n", encoding="utf-8")
    result = runner.invoke(app, ["registry", "import", str(sheet), "--db", url])
    assert result.exit_code == 0, result.output
    assert '"inserted": 1' in result.output and "数据质量核查" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text(sheet.read_text(encoding="utf-8").replace("一般贫困户", "富裕户"), encoding="utf-8")
    result = runner.invoke(app, ["registry", "import", str(bad), "--db", url])
    assert result.exit_code == 1 and "不是有效的贫困户属性" in result.output
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["registry", "export", str(out), "--area", "530326", "--masked", "--db", url])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    assert head not in text and head[:6] + "**********" + head[16:] in text and "139****1111" in text
    assert "1971年" in text and "1971-03-04" not in text
    assert runner.invoke(app, ["registry", "lines", "set", "2021", "abc", "--db", url]).exit_code == 1
    result = runner.invoke(app, ["registry", "lines", "set", "2021", "4200", "--province", "53", "--db", url])
    assert result.exit_code == 0, result.output
    assert "4200" in runner.invoke(app, ["registry", "lines", "list", "--db", url]).output
