from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.tree import Tree

from fupin.areas import queries
from fupin.areas.service import import_areas, read_area_csv
from fupin.core import cli_support
from fupin.core.areacodes import LEVEL_NAMES_ZH, AreaLevel
from fupin.core.cli_support import DbOption, cli_actor, console, database, reporting_errors
from fupin.core.importing import ImportMode
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork

app = typer.Typer(help="行政区划 / administrative areas", no_args_is_help=True)


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV: 代码,名称 (code,name)")],
    db: DbOption = None,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="写入有效行,列出无效行")] = False,
) -> None:
    """导入区划(上级由代码推出)/ Import areas from CSV; parents are inferred from the codes."""
    mode = ImportMode.skip_invalid if skip_invalid else ImportMode.all_or_nothing
    lines, file_errors = read_area_csv(file.read_bytes())
    with reporting_errors(), UnitOfWork(database(db), cli_actor()) as uow:
        report = import_areas(uow, lines, mode=mode, prior_errors=file_errors)
    cli_support.finish_import(report)


@app.command("tree")
def tree_command(
    code: Annotated[str, typer.Argument(help="区划代码 / area code")],
    db: DbOption = None,
    depth: Annotated[int, typer.Option(min=1, max=5, help="显示层数 / levels shown")] = 2,
) -> None:
    """显示区划树 / Print the area tree under CODE."""
    from fupin.core.areacodes import LEVEL_ORDER, level_of, validate_code

    with reporting_errors():
        code = validate_code(code) if code.isdigit() else code
        database_ = database(db)
        with database_.session_factory() as session:
            root = queries.get_area(session, code, Scope.everything())
            root_index = LEVEL_ORDER.index(level_of(root.code))
            max_level = LEVEL_ORDER[min(root_index + depth, len(LEVEL_ORDER) - 1)]
            areas = queries.subtree(session, code, Scope.everything(), max_level=max_level.value)
    nodes: dict[str, Tree] = {}
    top = Tree(f"[bold]{root.name}[/bold] {root.code} ({LEVEL_NAMES_ZH[AreaLevel(root.level)]})")
    nodes[root.code] = top
    for area in areas:
        if area.code == root.code:
            continue
        parent = nodes.get(area.parent_code or "")
        if parent is None:
            continue
        nodes[area.code] = parent.add(f"{area.name} {area.code}")
    console.print(top)
