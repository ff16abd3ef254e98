from fupin.areas import api, cli, demo, pages, queries
from fupin.core.capability import Capability

CAPABILITY = Capability.of_package(
    "areas", ("行政区划", "Areas"),
    "省—市—县—乡—村—组,12位统计用区划代码;下级即代码前缀。",
    seeds="全部", modules=(api, pages, cli, demo), demo_order=10,
    provides={"areas.path_names": queries.path_names, "areas.count_villages": queries.count_villages},
)
