from fupin.core.capability import Capability

CAPABILITY = Capability(
    name="incentives",
    title_zh="积分激励",
    title_en="Incentives",
    summary_zh="积分与爱心超市、红旗村、星级支部、考核评分与一票否决。",
    seeds="000, 001, 003, 004",
    built=False,
)
