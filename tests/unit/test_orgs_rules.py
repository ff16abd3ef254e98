import datetime as dt
from decimal import Decimal

from fupin.orgs.rules import (
    RuleResult,
    build_forest,
    cadre_problems,
    coverage_rate,
    creates_cycle,
    is_active_on,
    is_administrative_village,
    org_problems,
)
from fupin.orgs.vocab import CADRE_RANKS, code_for_label

DAY = dt.date(2020, 1, 1)


def test_a_well_described_org_has_no_problems_and_a_bad_one_names_each_field_with_a_code():
    assert org_problems("branch", "village", None, None, None, DAY) == []
    assert org_problems("branch", "industry_chain", "苹果产业链", None, None, DAY) == []
    bad = org_problems("club", "moon", None, None, None, DAY)
    assert [(e.field, e.code) for e in bad] == [("org_type", "orgs.org_type_unknown"),
                                                 ("base_kind", "orgs.base_kind_unknown")]
    assert [e.code for e in org_problems("branch", "cooperative", " ", None, None, DAY)] == ["orgs.base_name_required"]
    migrant = org_problems("branch", "migrant", None, "", "5303", DAY)
    assert [(e.field, e.code) for e in migrant] == [("destination", "orgs.destination_required"),
                                                     ("origin_county_code", "orgs.origin_county_required")]
    assert [e.code for e in org_problems("branch", "village", None, None, None, DAY, DAY - dt.timedelta(days=1))] \
        == ["orgs.dissolved_before_founded"]


def test_a_cadre_record_names_each_missing_or_inconsistent_field_with_a_code():
    assert cadre_problems("李明", "县财政局", "section", "first_secretary", DAY, None) == []
    bad = cadre_problems(" ", "", "处长", "秘书", DAY, DAY - dt.timedelta(days=1))
    assert [(e.field, e.code) for e in bad] == [
        ("name", "orgs.name_required"), ("work_unit", "orgs.work_unit_required"), ("rank", "orgs.rank_unknown"),
        ("post", "orgs.post_unknown"), ("active_to", "orgs.active_to_before_from")]
    assert [e.code for e in cadre_problems("李明", "局", "county", "helper", None, None)] == \
        ["orgs.active_from_required"]


def test_activity_is_half_open_on_the_dissolution_day():
    assert is_active_on(DAY, None, DAY)
    assert not is_active_on(DAY, DAY + dt.timedelta(days=5), DAY + dt.timedelta(days=5))
    assert not is_active_on(DAY, None, DAY - dt.timedelta(days=1))


def test_moving_an_org_under_its_own_descendant_is_a_cycle():
    parents = {1: None, 2: 1, 3: 2}
    assert creates_cycle(1, 3, parents)
    assert creates_cycle(2, 2, parents)
    assert not creates_cycle(3, 1, parents)
    assert not creates_cycle(1, None, parents)


def test_forest_puts_orphans_of_the_scope_at_the_root():
    roots = build_forest([(2, 1, "b"), (3, 2, "c"), (4, 99, "d"), (5, None, "e")])
    assert [r.id for r in roots] == [2, 4, 5]
    assert [c.id for c in roots[0].children] == [3]


def test_rate_is_one_decimal_and_none_when_nothing_to_cover():
    assert coverage_rate(2, 3) == Decimal("66.7")
    assert coverage_rate(0, 0) is None
    assert coverage_rate(5, 5) == Decimal("100.0")


def test_a_rule_without_data_shows_no_zero():
    result = RuleResult("k", "名", "name", "000", "100%", has_data=False, no_data_reason="无数据")
    out = result.as_dict()
    assert out["status"] == "no_data" and out["covered"] is None and out["rate"] is None and out["total"] is None


def test_communities_are_not_administrative_villages_and_labels_map_to_codes():
    assert is_administrative_village("北坎村")
    assert not is_administrative_village("以礼社区(易地扶贫搬迁安置点)")
    assert not is_administrative_village("城南居委会") and is_administrative_village("居委会村")
    assert code_for_label(CADRE_RANKS, "乡科级") == "section"
    assert code_for_label(CADRE_RANKS, "county") == "county"
    assert code_for_label(CADRE_RANKS, "处长") is None
