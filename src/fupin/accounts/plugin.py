from fupin.accounts import api, cli, demo, pages, service
from fupin.core.capability import Capability

CAPABILITY = Capability.of_package(
    "accounts", ("用户与审计", "Accounts & audit"),
    "用户、角色、管辖范围、登录与令牌、审计日志。",
    # demo last: clerks need the entity and the shop the industry and incentives demos made
    modules=(api, pages, cli, demo), demo_order=95, nav_path="/audit",
    provides={"accounts.resolve_token": service.resolve_token, "accounts.user_id_of": service.user_id_of,
              "accounts.usernames_of": service.usernames_of},
)
