import json

from typer.testing import CliRunner

from fupin.cli import app
from fupin.core.db import Database
from fupin.monitoring import queries

runner = CliRunner()


def test_warn_and_threshold_from_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert runner.invoke(app, ["demo", "--db", url, "--households", "120"]).exit_code == 0
    warned = runner.invoke(app, ["monitoring", "warn", "--area", "530326", "--db", url, "--json",
                                 "--as-of", "2024-01-01"])
    assert warned.exit_code == 0, warned.output
    proposals = json.loads(warned.output)
    assert proposals and all(p["reasons"] for p in proposals)
    wider = json.loads(runner.invoke(app, ["monitoring", "warn", "--area", "530326", "--db", url, "--json",
                                           "--as-of", "2024-01-01", "--factor", "3"]).output)
    assert len(wider) > len(proposals)
    assert runner.invoke(app, ["monitoring", "warn", "--area", "530326", "--db", url, "--factor", "x"]).exit_code != 0
    assert runner.invoke(app, ["monitoring", "threshold", "set", "2023", "6600", "--db", url]).exit_code == 0
    refused = runner.invoke(app, ["monitoring", "threshold", "set", "2023", "-5", "--db", url])
    assert refused.exit_code != 0
    with Database(url).session_factory() as session:
        assert str(queries.thresholds(session)[(2023, "00")]) == "6600.00"


def test_years_without_a_threshold_are_flagged_in_the_cli(tmp_path):
    """Issue 17 item 5: a year without a threshold is named, never silently given 2021's value."""
    import datetime as dt

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert runner.invoke(app, ["init", "--db", url]).exit_code == 0
    listed = runner.invoke(app, ["monitoring", "threshold", "list", "--db", url])
    assert listed.exit_code == 0, listed.output
    this_year = dt.date.today().year
    assert "以下年度尚未设定监测标准" in listed.output and "2022、2023" in listed.output
    assert runner.invoke(app, ["monitoring", "threshold", "set", "2022", "6300", "--db", url]).exit_code == 0
    listed = runner.invoke(app, ["monitoring", "threshold", "list", "--db", url]).output
    assert "2022、" not in listed and "2023" in listed.split("尚未设定监测标准")[1]
    for year in range(2023, this_year + 1):
        assert runner.invoke(app, ["monitoring", "threshold", "set", str(year), "7000", "--db", url]).exit_code == 0
    assert "尚未设定" not in runner.invoke(app, ["monitoring", "threshold", "list", "--db", url]).output
    province = runner.invoke(app, ["monitoring", "threshold", "list", "--province", "53", "--db", url]).output
    assert "尚未设定" not in province, "the national threshold is in force in the province"
