"""indicators: figure snapshots, computed by the job worker and read by the pages

Revision ID: 0403
Revises: 0402
Create Date: 2026-11-30 17:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fupin.core.db import UTCDateTime

revision = '0403'
down_revision = '0402'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'figure_snapshots',
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('area_code', sa.String(length=15), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('computed_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('wanted_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('refreshing_since', UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('kind', 'area_code', 'year', name=op.f('pk_figure_snapshots')),
    )
    op.create_index('ix_figure_snapshots_computed', 'figure_snapshots', ['computed_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_figure_snapshots_computed', table_name='figure_snapshots')
    op.drop_table('figure_snapshots')
