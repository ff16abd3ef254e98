"""registry ledger: incomes, checks, measures, visits, household events, poverty lines

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 19:15:52.412996
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fupin.migrations import columns as c

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def _one_a_year(table: str) -> list:
    """A household's yearly record: one per household and year, listed by area and year."""
    return [c.index(f'ix_{table}_area_year', 'area_code', 'year'),
            c.index(f'uq_{table}_household_year', 'household_id', 'year', unique=True)]


def upgrade() -> None:
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.add_column(c.boolean("has_vehicle", nullable=True))
        batch_op.add_column(c.boolean("has_commercial_flat", nullable=True))
        batch_op.add_column(c.boolean("runs_business", nullable=True))
    c.create_table('poverty_lines',
    c.small_integer('year'),
    c.string('province_code', 2),
    c.numeric('amount', 14, 2),
    c.string('note', 200, nullable=True),
    primary_key=('year', 'province_code'),
    )
    c.create_table('help_measures',
    c.big_id(),
    *c.household_scope(),
    c.string('measure_type', 24),
    c.string('description', 500, nullable=True),
    c.numeric('amount', 14, 2, nullable=True),
    c.date('delivered_on'),
    c.string('helper_name', 60, nullable=True),
    c.created_at(),
    c.version(),
    c.household_key(),
    indexes=[
        c.index('ix_help_measures_area_code', 'area_code', 'delivered_on'),
        c.index('ix_help_measures_household_id', 'household_id', 'delivered_on'),
    ],
    )

    c.create_table('household_checks',
    c.big_id(),
    *c.household_scope(),
    c.small_integer('year'),
    c.date('checked_on'),
    c.boolean('food_ok'),
    c.boolean('clothing_ok'),
    c.boolean('education_ok'),
    c.boolean('medical_ok'),
    c.boolean('housing_ok'),
    c.small_integer('water_litres_per_person_day', nullable=True),
    c.small_integer('water_trip_minutes', nullable=True),
    c.small_integer('water_outage_days', nullable=True),
    c.boolean('water_quality_ok'),
    c.boolean('water_short_area'),
    c.string('checked_by', 60, nullable=True),
    c.string('note', 500, nullable=True),
    c.version(),
    c.household_key(),
    indexes=_one_a_year('household_checks'),
    )

    c.create_table('household_events',
    c.big_id(),
    c.big_ref('household_id'),
    c.area_code(),
    c.string('kind', 16),
    c.string('step', 32, nullable=True),
    c.string('from_status', 16, nullable=True),
    c.string('to_status', 16, nullable=True),
    *c.step_record(),
    c.household_key(),
    indexes=[c.index('ix_household_events_household_id', 'household_id', 'id')],
    )

    c.create_table('household_incomes',
    c.big_id(),
    *c.household_scope(),
    c.small_integer('year'),
    c.small_integer('members'),
    c.numeric('wages', 14, 2),
    c.numeric('production_income', 14, 2),
    c.numeric('property_income', 14, 2),
    c.numeric('transfer_income', 14, 2),
    c.numeric('production_costs', 14, 2),
    c.numeric('net_income', 14, 2),
    c.numeric('per_capita_net', 14, 2),
    c.version(),
    c.household_key(),
    indexes=_one_a_year('household_incomes'),
    )

    c.create_table('visits',
    c.big_id(),
    *c.household_scope(),
    c.integer('cadre_id', nullable=True),
    c.string('visitor_name', 60),
    c.date('visited_on'),
    c.string('found', 1000, nullable=True),
    c.string('done', 1000, nullable=True),
    c.integer('created_by', nullable=True),
    c.created_at(),
    c.version(),
    c.household_key(),
    indexes=[
        c.index('ix_visits_area_code', 'area_code', 'visited_on'),
        c.index('ix_visits_cadre_id', 'cadre_id', 'visited_on'),
        c.index('ix_visits_household_id', 'household_id', 'visited_on'),
    ],
    )
    _seed_national_poverty_lines()


# The national rural poverty line (2,300 yuan at 2010 prices) in current yuan, per year.
NATIONAL_LINES = {2011: "2536", 2012: "2625", 2013: "2736", 2014: "2800", 2015: "2855", 2016: "2952",
                  2017: "3335", 2018: "3535", 2019: "3747", 2020: "4000"}


def _seed_national_poverty_lines() -> None:
    table = sa.table("poverty_lines", sa.column("year", sa.SmallInteger), sa.column("province_code", sa.String),
                     sa.column("amount", sa.Numeric(14, 2)), sa.column("note", sa.String))
    op.bulk_insert(table, [
        {"year": year, "province_code": "00", "amount": amount, "note": "国家扶贫标准(2010年不变价2300元)"}
        for year, amount in NATIONAL_LINES.items()
    ])


def downgrade() -> None:
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.drop_column("runs_business")
        batch_op.drop_column("has_commercial_flat")
        batch_op.drop_column("has_vehicle")
    # A table's indexes go with it.
    for table in ('visits', 'household_incomes', 'household_events', 'household_checks', 'help_measures', 'poverty_lines'):
        op.drop_table(table)
