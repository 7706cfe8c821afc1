"""durable outbox, server-side dashboard sessions, passwords that must be changed

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 23:50:00
"""
from alembic import op
import sqlalchemy as sa
import assistant.db.base  # noqa: F401  (UTCDateTime)


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ref', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('purpose', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('status', sa.String(length=10), nullable=False, server_default='sent'))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('next_attempt_at', assistant.db.base.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('claimed_until', assistant.db.base.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('sent_at', assistant.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.String(length=200), nullable=False, server_default=''))
        batch_op.alter_column('sid', existing_type=sa.String(length=64), nullable=True)
    op.execute("UPDATE outbox SET ref = 'old' || CAST(id AS VARCHAR(29)), next_attempt_at = created_at, "
               "sent_at = created_at")
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('ref', existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column('next_attempt_at', existing_type=assistant.db.base.UTCDateTime(timezone=True),
                              nullable=False)
        batch_op.alter_column('purpose', server_default=None)
        batch_op.alter_column('status', server_default=None)
        batch_op.alter_column('attempts', server_default=None)
        batch_op.alter_column('last_error', server_default=None)
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_ref'), ['ref'])
        batch_op.create_index('ix_outbox_due', ['status', 'next_attempt_at'], unique=False)

    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.alter_column('must_change_password', server_default=None)

    op.create_table('dashboard_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('created_at', assistant.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', assistant.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'],
                            name=op.f('fk_dashboard_sessions_volunteer_id_volunteers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_sessions'))
    )
    with op.batch_alter_table('dashboard_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dashboard_sessions_volunteer_id'), ['volunteer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('dashboard_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dashboard_sessions_volunteer_id'))
    op.drop_table('dashboard_sessions')
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
    op.execute("DELETE FROM outbox WHERE sid IS NULL")
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_due')
        batch_op.drop_constraint(batch_op.f('uq_outbox_ref'), type_='unique')
        batch_op.alter_column('sid', existing_type=sa.String(length=64), nullable=False)
        for column in ('last_error', 'sent_at', 'claimed_until', 'next_attempt_at', 'attempts', 'status',
                       'purpose', 'ref'):
            batch_op.drop_column(column)
