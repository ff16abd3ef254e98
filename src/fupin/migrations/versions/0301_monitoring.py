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
    thresholds = c.create_table('monitoring_thresholds',
        c.small_integer('year'),
        c.string('province_code', 2),
        c.numeric('amount', 14, 2),
        c.string('note', 200, nullable=True),
        primary_key=('year', 'province_code'),
    )
    # 2021: 6,000 yuan per person and year, the national monitoring threshold of the first year.
    op.bulk_insert(thresholds, [{'year': 2021, 'province_code': '00', 'amount': 6000,
                                 'note': '2021年全国防返贫监测标准'}])
    c.create_table('monitored_households',
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
        c.household_key(),
        indexes=[
            c.index('ix_monitored_households_area', 'area_code', 'status'),
            c.index('ix_monitored_households_household', 'household_id'),
        ],
    )
    c.create_table('monitoring_steps',
        c.big_id(),
        c.big_ref('monitored_id'),
        c.area_code(),
        c.string('step', 24),
        *c.step_record(),
        c.foreign_key('monitored_id', 'monitored_households.id', ondelete='CASCADE'),
        indexes=[c.index('ix_monitoring_steps_monitored_id', 'monitored_id', 'id')],
    )


def downgrade() -> None:
    op.drop_table('monitoring_steps')
    op.drop_table('monitored_households')
    op.drop_table('monitoring_thresholds')
