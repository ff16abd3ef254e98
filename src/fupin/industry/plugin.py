"""产业扶贫 (Industry): 合作社、龙头企业、基地;“党支部+合作社+公司+基地+农户”;土地流转、分红、村集体经济。"""
from fupin.core.audit import AuditWords, titles_of
from fupin.core.capability import Capability
from fupin.industry import api, cli, demo, figures, importing, pages, queries, rules, schemas

AUDIT_WORDS = AuditWords(
    entities={"industry_entity": "经营主体", "industry_membership": "联结农户", "industry_land_contract": "土地流转合同",
              "industry_rent_payment": "土地租金支付", "industry_run": "收益分配", "industry_import": "产业数据导入",
              "industry_collective_income": "村集体经济收入"},
    fields={**titles_of(schemas.EntityCreate, schemas.MembershipCreate, schemas.LandContractCreate,
                        schemas.RentPaymentCreate, schemas.RunCreate, schemas.CollectiveIncomeCreate),
            **{name: labels[0] for name, labels in rules.FIELD_LABELS.items()},
            "household_id": "户", "entity_id": "经营主体",
            "households_credited": "计入收入户数", "year": "年度", "left_on": "退出日期", "joined_on": "加入日期",
            "starts_on": "起始日期", "ends_on": "截止日期", "led_by_org_id": "领办党组织", "upstream_id": "上游主体",
            "founded_on": "成立日期", "credit_code": "统一社会信用代码", "enterprise_percent": "企业留存比例"},
    values={"industry_entity": {"kind": rules.ENTITY_KINDS, "industry": rules.INDUSTRIES},
            "industry_membership": {"link_kind": rules.LINK_KINDS},
            "industry_run": {"status": rules.RUN_STATUSES, "unit": rules.UNITS, "village_basis": rules.VILLAGE_BASES,
                             "inside_village": rules.INSIDE_VILLAGE, "income_field": rules.INCOME_FIELDS},
            "industry_collective_income": {"source": rules.COLLECTIVE_SOURCES}},
)

CAPABILITY = Capability.of_package(
    "industry", ("产业扶贫", "Industry"),
    "合作社、龙头企业、基地;“党支部+合作社+公司+基地+农户”;土地流转、分红、村集体经济。",
    # orgs' coverage rule "village_cooperative" counts the villages with a branch-led cooperative from these;
    # the registry's household page shows a household's memberships, land and dividends
    seeds="000, 001, 004", modules=(api, pages, cli, demo), demo_order=60, indicator_groups=figures.GROUPS,
    provides={
        "industry.branch_led_villages_select": queries.branch_led_villages_select,
        "industry.household_industry": queries.household_industry,
    },
    job_handlers={"industry.import": importing.run_import}, migration_branch="industry",
    translations="industry", audit_words=[AUDIT_WORDS],
)
