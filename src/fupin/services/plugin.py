"""便民服务 (Services): 有困难找支部、一站式服务、群众心愿认领、务工家庭互助。"""
from fupin.core.capability import Capability
from fupin.services import api, cli, demo, figures, pages

CAPABILITY = Capability.of_package(
    "services", ("便民服务", "Services"),
    "有困难找支部、一站式服务、群众心愿认领、务工家庭互助。",
    seeds="000, 002, 004", modules=(api, pages, cli, demo), demo_order=97, indicator_groups=figures.GROUPS,
    migration_branch="services", translations="services",
)
