import json

from sqlalchemy import func, select
from typer.testing import CliRunner

from fupin.cli import app
from fupin.core.db import Database
from fupin.relocation.models import LotteryDraw, RelocatedHousehold

runner = CliRunner()



def test_lottery_dry_run_real_run_verify_and_employment_stats_from_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert runner.invoke(app, ["demo", "--db", url, "--households", "120"]).exit_code == 0
    database = Database(url)
    with database.session_factory() as session:
        waiting = session.scalar(select(func.count()).where(RelocatedHousehold.status == "planned"))
    assert waiting >= 3, "the demo leaves a few households for the next round"

    dry = runner.invoke(app, ["relocation", "lottery", "--site", "1", "--seed", "第二轮", "--dry-run", "--db", url])
    assert dry.exit_code == 0, dry.output
    again = runner.invoke(app, ["relocation", "lottery", "--site", "1", "--seed", "第二轮", "--dry-run", "--db", url])
    assert dry.output == again.output, "the same seed prints the same draw"
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(LotteryDraw)) == 1
        assert session.scalar(select(func.count()).where(RelocatedHousehold.status == "planned")) == waiting

    real = runner.invoke(app, ["relocation", "lottery", "--site", "1", "--seed", "第二轮", "--db", url])
    assert real.exit_code == 0, real.output
    assert '"draw_id": 2' in real.output.replace("\n", " ")
    verify = runner.invoke(app, ["relocation", "verify", "--draw", "2", "--db", url])
    assert verify.exit_code == 0 and '"same": true' in verify.output
    refused = runner.invoke(app, ["relocation", "lottery", "--site", "1", "--seed", "x", "--db", url])
    assert refused.exit_code == 1 and "没有待分房" in refused.output

    stats = runner.invoke(app, ["employment", "stats", "--area", "530326", "--year", "2023", "--json", "--db", url])
    assert stats.exit_code == 0, stats.output
    rows = json.loads(stats.output.replace("\n", ""))
    assert rows[0]["area_code"] == "530326000000" and rows[0]["labour_force"] > rows[0]["employed"] > 0
    assert rows[0]["transfer_employed"] == rows[0]["in_county"] + rows[0]["in_province"] + rows[0]["out_province"]
    bad = runner.invoke(app, ["employment", "stats", "--area", "abc", "--year", "2023", "--db", url])
    assert bad.exit_code == 1 and "区划代码" in bad.output
    database.dispose()
