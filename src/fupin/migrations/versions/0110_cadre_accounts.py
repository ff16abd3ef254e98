"""orgs: a cadre may be linked to the login account he uses (visits default to that cadre)

Revision ID: 0110
Revises: 0102
Create Date: 2026-11-30 13:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0110'
down_revision = '0102'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cadres', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_index('uq_cadres_user_id', ['user_id'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('cadres', schema=None) as batch_op:
        batch_op.drop_index('uq_cadres_user_id')
        batch_op.drop_column('user_id')
