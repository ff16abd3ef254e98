"""foundation: areas, accounts, audit, registry core

Revision ID: 0001
Revises:
Create Date: 2026-11-23 19:05:30.695149
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fupin.core.db

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('areas',
    sa.Column('code', sa.String(length=15), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_code', sa.String(length=15), nullable=True),
    sa.Column('region', sa.String(length=8), nullable=True),
    sa.ForeignKeyConstraint(['parent_code'], ['areas.code'], name=op.f('fk_areas_parent_code_areas')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_areas'))
    )
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.create_index('ix_areas_level', ['level'], unique=False)
        batch_op.create_index('ix_areas_parent_code', ['parent_code'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=120), nullable=False),
    sa.Column('actor_role', sa.String(length=32), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=True),
    sa.Column('area_code', sa.String(length=15), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_area_at', ['area_code', 'at'], unique=False)
        batch_op.create_index('ix_audit_log_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_log_entity', ['entity', 'entity_id'], unique=False)

    op.create_table('households',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('household_no', sa.String(length=32), nullable=False),
    sa.Column('head_name', sa.String(length=60), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('poverty_attribute', sa.String(length=16), nullable=False),
    sa.Column('main_cause', sa.String(length=20), nullable=False),
    sa.Column('other_causes', sa.String(length=200), nullable=True),
    sa.Column('registration_year', sa.SmallInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('exit_year', sa.SmallInteger(), nullable=True),
    sa.Column('member_count', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_households_area_code_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index('ix_households_area_code', ['area_code', 'id'], unique=False)
        batch_op.create_index('ix_households_head_name', ['head_name'], unique=False)
        batch_op.create_index('ix_households_status', ['county_code', 'status'], unique=False)
        batch_op.create_index('uq_households_household_no', ['household_no'], unique=True)

    op.create_table('users',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=True),
    sa.Column('can_view_pii', sa.Boolean(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', fupin.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_users_area_code_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_area_code', ['area_code'], unique=False)

    op.create_table('auth_tokens',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=True),
    sa.Column('created_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', fupin.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_auth_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_auth_tokens_token_hash'))
    )
    with op.batch_alter_table('auth_tokens', schema=None) as batch_op:
        batch_op.create_index('ix_auth_tokens_user_id', ['user_id'], unique=False)

    op.create_table('persons',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.Column('ethnicity', sa.String(length=20), nullable=True),
    sa.Column('education', sa.String(length=20), nullable=True),
    sa.Column('schooling', sa.String(length=20), nullable=True),
    sa.Column('health', sa.String(length=16), nullable=False),
    sa.Column('disability_grade', sa.SmallInteger(), nullable=True),
    sa.Column('labour_capacity', sa.String(length=16), nullable=False),
    sa.Column('work_place', sa.String(length=16), nullable=False),
    sa.Column('months_worked', sa.SmallInteger(), nullable=True),
    sa.Column('medical_insurance', sa.Boolean(), nullable=False),
    sa.Column('pension_insurance', sa.Boolean(), nullable=False),
    sa.Column('minimum_allowance', sa.Boolean(), nullable=False),
    sa.Column('public_funded', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_persons_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons'))
    )
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.create_index('ix_persons_area_code', ['area_code'], unique=False)
        batch_op.create_index('ix_persons_household_id', ['household_id'], unique=False)
        batch_op.create_index('ix_persons_name', ['name'], unique=False)
        batch_op.create_index('uq_persons_active_id_hash', ['id_hash'], unique=True, postgresql_where=sa.text('active'), sqlite_where=sa.text('active = 1'))
    _append_only_audit_log()


APPEND_ONLY_MESSAGE = "audit_log is append-only"


def _append_only_audit_log() -> None:
    """The audit log refuses UPDATE and DELETE in the database itself, whatever code runs."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index('uq_persons_active_id_hash', postgresql_where=sa.text('active'), sqlite_where=sa.text('active = 1'))
        batch_op.drop_index('ix_persons_name')
        batch_op.drop_index('ix_persons_household_id')
        batch_op.drop_index('ix_persons_area_code')

    op.drop_table('persons')
    with op.batch_alter_table('auth_tokens', schema=None) as batch_op:
        batch_op.drop_index('ix_auth_tokens_user_id')

    op.drop_table('auth_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_area_code')

    op.drop_table('users')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index('uq_households_household_no')
        batch_op.drop_index('ix_households_status')
        batch_op.drop_index('ix_households_head_name')
        batch_op.drop_index('ix_households_area_code')

    op.drop_table('households')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_entity')
        batch_op.drop_index('ix_audit_log_at')
        batch_op.drop_index('ix_audit_log_area_at')

    op.drop_table('audit_log')
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_index('ix_areas_parent_code')
        batch_op.drop_index('ix_areas_level')

    op.drop_table('areas')
