from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from fupin.accounts import service
from fupin.accounts.rules import ROLE_NAMES_ZH, Role
from fupin.core.cli_support import DbOption, cli_actor, console, database, err_console, reporting_errors
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork

app = typer.Typer(help="用户 / users and roles", no_args_is_help=True)


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="用户名 / username")],
    role: Annotated[Role, typer.Option("--role", help="角色 / role")],
    area: Annotated[str | None, typer.Option("--area", help="管辖区划代码 / area code of the scope")] = None,
    display_name: Annotated[str | None, typer.Option("--display-name")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="从标准输入读密码")] = False,
    db: DbOption = None,
) -> None:
    """创建用户;密码从标准输入读取,或随机生成并只显示一次 / Create a user."""
    from fupin.core.areacodes import validate_code

    generated = not password_stdin
    password = service.generate_password() if generated else sys.stdin.readline().rstrip("\n")
    with reporting_errors():
        area_code = validate_code(area) if area else None
        with UnitOfWork(database(db), cli_actor()) as uow:
            user = service.create_user(uow, username=name, password=password, role=role.value,
                                       area_code=area_code, display_name=display_name)
            user_id = user.id
    console.print(f"已创建用户 {name} (id {user_id}, {ROLE_NAMES_ZH[role]}, {area_code or '全国'})")
    if generated:
        err_console.print(f"初始密码(只显示这一次) / password (shown once): [bold]{password}[/bold]")


@app.command("list")
def list_command(db: DbOption = None) -> None:
    """列出用户 / List users."""
    with database(db).session_factory() as session:
        users = service.list_users(session, Scope.everything())
        table = Table("id", "用户名", "角色", "区划", "状态")
        for user in users:
            table.add_row(str(user.id), user.username, ROLE_NAMES_ZH.get(Role(user.role), user.role),
                          user.area_code or "全国", "启用" if user.is_active else "停用")
    console.print(table)
