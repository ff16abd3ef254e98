"""防返贫监测 (Monitoring): 脱贫不稳定户、边缘易致贫户、突发严重困难户:预警、核实、帮扶、风险消除。"""
from fupin.core.audit import AuditWords
from fupin.core.capability import Capability
from fupin.monitoring import api, cli, demo, figures, pages, queries, rules, service, signals

# The audit page's words for monitoring's coded values.
AUDIT_WORDS = AuditWords(entities={}, fields={"channel": "发现渠道"},
                         values={"monitored_households": {"channel": rules.CHANNELS, "status": rules.STATUSES,
                                                          "monitor_type": rules.MONITOR_TYPES}})

CAPABILITY = Capability.of_package(
    "monitoring", ("防返贫监测", "Monitoring"),
    "脱贫不稳定户、边缘易致贫户、突发严重困难户:预警、核实、帮扶、风险消除。",
    seeds="防止返贫监测帮扶", modules=(api, pages, cli, demo), demo_order=50, indicator_groups=figures.GROUPS,
    provides={"monitoring.monitored_select": queries.monitored_select,
              "monitoring.records_select": queries.records_select,
              "monitoring.start_monitoring": service.start_monitoring,
              "monitoring.start_monitoring_many": service.start_monitoring_many},
    warning_signals=signals.SIGNALS, migration_branch="monitoring", translations="monitoring",
    audit_words=[AUDIT_WORDS],
)
