"""What every Typer command shares: the --db option, the database, the console, errors as exit codes."""

from __future__ import annotations

import contextlib
import getpass
from collections.abc import Callable, Iterator
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.errors import FupinError
from fupin.core.settings import get_settings

console = Console()
err_console = Console(stderr=True)

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
