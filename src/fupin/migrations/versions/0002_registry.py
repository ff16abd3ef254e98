"""registry ledger: incomes, checks, measures, visits, household events, poverty lines

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 19:15:52.412996
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fupin.core.db

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.add_column(sa.Column("has_vehicle", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("has_commercial_flat", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("runs_business", sa.Boolean(), nullable=True))
    op.create_table('poverty_lines',
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('year', 'province_code', name=op.f('pk_poverty_lines'))
    )
    op.create_table('help_measures',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('measure_type', sa.String(length=24), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('delivered_on', sa.Date(), nullable=False),
    sa.Column('helper_name', sa.String(length=60), nullable=True),
    sa.Column('created_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_help_measures_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_measures'))
    )
    with op.batch_alter_table('help_measures', schema=None) as batch_op:
        batch_op.create_index('ix_help_measures_area_code', ['area_code', 'delivered_on'], unique=False)
        batch_op.create_index('ix_help_measures_household_id', ['household_id', 'delivered_on'], unique=False)

    op.create_table('household_checks',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('food_ok', sa.Boolean(), nullable=False),
    sa.Column('clothing_ok', sa.Boolean(), nullable=False),
    sa.Column('education_ok', sa.Boolean(), nullable=False),
    sa.Column('medical_ok', sa.Boolean(), nullable=False),
    sa.Column('housing_ok', sa.Boolean(), nullable=False),
    sa.Column('water_litres_per_person_day', sa.SmallInteger(), nullable=True),
    sa.Column('water_trip_minutes', sa.SmallInteger(), nullable=True),
    sa.Column('water_outage_days', sa.SmallInteger(), nullable=True),
    sa.Column('water_quality_ok', sa.Boolean(), nullable=False),
    sa.Column('water_short_area', sa.Boolean(), nullable=False),
    sa.Column('checked_by', sa.String(length=60), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_household_checks_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_checks'))
    )
    with op.batch_alter_table('household_checks', schema=None) as batch_op:
        batch_op.create_index('ix_household_checks_area_year', ['area_code', 'year'], unique=False)
        batch_op.create_index('uq_household_checks_household_year', ['household_id', 'year'], unique=True)

    op.create_table('household_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=True),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=True),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('actor_name', sa.String(length=120), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_household_events_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_events'))
    )
    with op.batch_alter_table('household_events', schema=None) as batch_op:
        batch_op.create_index('ix_household_events_household_id', ['household_id', 'id'], unique=False)

    op.create_table('household_incomes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('members', sa.SmallInteger(), nullable=False),
    sa.Column('wages', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('production_income', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('property_income', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('transfer_income', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('production_costs', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('net_income', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('per_capita_net', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_household_incomes_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_incomes'))
    )
    with op.batch_alter_table('household_incomes', schema=None) as batch_op:
        batch_op.create_index('ix_household_incomes_area_year', ['area_code', 'year'], unique=False)
        batch_op.create_index('uq_household_incomes_household_year', ['household_id', 'year'], unique=True)

    op.create_table('visits',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('cadre_id', sa.Integer(), nullable=True),
    sa.Column('visitor_name', sa.String(length=60), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('found', sa.String(length=1000), nullable=True),
    sa.Column('done', sa.String(length=1000), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_visits_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits'))
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index('ix_visits_area_code', ['area_code', 'visited_on'], unique=False)
        batch_op.create_index('ix_visits_cadre_id', ['cadre_id', 'visited_on'], unique=False)
        batch_op.create_index('ix_visits_household_id', ['household_id', 'visited_on'], unique=False)
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
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index('ix_visits_household_id')
        batch_op.drop_index('ix_visits_cadre_id')
        batch_op.drop_index('ix_visits_area_code')

    op.drop_table('visits')
    with op.batch_alter_table('household_incomes', schema=None) as batch_op:
        batch_op.drop_index('uq_household_incomes_household_year')
        batch_op.drop_index('ix_household_incomes_area_year')

    op.drop_table('household_incomes')
    with op.batch_alter_table('household_events', schema=None) as batch_op:
        batch_op.drop_index('ix_household_events_household_id')

    op.drop_table('household_events')
    with op.batch_alter_table('household_checks', schema=None) as batch_op:
        batch_op.drop_index('uq_household_checks_household_year')
        batch_op.drop_index('ix_household_checks_area_year')

    op.drop_table('household_checks')
    with op.batch_alter_table('help_measures', schema=None) as batch_op:
        batch_op.drop_index('ix_help_measures_household_id')
        batch_op.drop_index('ix_help_measures_area_code')

    op.drop_table('help_measures')
    op.drop_table('poverty_lines')
