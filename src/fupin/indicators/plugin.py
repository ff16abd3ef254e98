from fupin.core.capability import Capability
from fupin.indicators import api, cli, demo, figures, pages, service

CAPABILITY = Capability(
    name="indicators",
    title_zh="指标与看板",
    title_en="Indicators & dashboards",
    summary_zh="全部指标由记录计算并逐级汇总:贫困发生率、退出、就业、覆盖率、搬迁进度;看板、报表与工作总结。",
    seeds="全部",
    built=True,
    api_router=api.router,
    pages_router=pages.router,
    cli=cli.app,
    cli_commands={"report": cli.report_command},
    demo=demo.build,
    demo_order=90,
    provides={"indicators.home_context": pages.home_context},
    indicator_groups=figures.GROUPS,
    job_handlers={service.REPORT_JOB: service.run_report},
    migration_branch="indicators",
    translations="indicators",
)
