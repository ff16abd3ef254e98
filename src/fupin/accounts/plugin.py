from fupin.accounts import api, cli, demo, pages, service
from fupin.core.capability import Capability

CAPABILITY = Capability(
    name="accounts",
    title_zh="用户与审计",
    title_en="Accounts & audit",
    summary_zh="用户、角色、管辖范围、登录与令牌、审计日志。",
    built=True,
    nav_path="/audit",
    api_router=api.router,
    pages_router=pages.router,
    cli=cli.app,
    demo=demo.build,
    demo_order=95,  # last: clerks need the entity and the shop the industry and incentives demos made
    provides={"accounts.resolve_token": service.resolve_token, "accounts.user_id_of": service.user_id_of,
              "accounts.usernames_of": service.usernames_of},
)
