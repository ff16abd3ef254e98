from fupin.core.capability import Capability

CAPABILITY = Capability(
    name="services",
    title_zh="便民服务",
    title_en="Services",
    summary_zh="有困难找支部、一站式服务、群众心愿认领、务工家庭互助。",
    seeds="000, 002, 004",
    built=False,
)
