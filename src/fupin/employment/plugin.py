from fupin.core.capability import Capability

CAPABILITY = Capability(
    name="employment",
    title_zh="就业扶贫",
    title_en="Employment",
    summary_zh="劳动力登记与分类、扶贫车间、公益性岗位、劳务输转、技能培训、就业服务站。",
    seeds="000, 002",
    built=False,
)
