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


def _user_id(db_url: str | None, name: str) -> int:
    from fupin.accounts.errors import USER_NOT_FOUND

    with database(db_url).session_factory() as session:
        match = next((u for u in service.list_users(session, Scope.everything()) if u.username == name), None)
    if match is None:
        raise USER_NOT_FOUND(key=name)
    return match.id


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="用户名 / username")],
    role: Annotated[Role, typer.Option("--role", help="角色 / role")],
    area: Annotated[str | None, typer.Option("--area", help="管辖区划代码 / area code of the scope")] = None,
    display_name: Annotated[str | None, typer.Option("--display-name")] = None,
    entity: Annotated[int | None, typer.Option("--entity", help="企业/合作社填报员所属经营主体编号")] = None,
    shop: Annotated[int | None, typer.Option("--shop", help="爱心超市管理员所属超市编号")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="从标准输入读密码")] = False,
    db: DbOption = None,
) -> None:
    """创建用户;密码从标准输入读取,或随机生成并只显示一次 / Create a user."""
    from fupin.core.areacodes import validate_code

    generated = not password_stdin
    password = service.generate_password() if generated else sys.stdin.readline().rstrip("\n")
    with reporting_errors():
        area_code = validate_code(area) if area else None
        user = service.create_user(UnitOfWork(database(db), cli_actor()), username=name, password=password,
                                   role=role.value, area_code=area_code, display_name=display_name,
                                   entity_id=entity, shop_id=shop)
    console.print(f"已创建用户 {name} (id {user.id}, {ROLE_NAMES_ZH[role]}, {area_code or '全国'})")
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


@app.command("unlock")
def unlock(name: Annotated[str, typer.Argument(help="用户名 / username")], db: DbOption = None) -> None:
    """解除登录锁定 / Unlock an account locked by failed logins."""
    with reporting_errors():
        service.unlock(UnitOfWork(database(db), cli_actor()), _user_id(db, name))
    console.print(f"已解锁 {name}")


@app.command("unlock-address")
def unlock_address(address: Annotated[str, typer.Argument(help="来源地址 / source address")],
                   db: DbOption = None) -> None:
    """解除某来源地址的登录限制 / Lift the login throttle of a source address."""
    with reporting_errors():
        found = service.unlock_address(UnitOfWork(database(db), cli_actor()), address)
    console.print("已解除" if found else "该地址没有登录限制记录")


@app.command("disable")
def disable(name: Annotated[str, typer.Argument(help="用户名 / username")], db: DbOption = None) -> None:
    """停用用户(其全部令牌立即失效)/ Disable a user and revoke every token."""
    with reporting_errors():
        service.set_active(UnitOfWork(database(db), cli_actor()), _user_id(db, name), False)
    console.print(f"已停用 {name}")


@app.command("enable")
def enable(name: Annotated[str, typer.Argument(help="用户名 / username")], db: DbOption = None) -> None:
    """启用用户 / Enable a user."""
    with reporting_errors():
        service.set_active(UnitOfWork(database(db), cli_actor()), _user_id(db, name), True)
    console.print(f"已启用 {name}")


@app.command("reset-password")
def reset_password(
    name: Annotated[str, typer.Argument(help="用户名 / username")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="从标准输入读新密码")] = False,
    db: DbOption = None,
) -> None:
    """重置密码(全部令牌失效)/ Reset a password; every token of the user is revoked."""
    given = sys.stdin.readline().rstrip("\n") if password_stdin else None
    with reporting_errors():
        password = service.reset_password(UnitOfWork(database(db), cli_actor()), _user_id(db, name), given)
    console.print(f"已重置 {name} 的密码")
    if given is None:
        err_console.print(f"新密码(只显示这一次) / password (shown once): [bold]{password}[/bold]")
