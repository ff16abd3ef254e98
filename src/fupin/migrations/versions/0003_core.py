"""core: background jobs and their files, the look-up key's fingerprint, clerks' entity and shop, API token
labels, login throttling per address, and the audit log refusing TRUNCATE

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-30 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fupin.migrations import columns as c

revision = '0003'
down_revision = '0001'
branch_labels = ('core',)
depends_on = None


def upgrade() -> None:
    c.create_table('jobs',
    c.string('id', 32),
    c.string('kind', 64),
    c.string('title', 200),
    c.string('status', 16),
    c.integer('owner_id', nullable=True),
    c.json('actor'),
    c.area_code(nullable=True),
    c.json('params', nullable=True),
    c.string('phase', 120, nullable=True),
    c.integer('done'),
    c.integer('total'),
    c.json('result', nullable=True),
    c.text('error', nullable=True),
    c.string('error_code', 64, nullable=True),
    c.integer('attempts'),
    c.string('worker', 120, nullable=True),
    c.created_at(),
    c.timestamp('started_at', nullable=True),
    c.timestamp('heartbeat_at', nullable=True),
    c.timestamp('finished_at', nullable=True),
    indexes=[
        c.index('ix_jobs_status_created', 'status', 'created_at'),
        c.index('ix_jobs_owner_created', 'owner_id', 'created_at'),
    ],
    )

    c.create_table('job_files',
    c.small_id(),
    c.string('job_id', 32),
    c.string('purpose', 16),
    c.string('name', 255),
    c.string('media_type', 120),
    c.integer('size'),
    c.boolean('personal'),
    c.integer('rows', nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    c.foreign_key('job_id', 'jobs.id', ondelete='CASCADE'),
    indexes=[c.index('ix_job_files_job', 'job_id')],
    )

    c.create_table('key_fingerprints',
    c.string('purpose', 32),
    c.string('fingerprint', 64),
    c.timestamp('set_at'),
    primary_key=('purpose',),
    )
    c.create_table('login_throttles',
    c.string('address', 64),
    c.integer('failures'),
    c.timestamp('window_started_at'),
    c.timestamp('locked_until', nullable=True),
    primary_key=('address',),
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(c.integer('entity_id', nullable=True))
        batch_op.add_column(c.integer('shop_id', nullable=True))
    with op.batch_alter_table('auth_tokens', schema=None) as batch_op:
        batch_op.add_column(c.string('label', 120, nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        # TRUNCATE bypasses row triggers; a statement trigger refuses it too (the role fupin runs as should not
        # hold TRUNCATE on audit_log at all: docs/operations.md).
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    with op.batch_alter_table('auth_tokens', schema=None) as batch_op:
        batch_op.drop_column('label')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('shop_id')
        batch_op.drop_column('entity_id')
    op.drop_table('login_throttles')
    op.drop_table('key_fingerprints')
    with op.batch_alter_table('job_files', schema=None) as batch_op:
        batch_op.drop_index('ix_job_files_job')
    op.drop_table('job_files')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_jobs_owner_created')
        batch_op.drop_index('ix_jobs_status_created')
    op.drop_table('jobs')
