"""Two deadlines per dossier: the legal due time (due_at) and the model day's 2-hour target, the
extension's new due time, whether the target was met, when a dossier closed without a result
(refused, stopped, withdrawn) and the code issued by the province's one-stop system.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

from district.db.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("target_due_at", UTCDateTime))
        batch.add_column(sa.Column("extended_due_at", UTCDateTime))
        batch.add_column(sa.Column("target_met", sa.Boolean))
        batch.add_column(sa.Column("closed_at", UTCDateTime))
        batch.add_column(sa.Column("province_code", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        for name in ("province_code", "closed_at", "target_met", "extended_due_at", "target_due_at"):
            batch.drop_column(name)
