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
