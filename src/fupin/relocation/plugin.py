"""易地搬迁 (Relocation): 安置点、楼栋与房屋、摇号分房、搬迁入住与拆旧;社区—网格—户长治理;三地三保三就。"""
from fupin.core.capability import Capability
from fupin.relocation import api, cli, demo, exporting, figures, pages, queries

CAPABILITY = Capability.of_package(
    "relocation", ("易地搬迁", "Relocation"),
    "安置点、楼栋与房屋、摇号分房、搬迁入住与拆旧;社区—网格—户长治理;三地三保三就。",
    # orgs (coverage of sites, Party contacts of relocated households), pairing and the indicators read these
    seeds="000, 002", modules=(api, pages, cli, demo), demo_order=25,
    provides={
        "relocation.sites_select": queries.sites_select,
        "relocation.relocated_households_select": queries.relocated_households_select,
        "relocation.grids_select": queries.grids_select,
        "relocation.grid_households_select": queries.grid_households_select,
    },
    indicator_groups=figures.GROUPS,
    job_handlers={"relocation.export_households": exporting.run_household_export},
    migration_branch="employment", translations="relocation",
)
