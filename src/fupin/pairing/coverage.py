"""The coverage rules pairing contributes (declared in the plugin's `coverage_rules`): every registered household
has a helper (seed 003) and every relocated household a Party-member contact (seed 000)."""

from __future__ import annotations

from sqlalchemy import select

from fupin.core.scoping import Scope
from fupin.orgs.coverage import CoverageContext, CoverageRule, RuleItems, lent_select
from fupin.orgs.rules import Gap
from fupin.pairing.queries import helpers_per_household
from fupin.registry.queries import households_select


def _household_helper(ctx: CoverageContext) -> RuleItems | str:
    households = households_select(ctx.scope).subquery("households")
    helped = helpers_per_household(ctx.scope, ctx.day).subquery("helped")
    base = (select(households.c.id, households.c.household_no, households.c.head_name, households.c.area_code)
            .outerjoin(helped, helped.c.household_id == households.c.id)
            .order_by(households.c.area_code, households.c.id))
    return RuleItems(base, households.c.area_code, helped.c.household_id.is_not(None),
                     lambda row: Gap(f"{row.head_name}户({row.household_no})", row.area_code, "",
                                     "没有在岗的结对帮扶责任人"))


def _relocated_party_contact(ctx: CoverageContext) -> RuleItems | str:
    relocated_select = lent_select("relocation.relocated_households_select", "搬迁户(搬迁模块)")
    if isinstance(relocated_select, str):
        return relocated_select
    relocated = relocated_select(ctx.scope).subquery("relocated")
    households = households_select(Scope.everything()).subquery("households")
    party = helpers_per_household(Scope.everything(), ctx.day, party_members_only=True).subquery("helped")
    moved = (select(relocated.c.household_id.label("id"), households.c.household_no, households.c.head_name,
                    households.c.area_code, relocated.c.site_area_code)
             .join(households, households.c.id == relocated.c.household_id)
             .where(relocated.c.status != "planned")).subquery("moved")
    base = (select(moved.c.id, moved.c.household_no, moved.c.head_name, moved.c.area_code)
            .outerjoin(party, party.c.household_id == moved.c.id)
            .order_by(moved.c.area_code, moved.c.id))
    # Counted where the site is (the scope of the rule), listed with the household's own area.
    return RuleItems(base, moved.c.site_area_code, party.c.household_id.is_not(None),
                     lambda row: Gap(f"{row.head_name}户({row.household_no})", row.area_code, "",
                                     "搬迁户没有党员干部联系"))


HOUSEHOLD_HELPER = CoverageRule("household_helper", "每户建档立卡户都有帮扶责任人", "Every registered household has a helper",
                                "003", "≥1名在岗帮扶干部", _household_helper, order=60)
RELOCATED_PARTY_CONTACT = CoverageRule(
    "relocated_party_contact", "每户搬迁户都有党员联系", "Every relocated household has a Party-member contact", "000",
    "≥1名党员干部", _relocated_party_contact, order=70)
PAIRING_RULES = (HOUSEHOLD_HELPER, RELOCATED_PARTY_CONTACT)
