"""产业扶贫 (Industry): 合作社、龙头企业、基地;“党支部+合作社+公司+基地+农户”;土地流转、分红、村集体经济。"""
from fupin.core.capability import Capability
from fupin.industry import api, cli, demo, figures, importing, pages, queries

CAPABILITY = Capability.of_package(
    "industry", ("产业扶贫", "Industry"),
    "合作社、龙头企业、基地;“党支部+合作社+公司+基地+农户”;土地流转、分红、村集体经济。",
    # orgs' coverage rule "village_cooperative" counts the villages with a branch-led cooperative from these;
    # the registry's household page shows a household's memberships, land and dividends
    seeds="000, 001, 004", modules=(api, pages, cli, demo), demo_order=60, indicator_groups=figures.GROUPS,
    provides={
        "industry.branch_led_villages_select": queries.branch_led_villages_select,
        "industry.household_industry": queries.household_industry,
    },
    job_handlers={"industry.import": importing.run_import}, migration_branch="industry",
    translations="industry",
)
