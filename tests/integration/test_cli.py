import os
import subprocess
import sys

from typer.testing import CliRunner

from fupin.cli import app

runner = CliRunner()


def test_help_lists_the_foundation_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("init", "demo", "serve", "users", "areas", "db"):
        assert command in result.output


def test_init_demo_users_and_tree_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = runner.invoke(app, ["init", "--db", url])
    assert result.exit_code == 0, result.output
    assert "3224" in result.output
    result = runner.invoke(app, ["demo", "--db", url, "--households", "50", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "demo_village / demo-village-2026" in result.output
    result = runner.invoke(app, ["demo", "--db", url, "--households", "50"])
    assert result.exit_code == 1, "a second demo into the same database is refused"
    result = runner.invoke(app, ["users", "create", "zhang_san", "--role", "village", "--area", "530326100200",
                                 "--db", url])
    assert result.exit_code == 0, result.output
    assert "只显示这一次" in result.output
    result = runner.invoke(app, ["users", "create", "li_si", "--role", "village", "--area", "530326000000",
                                 "--db", url])
    assert result.exit_code == 1 and "不能管辖" in result.output
    result = runner.invoke(app, ["areas", "tree", "530326", "--db", url, "--depth", "1"])
    assert result.exit_code == 0 and "会泽县" in result.output and "钟屏街道" in result.output
    result = runner.invoke(app, ["db", "status", "--db", url])
    assert result.exit_code == 0


def test_areas_import_reports_lines_and_writes_nothing_on_error(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner.invoke(app, ["init", "--db", url])
    csv_file = tmp_path / "areas.csv"
    csv_file.write_text("code,name\n530326100000,钟屏街道\n530326100201,石坝村\n53032610,坏\n", encoding="utf-8")
    result = runner.invoke(app, ["areas", "import", str(csv_file), "--db", url])
    assert result.exit_code == 1 and "第4行" in result.output and "nothing written" in result.output
    result = runner.invoke(app, ["areas", "import", str(csv_file), "--db", url, "--skip-invalid"])
    assert result.exit_code == 0 and '"inserted": 2' in result.output


def test_demo_2000_households_runs_as_a_command(tmp_path):
    """The acceptance command itself, as a user would type it (timed in bench/, not here)."""
    env = {**os.environ}
    url = f"sqlite:///{tmp_path / 'x.db'}"
    result = subprocess.run([sys.executable, "-m", "fupin", "demo", "--db", url, "--households", "2000",
                             "--seed", "1"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "2000户" in result.stdout
