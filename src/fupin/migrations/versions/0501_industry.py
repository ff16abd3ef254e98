"""industry: entities, memberships, land, runs, collective income

Revision ID: 0501
Revises: 0002
Create Date: 2026-11-30 13:12:21
"""
from __future__ import annotations

from alembic import op

from fupin.migrations import columns as c

revision = '0501'
down_revision = '0002'
branch_labels = ('industry',)
depends_on = None


def upgrade() -> None:
    c.create_table('industry_entities',
    c.big_id(),
    c.county_code(),
    c.area_code(),
    c.string('name', 100),
    c.string('kind', 16),
    c.string('credit_code', 18, nullable=True),
    c.string('industry', 16),
    c.integer('led_by_org_id', nullable=True),
    c.big_ref('upstream_id', nullable=True),
    c.date('founded_on', nullable=True),
    c.string('note', 500, nullable=True),
    c.created_at(),
    c.version(),
    c.area_key(),
    c.foreign_key('upstream_id', 'industry_entities.id', ondelete='SET NULL'),
    indexes=[
        c.index('ix_industry_entities_area_code', 'area_code', 'kind'),
        c.index('ix_industry_entities_led_by_org_id', 'led_by_org_id'),
        c.index('uq_industry_entities_credit_code', 'credit_code', unique=True),
    ],
    )

    c.create_table('industry_land_contracts',
    c.big_id(),
    c.big_ref('entity_id'),
    *c.household_scope(),
    c.string('plots', 200, nullable=True),
    c.numeric('area_mu', 12, 2),
    c.numeric('rent_per_mu', 10, 2),
    c.date('starts_on'),
    c.date('ends_on'),
    c.created_at(),
    c.foreign_key('entity_id', 'industry_entities.id', ondelete='CASCADE'),
    c.household_key(),
    indexes=[
        c.index('ix_industry_land_contracts_area_code', 'area_code'),
        c.index('ix_industry_land_contracts_entity_id', 'entity_id'),
        c.index('ix_industry_land_contracts_household_id', 'household_id'),
    ],
    )

    c.create_table('industry_memberships',
    c.big_id(),
    c.big_ref('entity_id'),
    c.big_ref('household_id', nullable=True),
    c.county_code(),
    c.area_code(),
    c.string('link_kind', 16),
    c.numeric('shares', 14, 2),
    c.date('joined_on'),
    c.date('left_on', nullable=True),
    c.version(),
    c.foreign_key('entity_id', 'industry_entities.id', ondelete='CASCADE'),
    c.household_key(),
    indexes=[
        c.index('ix_industry_memberships_area_code', 'area_code'),
        c.index('ix_industry_memberships_entity_id', 'entity_id', 'left_on'),
        c.index('ix_industry_memberships_household_id', 'household_id'),
    ],
    )

    c.create_table('industry_runs',
    c.big_id(),
    c.big_ref('entity_id'),
    c.county_code(),
    c.area_code(),
    c.string('period', 20),
    c.integer('year'),
    c.string('unit', 8),
    c.numeric('total', 14, 2),
    c.numeric('enterprise_percent', 5, 2),
    c.string('village_basis', 24),
    c.string('inside_village', 16),
    c.numeric('household_cap', 14, 2, nullable=True),
    c.string('income_field', 20),
    c.string('villages', 4000),
    c.string('status', 12),
    c.big_ref('corrects_id', nullable=True),
    c.string('created_by', 60),
    c.created_at(),
    c.string('confirmed_by', 60, nullable=True),
    c.timestamp('confirmed_at', nullable=True),
    c.version(),
    c.foreign_key('corrects_id', 'industry_runs.id', ondelete='SET NULL'),
    c.foreign_key('entity_id', 'industry_entities.id', ondelete='CASCADE'),
    indexes=[
        c.index('ix_industry_runs_area_code', 'area_code', 'status'),
        c.index('ix_industry_runs_entity_id', 'entity_id', 'period'),
    ],
    )

    c.create_table('industry_collective_incomes',
    c.big_id(),
    c.county_code(),
    c.area_code(),
    c.integer('year'),
    c.string('source', 16),
    c.numeric('amount', 14, 2),
    c.big_ref('run_id', nullable=True),
    c.string('note', 200, nullable=True),
    c.date('recorded_on'),
    c.area_key(),
    c.foreign_key('run_id', 'industry_runs.id', ondelete='SET NULL'),
    indexes=[c.index('ix_industry_collective_incomes_area_code', 'area_code', 'year')],
    )

    c.create_table('industry_rent_payments',
    c.big_id(),
    c.big_ref('contract_id'),
    c.area_code(),
    c.integer('year'),
    c.numeric('paid', 14, 2),
    c.date('paid_on'),
    c.foreign_key('contract_id', 'industry_land_contracts.id', ondelete='CASCADE'),
    indexes=[c.index('uq_industry_rent_payments_contract_year', 'contract_id', 'year', unique=True)],
    )

    c.create_table('industry_run_parts',
    c.big_id(),
    c.big_ref('run_id'),
    c.string('kind', 12),
    c.area_code(),
    c.big_ref('household_id', nullable=True),
    c.numeric('weight', 14, 2),
    c.numeric('amount', 14, 2),
    c.household_key(),
    c.foreign_key('run_id', 'industry_runs.id', ondelete='CASCADE'),
    indexes=[
        c.index('ix_industry_run_parts_area_code', 'area_code', 'kind'),
        c.index('ix_industry_run_parts_household_id', 'household_id'),
        c.index('ix_industry_run_parts_run_id', 'run_id', 'kind'),
    ],
    )


def downgrade() -> None:
    # A table's indexes go with it.
    for table in ('industry_run_parts', 'industry_rent_payments', 'industry_collective_incomes', 'industry_runs',
                  'industry_memberships', 'industry_land_contracts', 'industry_entities'):
        op.drop_table(table)
