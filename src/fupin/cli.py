"""The `fupin` command: init, demo, serve, and each capability's sub-commands."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from fupin.core.capability import load_capabilities
from fupin.core.cli_support import DbOption, console, database, err_console, progress_bar, reporting_errors
from fupin.core.settings import get_settings

app = typer.Typer(
    name="fupin",
    help="fupin 扶贫 — 抓党建促脱贫攻坚与防返贫监测管理系统 / poverty-alleviation management system",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


def _init_database(db_url: str | None) -> tuple[int, int]:
    """Create or upgrade the schema; load the real map of China when the area table is empty."""
    from fupin.areas.queries import count as count_areas
    from fupin.areas.service import load_package_map
    from fupin.core.cli_support import cli_actor
    from fupin.core.keys import ensure_key
    from fupin.core.migrations import upgrade
    from fupin.core.scoping import Scope
    from fupin.core.uow import UnitOfWork

    db = database(db_url)
    upgrade(db.engine)
    ensure_key(db, get_settings())  # a new database gets a new key; an existing one must match its own
    with db.session_factory() as session:
        existing = count_areas(session, Scope.everything())
    loaded = 0
    if existing == 0:
        with UnitOfWork(db, cli_actor()) as uow:
            loaded = load_package_map(uow).inserted
    db.dispose()
    return existing, loaded


@app.command()
def init(db: DbOption = None) -> None:
    """建库或升级数据库结构,并载入全国省市县区划 / Create or upgrade the schema and load China's areas."""
    with reporting_errors():
        existing, loaded = _init_database(db)
    console.print("[green]数据库结构已是最新 / schema is up to date[/green]")
    if loaded:
        console.print(f"已载入全国省、市、县三级区划 {loaded} 条 / loaded {loaded} areas")
    else:
        console.print(f"区划表已有 {existing} 条,未重复载入 / {existing} areas already present")


def _print_logins(logins) -> None:  # type: ignore[no-untyped-def]
    """Plain lines, never truncated, so the logins can be copied from any terminal width."""
    console.print("演示账号 / demo logins (用户名 username / 密码 password — 角色 role, 管辖 area):")
    for login in logins:
        console.print(f"  {login.username} / {login.password} — {login.role}, {login.area_name} {login.area_code or ''}",
                      soft_wrap=True)


@app.command()
def demo(
    db: DbOption = None,
    households: Annotated[int, typer.Option(min=10, max=2_000_000, help="户数 / households")] = 2000,
    seed: Annotated[int, typer.Option(help="随机种子 / seed (same seed, same data)")] = 1,
) -> None:
    """生成演示县(会泽县)的全部演示数据 / Build the demo county deterministically."""
    from fupin.core.demo import DemoContext, DemoExists, build_demo

    with reporting_errors():
        _init_database(db)
        database_ = database(db)
        with progress_bar() as track:
            ctx = DemoContext(db=database_, seed=seed, households=households, track=track)
            try:
                build_demo(ctx)
            except DemoExists as error:
                err_console.print(f"[yellow]{error}[/yellow]")
                raise typer.Exit(1) from None
    for line in ctx.summary:
        console.print(line)
    _print_logins(ctx.logins)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str | None, typer.Option(help="监听地址 / bind address")] = None,
    port: Annotated[int | None, typer.Option(help="端口 / port")] = None,
    workers: Annotated[int | None, typer.Option(help="进程数,默认为本机核数 / worker processes (default: cores)")] = None,
    jobs: Annotated[bool, typer.Option("--jobs/--no-jobs",
                                       help="同时运行后台任务 / also run background jobs")] = True,
) -> None:
    """启动网页与接口服务(生产方式)/ Serve the web pages and the JSON API (the production way).

    With one process the background jobs run in a thread of it; with several, the web processes run none and
    one `fupin worker` process is started beside them (--no-jobs: run `fupin worker` yourself)."""
    import os
    import subprocess
    import sys

    import uvicorn

    if db:
        os.environ["FUPIN_DATABASE_URL"] = db
        get_settings.cache_clear()
    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    with reporting_errors():
        database(settings.database_url).dispose()  # the key must belong to this database (exit 2 otherwise)
    worker_process = None
    if workers > 1 or not jobs:
        os.environ["FUPIN_EMBEDDED_WORKER"] = "false"
        get_settings.cache_clear()
        if jobs:
            worker_process = subprocess.Popen([sys.executable, "-m", "fupin", "worker"], env=os.environ.copy())
    console.print(f"fupin 正在运行 / running at [bold]http://{host}:{port}/[/bold]  (API: /api/docs) · "
                  f"{workers} 个进程 / processes")
    from fupin.web.logconfig import uvicorn_log_config

    try:
        uvicorn.run("fupin.web.main:app", host=host, port=port, workers=workers, log_level="info",
                    timeout_graceful_shutdown=10, log_config=uvicorn_log_config())
    finally:
        if worker_process is not None:
            worker_process.terminate()
            worker_process.wait(timeout=15)


@app.command()
def worker(
    db: DbOption = None,
    once: Annotated[bool, typer.Option("--once", help="运行完排队的任务即退出 / run the queued jobs, then exit")] = False,
) -> None:
    """运行后台任务(导入、导出、报表、结对方案、质量核查)/ Run background jobs."""
    import signal

    from fupin.core.jobs import Worker, run_pending

    settings = get_settings()
    database_ = database(db)
    if once:
        count = run_pending(database_)
        console.print(f"已运行 {count} 个任务 / ran {count} jobs")
        return
    loop = Worker(database_, stale_seconds=settings.job_stale_seconds)
    signal.signal(signal.SIGTERM, lambda *_: loop._stop.set())
    console.print("后台任务进程已启动 / job worker running (Ctrl+C to stop)")
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass


@app.command()
def quickstart(
    db: DbOption = None,
    households: Annotated[int, typer.Option(help="演示户数 / demo households")] = 2000,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
) -> None:
    """建库、生成演示县(如未生成)并启动服务 / init + demo (once) + serve."""
    from fupin.accounts.demo import existing_logins
    from fupin.core.demo import DemoContext, DemoExists, build_demo

    with reporting_errors():
        _init_database(db)
        database_ = database(db)
        with progress_bar() as track:
            ctx = DemoContext(db=database_, seed=1, households=households, track=track)
            try:
                build_demo(ctx)
            except DemoExists:
                ctx.logins = existing_logins(database_)
                console.print("演示数据已存在,直接启动 / demo data already present")
    for line in ctx.summary:
        console.print(line)
    _print_logins(ctx.logins)
    if not os.environ.get("FUPIN_WORK_YEAR"):  # the demo's figures are of 2018–2020: open the pages on them
        from fupin.core.demo import DEMO_WORK_YEAR

        os.environ["FUPIN_WORK_YEAR"] = str(DEMO_WORK_YEAR)
        get_settings.cache_clear()
        console.print(f"演示数据为2018–2020年,页面默认打开{DEMO_WORK_YEAR}年(区划选择里可改工作年度)/ "
                      f"pages open on {DEMO_WORK_YEAR}, the demo's last year (change it in the area picker)")
    serve(db=db, host=host, port=port, workers=1, jobs=True)


@app.command("backup")
def backup_command(
    out: Annotated[Path, typer.Argument(help="备份文件 / backup file (SQLite copy, or pg_dump custom format)")],
    db: DbOption = None,
) -> None:
    """备份整个数据库(须与密钥一同保管)/ Back up the whole database (keep it with its key)."""
    from fupin.core.backup import backup

    with reporting_errors():
        result = backup(database(db), get_settings(), out)
    console.print(f"已备份到 {result.path}({result.size:,} 字节)/ backed up")
    console.print(f"密钥指纹 key fingerprint: [bold]{result.fingerprint}[/bold] — "
                  "恢复时必须使用同一密钥,请将密钥与备份分开妥善保管 / restoring needs this same key; keep it apart")


@app.command("restore")
def restore_command(
    source: Annotated[Path, typer.Argument(help="备份文件 / backup file")],
    db: DbOption = None,
) -> None:
    """把备份恢复到一个空数据库(密钥须与备份相符)/ Restore a backup into an empty database."""
    from fupin.core.backup import restore

    with reporting_errors():
        recorded = restore(database(db, check_key=False), get_settings(), source)
    console.print(f"已恢复;密钥指纹 {recorded} 相符 / restored; the key matches")


keys_app = typer.Typer(help="查询密钥 / the look-up key of ID numbers", no_args_is_help=True)


@keys_app.command("fingerprint")
def keys_fingerprint(db: DbOption = None) -> None:
    """显示当前密钥与数据库登记的指纹 / Show the key's and the database's fingerprints."""
    from fupin.core.keys import fingerprint, stored_fingerprint

    settings = get_settings()
    database_ = database(db, check_key=False)
    key = settings.configured_secret_key()
    console.print(f"当前密钥 configured key: {fingerprint(key) if key else '(无 none)'}")
    console.print(f"数据库登记 database: {stored_fingerprint(database_) or '(未登记 none)'}")


@keys_app.command("verify")
def keys_verify(db: DbOption = None) -> None:
    """核对密钥是否属于此数据库 / Check that the key belongs to this database (exit 2 if not)."""
    database(db)
    console.print("[green]密钥与数据库相符 / the key matches the database[/green]")


@keys_app.command("rotate")
def keys_rotate(
    new_key_file: Annotated[Path | None, typer.Option(help="新密钥写入的文件(使用 FUPIN_SECRET_KEY 时必填)")] = None,
    db: DbOption = None,
) -> None:
    """轮换密钥:在一个事务中用新密钥重算全部身份证号索引 / Re-hash every ID number under a new key, in one
    transaction; the old key file is kept as secret_key.old-<date>."""
    import datetime as dt

    from fupin.core.capability import provided
    from fupin.core.cli_support import cli_actor
    from fupin.core.keys import ensure_fingerprint_in
    from fupin.core.uow import UnitOfWork

    settings = get_settings()
    with reporting_errors():
        database_ = database(db)
        if settings.secret_key and new_key_file is None:
            err_console.print("[red]错误:[/red]密钥来自 FUPIN_SECRET_KEY,请用 --new-key-file 指定新密钥写到哪里")
            raise typer.Exit(1)
        staged = new_key_file or settings.key_path.with_name("secret_key.new")
        if staged.exists():
            staged.unlink()
        new_key = settings.write_new_secret_key(staged)  # written (0600) before the database changes
        uow = UnitOfWork(database_, cli_actor())
        with uow:
            uow.require("accounts.keys.rotate")
            count = provided("registry.rehash_ids")(uow, new_key.encode("utf-8"))
            ensure_fingerprint_in(uow.session, new_key)
            uow.audit("command", "key_fingerprints", "id_lookup", detail={"rotated": True, "rehashed": count})
        if new_key_file is None:
            kept = settings.key_path.with_name(f"secret_key.old-{dt.date.today().isoformat()}")
            if settings.key_path.exists():
                settings.key_path.replace(kept)
            staged.replace(settings.key_path)
            console.print(f"旧密钥保存在 {kept}(确认新密钥已备份后可删除)")
    console.print(f"已用新密钥重算 {count:,} 个身份证号索引 / re-hashed {count:,} ID numbers")
    if new_key_file is not None:
        console.print(f"新密钥在 {new_key_file};请把 FUPIN_SECRET_KEY 改为该文件的内容后再启动 fupin")


app.add_typer(keys_app, name="keys")

db_app = typer.Typer(help="数据库结构迁移 / schema migrations", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None, revision: str = "heads") -> None:
    """升级到指定版本 / upgrade the schema."""
    from fupin.core.migrations import upgrade

    upgrade(database(db).engine, revision)
    console.print(f"已升级到 {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: str, db: DbOption = None) -> None:
    """回退到指定版本 / downgrade the schema."""
    from fupin.core.migrations import downgrade

    downgrade(database(db).engine, revision)
    console.print(f"已回退到 {revision}")


@db_app.command("status")
def db_status(db: DbOption = None) -> None:
    """当前版本与代码版本 / current and head revisions."""
    from fupin.core.migrations import migration_status

    status = migration_status(database(db).engine)
    console.print(f"数据库 database: {', '.join(status.database_heads) or '(空 empty)'}")
    console.print(f"代码 code: {', '.join(status.script_heads)}")
    console.print("[green]最新 current[/green]" if status.current else "[yellow]需要升级 upgrade needed[/yellow]")
    if not status.current:
        raise typer.Exit(1)


app.add_typer(db_app, name="db")
for _capability in load_capabilities():
    if _capability.cli is not None:
        app.add_typer(_capability.cli, name="users" if _capability.name == "accounts" else _capability.name)
    for _name, _command in _capability.cli_commands.items():
        app.command(_name)(_command)


def main() -> None:
    app()
