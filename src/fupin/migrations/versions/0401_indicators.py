"""indicators: rural registered population per area and year (poverty incidence); area exit evaluations

Revision ID: 0401
Revises: 0002
Create Date: 2026-11-23 20:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fupin.core.db  # noqa: F401  (custom column types such as UTCDateTime)

revision = '0401'
down_revision = '0002'
branch_labels = ('indicators',)
depends_on = None


def upgrade() -> None:
    op.create_table('indicator_rural_populations',
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('rural_population', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_indicator_rural_populations_area_code_areas')),
    sa.PrimaryKeyConstraint('year', 'area_code', name=op.f('pk_indicator_rural_populations'))
    )
    op.create_table('area_exit_surveys',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('sampled_exited', sa.Integer(), nullable=False),
    sa.Column('wrong_exits', sa.Integer(), nullable=False),
    sa.Column('sampled_households', sa.Integer(), nullable=False),
    sa.Column('missed_registrations', sa.Integer(), nullable=False),
    sa.Column('approval_asked', sa.Integer(), nullable=False),
    sa.Column('approval_yes', sa.Integer(), nullable=False),
    sa.Column('surveyed_on', sa.Date(), nullable=False),
    sa.Column('surveyor', sa.String(length=120), nullable=False),
    sa.Column('created_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_area_exit_surveys_area_code_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_area_exit_surveys'))
    )
    with op.batch_alter_table('area_exit_surveys', schema=None) as batch_op:
        batch_op.create_index('uq_area_exit_surveys_area_year', ['area_code', 'year'], unique=True)

    op.create_table('area_exits',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=True),
    sa.Column('figures', sa.Text(), nullable=False),
    sa.Column('created_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_area_exits_area_code_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_area_exits'))
    )
    with op.batch_alter_table('area_exits', schema=None) as batch_op:
        batch_op.create_index('uq_area_exits_area_year', ['area_code', 'year'], unique=True)

    op.create_table('area_exit_steps',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('area_exit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('step', sa.String(length=16), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('actor_name', sa.String(length=120), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_exit_id'], ['area_exits.id'], name=op.f('fk_area_exit_steps_area_exit_id_area_exits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_area_exit_steps'))
    )
    with op.batch_alter_table('area_exit_steps', schema=None) as batch_op:
        batch_op.create_index('ix_area_exit_steps_exit', ['area_exit_id', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('area_exit_steps', schema=None) as batch_op:
        batch_op.drop_index('ix_area_exit_steps_exit')

    op.drop_table('area_exit_steps')
    with op.batch_alter_table('area_exits', schema=None) as batch_op:
        batch_op.drop_index('uq_area_exits_area_year')

    op.drop_table('area_exits')
    with op.batch_alter_table('area_exit_surveys', schema=None) as batch_op:
        batch_op.drop_index('uq_area_exit_surveys_area_year')

    op.drop_table('area_exit_surveys')
    op.drop_table('indicator_rural_populations')
