from fupin.core.audit import AuditWords
from fupin.core.capability import Capability
from fupin.indicators import api, cli, demo, figures, pages, service, snapshots

CAPABILITY = Capability.of_package(
    "indicators", ("指标与看板", "Indicators & dashboards"),
    "全部指标由记录计算并逐级汇总:贫困发生率、退出、就业、覆盖率、搬迁进度;看板、报表与工作总结。",
    seeds="全部", modules=(api, pages, cli, demo), demo_order=90, cli_commands={"report": cli.report_command},
    provides={"indicators.home_context": pages.home_context}, indicator_groups=figures.GROUPS,
    job_handlers={service.REPORT_JOB: service.run_report}, migration_branch="indicators",
    background_tasks={"indicators.refresh_figures": snapshots.refresh_next},
    translations="indicators",
    audit_words=[AuditWords(entities={}, fields={}, values={"area_exit": {"status": {
        "proposed": "已申请", "checked": "已核查", "publicised": "已公示", "exited": "已退出"}}})],
)
