"""`fupin industry …`: distribution runs from the command line (as the system administrator, audited)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.table import Table

from fupin.core.cli_support import DbOption, cli_actor, console, database, err_console, reporting_errors
from fupin.core.uow import UnitOfWork
from fupin.core.validation import describe
from fupin.industry import queries, service
from fupin.industry.rules import INSIDE_VILLAGE, PART_KINDS, RUN_STATUSES, UNITS, VILLAGE_BASES, amount
from fupin.industry.schemas import RunCreate

app = typer.Typer(help="产业扶贫 / industry: entities, distribution runs, collective economy", no_args_is_help=True)


def _show(run: dict[str, Any]) -> None:
    unit = UNITS.get(run["unit"], run["unit"])
    console.print(f"分配 {run['id']}:{run['period']},总额 {run['total']} {unit},"
                  f"状态:{RUN_STATUSES.get(run['status'], run['status'])}")
    console.print(f"{PART_KINDS['enterprise']}:{run['enterprise']} {unit};各村合计:{run['villages_total']} {unit}")
    table = Table("村 village", "依据 weight", "分得 share", "农户 households", "农户合计", "村集体 collective")
    for village in run["villages"]:
        paid = sum((Decimal(h["amount"]) for h in village["households"]), Decimal(0))
        table.add_row(village["area_code"], village["weight"], village["amount"], str(len(village["households"])),
                      str(paid), village["collective"])
    console.print(table)


@app.command("distribute")
def distribute_command(
    entity: Annotated[int, typer.Option("--entity", min=1, help="经营主体编号 / entity id")],
    total: Annotated[str, typer.Option("--amount", help="分配总额(元,或实物件数)/ amount")],
    period: Annotated[str, typer.Option("--period", help="分配期间,如 2017秋 / period")],
    preview: Annotated[bool, typer.Option("--preview", help="只试算,不确认 / compute only, keep as a preview")] = False,
    enterprise_percent: Annotated[str, typer.Option("--enterprise-percent", help="企业分成% / enterprise's %")] = "40",
    basis: Annotated[str, typer.Option("--basis", help="各村分配依据: " + ", ".join(VILLAGE_BASES))
                     ] = "registered_households",
    inside: Annotated[str, typer.Option("--inside", help="村内: " + ", ".join(INSIDE_VILLAGE))] = "below_first",
    cap: Annotated[str | None, typer.Option("--cap", help="每户补助上限 / cap per household")] = None,
    unit: Annotated[str, typer.Option("--unit", help="yuan | piece")] = "yuan",
    area: Annotated[str | None, typer.Option("--area", help="参与分配的乡镇或县 / area of the villages")] = None,
    income_field: Annotated[str, typer.Option("--income-field", help="property_income | production_income")
                            ] = "property_income",
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON:每一部分、每个村、每户 / every part as JSON")] = False,
) -> None:
    """收益分配:试算(--preview)或试算并确认 / Split a profit or an in-kind allocation of an entity."""
    with reporting_errors():
        step = Decimal(1) if unit == "piece" else Decimal("0.01")
        try:
            data = RunCreate(period=period, total=amount(total, "total", unit=step), unit=unit,
                             enterprise_percent=amount(enterprise_percent, "enterprise_percent"),
                             village_basis=basis, inside_village=inside,
                             household_cap=None if cap is None else amount(cap, "household_cap"),
                             income_field=income_field, area_code=area)
        except ValidationError as error:
            for problem in describe(error.errors(), RunCreate):
                err_console.print(f"[red]错误:[/red]{problem.sentence()}")
            raise typer.Exit(1) from None
        database_ = database(db)
        uow = UnitOfWork(database_, cli_actor())
        with uow:
            run, _dist = service.preview_run(uow, entity, data)
            if not preview:
                service.confirm_run(uow, run.id)
            shown = queries.run_as_dict(uow.session, run)
    if as_json:
        console.print_json(json.dumps(shown, ensure_ascii=False))
        return
    _show(shown)


@app.command("confirm")
def confirm_command(run_id: Annotated[int, typer.Argument(min=1, help="分配编号 / run id")], db: DbOption = None
                    ) -> None:
    """确认一次试算(确认后不可更改)/ Confirm a previewed run (it cannot change afterwards)."""
    with reporting_errors():
        run = service.confirm_run(UnitOfWork(database(db), cli_actor()), run_id)
    console.print(f"分配 {run.id} 已确认")
