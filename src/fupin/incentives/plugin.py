"""积分激励 (Incentives): 积分与爱心超市、红旗村、星级支部、考核评分与一票否决。"""
from fupin.core.capability import Capability
from fupin.incentives import api, cli, demo, figures, pages, service

CAPABILITY = Capability(
    name="incentives",
    title_zh="积分激励",
    title_en="Incentives",
    summary_zh="积分与爱心超市、红旗村、星级支部、考核评分与一票否决。",
    seeds="000, 001, 003, 004",
    built=True,
    api_router=api.router,
    pages_router=pages.router,
    cli=cli.app,
    demo=demo.build,
    demo_order=60,
    indicator_groups=figures.GROUPS,
    # employment (training completed) and services (volunteering) award points through this use case
    provides={"incentives.award_points": service.award_for_event},
    migration_branch="incentives",
    translations="incentives",
)
