"""industry: entities, memberships, land, runs, collective income

Revision ID: 0501
Revises: 0002
Create Date: 2026-11-30 13:12:21
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fupin.core.db  # noqa: F401  (custom column types such as UTCDateTime)

revision = '0501'
down_revision = '0002'
branch_labels = ('industry',)
depends_on = None


def upgrade() -> None:
    op.create_table('industry_entities',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('industry', sa.String(length=16), nullable=False),
    sa.Column('led_by_org_id', sa.Integer(), nullable=True),
    sa.Column('upstream_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('founded_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_industry_entities_area_code_areas')),
    sa.ForeignKeyConstraint(['upstream_id'], ['industry_entities.id'], name=op.f('fk_industry_entities_upstream_id_industry_entities'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_industry_entities'))
    )
    with op.batch_alter_table('industry_entities', schema=None) as batch_op:
        batch_op.create_index('ix_industry_entities_area_code', ['area_code', 'kind'], unique=False)
        batch_op.create_index('ix_industry_entities_led_by_org_id', ['led_by_org_id'], unique=False)
        batch_op.create_index('uq_industry_entities_credit_code', ['credit_code'], unique=True)

    op.create_table('industry_land_contracts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('entity_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('plots', sa.String(length=200), nullable=True),
    sa.Column('area_mu', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('rent_per_mu', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('created_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entity_id'], ['industry_entities.id'], name=op.f('fk_industry_land_contracts_entity_id_industry_entities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_industry_land_contracts_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_industry_land_contracts'))
    )
    with op.batch_alter_table('industry_land_contracts', schema=None) as batch_op:
        batch_op.create_index('ix_industry_land_contracts_area_code', ['area_code'], unique=False)
        batch_op.create_index('ix_industry_land_contracts_entity_id', ['entity_id'], unique=False)
        batch_op.create_index('ix_industry_land_contracts_household_id', ['household_id'], unique=False)

    op.create_table('industry_memberships',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('entity_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('link_kind', sa.String(length=16), nullable=False),
    sa.Column('shares', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entity_id'], ['industry_entities.id'], name=op.f('fk_industry_memberships_entity_id_industry_entities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_industry_memberships_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_industry_memberships'))
    )
    with op.batch_alter_table('industry_memberships', schema=None) as batch_op:
        batch_op.create_index('ix_industry_memberships_area_code', ['area_code'], unique=False)
        batch_op.create_index('ix_industry_memberships_entity_id', ['entity_id', 'left_on'], unique=False)
        batch_op.create_index('ix_industry_memberships_household_id', ['household_id'], unique=False)

    op.create_table('industry_runs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('entity_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('total', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('enterprise_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('village_basis', sa.String(length=24), nullable=False),
    sa.Column('inside_village', sa.String(length=16), nullable=False),
    sa.Column('household_cap', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('income_field', sa.String(length=20), nullable=False),
    sa.Column('villages', sa.String(length=4000), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('corrects_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=False),
    sa.Column('created_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_by', sa.String(length=60), nullable=True),
    sa.Column('confirmed_at', fupin.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['corrects_id'], ['industry_runs.id'], name=op.f('fk_industry_runs_corrects_id_industry_runs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entity_id'], ['industry_entities.id'], name=op.f('fk_industry_runs_entity_id_industry_entities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_industry_runs'))
    )
    with op.batch_alter_table('industry_runs', schema=None) as batch_op:
        batch_op.create_index('ix_industry_runs_area_code', ['area_code', 'status'], unique=False)
        batch_op.create_index('ix_industry_runs_entity_id', ['entity_id', 'period'], unique=False)

    op.create_table('industry_collective_incomes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_industry_collective_incomes_area_code_areas')),
    sa.ForeignKeyConstraint(['run_id'], ['industry_runs.id'], name=op.f('fk_industry_collective_incomes_run_id_industry_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_industry_collective_incomes'))
    )
    with op.batch_alter_table('industry_collective_incomes', schema=None) as batch_op:
        batch_op.create_index('ix_industry_collective_incomes_area_code', ['area_code', 'year'], unique=False)

    op.create_table('industry_rent_payments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('contract_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('paid', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['industry_land_contracts.id'], name=op.f('fk_industry_rent_payments_contract_id_industry_land_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_industry_rent_payments'))
    )
    with op.batch_alter_table('industry_rent_payments', schema=None) as batch_op:
        batch_op.create_index('uq_industry_rent_payments_contract_year', ['contract_id', 'year'], unique=True)

    op.create_table('industry_run_parts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('weight', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_industry_run_parts_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['industry_runs.id'], name=op.f('fk_industry_run_parts_run_id_industry_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_industry_run_parts'))
    )
    with op.batch_alter_table('industry_run_parts', schema=None) as batch_op:
        batch_op.create_index('ix_industry_run_parts_area_code', ['area_code', 'kind'], unique=False)
        batch_op.create_index('ix_industry_run_parts_household_id', ['household_id'], unique=False)
        batch_op.create_index('ix_industry_run_parts_run_id', ['run_id', 'kind'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('industry_run_parts', schema=None) as batch_op:
        batch_op.drop_index('ix_industry_run_parts_run_id')
        batch_op.drop_index('ix_industry_run_parts_household_id')
        batch_op.drop_index('ix_industry_run_parts_area_code')

    op.drop_table('industry_run_parts')
    with op.batch_alter_table('industry_rent_payments', schema=None) as batch_op:
        batch_op.drop_index('uq_industry_rent_payments_contract_year')

    op.drop_table('industry_rent_payments')
    with op.batch_alter_table('industry_collective_incomes', schema=None) as batch_op:
        batch_op.drop_index('ix_industry_collective_incomes_area_code')

    op.drop_table('industry_collective_incomes')
    with op.batch_alter_table('industry_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_industry_runs_entity_id')
        batch_op.drop_index('ix_industry_runs_area_code')

    op.drop_table('industry_runs')
    with op.batch_alter_table('industry_memberships', schema=None) as batch_op:
        batch_op.drop_index('ix_industry_memberships_household_id')
        batch_op.drop_index('ix_industry_memberships_entity_id')
        batch_op.drop_index('ix_industry_memberships_area_code')

    op.drop_table('industry_memberships')
    with op.batch_alter_table('industry_land_contracts', schema=None) as batch_op:
        batch_op.drop_index('ix_industry_land_contracts_household_id')
        batch_op.drop_index('ix_industry_land_contracts_entity_id')
        batch_op.drop_index('ix_industry_land_contracts_area_code')

    op.drop_table('industry_land_contracts')
    with op.batch_alter_table('industry_entities', schema=None) as batch_op:
        batch_op.drop_index('uq_industry_entities_credit_code')
        batch_op.drop_index('ix_industry_entities_led_by_org_id')
        batch_op.drop_index('ix_industry_entities_area_code')

    op.drop_table('industry_entities')
