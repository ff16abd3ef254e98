"""monitoring: each identification step once per record, one open record per household

Revision ID: 0302
Revises: 0301
Create Date: 2026-11-30 12:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0302'
down_revision = '0301'
branch_labels = None
depends_on = None

OPEN_CONDITION = "status IN ('identifying', 'monitored')"


def upgrade() -> None:
    with op.batch_alter_table('monitoring_steps', schema=None) as batch_op:
        batch_op.create_index('uq_monitoring_steps_step', ['monitored_id', 'step'], unique=True)
    with op.batch_alter_table('monitored_households', schema=None) as batch_op:
        batch_op.create_index('uq_monitored_households_open', ['household_id'], unique=True,
                              sqlite_where=sa.text(OPEN_CONDITION), postgresql_where=sa.text(OPEN_CONDITION))


def downgrade() -> None:
    with op.batch_alter_table('monitored_households', schema=None) as batch_op:
        batch_op.drop_index('uq_monitored_households_open')
    with op.batch_alter_table('monitoring_steps', schema=None) as batch_op:
        batch_op.drop_index('uq_monitoring_steps_step')
