"""registry: members kept by date (joined_on / left_on with their reasons), for figures of past years

Revision ID: 0220
Revises: 0210
Create Date: 2026-11-30 13:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0220'
down_revision = '0210'  # re-chained at merge: 0210 (registry fidelity) came first
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('joined_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('join_reason', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('left_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('leave_reason', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('leave_note', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_column('leave_note')
        batch_op.drop_column('leave_reason')
        batch_op.drop_column('left_on')
        batch_op.drop_column('join_reason')
        batch_op.drop_column('joined_on')
