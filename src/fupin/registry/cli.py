from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from fupin.core.cli_support import DbOption, cli_actor, console, database, err_console, reporting_errors
from fupin.core.importing import ImportMode
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork

app = typer.Typer(help="建档立卡 / registry of households and members", no_args_is_help=True)


@app.command("template")
def template(out: Annotated[Path, typer.Argument(help="输出文件 OUT.xlsx")]) -> None:
    """写出导入模板(中文表头、下拉框、填表说明)/ Write the import workbook."""
    from fupin.registry.spreadsheets import template_workbook

    template_workbook().save(out)
    console.print(f"已写出导入模板 {out}")


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".xlsx 或 .csv")],
    db: DbOption = None,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="写入无误的户,列出有错的行")] = False,
    all_or_nothing: Annotated[bool, typer.Option("--all-or-nothing", help="有错误则全部不写入(默认)")] = True,
    report: Annotated[Path | None, typer.Option("--report", help="错误报告文件(默认:文件名_错误报告)")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="JSON摘要输出文件")] = None,
) -> None:
    """导入建档立卡数据,逐行校验 / Import households and members with row-by-row validation."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from fupin.registry import quality
    from fupin.registry.service import import_registry

    mode = ImportMode.skip_invalid if skip_invalid else ImportMode.all_or_nothing
    database_ = database(db)
    with reporting_errors(), Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), console=err_console) as bar:
        tasks: dict[str, int] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], completed=done, total=total)

        result = import_registry(UnitOfWork(database_, cli_actor()), file.name, file.read_bytes(), mode=mode,
                                 progress=progress)
    summary = result.report.as_dict()
    for error in result.report.errors[:50]:
        err_console.print(f"第{error.line}行 [{error.column}] {error.value}:{error.reason}")
    if len(result.report.errors) > 50:
        err_console.print(f"……共{len(result.report.errors)}处错误,见错误报告")
    if result.error_file is not None:
        target = report or file.with_name(result.error_filename or f"{file.stem}_错误报告{file.suffix}")
        target.write_bytes(result.error_file)
        err_console.print(f"错误报告:{target}")
    if json_out is not None:
        json_out.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    console.print(json.dumps({k: v for k, v in summary.items() if k != "errors"}, ensure_ascii=False))
    if result.national is not None:
        national = result.national
        console.print(f"识别为全国系统格式:{national['layout_title']}")
        if national["columns_not_held"]:
            console.print("本系统暂不保存的列(未导入):" + "、".join(national["columns_not_held"]))
        console.print(f"设置户状态 {national['statuses_set']} 户,纳入监测 {national['monitoring_started']} 户"
                      + ("" if not national["groups_created"] else ",新建村民小组:" + "、".join(national["groups_created"])))
    if not result.report.committed:
        err_console.print("[red]有错误,未写入任何数据 / errors: nothing written[/red]")
        raise typer.Exit(1)
    with database_.session_factory() as session:
        findings = quality.run_checks(session, Scope.everything())
    counts = [f"{name} {count}" for _code, name, count in quality.summary(findings) if count]
    console.print("数据质量核查:" + ("、".join(counts) if counts else "未发现问题"))


@app.command("export")
def export_command(
    out: Annotated[Path, typer.Argument(help="OUT.xlsx 或 OUT.csv")],
    area: Annotated[str, typer.Option("--area", help="区划代码")],
    db: DbOption = None,
    masked: Annotated[bool, typer.Option("--masked/--unmasked", help="身份证号打码")] = False,
    layout: Annotated[str, typer.Option("--layout", help="fupin(导入模板的列)或 national(全国防返贫监测信息系统格式)")]
    = "fupin",
) -> None:
    """按区划导出(导入模板的列,或 --layout national 全国系统格式)/ Export a scope."""
    from dataclasses import replace

    from fupin.core.areacodes import validate_code
    from fupin.registry.service import export_registry, export_registry_national

    with reporting_errors():
        if layout not in ("fupin", "national"):
            err_console.print(f"[red]未知的格式“{layout}”:可选 fupin、national[/red]")
            raise typer.Exit(1)
        code = validate_code(area)
        fmt = "csv" if out.suffix.lower() == ".csv" else "xlsx"
        actor = replace(cli_actor(), pii_override=False if masked else None)
        if layout == "national":
            content, rows = export_registry_national(UnitOfWork(database(db), actor), code)
        else:
            content, rows = export_registry(UnitOfWork(database(db), actor), code, fmt)
        out.write_bytes(content)
    console.print(f"已导出 {out}({rows}行)")


@app.command("reconcile")
def reconcile_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="全国系统导出的成员表 .xlsx")],
    area: Annotated[str, typer.Option("--area", help="区划代码(比对范围)")],
    db: DbOption = None,
    out: Annotated[Path | None, typer.Option("--out", help="比对结果 .xlsx")] = None,
    limit: Annotated[int, typer.Option(help="最多列出条数")] = 50,
) -> None:
    """与全国系统导出数据比对:仅一方有的人、不一致的字段 / Reconcile a national export with fupin."""
    from fupin.core.areacodes import validate_code
    from fupin.registry.service import reconcile_national

    with reporting_errors():
        code = validate_code(area)
        result = reconcile_national(UnitOfWork(database(db), cli_actor()), file.name, file.read_bytes(), code)
    console.print(f"比对 {result.compared} 人:仅全国系统有 {len(result.only_national)} 人,仅本系统有 "
                  f"{len(result.only_fupin)} 人,字段不一致 {len(result.differences)} 处")
    for line in result.lines()[:limit]:
        console.print(line)
    if out is not None:
        out.write_bytes(result.workbook())
        console.print(f"比对结果:{out}")


@app.command("quality")
def quality_command(
    area: Annotated[str, typer.Option("--area", help="区划代码")],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="最多列出条数")] = 50,
) -> None:
    """数据质量核查 / Data-quality checks over a scope."""
    from fupin.core.areacodes import validate_code
    from fupin.registry import quality

    with reporting_errors():
        scope = Scope.of_area(validate_code(area))
        with database(db).session_factory() as session:
            findings = quality.run_checks(session, scope)
    table = Table("规则", "数量")
    for _code, name, count in quality.summary(findings):
        table.add_row(name, str(count))
    console.print(table)
    for finding in findings[:limit]:
        console.print(f"{finding.household_no} {finding.problem} → {finding.hint}")


lines_app = typer.Typer(help="扶贫标准 / poverty lines", no_args_is_help=True)
app.add_typer(lines_app, name="lines")


@lines_app.command("list")
def lines_list(db: DbOption = None) -> None:
    from fupin.registry.queries import poverty_lines

    with database(db).session_factory() as session:
        lines = poverty_lines(session)
    table = Table("年度", "省", "标准(元)")
    for (year, province), amount in sorted(lines.items()):
        table.add_row(str(year), "全国" if province == "00" else province, str(amount))
    console.print(table)


@lines_app.command("set")
def lines_set(year: int, amount: str, province: Annotated[str, typer.Option(help="省级代码两位;全国为00")] = "00",
              note: str | None = None, db: DbOption = None) -> None:
    from decimal import InvalidOperation

    from fupin.registry.service import set_poverty_line

    with reporting_errors():
        try:
            value = Decimal(amount)
        except InvalidOperation:
            value = Decimal(-1)
        set_poverty_line(UnitOfWork(database(db), cli_actor()), year, province, value, note)
    console.print(f"{year}年{'全国' if province == '00' else province}扶贫标准:{amount}元")
