"""便民服务 (Services): 有困难找支部、一站式服务、群众心愿认领、务工家庭互助。"""
from fupin.core.audit import AuditWords
from fupin.core.capability import Capability
from fupin.services import api, cli, demo, figures, pages, rules, schedule, service

_CATEGORIES = {code: name for code, name, _days in rules.DEFAULT_CATEGORIES}
AUDIT_WORDS = AuditWords(
    entities={"service_requests": "群众诉求", "service_wishes": "群众心愿", "service_aid_teams": "务工家庭互助组",
              "service_aid_team_members": "互助组成员", "service_aid_duties": "互助任务",
              "service_categories": "诉求类别", "service_settings": "便民服务设置",
              "service_grid_leaders": "安置点网格长"},
    fields={"household_id": "户", "category": "诉求类别", "filed_via": "登记方式", "filed_on": "登记日期",
            "due_on": "办理时限", "handler": "承办人", "assigned_on": "交办日期", "done_on": "办结日期",
            "one_visit": "最多跑一次", "on_time": "按期办结", "confirmed_on": "确认日期", "satisfaction": "满意度",
            "reason": "原因", "escalation_level": "升级层级", "escalated_to": "升级至", "title": "心愿",
            "posted_on": "发布日期", "member_id": "党员", "claimer_name": "认领人", "claimed_on": "认领日期",
            "fulfilled_on": "实现日期", "evidence": "佐证", "migrant_org_id": "流动党组织", "members": "成员",
            "team_id": "互助组", "helper": "帮忙人", "closed_on": "完成日期", "username": "用户名",
            "grid_id": "网格", "user_id": "用户", "deadline_days": "办理时限(天)", "value": "设定值", "kind": "类型"},
    values={"service_requests": {"status": rules.STATUSES, "filed_via": service.FILED_VIA,
                                 "satisfaction": rules.SATISFACTION, "category": _CATEGORIES},
            "service_wishes": {"status": rules.WISH_STATUSES},
            "service_aid_duties": {"status": rules.DUTY_STATUSES, "kind": rules.DUTY_KINDS}},
)

CAPABILITY = Capability.of_package(
    "services", ("便民服务", "Services"),
    "有困难找支部、一站式服务、群众心愿认领、务工家庭互助。",
    seeds="000, 002, 004", modules=(api, pages, cli, demo), demo_order=97, indicator_groups=figures.GROUPS,
    migration_branch="services", translations="services", audit_words=[AUDIT_WORDS],
    background_tasks={"services.escalate_overdue": schedule.escalate_when_due},
)
