from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.tree import Tree

from fupin.core import cli_support
from fupin.core.areacodes import validate_code
from fupin.core.cli_support import DbOption, cli_actor, console, database, reporting_errors
from fupin.core.importing import ImportMode
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.orgs import coverage, queries, service
from fupin.orgs.rules import build_forest
from fupin.orgs.vocab import BASE_KINDS, ORG_TYPES

app = typer.Typer(help="党组织、党员、干部与全覆盖核查 / Party organisations, members, cadres, coverage",
                  no_args_is_help=True)


class Format(StrEnum):
    table = "table"
    json = "json"
    xlsx = "xlsx"


@app.command("tree")
def tree_command(area: Annotated[str, typer.Option("--area", help="区划代码 / area code")], db: DbOption = None,
                 include_dissolved: Annotated[bool, typer.Option(help="含已撤销 / include dissolved")] = False) -> None:
    """显示党组织树 / Print the organisation tree of an area."""
    with reporting_errors():
        scope = Scope.everything().narrowed_to(validate_code(area))
        with database(db).session_factory() as session:
            orgs = queries.list_orgs(session, scope, include_dissolved=include_dissolved)
    top = Tree(f"[bold]{area}[/bold]")

    def add(parent: Tree, node) -> None:  # type: ignore[no-untyped-def]
        org = node.label
        gone = f" [red](已撤销 {org.dissolved_on})[/red]" if org.dissolved_on else ""
        branch = parent.add(f"{org.name} · {ORG_TYPES.get(org.org_type, org.org_type)} · "
                            f"{BASE_KINDS.get(org.base_kind, org.base_kind)} #{org.id}{gone}")
        for child in node.children:
            add(branch, child)

    for root in build_forest((o.id, o.parent_id, o) for o in orgs):
        add(top, root)
    console.print(top)


def _import(kind: str, file: Path, db: str | None, skip_invalid: bool) -> None:
    mode = ImportMode.skip_invalid if skip_invalid else ImportMode.all_or_nothing
    function = service.import_cadres if kind == "cadres" else service.import_members
    with reporting_errors():
        report = function(UnitOfWork(database(db), cli_actor()), file.read_bytes(), mode)
    cli_support.finish_import(report)


@app.command("import-cadres")
def import_cadres_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".xlsx:姓名,帮扶单位,职级,职务,派驻区划代码,是否党员,到岗日期[,离岗日期,联系电话]")],
    db: DbOption = None,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="写入有效行,列出无效行")] = False,
) -> None:
    """导入帮扶干部 / Import cadres from .xlsx."""
    _import("cadres", file, db, skip_invalid)


@app.command("import-members")
def import_members_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".xlsx:姓名,所属党组织编号,区划代码,流动党员,党员中心户[,人员编号,现所在地,管理党组织编号,入党日期]")],
    db: DbOption = None,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="写入有效行,列出无效行")] = False,
) -> None:
    """导入党员 / Import Party members from .xlsx."""
    _import("members", file, db, skip_invalid)


def coverage_command(
    area: Annotated[str, typer.Option("--area", help="区划代码 / area code")],
    db: DbOption = None,
    format: Annotated[Format, typer.Option("--format", help="table | json | xlsx")] = Format.table,
    out: Annotated[Path | None, typer.Option("--out", help="xlsx 输出文件 / output file for xlsx")] = None,
    gaps: Annotated[int, typer.Option(help="每条规则列出的缺口数(xlsx 为全部)/ gaps listed per rule")] = 20,
) -> None:
    """全覆盖核查 / Evaluate the coverage rules over an area."""
    with reporting_errors():
        code = validate_code(area)
        if format == Format.xlsx:
            name, content, rows = service.export_coverage(UnitOfWork(database(db), cli_actor()), code)
            target = out or Path(name)
            target.write_bytes(content)
            console.print(f"已写入 / written: {target}({rows} 条缺口 / gap rows;已记入审计 / audited)")
            return
        scope = Scope.everything().narrowed_to(code)
        with database(db).session_factory() as session:
            results = coverage.evaluate(session, scope, gap_limit=gaps)
    if format == Format.json:
        console.print_json(json.dumps({"area": code, "rules": [r.as_dict() for r in results]}, ensure_ascii=False))
        return
    table = Table(title=f"全覆盖核查 Coverage — {code}")
    for column in ("规则 rule", "来源 seed", "标准 threshold", "覆盖 covered", "总数 total", "覆盖率 rate", "缺口 gaps"):
        table.add_column(column)
    for r in results:
        if not r.has_data:
            table.add_row(r.name_zh, r.seed, r.threshold, "—", "—", "[yellow]无数据 no data[/yellow]", "—")
        else:
            rate = "—" if r.rate is None else f"{r.rate}%"
            table.add_row(r.name_zh, r.seed, r.threshold, str(r.covered), str(r.total), rate, str(r.gap_count))
    console.print(table)
    for r in results:
        if r.gaps:
            console.print(f"[bold]{r.name_zh}[/bold] 缺口(前{len(r.gaps)}条,共{r.gap_count}条):")
            for gap in r.gaps:
                console.print(f"  · {gap.what} — {gap.where} {gap.area_code or ''}:{gap.why}", soft_wrap=True)


app.command("coverage")(coverage_command)


@app.command("export-cadres")
def export_cadres_command(
    area: Annotated[str, typer.Option("--area", help="区划代码 / area code")],
    out: Annotated[Path | None, typer.Option("--out", help="输出文件 / output .xlsx")] = None,
    db: DbOption = None,
) -> None:
    """导出帮扶干部名单(留审计)/ Export the cadre list of an area as .xlsx (audited)."""
    with reporting_errors():
        name, content, rows = service.export_cadres(UnitOfWork(database(db), cli_actor()), validate_code(area))
    target = out or Path(name)
    target.write_bytes(content)
    console.print(f"已写入 / written: {target}({rows} 名干部 / cadres;已记入审计 / audited)")
