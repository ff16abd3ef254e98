"""monitoring: thresholds, monitored households, identification steps

Revision ID: 0301
Revises: 0002
Create Date: 2026-11-23 20:40:00
"""
from __future__ import annotations

from alembic import op

from fupin.migrations import columns as c

revision = '0301'
down_revision = '0002'
branch_labels = ('monitoring',)
depends_on = None


def upgrade() -> None:
    thresholds = op.create_table(
        'monitoring_thresholds',
        c.small_integer('year'),
        c.string('province_code', 2),
        c.numeric('amount', 14, 2),
        c.string('note', 200, nullable=True),
        c.primary_key('monitoring_thresholds', 'year', 'province_code'),
    )
    # 2021: 6,000 yuan per person and year, the national monitoring threshold of the first year.
    op.bulk_insert(thresholds, [{'year': 2021, 'province_code': '00', 'amount': 6000,
                                 'note': '2021年全国防返贫监测标准'}])
    op.create_table(
        'monitored_households',
        c.big_id(),
        *c.household_scope(),
        c.string('monitor_type', 16),
        c.string('risk_types', 200),
        c.string('channel', 20),
        c.date('clue_on'),
        c.string('status', 16),
        c.date('identified_on', nullable=True),
        c.date('cleared_on', nullable=True),
        c.string('note', 500, nullable=True),
        c.created_at(),
        c.version(),
        c.household_key('monitored_households'),
        c.primary_key('monitored_households'),
    )
    with op.batch_alter_table('monitored_households', schema=None) as batch_op:
        batch_op.create_index('ix_monitored_households_area', ['area_code', 'status'], unique=False)
        batch_op.create_index('ix_monitored_households_household', ['household_id'], unique=False)
    op.create_table(
        'monitoring_steps',
        c.big_id(),
        c.big_ref('monitored_id'),
        c.area_code(),
        c.string('step', 24),
        c.date('happened_on'),
        c.string('actor_name', 120),
        c.string('note', 500, nullable=True),
        c.created_at(),
        c.foreign_key('monitoring_steps', 'monitored_id', 'monitored_households.id', ondelete='CASCADE'),
        c.primary_key('monitoring_steps'),
    )
    with op.batch_alter_table('monitoring_steps', schema=None) as batch_op:
        batch_op.create_index('ix_monitoring_steps_monitored_id', ['monitored_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_table('monitoring_steps')
    op.drop_table('monitored_households')
    op.drop_table('monitoring_thresholds')
