"""The coverage rules pairing contributes (declared in the plugin's `coverage_rules`): every registered household
has a helper (seed 003) and every relocated household a Party-member contact (seed 000)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from fupin.core.scoping import Scope
from fupin.orgs.coverage import CoverageContext, CoverageRule, RuleItems, lent_select
from fupin.orgs.rules import Gap
from fupin.pairing.queries import helpers_per_household
from fupin.registry.queries import households_select


def _households_lacking(listed: Any, helpers: Any, counted_by: Any, missing: str) -> RuleItems:
    """The households of `listed` (id, household_no, head_name, area_code), each covered when `helpers` has a row
    for it, counted by the area in `counted_by`."""
    base = (select(listed.c.id, listed.c.household_no, listed.c.head_name, listed.c.area_code)
            .outerjoin(helpers, helpers.c.household_id == listed.c.id)
            .order_by(listed.c.area_code, listed.c.id))
    return RuleItems(base, counted_by, helpers.c.household_id.is_not(None),
                     lambda row: Gap(f"{row.head_name}户({row.household_no})", row.area_code, "", missing))


def _household_helper(ctx: CoverageContext) -> RuleItems | str:
    households = households_select(ctx.scope).subquery("households")
    helped = helpers_per_household(ctx.scope, ctx.day).subquery("helped")
    return _households_lacking(households, helped, households.c.area_code, "没有在岗的结对帮扶责任人")


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
    # Counted where the site is (the scope of the rule), listed with the household's own area.
    return _households_lacking(moved, party, moved.c.site_area_code, "搬迁户没有党员干部联系")


HOUSEHOLD_HELPER = CoverageRule("household_helper", "每户建档立卡户都有帮扶责任人", "Every registered household has a helper",
                                "003", "≥1名在岗帮扶干部", _household_helper, order=60)
RELOCATED_PARTY_CONTACT = CoverageRule(
    "relocated_party_contact", "每户搬迁户都有党员联系", "Every relocated household has a Party-member contact", "000",
    "≥1名党员干部", _relocated_party_contact, order=70)
PAIRING_RULES = (HOUSEHOLD_HELPER, RELOCATED_PARTY_CONTACT)
