"""`fupin indicators …` and `fupin report …`."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from fupin.core.areacodes import AreaLevel, validate_code
from fupin.core.cli_support import (
    DbOption,
    cli_actor,
    console,
    database,
    err_console,
    progress_bar,
    reporting_errors,
)
from fupin.core.importing import ImportMode
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.indicators import drilldown, engine, reports, service
from fupin.indicators.errors import DATE_FORMAT, REPORT_FORMAT, USAGE

app = typer.Typer(help="指标与看板 / indicators: figures rolled up by area, drill-down, rural population")

LevelOption = Annotated[AreaLevel | None, typer.Option("--level", help="汇总到的层级 county|township|village")]


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
            raise USAGE(what="--area 和 --year")
        if output_format not in ("table", "json", "xlsx"):
            raise USAGE(what="--format table、json 或 xlsx")
        code = validate_code(area)
        with database(db).session_factory() as session:
            table = engine.compute(session, Scope.everything(), code, year, level, indicator)
        if output_format == "json":
            console.print_json(json.dumps(reports.as_json(table), ensure_ascii=False))
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
                raise USAGE(what="--file,或 --year --area --people")
            service.set_population(UnitOfWork(database_, cli_actor()), year, area, people)
            console.print("已保存 / saved")
            return
        with file.open(encoding="utf-8-sig", newline="") as handle:
            lines = [(n, *(row + ["", "", ""])[:3]) for n, row in enumerate(csv.reader(handle), start=1)
                     if row and not (n == 1 and not row[0].strip().isdigit())]
        mode = ImportMode.skip_invalid if skip_invalid else ImportMode.all_or_nothing
        report = service.import_population(UnitOfWork(database_, cli_actor()), lines, mode)  # type: ignore[arg-type]
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
    """工作总结(.md/.docx)或指标报表(.xlsx)/ Narrative work summary or indicator workbook.

    The same build as the report job of the pages and the API, with its progress shown here."""
    with reporting_errors():
        code = validate_code(area)
        suffix = out.suffix.lower().lstrip(".")
        if suffix not in reports.MEDIA_TYPES:
            raise REPORT_FORMAT(field="out")
        engine.levels_below(code, None)
        with progress_bar() as track, database(db).session_factory() as session:
            advance = None

            def progress(done: int, total: int) -> None:
                nonlocal advance
                if advance is None:
                    advance = track("计算指标 / computing", total)
                if done:
                    advance(1)

            _name, _media, content, _rows = reports.build(session, Scope.everything(), code, year, suffix, progress)
        out.write_bytes(content)
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

    from fupin.indicators import queries

    with reporting_errors():
        database_ = database(db)
        if step is None:
            with database_.session_factory() as session:
                evaluation = queries.evaluate_exit(session, Scope.everything(), validate_code(area), year)
            console.print("[green]符合退出条件[/green]" if evaluation.passed else "[red]不符合退出条件[/red]")
            for reason in evaluation.reasons:
                console.print(f"  - {reason}")
            console.print_json(json.dumps(evaluation.figures, ensure_ascii=False))
            return
        try:
            day = dt.date.fromisoformat(on) if on else dt.date.today()
        except ValueError:
            raise DATE_FORMAT(field="on", value=on) from None
        record = service.record_exit_step(UnitOfWork(database_, cli_actor()), area, year, step, day, note)
        status = record.status
        console.print(f"已记录 / recorded: {step} → {status}")
