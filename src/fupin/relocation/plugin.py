from fupin.core.capability import Capability

CAPABILITY = Capability(
    name="relocation",
    title_zh="易地搬迁",
    title_en="Relocation",
    summary_zh="安置点、楼栋与房屋、摇号分房、搬迁入住与拆旧;社区—网格—户长治理;三地三保三就。",
    seeds="000, 002",
    built=False,
)
