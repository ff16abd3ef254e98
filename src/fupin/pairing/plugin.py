from fupin.core.capability import Capability
from fupin.pairing import api, cli, coverage, demo, figures, pages, queries, rules, service

CAPABILITY = Capability.of_package(
    "pairing", ("结对帮扶", "Pairing"),
    "干部与贫困户结对(“543”)、搬迁户党员联系、组织结对共建。",
    seeds="000, 003, 004", modules=(api, pages, cli, demo), demo_order=35,
    provides={"pairing.helpers_per_household": queries.helpers_per_household,
              "pairing.household_pair_history": queries.household_pair_history,
              "pairing.cadre_loads": queries.cadre_loads, "pairing.configured_quotas": rules.configured_quotas},
    coverage_rules=list(coverage.PAIRING_RULES), job_handlers={"pairing.plan": service.run_plan_job},
    migration_branch="orgs", translations="pairing", indicator_groups=figures.GROUPS,
)
