"""foundation: areas, accounts, audit, registry core

Revision ID: 0001
Revises:
Create Date: 2026-11-23 19:05:30.695149
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fupin.migrations import columns as c

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    c.create_table('areas',
    c.string('code', 15),
    c.string('name', 100),
    c.string('level', 16),
    c.string('parent_code', 15, nullable=True),
    c.string('region', 8, nullable=True),
    c.foreign_key('parent_code', 'areas.code'),
    primary_key=('code',),
    indexes=[
        c.index('ix_areas_level', 'level'),
        c.index('ix_areas_parent_code', 'parent_code'),
    ],
    )

    c.create_table('audit_log',
    c.big_id(),
    c.timestamp('at'),
    c.integer('actor_id', nullable=True),
    c.string('actor_name', 120),
    c.string('actor_role', 32),
    c.string('action', 32),
    c.string('entity', 64),
    c.string('entity_id', 64, nullable=True),
    c.area_code(nullable=True),
    c.json('changes', nullable=True),
    indexes=[
        c.index('ix_audit_log_area_at', 'area_code', 'at'),
        c.index('ix_audit_log_at', 'at'),
        c.index('ix_audit_log_entity', 'entity', 'entity_id'),
    ],
    )

    c.create_table('households',
    c.big_id(),
    c.county_code(),
    c.area_code(),
    c.string('household_no', 32),
    c.string('head_name', 60),
    c.string('address', 200, nullable=True),
    c.string('phone', 20, nullable=True),
    c.string('poverty_attribute', 16),
    c.string('main_cause', 20),
    c.string('other_causes', 200, nullable=True),
    c.small_integer('registration_year'),
    c.string('status', 16),
    c.small_integer('exit_year', nullable=True),
    c.small_integer('member_count'),
    c.created_at(),
    c.timestamp('updated_at'),
    c.version(),
    c.area_key(),
    indexes=[
        c.index('ix_households_area_code', 'area_code', 'id'),
        c.index('ix_households_head_name', 'head_name'),
        c.index('ix_households_status', 'county_code', 'status'),
        c.index('uq_households_household_no', 'household_no', unique=True),
    ],
    )

    c.create_table('users',
    c.small_id(),
    c.string('username', 64),
    c.string('display_name', 120),
    c.string('password_hash', 255),
    c.string('role', 32),
    c.area_code(nullable=True),
    c.boolean('can_view_pii', nullable=True),
    c.boolean('is_active'),
    c.integer('failed_logins'),
    c.timestamp('locked_until', nullable=True),
    c.created_at(),
    c.version(),
    c.area_key(),
    c.unique('username'),
    indexes=[c.index('ix_users_area_code', 'area_code')],
    )

    c.create_table('auth_tokens',
    c.small_id(),
    c.integer('user_id'),
    c.string('kind', 16),
    c.string('token_hash', 64),
    c.string('csrf_token', 64, nullable=True),
    c.created_at(),
    c.timestamp('expires_at'),
    c.timestamp('revoked_at', nullable=True),
    c.foreign_key('user_id', 'users.id', ondelete='CASCADE'),
    c.unique('token_hash'),
    indexes=[c.index('ix_auth_tokens_user_id', 'user_id')],
    )

    c.create_table('persons',
    c.big_id(),
    *c.household_scope(),
    c.string('id_number', 18),
    c.string('id_hash', 64),
    c.string('name', 60),
    c.string('sex', 1),
    c.date('birth_date'),
    c.string('relation', 20),
    c.string('ethnicity', 20, nullable=True),
    c.string('education', 20, nullable=True),
    c.string('schooling', 20, nullable=True),
    c.string('health', 16),
    c.small_integer('disability_grade', nullable=True),
    c.string('labour_capacity', 16),
    c.string('work_place', 16),
    c.small_integer('months_worked', nullable=True),
    c.boolean('medical_insurance'),
    c.boolean('pension_insurance'),
    c.boolean('minimum_allowance'),
    c.boolean('public_funded'),
    c.boolean('active'),
    c.version(),
    c.household_key(),
    indexes=[
        c.index('ix_persons_area_code', 'area_code'),
        c.index('ix_persons_household_id', 'household_id'),
        c.index('ix_persons_name', 'name'),
        c.index('uq_persons_active_id_hash', 'id_hash', unique=True,
                postgresql_where=sa.text('active'), sqlite_where=sa.text('active = 1')),
    ],
    )
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
    # A table's indexes go with it.
    for table in ('persons', 'auth_tokens', 'users', 'households', 'audit_log', 'areas'):
        op.drop_table(table)
