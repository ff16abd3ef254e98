"""fupin incentives: bulk awards from a file, the period close (expiry and ranking), the ledger check."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from fupin.core.cli_support import DbOption, cli_actor, console, database, err_console, reporting_errors
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork

app = typer.Typer(help="积分激励 / incentives: points, love supermarkets, scorecards", no_args_is_help=True)

COLUMNS = {"户编号": "household_no", "规则编号": "rule_id", "日期": "occurred_on", "佐证": "evidence", "说明": "note"}
MAX_ROWS = 100_000


def read_rows(path: Path) -> list[dict[str, str]]:
    """The sheet's rows by the columns' Chinese (or English) names; .csv (UTF-8, with or without BOM) or .xlsx."""
    from fupin.incentives import errors

    try:
        if path.suffix.lower() == ".xlsx":
            from python_calamine import CalamineWorkbook

            book = CalamineWorkbook.from_path(str(path))
            values = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
            table = [["" if v is None else (v.isoformat()[:10] if isinstance(v, dt.date) else
                                            str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                      for v in row] for row in values[: MAX_ROWS + 1]]
        else:
            text = path.read_bytes()[: 50 * 1024 * 1024].decode("utf-8-sig")
            table = list(csv.reader(io.StringIO(text)))[: MAX_ROWS + 1]
    except (OSError, UnicodeDecodeError, ValueError, csv.Error) as error:
        raise errors.FILE_UNREADABLE(reason=type(error).__name__) from None
    except Exception as error:  # noqa: BLE001 - a damaged workbook: calamine's own errors
        raise errors.FILE_UNREADABLE(reason=type(error).__name__) from None
    if not table:
        return []
    header = [COLUMNS.get(h.strip(), h.strip()) for h in table[0]]
    return [dict(zip(header, row, strict=False)) for row in table[1:] if any(str(c).strip() for c in row)]


@app.command("award-file")
def award_file(path: Path, db: DbOption = None) -> None:
    """批量奖励积分(CSV/XLSX:户编号、规则编号、日期、佐证、说明);有任何一行不合格则全部不写入,并逐行报告。"""
    from fupin.incentives.service import award_bulk

    with reporting_errors():
        rows = read_rows(path)
        written, report = award_bulk(UnitOfWork(database(db), cli_actor()), rows)
    if report:
        table = Table("行", "列", "原因")
        for row, column, reason in report:
            table.add_row(str(row), column, reason)
        err_console.print(table)
        err_console.print(f"{len(report)}行不合格,全部未写入")
        raise typer.Exit(1)
    console.print(f"已奖励{written}笔积分")


@app.command("close-period")
def close_period(scorecard: Annotated[int, typer.Option("--scorecard", min=1)],
                 closed_on: Annotated[str | None, typer.Option("--date", help="结账日期 YYYY-MM-DD(默认今天)")] = None,
                 expire: Annotated[bool, typer.Option("--expire/--no-expire", help="同时清零到期积分")] = True,
                 db: DbOption = None) -> None:
    """考核期结账:积分到期清零、评比排名、星级、称号和奖金分配 / Close a period: expiry and ranking."""
    from fupin.incentives import errors, queries, service

    with reporting_errors():
        try:
            day = dt.date.fromisoformat(closed_on) if closed_on else dt.date.today()
        except ValueError:
            raise errors.FILE_UNREADABLE(reason=f"日期格式应为YYYY-MM-DD:{closed_on}") from None
        database_ = database(db)
        service.close_period(UnitOfWork(database_, cli_actor()), scorecard, day, expire=expire)
        with database_.session_factory() as session:
            results = queries.results_of(session, scorecard, Scope.everything())
    table = Table("名次", "考核对象", "得分", "一票否决", "星级", "称号", "奖金(元)")
    for r in results:
        table.add_row(str(r["rank"]), r["name"], r["score"], "是" if r["vetoed"] else "", "★" * r["stars"],
                      "是" if r["titled"] else "", str(r["bonus"]))
    console.print(table)


@app.command("expire")
def expire_command(area: Annotated[str, typer.Option("--area")],
                   as_of: Annotated[str, typer.Option("--as-of", help="到期日 YYYY-MM-DD")],
                   db: DbOption = None) -> None:
    """到期积分清零(先获得的先用、先到期)/ Expire points due by a day."""
    from fupin.incentives import errors, service

    with reporting_errors():
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            raise errors.FILE_UNREADABLE(reason=f"日期格式应为YYYY-MM-DD:{as_of}") from None
        outcome = service.expire_points(UnitOfWork(database(db), cli_actor()), area, day)
    console.print(f"{outcome['households']}户共{outcome['points']}分到期清零")


@app.command("check")
def check_command(db: DbOption = None) -> None:
    """核对账本:每户余额等于其分录之和,每笔分录借贷相抵 / Check the books."""
    from fupin.incentives import queries

    with database(db).session_factory() as session:
        problems = queries.ledger_check(session, Scope.everything())
    if problems:
        for p in problems:
            err_console.print(str(p))
        raise typer.Exit(1)
    console.print("账本平衡")
