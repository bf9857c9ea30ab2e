"""Server-side dashboard sessions: logging out or a new password ends a session everywhere (copied
cookies included); a session idle longer than MOTCUA_HUB_SESSION_IDLE_HOURS ends.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

from district.db.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("staff_name", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("last_seen_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["staff_name"], ["staff_users.name"], name="fk_staff_sessions_staff_name_staff_users",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id_hash", name="pk_staff_sessions"),
    )
    op.create_index("ix_staff_sessions_staff_name", "staff_sessions", ["staff_name"])


def downgrade() -> None:
    op.drop_index("ix_staff_sessions_staff_name", table_name="staff_sessions")
    op.drop_table("staff_sessions")
