"""易地搬迁 (Relocation): 安置点、楼栋与房屋、摇号分房、搬迁入住与拆旧;社区—网格—户长治理;三地三保三就。"""
from fupin.core.capability import Capability
from fupin.relocation import api, cli, demo, exporting, figures, pages, queries

CAPABILITY = Capability(
    name="relocation",
    title_zh="易地搬迁",
    title_en="Relocation",
    summary_zh="安置点、楼栋与房屋、摇号分房、搬迁入住与拆旧;社区—网格—户长治理;三地三保三就。",
    seeds="000, 002",
    built=True,
    api_router=api.router,
    pages_router=pages.router,
    cli=cli.app,
    demo=demo.build,
    demo_order=25,
    # orgs (coverage of sites, Party contacts of relocated households), pairing and the indicators read these
    provides={
        "relocation.sites_select": queries.sites_select,
        "relocation.relocated_households_select": queries.relocated_households_select,
        "relocation.grids_select": queries.grids_select,
        "relocation.grid_households_select": queries.grid_households_select,
    },
    indicator_groups=figures.GROUPS,
    job_handlers={"relocation.export_households": exporting.run_household_export},
    migration_branch="employment",
    translations="relocation",
)
