from fupin.core.capability import Capability

CAPABILITY = Capability(
    name="pairing",
    title_zh="结对帮扶",
    title_en="Pairing",
    summary_zh="干部与贫困户结对(“543”)、搬迁户党员联系、组织结对共建。",
    seeds="000, 003, 004",
    built=False,
)
