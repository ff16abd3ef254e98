from fupin.core.capability import Capability
from fupin.pairing import api, cli, coverage, demo, figures, pages, queries, rules, service

CAPABILITY = Capability(
    name="pairing",
    title_zh="结对帮扶",
    title_en="Pairing",
    summary_zh="干部与贫困户结对(“543”)、搬迁户党员联系、组织结对共建。",
    seeds="000, 003, 004",
    built=True,
    api_router=api.router,
    pages_router=pages.router,
    cli=cli.app,
    demo=demo.build,
    demo_order=35,
    provides={"pairing.helpers_per_household": queries.helpers_per_household,
              "pairing.household_pair_history": queries.household_pair_history,
              "pairing.cadre_loads": queries.cadre_loads, "pairing.configured_quotas": rules.configured_quotas},
    coverage_rules=list(coverage.PAIRING_RULES),
    job_handlers={"pairing.plan": service.run_plan_job},
    migration_branch="orgs",  # pairing's tables share the orgs branch (revisions 0101, 0102)
    translations="pairing",
    indicator_groups=figures.GROUPS,
)
