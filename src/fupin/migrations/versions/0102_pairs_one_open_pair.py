"""pairing: one open pair per cadre and household (a partial unique index)

Duplicates written before (20 parallel applies of one plan on SQLite once left hundreds) are ended first: the
oldest open pair of each cadre and household stays, the later copies end today with a reason, as dated rows.

Revision ID: 0102
Revises: 0101
Create Date: 2026-12-01 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0102'
down_revision = '0101'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.text(
        "UPDATE pairs SET ended_on = CURRENT_DATE, end_reason = '重复结对(系统清理)' "
        "WHERE ended_on IS NULL AND id NOT IN ("
        "SELECT MIN(id) FROM pairs WHERE ended_on IS NULL GROUP BY cadre_id, household_id)"))
    with op.batch_alter_table('pairs', schema=None) as batch_op:
        batch_op.create_index('uq_pairs_open_cadre_household', ['cadre_id', 'household_id'], unique=True,
                              postgresql_where=sa.text('ended_on IS NULL'), sqlite_where=sa.text('ended_on IS NULL'))


def downgrade() -> None:
    with op.batch_alter_table('pairs', schema=None) as batch_op:
        batch_op.drop_index('uq_pairs_open_cadre_household', postgresql_where=sa.text('ended_on IS NULL'),
                            sqlite_where=sa.text('ended_on IS NULL'))
