"""积分激励 (Incentives): 积分与爱心超市、红旗村、星级支部、考核评分与一票否决。"""
from fupin.core.capability import Capability
from fupin.incentives import api, cli, demo, figures, pages, service

CAPABILITY = Capability.of_package(
    "incentives", ("积分激励", "Incentives"),
    "积分与爱心超市、红旗村、星级支部、考核评分与一票否决。",
    # employment (training completed) and services (volunteering) award points through this use case
    seeds="000, 001, 003, 004", modules=(api, pages, cli, demo), demo_order=60,
    indicator_groups=figures.GROUPS, provides={"incentives.award_points": service.award_for_event},
    migration_branch="incentives", translations="incentives",
)
