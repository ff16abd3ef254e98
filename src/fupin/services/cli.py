from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer
from rich.table import Table

from fupin.core.audit import Actor
from fupin.core.cli_support import DbOption, cli_actor, console, database, reporting_errors
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork

app = typer.Typer(help="便民服务 / services: requests, wishes, mutual aid", no_args_is_help=True)


def _day(raw: str | None) -> dt.date:
    from fupin.services import errors

    try:
        return dt.date.fromisoformat(raw) if raw else dt.date.today()
    except ValueError:
        raise errors.DATE_FORMAT(field="as_of", value=raw) from None


@app.command("overdue")
def overdue_command(
    area: Annotated[str, typer.Option("--area", help="区划代码 / area code")],
    db: DbOption = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="日期 YYYY-MM-DD(默认今天)")] = None,
    escalate: Annotated[bool, typer.Option("--escalate", help="同时把逾期诉求升级到应到的层级")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """逾期诉求报告:超过办理时限仍未办结的诉求,可同时升级 / Overdue requests report (and escalation)."""
    from fupin.core.areacodes import validate_code
    from fupin.services import queries, rules, service

    with reporting_errors():
        code = validate_code(area)
        day = _day(as_of)
        now = dt.datetime.combine(day, dt.time(12), dt.UTC)
        database_ = database(db)
        moved: list[tuple[int, int, str]] = []
        if escalate:
            actor = cli_actor()
            scoped = Actor(user_id=None, name=actor.name, role=actor.role, scope_prefix=Scope.of_area(code).prefix)
            moved = service.escalate_overdue(UnitOfWork(database_, scoped), now=now)
        with database_.session_factory() as session:
            names = queries.category_names(session)
            rows = [(r.request.id, r.head_name, r.request.area_code, names.get(r.request.category_code, ""),
                     r.request.due_on, rules.days_overdue(r.request.due_on, day), r.request.escalation_level,
                     r.request.escalated_to or "")
                    for r in queries.list_requests(session, Scope.of_area(code), overdue_on=day, limit=100_000)]
    if as_json:
        console.print(json.dumps([{"id": i, "area_code": a, "category": c, "due_on": d.isoformat(), "days_overdue": n,
                                   "escalation_level": lv, "escalated_to": to}
                                  for i, _h, a, c, d, n, lv, to in rows], ensure_ascii=False))
        return
    table = Table("编号", "户主", "区划", "类别", "办理期限", "逾期天数", "升级", "责任区划")
    for i, head, a, c, d, n, lv, to in rows:
        table.add_row(str(i), head, a, c, d.isoformat(), str(n), str(lv), to)
    console.print(table)
    console.print(f"逾期未办结{len(rows)}件" + (f",本次升级{len(moved)}件" if escalate else ""))


@app.command("category")
def category_command(code: str, name: str, days: int, db: DbOption = None,
                     inactive: Annotated[bool, typer.Option("--inactive", help="停用该类别")] = False) -> None:
    """设置诉求类别与办理时限(天)/ Set a request category and its deadline in days."""
    from fupin.services.service import set_category

    with reporting_errors():
        row = set_category(UnitOfWork(database(db), cli_actor()), code, name, days, not inactive)
        text = f"{row.code} {row.name}:{row.deadline_days}天" + ("(停用)" if not row.active else "")
    console.print(text)


@app.command("claim-limit")
def claim_limit_command(limit: int, db: DbOption = None) -> None:
    """每名党员同时认领的微心愿上限 / How many open wishes a member may hold."""
    from fupin.services.service import set_claim_limit

    with reporting_errors():
        set_claim_limit(UnitOfWork(database(db), cli_actor()), limit)
    console.print(f"每名党员同时最多认领{limit}个微心愿")


@app.command("bind-grid")
def bind_grid_command(username: str, grid_id: int, db: DbOption = None) -> None:
    """为网格长账号绑定网格 / Bind a grid leader's login to a grid."""
    from fupin.services.service import bind_grid_leader

    with reporting_errors():
        bind_grid_leader(UnitOfWork(database(db), cli_actor()), username, grid_id)
    console.print(f"{username} → 网格{grid_id}")
