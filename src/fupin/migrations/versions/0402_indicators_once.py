"""indicators: each area-exit step once per exit

Revision ID: 0402
Revises: 0401
Create Date: 2026-11-30 12:00:00
"""
from __future__ import annotations

from alembic import op

revision = '0402'
down_revision = '0401'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('area_exit_steps', schema=None) as batch_op:
        batch_op.create_index('uq_area_exit_steps_step', ['area_exit_id', 'step'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('area_exit_steps', schema=None) as batch_op:
        batch_op.drop_index('uq_area_exit_steps_step')
