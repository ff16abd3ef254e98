"""就业扶贫 (Employment): 劳动力登记与分类、扶贫车间、公益性岗位、劳务输转、技能培训、就业服务站。"""
from fupin.core.capability import Capability
from fupin.employment import api, cli, demo, exporting, figures, pages, queries

CAPABILITY = Capability.of_package(
    "employment", ("就业扶贫", "Employment"),
    "劳动力登记与分类、扶贫车间、公益性岗位、劳务输转、技能培训、就业服务站。",
    seeds="000, 002", modules=(api, pages, cli, demo), demo_order=40, indicator_groups=figures.GROUPS,
    # orgs' coverage rules read these (stations at sites ≥ 200 people; branches at migrant-worker concentrations);
    # monitoring's warnings read who is employed
    provides={
        "employment.stations_select": queries.stations_select,
        "employment.export_concentrations_select": queries.export_concentrations_select,
        "employment.employed_persons_subquery": queries.employed_persons_subquery,
    },
    job_handlers={"employment.export_workers": exporting.run_worker_export}, migration_branch="employment",
    translations="employment",
)
