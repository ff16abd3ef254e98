"""便民服务 (Services): 有困难找支部、一站式服务、群众心愿认领、务工家庭互助。"""
from fupin.core.capability import Capability
from fupin.services import api, cli, demo, figures, pages

CAPABILITY = Capability(
    name="services",
    title_zh="便民服务",
    title_en="Services",
    summary_zh="有困难找支部、一站式服务、群众心愿认领、务工家庭互助。",
    seeds="000, 002, 004",
    built=True,
    api_router=api.router,
    pages_router=pages.router,
    cli=cli.app,
    demo=demo.build,
    demo_order=97,  # after accounts (95): the demo grid leader's login is bound to a grid
    indicator_groups=figures.GROUPS,
    migration_branch="services",
    translations="services",
)
