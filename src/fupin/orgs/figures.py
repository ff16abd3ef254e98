"""Orgs' indicator group (declared in the plugin's `indicator_groups`): for every coverage rule, its covered and
total items per area (`coverage.coverage_by_area`, one GROUP BY per rule) as the figures `org_<rule>_covered` and
`org_<rule>_total`, which the indicators fold up every level like any other count. A rule whose data does not
exist yet answers its reason for both figures, never a zero."""

from __future__ import annotations

from collections.abc import Mapping

from fupin.core.rollup import Context, Figures, IndicatorGroup, add
from fupin.orgs import coverage


def covered_figure(rule: str) -> str:
    return f"org_{rule}_covered"


def total_figure(rule: str) -> str:
    return f"org_{rule}_total"


def figure_names() -> tuple[str, ...]:
    """Read when the indicators ask, not at import: the rules are contributions of every capability."""
    return tuple(name for rule in coverage.all_rules() for name in (covered_figure(rule.key), total_figure(rule.key)))


def _coverage(ctx: Context, figures: Figures) -> Mapping[str, str]:
    wanted = {rule.key for rule in coverage.all_rules()
              if not ctx.wanted or {covered_figure(rule.key), total_figure(rule.key)} & ctx.wanted}
    missing: dict[str, str] = {}
    for key, answer in coverage.coverage_by_area(ctx.session, ctx.scope, ctx.day, only=wanted).items():
        if not answer.has_data:
            reason = answer.no_data_reason or "无数据 / no data yet"
            missing[covered_figure(key)] = missing[total_figure(key)] = reason
            continue
        for code, (covered, total) in answer.counts.items():
            add(figures, code, covered_figure(key), covered)
            add(figures, code, total_figure(key), total)
    return missing


GROUPS = {"coverage": IndicatorGroup(figure_names, _coverage)}
