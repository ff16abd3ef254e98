"""Demo: the rural registered population of every demo village (the denominator of poverty incidence).

Each village's population is its registered people times a factor (the demo county's poverty incidence in 2014
was about 12%), growing slightly by year; one GROUP BY over the registry, one bulk insert.
"""

from __future__ import annotations

from sqlalchemy import func, select

from fupin.core.db import bulk_insert
from fupin.core.demo import DemoContext
from fupin.core.scoping import Scope
from fupin.indicators.models import RuralPopulation

DEMO_YEARS = (2018, 2019, 2020)


def build(ctx: DemoContext) -> None:
    from fupin.registry.queries import persons_subquery

    rng = ctx.rng("indicators.population")
    people = persons_subquery(Scope.of_area(ctx.county_code))
    village = func.substr(people.c.area_code, 1, 12)
    with ctx.db.engine.begin() as conn:
        counts = conn.execute(select(village, func.count()).group_by(village).order_by(village)).all()
        rows = []
        for code, registered in counts:
            base = int(registered) * rng.randint(700, 1100) // 100
            for offset, year in enumerate(DEMO_YEARS):
                rows.append((year, code, base + offset * rng.randint(0, 20)))
        bulk_insert(conn, RuralPopulation.__table__, ["year", "area_code", "rural_population"], rows)
    ctx.summary.append(f"农村户籍人口:{len(counts)}个村 × {len(DEMO_YEARS)}年(贫困发生率的分母)")
