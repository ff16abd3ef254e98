"""积分激励 (Incentives): 积分与爱心超市、红旗村、星级支部、考核评分与一票否决。"""
from fupin.core.audit import AuditWords, titles_of
from fupin.core.capability import Capability
from fupin.incentives import api, cli, demo, figures, pages, rules, schemas, service

AUDIT_WORDS = AuditWords(
    entities={"point_rule": "积分事项", "point_award": "积分奖励", "point_correction": "积分更正",
              "point_expiry": "积分到期清零", "love_shop": "爱心超市", "shop_goods": "超市商品",
              "shop_donation": "超市捐赠", "redemption": "积分兑换", "scorecard": "考核评分表",
              "scorecard_subject": "考核对象", "scorecard_score": "考核得分"},
    fields={**titles_of(schemas.RuleCreate, schemas.AwardCreate, schemas.CorrectionCreate, schemas.ShopCreate,
                        schemas.GoodsCreate, schemas.DonationCreate, schemas.ScorecardCreate, schemas.SubjectCreate),
            "name": "名称", "weight": "权重", "is_veto": "一票否决项",
            "household_id": "户", "rule_id": "积分事项", "occurred_on": "发生日期", "source_ref": "来源",
            "stock": "库存", "lines": "兑换商品(编号:数量)", "score": "得分", "vetoed": "一票否决",
            "closed_on": "结束日期", "subjects": "考核对象数", "titled": "获称号数", "bonus": "奖金总额",
            "as_of": "截至", "households": "户数", "points": "积分", "scorecard_id": "考核评分表"},
    values={"point_rule": {"trigger": rules.TRIGGERS, "award_level": rules.AWARD_LEVELS},
            "scorecard": {"status": {"open": "评分中", "closed": "已结束"}, "subject_kind": rules.SUBJECT_KINDS,
                          "veto_effect": rules.VETO_EFFECTS, "title": rules.TITLES}},
)

CAPABILITY = Capability.of_package(
    "incentives", ("积分激励", "Incentives"),
    "积分与爱心超市、红旗村、星级支部、考核评分与一票否决。",
    # employment (training completed) and services (volunteering) award points through this use case
    seeds="000, 001, 003, 004", modules=(api, pages, cli, demo), demo_order=60,
    indicator_groups=figures.GROUPS, provides={"incentives.award_points": service.award_for_event},
    migration_branch="incentives", translations="incentives", audit_words=[AUDIT_WORDS],
)
