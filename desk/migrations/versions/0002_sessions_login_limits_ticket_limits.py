"""Server-side counsellor sessions, login failure counters, and the tickets' client key for the ticket limits.

Revision: 0002; revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counsellor_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("counsellor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["counsellor_id"],
            ["counsellors.id"],
            ondelete="CASCADE",
            name=op.f("fk_counsellor_sessions_counsellor_id_counsellors"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counsellor_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_counsellor_sessions_token_hash")),
    )
    op.create_index(op.f("ix_counsellor_sessions_counsellor_id"), "counsellor_sessions", ["counsellor_id"])
    op.create_index(op.f("ix_counsellor_sessions_created_at"), "counsellor_sessions", ["created_at"])
    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_failures")),
    )
    op.create_index(op.f("ix_login_failures_last_failure_at"), "login_failures", ["last_failure_at"])
    # Batch mode: SQLite drops a column (on the way down) by copying the table.
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("client_key", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_tickets_client_key"), ["client_key"])
        batch.create_index(batch.f("ix_tickets_conversation_id"), ["conversation_id"])


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_index(batch.f("ix_tickets_conversation_id"))
        batch.drop_index(batch.f("ix_tickets_client_key"))
        batch.drop_column("client_key")
    op.drop_table("login_failures")
    op.drop_table("counsellor_sessions")
