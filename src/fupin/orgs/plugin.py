from fupin.core.capability import Capability
from fupin.orgs import api, cli, coverage, demo, figures, pages, queries, service

CAPABILITY = Capability.of_package(
    "orgs", ("党组织", "Party organisations"),
    "党组织建在产业链上、搬迁点上、务工地和网上;党员、流动党员、党员中心户;全覆盖规则核查。",
    seeds="000, 001, 002, 004", modules=(api, pages, cli, demo), demo_order=30,
    cli_commands={"coverage": cli.coverage_command},
    provides={"orgs.cadre_in_scope": queries.cadre_in_scope, "orgs.members_select": queries.members_select,
              "orgs.cadre_of_user": queries.cadre_of_user,
              "orgs.link_cadre_account": service.link_cadre_account},
    coverage_rules=list(coverage.ORGS_RULES),
    job_handlers={"orgs.import": service.run_import, "orgs.coverage_export": service.run_coverage_export,
                  "orgs.cadres_export": service.run_cadres_export},
    migration_branch="orgs", translations="orgs", indicator_groups=figures.GROUPS,
)
