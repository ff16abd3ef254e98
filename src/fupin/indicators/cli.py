"""`fupin indicators …` and `fupin report …`."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from fupin.core.areacodes import AreaLevel, validate_code
from fupin.core.cli_support import DbOption, cli_actor, console, database, err_console, reporting_errors
from fupin.core.errors import Invalid
from fupin.core.importing import ImportMode
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.indicators import drilldown, engine, reports, service

app = typer.Typer(help="指标与看板 / indicators: figures rolled up by area, drill-down, rural population")

LevelOption = Annotated[AreaLevel | None, typer.Option("--level", help="汇总到的层级 county|township|village")]


def _table_json(table: engine.IndicatorTable) -> dict[str, object]:
    return {
        "area": table.area_code, "year": table.year, "day": table.day.isoformat(),
        "indicators": [{"code": i.code, "name_zh": i.name_zh, "name_en": i.name_en, "unit": i.unit,
                        "owner": i.owner, "additive": i.additive} for i in table.indicators],
        "rows": [{"code": r.code, "name": r.name, "level": r.level.value,
                  "values": {k: v.as_json() for k, v in r.values.items()}} for r in table.rows],
    }


@app.callback(invoke_without_command=True)
def show(
    context: typer.Context,
    area: Annotated[str | None, typer.Option("--area", help="区划代码 / area code")] = None,
    year: Annotated[int | None, typer.Option("--year", min=2000, max=2100)] = None,
    level: LevelOption = None,
    output_format: Annotated[str, typer.Option("--format", help="table|json|xlsx")] = "table",
    out: Annotated[Path | None, typer.Option("--out", help="xlsx 输出文件 / output file")] = None,
    indicator: Annotated[list[str] | None, typer.Option("--indicator", help="只算这些指标 / only these")] = None,
    db: DbOption = None,
) -> None:
    """全部指标:所选区域及下级逐级汇总 / All indicators for an area and every area below it."""
    if context.invoked_subcommand is not None:
        return
    with reporting_errors():
        if area is None or year is None:
            raise Invalid("请给出 --area 和 --year")
        if output_format not in ("table", "json", "xlsx"):
            raise Invalid("--format 只能是 table、json 或 xlsx")
        code = validate_code(area)
        with database(db).session_factory() as session:
            table = engine.compute(session, Scope.everything(), code, year, level, indicator)
        if output_format == "json":
            console.print_json(json.dumps(_table_json(table), ensure_ascii=False))
        elif output_format == "xlsx":
            target = out or Path(f"indicators_{code}_{year}.xlsx")
            target.write_bytes(reports.to_xlsx(table))
            console.print(f"已写出 / written: {target}")
        else:
            _print(table)


def _print(table: engine.IndicatorTable) -> None:
    shown = table.rows[:40]
    grid = Table("指标 indicator", *[f"{r.name}\n{r.code}" for r in shown], title=f"{table.year}年指标")
    for i in table.indicators:
        grid.add_row(f"{i.name_zh}({i.unit})", *[reports.shown(r.values[i.code]) for r in shown])
    console.print(grid)
    if len(table.rows) > len(shown):
        err_console.print(f"另有{len(table.rows) - len(shown)}个下级区域未显示,请用 --format xlsx/json 或 --level")


@app.command("records")
def records_command(
    indicator: Annotated[str, typer.Option("--indicator", help="指标代码 / indicator code")],
    area: Annotated[str, typer.Option("--area")],
    year: Annotated[int, typer.Option("--year", min=2000, max=2100)],
    limit: Annotated[int, typer.Option("--limit", min=1, max=10000)] = 100,
    db: DbOption = None,
) -> None:
    """一个数字背后的记录(户/人)/ The records behind one figure."""
    with reporting_errors():
        code = validate_code(area)
        with database(db).session_factory() as session:
            rows = drilldown.records(session, Scope.everything(), indicator, code, year, limit=limit)
    console.print_json(json.dumps(rows, ensure_ascii=False, default=str))


@app.command("catalogue")
def catalogue_command() -> None:
    """指标目录 / The indicator catalogue."""
    from fupin.indicators.catalogue import INDICATORS

    grid = Table("代码 code", "名称", "name", "单位", "定义 definition", "模块 owner", "种子 seed")
    for i in INDICATORS:
        grid.add_row(i.code, i.name_zh, i.name_en, i.unit, i.definition, i.owner, i.seed)
    console.print(grid)


@app.command("population")
def population_command(
    file: Annotated[Path | None, typer.Option("--file", help="CSV:年度,区划代码,农村户籍人口")] = None,
    year: Annotated[int | None, typer.Option("--year")] = None,
    area: Annotated[str | None, typer.Option("--area")] = None,
    people: Annotated[int | None, typer.Option("--people")] = None,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid")] = False,
    db: DbOption = None,
) -> None:
    """录入农村户籍人口(贫困发生率的分母)/ Set or import the rural registered population."""
    with reporting_errors():
        database_ = database(db)
        if file is None:
            if year is None or area is None or people is None:
                raise Invalid("请给出 --file,或 --year --area --people")
            with UnitOfWork(database_, cli_actor()) as uow:
                service.set_population(uow, year, area, people)
            console.print("已保存 / saved")
            return
        with file.open(encoding="utf-8-sig", newline="") as handle:
            lines = [(n, *(row + ["", "", ""])[:3]) for n, row in enumerate(csv.reader(handle), start=1)
                     if row and not (n == 1 and not row[0].strip().isdigit())]
        mode = ImportMode.skip_invalid if skip_invalid else ImportMode.all_or_nothing
        with UnitOfWork(database_, cli_actor()) as uow:
            report = service.import_population(uow, lines, mode)  # type: ignore[arg-type]
        for error in report.errors:
            err_console.print(f"第{error.line}行:{error.reason}")
        console.print(f"新增{report.inserted},更新{report.updated},未变{report.unchanged},"
                      f"{'已提交' if report.committed else '未提交(有错误)'}")
        if report.errors and not report.committed:
            raise typer.Exit(1)


def report_command(
    area: Annotated[str, typer.Option("--area", help="区划代码 / area code")],
    year: Annotated[int, typer.Option("--year", min=2000, max=2100)],
    out: Annotated[Path, typer.Option("--out", help="输出文件 .md / .docx / .xlsx")],
    db: DbOption = None,
) -> None:
    """工作总结(.md/.docx)或指标报表(.xlsx)/ Narrative work summary or indicator workbook."""
    with reporting_errors():
        code = validate_code(area)
        suffix = out.suffix.lower()
        if suffix not in (".md", ".docx", ".xlsx"):
            raise Invalid("--out 的扩展名应为 .md、.docx 或 .xlsx")
        level = None if suffix == ".xlsx" else AreaLevel(engine.levels_below(code, None)[0])
        with database(db).session_factory() as session:
            table = engine.compute(session, Scope.everything(), code, year, level)
        if suffix == ".md":
            out.write_text(reports.to_markdown(table), encoding="utf-8")
        elif suffix == ".docx":
            out.write_bytes(reports.to_docx(table))
        else:
            out.write_bytes(reports.to_xlsx(table))
    console.print(f"已写出 / written: {out}")


@app.command("area-exit")
def area_exit_command(
    area: Annotated[str, typer.Option("--area", help="村或县的区划代码 / village or county code")],
    year: Annotated[int, typer.Option("--year", min=2000, max=2100)],
    step: Annotated[str | None, typer.Option("--step", help="proposal|checks|publicity|approval")] = None,
    on: Annotated[str | None, typer.Option("--on", help="日期 YYYY-MM-DD")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    db: DbOption = None,
) -> None:
    """贫困村/贫困县退出:评估(列出每条未达标原因),或记录一个程序步骤 / Area exit evaluation and steps."""
    import datetime as dt

    from fupin.indicators import area_exit

    with reporting_errors():
        database_ = database(db)
        if step is None:
            with database_.session_factory() as session:
                evaluation = area_exit.evaluate(session, Scope.everything(), area, year)
            console.print("[green]符合退出条件[/green]" if evaluation.passed else "[red]不符合退出条件[/red]")
            for reason in evaluation.reasons:
                console.print(f"  - {reason}")
            console.print_json(json.dumps(evaluation.figures, ensure_ascii=False))
            return
        try:
            day = dt.date.fromisoformat(on) if on else dt.date.today()
        except ValueError:
            raise Invalid(f"日期“{on}”格式应为 YYYY-MM-DD") from None
        with UnitOfWork(database_, cli_actor()) as uow:
            record = area_exit.record_step(uow, area, year, step, day, note)
            status = record.status
        console.print(f"已记录 / recorded: {step} → {status}")
