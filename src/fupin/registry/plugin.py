from fupin.core.capability import Capability
from fupin.registry import api, cli, demo, figures, pages, queries, service, tasks

CAPABILITY = Capability.of_package(
    "registry", ("建档立卡", "Registry"),
    "建档立卡贫困户及家庭成员、收入、两不愁三保障核查、帮扶措施、走访记录(扶贫台账)与脱贫退出。",
    seeds="000, 003", modules=(api, pages, cli, demo), demo_order=20,
    provides={"registry.count_households": queries.count_households, "registry.count_people": queries.count_people,
              "registry.hashed_samples": queries.hashed_samples, "registry.rehash_ids": service.rehash_ids},
    indicator_groups=figures.GROUPS, job_handlers=tasks.JOB_HANDLERS,
)
