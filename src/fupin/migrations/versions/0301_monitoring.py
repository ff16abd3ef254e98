"""monitoring: thresholds, monitored households, identification steps

Revision ID: 0301
Revises: 0002
Create Date: 2026-11-23 20:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fupin.core.db

revision = '0301'
down_revision = '0002'
branch_labels = ('monitoring',)
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    thresholds = op.create_table(
        'monitoring_thresholds',
        sa.Column('year', sa.SmallInteger(), nullable=False),
        sa.Column('province_code', sa.String(length=2), nullable=False),
        sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint('year', 'province_code', name=op.f('pk_monitoring_thresholds')),
    )
    # 2021: 6,000 yuan per person and year, the national monitoring threshold of the first year.
    op.bulk_insert(thresholds, [{'year': 2021, 'province_code': '00', 'amount': 6000,
                                 'note': '2021年全国防返贫监测标准'}])
    op.create_table(
        'monitored_households',
        sa.Column('id', BigId, autoincrement=True, nullable=False),
        sa.Column('household_id', BigId, nullable=False),
        sa.Column('county_code', sa.String(length=6), nullable=False),
        sa.Column('area_code', sa.String(length=15), nullable=False),
        sa.Column('monitor_type', sa.String(length=16), nullable=False),
        sa.Column('risk_types', sa.String(length=200), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('clue_on', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('identified_on', sa.Date(), nullable=True),
        sa.Column('cleared_on', sa.Date(), nullable=True),
        sa.Column('note', sa.String(length=500), nullable=True),
        sa.Column('created_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['household_id'], ['households.id'],
                                name=op.f('fk_monitored_households_household_id_households'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_monitored_households')),
    )
    with op.batch_alter_table('monitored_households', schema=None) as batch_op:
        batch_op.create_index('ix_monitored_households_area', ['area_code', 'status'], unique=False)
        batch_op.create_index('ix_monitored_households_household', ['household_id'], unique=False)
    op.create_table(
        'monitoring_steps',
        sa.Column('id', BigId, autoincrement=True, nullable=False),
        sa.Column('monitored_id', BigId, nullable=False),
        sa.Column('area_code', sa.String(length=15), nullable=False),
        sa.Column('step', sa.String(length=24), nullable=False),
        sa.Column('happened_on', sa.Date(), nullable=False),
        sa.Column('actor_name', sa.String(length=120), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=True),
        sa.Column('created_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['monitored_id'], ['monitored_households.id'],
                                name=op.f('fk_monitoring_steps_monitored_id_monitored_households'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_steps')),
    )
    with op.batch_alter_table('monitoring_steps', schema=None) as batch_op:
        batch_op.create_index('ix_monitoring_steps_monitored_id', ['monitored_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_table('monitoring_steps')
    op.drop_table('monitored_households')
    op.drop_table('monitoring_thresholds')
