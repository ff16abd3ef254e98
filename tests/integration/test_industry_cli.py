"""`fupin industry distribute` on the demo county: a preview as JSON with every part, a confirmed run, and bad
input refused in words (exit 1, nothing written)."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import create_engine, func, select, text
from typer.testing import CliRunner

from fupin.cli import app
from fupin.industry.models import DistributionRun

runner = CliRunner()


def _runs(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = dict(conn.execute(select(DistributionRun.status, func.count()).group_by(DistributionRun.status)).all())
        rows["audit"] = conn.execute(text("SELECT count(*) FROM audit_log WHERE entity = 'industry_run'")).scalar()
    engine.dispose()
    return rows


def test_distribute_from_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'fupin.db'}"
    assert runner.invoke(app, ["demo", "--db", url, "--households", "300"]).exit_code == 0
    before = _runs(url)
    previewed = runner.invoke(app, ["industry", "distribute", "--entity", "1", "--amount", "100000", "--period",
                                    "2018", "--preview", "--json", "--basis", "member_households", "--cap", "1000",
                                    "--db", url])
    assert previewed.exit_code == 0, previewed.output
    run = json.loads(previewed.output)
    assert run["status"] == "preview" and run["enterprise"] == "40000.00" and run["villages_total"] == "60000.00"
    paid = sum(Decimal(h["amount"]) for v in run["villages"] for h in v["households"])
    assert paid + sum(Decimal(v["collective"]) for v in run["villages"]) == Decimal("60000.00")
    assert all(Decimal(h["amount"]) <= 1000 for v in run["villages"] for h in v["households"])
    assert all(h["household_no"] for v in run["villages"] for h in v["households"])
    after_preview = _runs(url)
    assert after_preview["preview"] == before.get("preview", 0) + 1
    confirmed = runner.invoke(app, ["industry", "confirm", str(run["id"]), "--db", url])
    assert confirmed.exit_code == 0 and _runs(url)["confirmed"] == before["confirmed"] + 1
    again = runner.invoke(app, ["industry", "confirm", str(run["id"]), "--db", url])
    assert again.exit_code == 1 and "不能再更改" in again.output
    table = runner.invoke(app, ["industry", "distribute", "--entity", "1", "--amount", "50000", "--period", "2019",
                                "--db", url])
    assert table.exit_code == 0 and "各村合计" in table.output and "30000.00" in table.output
    for bad in (["--amount", "-5"], ["--amount", "abc"], ["--amount", "10.5", "--unit", "piece"],
                ["--amount", "100", "--enterprise-percent", "140"], ["--amount", "100", "--basis", "nope"],
                ["--amount", "100", "--entity", "999"]):
        args = ["industry", "distribute", "--entity", "1", "--period", "2020", "--db", url, *bad]
        answer = runner.invoke(app, args)
        assert answer.exit_code == 1, (bad, answer.output)
        assert "错误" in answer.output and "Traceback" not in answer.output
    assert _runs(url)["confirmed"] == before["confirmed"] + 2
