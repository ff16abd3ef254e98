from fupin.core.capability import Capability
from fupin.pairing import api, cli, demo, figures, pages

CAPABILITY = Capability(
    name="pairing",
    title_zh="结对帮扶",
    title_en="Pairing",
    summary_zh="干部与贫困户结对(“543”)、搬迁户党员联系、组织结对共建。",
    seeds="000, 003, 004",
    built=True,
    api_router=api.router,
    pages_router=pages.router,
    cli=cli.app,
    demo=demo.build,
    demo_order=35,
    indicator_groups=figures.GROUPS,
)
