"""indicators: rural registered population per area and year (poverty incidence); area exit evaluations

Revision ID: 0401
Revises: 0002
Create Date: 2026-11-23 20:40:00
"""
from __future__ import annotations

from alembic import op

from fupin.migrations import columns as c

revision = '0401'
down_revision = '0002'
branch_labels = ('indicators',)
depends_on = None


def upgrade() -> None:
    c.create_table('indicator_rural_populations',
    c.small_integer('year'),
    c.area_code(),
    c.integer('rural_population'),
    c.area_key(),
    primary_key=('year', 'area_code'),
    )
    c.create_table('area_exit_surveys',
    c.big_id(),
    c.area_code(),
    c.small_integer('year'),
    c.integer('sampled_exited'),
    c.integer('wrong_exits'),
    c.integer('sampled_households'),
    c.integer('missed_registrations'),
    c.integer('approval_asked'),
    c.integer('approval_yes'),
    c.date('surveyed_on'),
    c.string('surveyor', 120),
    c.created_at(),
    c.area_key(),
    indexes=[c.index('uq_area_exit_surveys_area_year', 'area_code', 'year', unique=True)],
    )

    c.create_table('area_exits',
    c.big_id(),
    c.area_code(),
    c.string('level', 10),
    c.small_integer('year'),
    c.string('status', 16),
    c.boolean('passed'),
    c.text('reasons', nullable=True),
    c.text('figures'),
    c.created_at(),
    c.version(),
    c.area_key(),
    indexes=[c.index('uq_area_exits_area_year', 'area_code', 'year', unique=True)],
    )

    c.create_table('area_exit_steps',
    c.big_id(),
    c.big_ref('area_exit_id'),
    c.string('step', 16),
    *c.step_record(),
    c.foreign_key('area_exit_id', 'area_exits.id', ondelete='CASCADE'),
    indexes=[c.index('ix_area_exit_steps_exit', 'area_exit_id', 'id')],
    )


def downgrade() -> None:
    # A table's indexes go with it.
    for table in ('area_exit_steps', 'area_exits', 'area_exit_surveys', 'indicator_rural_populations'):
        op.drop_table(table)
