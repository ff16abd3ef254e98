"""产业扶贫 (Industry): 合作社、龙头企业、基地;“党支部+合作社+公司+基地+农户”;土地流转、分红、村集体经济。"""
from fupin.core.capability import Capability
from fupin.industry import api, cli, demo, figures, importing, pages, queries

CAPABILITY = Capability(
    name="industry",
    title_zh="产业扶贫",
    title_en="Industry",
    summary_zh="合作社、龙头企业、基地;“党支部+合作社+公司+基地+农户”;土地流转、分红、村集体经济。",
    seeds="000, 001, 004",
    built=True,
    api_router=api.router,
    pages_router=pages.router,
    cli=cli.app,
    demo=demo.build,
    demo_order=60,  # after registry (households), orgs (village branches); before accounts (the entity clerk)
    indicator_groups=figures.GROUPS,
    # orgs' coverage rule "village_cooperative" counts the villages with a branch-led cooperative from these;
    # the registry's household page shows a household's memberships, land and dividends
    provides={
        "industry.branch_led_villages_select": queries.branch_led_villages_select,
        "industry.household_industry": queries.household_industry,
    },
    job_handlers={"industry.import": importing.run_import},
    migration_branch="industry",
    translations="industry",
)
