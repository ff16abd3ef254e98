from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from fupin.core.areacodes import LEVEL_ORDER, AreaLevel, level_of, validate_code
from fupin.core.cli_support import DbOption, console, database, reporting_errors
from fupin.core.scoping import Scope
from fupin.employment import queries

app = typer.Typer(help="就业扶贫 / employment: labour registry, jobs, training, figures", no_args_is_help=True)


@app.command("stats")
def stats_command(
    area: Annotated[str, typer.Option("--area", help="区划代码 / area code")],
    year: Annotated[int, typer.Option("--year", min=2000, max=2100)],
    db: DbOption = None,
    children: Annotated[bool, typer.Option("--children", help="并列出下一级 / also the next level down")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """就业统计:劳动力、就业、转移就业率、县内/县外省内/省外、有就业人员户、公益性岗位 / Employment figures."""
    with reporting_errors():
        code = validate_code(area)
        database_ = database(db)
        with database_.session_factory() as session:
            rows = [queries.figures_for_area(session, Scope.everything(), code, year)]
            level = level_of(code)
            if children and level != AreaLevel.group:
                below = LEVEL_ORDER[LEVEL_ORDER.index(level) + 1]
                rows += queries.employment_figures(session, Scope.of_area(code), year, below)
    if as_json:
        console.print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False))
        return
    table = Table("区划 area", "劳动力", "就业", "转移就业", "就业率%", "转移就业率%", "县内", "县外省内", "省外",
                  "有劳动力户", "有就业户", "公益岗")
    for r in rows:
        table.add_row(r.area_code, str(r.labour_force), str(r.employed), str(r.transfer_employed),
                      "—" if r.employment_rate is None else str(r.employment_rate), str(r.transfer_rate), str(r.in_county), str(r.in_province), str(r.out_province),
                      str(r.households_with_labour), str(r.households_employed), str(r.public_welfare))
    console.print(table)


@app.command("exports")
def exports_command(
    area: Annotated[str, typer.Option("--area", help="区划代码 / area code")],
    db: DbOption = None,
    minimum: Annotated[int, typer.Option("--min", help="只列人数不少于N的 / at least N workers")] = 1,
) -> None:
    """劳务输出集中地:目的地 × 来源县的在外务工人数 / Where labour export takes people, by origin county."""
    with reporting_errors():
        code = validate_code(area)
        database_ = database(db)
        with database_.session_factory() as session:
            rows = session.execute(queries.export_concentrations_select(Scope.of_area(code))).all()
    table = Table("目的地 destination", "来源县 county", "人数 workers")
    for row in sorted(rows, key=lambda r: (-r.workers, r.destination)):
        if row.workers >= minimum:
            table.add_row(row.destination, row.county_code, str(row.workers))
    console.print(table)
