"""What every Typer command shares: the --db option, the database, the console, errors as exit codes."""

from __future__ import annotations

import contextlib
import getpass
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.errors import FupinError
from fupin.core.settings import get_settings

console = Console()
err_console = Console(stderr=True)

def finish_import(report: Any) -> None:
    """An import's row report (第N行 [列] 值: 原因) on stderr, its counts as JSON on stdout; exit 1 when the
    errors meant nothing was written."""
    import json

    for error in report.errors:
        err_console.print(f"第{error.line}行 [{error.column}] {error.value}: {error.reason}")
    console.print(json.dumps({k: v for k, v in report.as_dict().items() if k != "errors"}, ensure_ascii=False))
    if report.errors and not report.committed:
        err_console.print("[red]有错误,未写入任何数据 / errors: nothing written[/red]")
        raise typer.Exit(1)


DbOption = Annotated[
    str | None,
    typer.Option("--db", help="数据库地址 Database URL (default: $FUPIN_DATABASE_URL or sqlite:///./fupin.db)",
                 show_default=False),
]


def database(url: str | None, *, check_key: bool = True) -> Database:
    """The database of a command; refuses (exit 1, in words) when the look-up key does not belong to it."""
    settings = get_settings()
    db = Database.from_settings(settings, url)
    if check_key:
        from fupin.core.keys import ensure_key

        try:
            ensure_key(db, settings)
        except FupinError as error:
            db.dispose()
            err_console.print(f"[red]错误:[/red]{error.message}")
            raise typer.Exit(2) from None
    return db


def cli_actor() -> Actor:
    try:
        who = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        who = "unknown"
    return Actor.system(f"cli:{who}")


@contextlib.contextmanager
def reporting_errors() -> Iterator[None]:
    """A domain error ends the command with its Chinese message and exit code 1, never a traceback."""
    try:
        yield
    except FupinError as error:
        err_console.print(f"[red]错误:[/red]{error.message}")
        raise typer.Exit(1) from None


@contextlib.contextmanager
def progress_bar() -> Iterator[Callable[[str, int], Callable[[int], None]]]:
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, transient=False) as progress:
        def track(description: str, total: int) -> Callable[[int], None]:
            task = progress.add_task(description, total=total)
            return lambda n: progress.advance(task, n)

        yield track
