from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer
from rich.table import Table

from fupin.core.cli_support import DbOption, cli_actor, console, database, err_console, reporting_errors
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork

app = typer.Typer(help="防返贫监测 / return-to-poverty monitoring", no_args_is_help=True)


@app.command("warn")
def warn_command(
    area: Annotated[str, typer.Option("--area", help="区划代码 / area code")],
    db: DbOption = None,
    factor: Annotated[str, typer.Option("--factor", help="收入低于监测标准×系数即预警 / income factor")] = "1.0",
    as_of: Annotated[str | None, typer.Option("--as-of", help="预警日期 YYYY-MM-DD(默认今天)")] = None,
    limit: Annotated[int, typer.Option(help="最多列出户数")] = 200,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """预警:列出规则建议核查的户(只是建议,须人工核实后纳入)/ Households the early-warning rules propose."""
    from fupin.core.areacodes import validate_code
    from fupin.monitoring import errors, queries

    with reporting_errors():
        code = validate_code(area)
        try:
            multiplier = Decimal(factor)
        except InvalidOperation:
            raise errors.FACTOR_RANGE(field="factor") from None
        if not multiplier.is_finite() or not Decimal("0.5") <= multiplier <= Decimal("3"):
            raise errors.FACTOR_RANGE(field="factor")
        try:
            day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
        except ValueError:
            raise errors.DATE_FORMAT(field="as_of", value=as_of) from None
        with database(db).session_factory() as session:
            proposals = queries.warnings(session, Scope.of_area(code), as_of=day, factor=multiplier)
            missing = queries.missing_threshold_years(session, code[:2], day.year)
    if as_json:
        console.print(json.dumps([{"household_id": p.household_id, "household_no": p.household_no,
                                   "area_code": p.area_code, "reasons": p.reasons} for p in proposals[:limit]],
                                 ensure_ascii=False))
        return
    table = Table("户编号", "户主", "区划", "预警原因")
    for p in proposals[:limit]:
        table.add_row(p.household_no, p.head_name, p.area_code, ";".join(p.reasons.values()))
    console.print(table)
    console.print(f"建议核查{len(proposals)}户(预警只是建议,须入户核实后启动认定程序)")
    if missing:
        err_console.print(f"[red]以下年度尚未设定监测标准,其收入未做预警(不沿用往年标准):"
                          f"{'、'.join(str(y) for y in missing)};请用 fupin monitoring threshold set 设定[/red]")


threshold_app = typer.Typer(help="监测标准 / monitoring thresholds", no_args_is_help=True)
app.add_typer(threshold_app, name="threshold")


@threshold_app.command("set")
def threshold_set(year: int, amount: str,
                  province: Annotated[str, typer.Option(help="省级代码两位;全国为00")] = "00",
                  note: str | None = None, db: DbOption = None) -> None:
    """设置某年的监测标准(元/人·年)/ Set a year's monitoring income threshold."""
    from fupin.monitoring.service import set_threshold

    with reporting_errors():
        row = set_threshold(UnitOfWork(database(db), cli_actor()), year, amount, province, note)
        amount_text = str(row.amount)
    console.print(f"{year}年{'全国' if province == '00' else province}防返贫监测标准:{amount_text}元")


@threshold_app.command("list")
def threshold_list(
    province: Annotated[str | None, typer.Option(help="省级代码两位:也核对该省的标准 / also check a province")] = None,
    db: DbOption = None,
) -> None:
    """列出各年监测标准,并标出未设定的年度 / List the thresholds and flag every year without one."""
    from fupin.monitoring.queries import missing_threshold_years, thresholds

    with database(db).session_factory() as session:
        rows = thresholds(session)
        missing = missing_threshold_years(session, province, dt.date.today().year)
    table = Table("年度", "省", "监测标准(元)")
    for (year, code), amount in sorted(rows.items()):
        table.add_row(str(year), "全国" if code == "00" else code, str(amount))
    console.print(table)
    if not rows:
        err_console.print("未设置监测标准")
    if missing:
        where = "全国" if province is None else f"省级代码{province}"
        err_console.print(f"[red]{where}以下年度尚未设定监测标准(不沿用往年标准,这些年度的收入不做预警、"
                          f"不能据以标注风险消除):{'、'.join(str(y) for y in missing)}[/red]")
