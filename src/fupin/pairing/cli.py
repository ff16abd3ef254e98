from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from fupin.core.areacodes import validate_code
from fupin.core.cli_support import DbOption, cli_actor, console, database, err_console, reporting_errors
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.pairing import errors, queries, service
from fupin.pairing.rules import DEFAULT_VISIT_DAYS

app = typer.Typer(help="结对帮扶 / cadre ↔ household pairing", no_args_is_help=True)


@app.command("plan")
def plan_command(
    area: Annotated[str, typer.Option("--area", help="区划代码 / area code")],
    out: Annotated[Path, typer.Option("--out", help="方案文件 / plan file (JSON)")],
    db: DbOption = None,
    show: Annotated[int, typer.Option(help="列出的未结对户数 / unpaired households listed")] = 20,
) -> None:
    """生成结对方案(不写库)/ Compute a pairing proposal and write it to a file; nothing is changed."""
    with reporting_errors():
        plan = service.compute_plan(UnitOfWork(database(db), cli_actor()), validate_code(area))
    out.write_text(json.dumps(plan, ensure_ascii=False, default=str), encoding="utf-8")
    cost = plan["cost"]
    console.print(f"方案 plan → {out}: 保留 kept {cost['kept']},新增 added {cost['added']},"
                  f"结束 ended {cost['broken']},未结对 unpaired {cost['unpaired']},"
                  f"跨村 out-of-village {cost['out_of_village']}")
    for item in plan["over_quota"]:
        err_console.print(f"[yellow]超名额干部 cadre over quota #{item['cadre_id']}: {item['pairs']}户 > "
                          f"{item['quota']}户[/yellow]")
    for item in plan["end"][:show]:
        console.print(f"结束 end pair #{item['pair_id']} 户{item['household_id']}—干部{item['cadre_id']}:"
                      f"{item['reason']}", soft_wrap=True)
    for item in plan["unpaired"][:show]:
        console.print(f"[red]未结对 unpaired[/red] 户{item['household_id']}({item['village']}):{item['reason']}",
                      soft_wrap=True)
    if len(plan["unpaired"]) > show:
        console.print(f"…… 另有 {len(plan['unpaired']) - show} 户未结对,见方案文件")


@app.command("apply")
def apply_command(plan_file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)], db: DbOption = None) -> None:
    """应用结对方案(一个事务,留审计)/ Apply a plan in one audited transaction; refused if data changed."""
    with reporting_errors():
        try:
            body = json.loads(plan_file.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise errors.PLAN_MALFORMED() from None
        counts = service.apply_plan_file(UnitOfWork(database(db), cli_actor()), body)
    console.print(f"[green]已应用 applied[/green]:新增 {counts['added']} 对,结束 {counts['ended']} 对,"
                  f"保留 {counts['kept']} 对,未结对 {counts['unpaired']} 户")


@app.command("overdue")
def overdue_command(
    area: Annotated[str, typer.Option("--area", help="区划代码 / area code")],
    days: Annotated[int, typer.Option(help="天数 / days")] = DEFAULT_VISIT_DAYS,
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="行数 / rows")] = 50,
) -> None:
    """超过N天未走访的结对 / Pairs not visited for more than N days."""
    with reporting_errors():
        scope = Scope.everything().narrowed_to(validate_code(area))
        with database(db).session_factory() as session:
            rows = queries.pairs_with_last_visit(session, scope, overdue_days=days, limit=limit)
    table = Table(title=f"超过{days}天未走访 / not visited for {days}+ days")
    for column in ("结对", "户主", "户编号", "干部", "最近走访"):
        table.add_column(column)
    for row in rows:
        table.add_row(str(row["id"]), row["head_name"], row["household_no"], row["cadre_name"],
                      str(row["last_visit"] or "从未走访 never"))
    console.print(table)


