"""Province reports (#14): covering indexes for a year over every commune. Biểu II.06a, the report
page and the QĐ 766 months read the dossiers by time of receipt with every column they classify on
(PostgreSQL ``INCLUDE``: an index-only scan, the table's personal data never read), and the ballots
by day with their level and officer.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

DOSSIER_INCLUDE = ["device_id", "field_code", "channel", "state", "due_at", "ready_at", "returned_at", "closed_at",
                   "outcome", "digitised"]


def upgrade() -> None:
    op.create_index("ix_dossiers_report", "dossiers", ["received_at"], postgresql_include=DOSSIER_INCLUDE)
    op.create_index("ix_ratings_report", "ratings", ["day"], postgresql_include=["device_id", "level", "officer"])


def downgrade() -> None:
    op.drop_index("ix_ratings_report", table_name="ratings")
    op.drop_index("ix_dossiers_report", table_name="dossiers")
