"""Coded vocabularies of Party organisations, members and cadres: stored code → Chinese label."""

from __future__ import annotations

ORG_TYPES = {
    "committee": "党委",
    "working_committee": "党工委",
    "temporary_working_committee": "临时党工委",
    "general_branch": "党总支",
    "branch": "党支部",
    "joint_branch": "联合党支部",
    "temporary_branch": "临时党支部",
    "group": "党小组",
}
# Types that count as "a branch" for the village rule (a 党小组 is not one; a 党委 is above one).
BRANCH_TYPES = ("general_branch", "branch", "joint_branch", "temporary_branch")

BASE_KINDS = {
    "village": "行政村/社区",
    "site": "易地扶贫搬迁安置点",
    "industry_chain": "产业链",
    "cooperative": "合作社",
    "enterprise": "企业",
    "migrant": "外出务工集中地",
    "online": "网上党支部",
    "organ": "机关单位",
    "township": "乡镇/街道",
}
# Kinds that stand for "a branch leading a cooperative" until the industry capability records cooperatives.
ECONOMIC_BASE_KINDS = ("industry_chain", "cooperative", "enterprise")

CADRE_RANKS = {
    "county": "县处级",
    "section": "乡科级",
    "general": "一般干部",
}
CADRE_POSTS = {
    "first_secretary": "第一书记",
    "work_team": "驻村工作队员",
    "village_committee": "村两委",
    "village_contact": "包村干部",
    "grid": "网格员",
    "helper": "帮扶责任人",
}


def code_for_label(vocab: dict[str, str], value: str) -> str | None:
    """Accept either the stored code or its Chinese label (what a cadre types into a spreadsheet)."""
    value = (value or "").strip()
    if value in vocab:
        return value
    for code, label in vocab.items():
        if label == value:
            return code
    return None

# What happened to an organisation (its history on its page).
EVENT_KINDS = {"founded": "组建", "renamed": "更名", "secretary": "更换书记", "moved": "调整隶属", "dissolved": "撤销"}
