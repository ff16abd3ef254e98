from fupin.core.audit import AuditWords
from fupin.core.capability import Capability
from fupin.registry import api, cli, demo, figures, pages, queries, rules, service, tasks

# the income a household is credited by another capability (industry's dividends) reads by its field's name
AUDIT_WORDS = AuditWords(
    entities={"households": "贫困户", "household_incomes": "收入"},
    fields={**rules.INCOME_FIELDS, **rules.TRANSFER_PARTS, "income": "收入项", "per_capita_net": "人均纯收入",
            "members": "家庭人口", "year": "年度", "note": "说明",
            # visits and the yearly 两不愁三保障 check
            "cadre_id": "走访干部", "visitor_name": "走访人", "head_name": "户主姓名", "food_ok": "不愁吃",
            "clothing_ok": "不愁穿", "education_ok": "义务教育有保障", "medical_ok": "基本医疗有保障",
            "housing_ok": "住房安全有保障", "water_quality_ok": "饮水水质达标",
            "water_litres_per_person_day": "每人每天供水量(升)", "water_trip_minutes": "取水往返时间(分钟)",
            "water_outage_days": "全年停水天数", "water_short_area": "季节性缺水地区"},
    values={"households": {"income": rules.INCOME_FIELDS}},
)

CAPABILITY = Capability.of_package(
    "registry", ("建档立卡", "Registry"),
    "建档立卡贫困户及家庭成员、收入、两不愁三保障核查、帮扶措施、走访记录(扶贫台账)与脱贫退出。",
    seeds="000, 003", modules=(api, pages, cli, demo), demo_order=20,
    provides={"registry.count_households": queries.count_households, "registry.count_people": queries.count_people,
              "registry.hashed_samples": queries.hashed_samples, "registry.rehash_ids": service.rehash_ids},
    indicator_groups=figures.GROUPS, job_handlers=tasks.JOB_HANDLERS, audit_words=[AUDIT_WORDS],
)
