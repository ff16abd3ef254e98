"""The indicators capability's own group (declared in its plugin like every other capability's): the rural
registered population entered per area and year — the denominator of poverty incidence."""

from __future__ import annotations

from sqlalchemy import func, select

from fupin.core.rollup import Context, Figures, IndicatorGroup, area_key, collect
from fupin.indicators.models import RuralPopulation


def _population(ctx: Context, figures: Figures) -> None:
    stmt = (select(area_key(RuralPopulation.area_code), func.sum(RuralPopulation.rural_population))
            .where(ctx.scope.condition(RuralPopulation.area_code), RuralPopulation.year == ctx.year)
            .group_by(area_key(RuralPopulation.area_code)))
    collect(figures, ctx.session.execute(stmt), ["rural_population"])


GROUPS = {"population": IndicatorGroup(("rural_population",), _population)}
