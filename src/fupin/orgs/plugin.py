from fupin.core.capability import Capability
from fupin.orgs import api, cli, demo, figures, pages

CAPABILITY = Capability(
    name="orgs",
    title_zh="党组织",
    title_en="Party organisations",
    summary_zh="党组织建在产业链上、搬迁点上、务工地和网上;党员、流动党员、党员中心户;全覆盖规则核查。",
    seeds="000, 001, 002, 004",
    built=True,
    api_router=api.router,
    pages_router=pages.router,
    cli=cli.app,
    cli_commands={"coverage": cli.coverage_command},
    demo=demo.build,
    demo_order=30,
    indicator_groups=figures.GROUPS,
)
