from fupin.core.capability import Capability

CAPABILITY = Capability(
    name="industry",
    title_zh="产业扶贫",
    title_en="Industry",
    summary_zh="合作社、龙头企业、基地;“党支部+合作社+公司+基地+农户”;土地流转、分红、村集体经济。",
    seeds="000, 001, 004",
    built=False,
)
