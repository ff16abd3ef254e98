from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from fupin.core.cli_support import DbOption, cli_actor, console, database, err_console, reporting_errors
from fupin.core.uow import UnitOfWork
from fupin.relocation import queries, service

app = typer.Typer(help="易地扶贫搬迁 / relocation: sites, lottery, grids", no_args_is_help=True)


@app.command("lottery")
def lottery_command(
    site: Annotated[int, typer.Option("--site", help="安置点编号 / site id")],
    seed: Annotated[str, typer.Option("--seed", help="公开的摇号种子 / the published seed")],
    db: DbOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只演示结果,不分房 / show, allocate nothing")] = False,
    wait: Annotated[list[int] | None, typer.Option("--wait", help="本轮轮候的户编号(可多次)/ household ids that wait")
                    ] = None,
    show: Annotated[int, typer.Option(help="显示前N行结果 / lines shown")] = 20,
) -> None:
    """摇号分房:同一种子、同一名单,任何人重跑结果相同 / Seeded, reproducible unit lottery."""
    with reporting_errors():
        database_ = database(db)
        outcome = service.lottery(UnitOfWork(database_, cli_actor()), site, seed, waiting=wait or [], dry_run=dry_run)
        with database_.session_factory() as session:
            labels = queries.unit_labels(session, [u for u in outcome.result.allocations.values()][:show])
    table = Table("序号 order", "户 household", "摇号码 draw number", "房屋 unit")
    for line in outcome.result.lines[:show]:
        table.add_row(str(line.order), str(line.household_id), line.draw_number[:16],
                      labels.get(line.unit_id, "—") if line.unit_id else "无合适房源 no fitting unit")
    console.print(table)
    summary = {"site": site, "seed": outcome.seed, "dry_run": dry_run, "draw_id": outcome.draw_id,
               "households": len(outcome.result.lines), "allocated": len(outcome.result.allocations),
               "unplaced": len(outcome.result.unplaced), "waiting": outcome.waiting,
               "result_digest": outcome.result.digest()}
    console.print(json.dumps(summary, ensure_ascii=False))
    if dry_run:
        err_console.print("演示摇号,未写入 / dry run: nothing written")


@app.command("verify")
def verify_command(draw: Annotated[int, typer.Option("--draw", help="摇号记录编号 / draw id")],
                   db: DbOption = None) -> None:
    """按公布的种子与名单重跑一次摇号并核对结果 / Re-run a recorded draw and compare."""
    from fupin.core.scoping import Scope

    with reporting_errors():
        database_ = database(db)
        with database_.session_factory() as session:
            same, digest = queries.verify_draw(session, draw, Scope.everything())
    console.print(json.dumps({"draw": draw, "same": same, "digest": digest}, ensure_ascii=False))
    if not same:
        raise typer.Exit(1)


@app.command("grids")
def grids_command(site: Annotated[int, typer.Option("--site")], db: DbOption = None,
                  size: Annotated[int | None, typer.Option("--size", help="每格户数 / households per grid")] = None,
                  replace: Annotated[bool, typer.Option("--replace")] = False) -> None:
    """按楼栋、楼层生成网格方案 / Propose grids by building and floor."""
    with reporting_errors():
        grids = service.propose_site_grids(UnitOfWork(database(db), cli_actor()), site, grid_size=size,
                                           replace=replace)
    console.print(json.dumps({"site": site, "grids": len(grids)}, ensure_ascii=False))
